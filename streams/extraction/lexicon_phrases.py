"""The lexicon schema of text.json "private_phrases": how a private party's noun phrase with a phrase after it ('A man
accused of backing X', 'The families of the victims') is told from a subject with its verb and a clause ('The families
say X denied', 'The parents believed X denied'), read by noun_subjects.py."""

from __future__ import annotations

from pydantic import Field

from .lexicon_terms import Strict


class PrivatePhrases(Strict):
    """text.json "private_phrases"."""

    participle_endings: list[str] = Field(
        default_factory=list,
        description="Endings of a participle that may open a phrase after the noun: 'ing' ('a doctor working at'), "
        "'ed' ('a man accused of'). A finite verb with the same ending is told apart by clause_verbs and the name test",
    )
    representative_links: list[str] = Field(
        default_factory=list,
        description="Words after a noun that name whom it speaks for ('lawyer for X', 'a lawyer representing X'): the "
        "client denies, not the noun phrase, so it is left to the actor stages",
    )
    clause_verbs: list[str] = Field(
        default_factory=list,
        description="Finite verbs that take a clause or an object with a verb ('believed', 'hoped', 'urged'): after "
        "the noun phrase they make it the subject of its own verb, not of the cue (the cues.json SAID class and the "
        "one-word attribution markers count too)",
    )
    verb_leads: list[str] = Field(
        default_factory=list,
        description="Modals and the infinitive marker that may stand between a subject and its verb ('would', 'to'): "
        "a name followed only by these and auxiliaries is the cue's own subject ('hoped Iran would reject')",
    )
