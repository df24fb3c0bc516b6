"""The lexicon schema of grammar.json "passive": the words of a passive clause whose agent acts (passives.py)."""

from __future__ import annotations

from pydantic import Field

from .lexicon_terms import Strict


class Passive(Strict):
    """grammar.json "passive": 'troops were sent to X by Y', 'Die Vorwürfe wurden vom Ministerium zurückgewiesen'."""

    auxiliaries: list[str] = Field(default_factory=list, description="Passive auxiliaries, all forms: was, wurde")
    agents: list[str] = Field(default_factory=list, description="Words before the agent: 'by', 'von', 'vom'")
    agents_not_places: list[str] = Field(
        default_factory=list,
        description="Agent words that before a state or place say which way instead ('durch Polen'): 'durch'",
    )
    route_ends: list[str] = Field(
        default_factory=list,
        description="Words after a name that make 'von X' where from ('von Polen nach Litauen', 'von Polen aus')",
    )
    participle_endings: list[str] = Field(
        default_factory=list, description="Endings of a past participle: the cue's last word must have one ('sent')"
    )
    auxiliary_reach: int = Field(
        default=0,
        ge=0,
        description="How many words before the participle its auxiliary may stand (0: anywhere in the clause, as in a "
        "verb-final language, where it may also follow the participle)",
    )
    reduced: bool = Field(
        default=False, description="A participle right before the agent word is passive with no auxiliary ('raided by')"
    )
