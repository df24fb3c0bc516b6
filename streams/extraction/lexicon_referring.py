"""The lexicon schema of text.json "referring": the words by which a sentence only refers to an actor named before."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .lexicon_terms import EventTypeName, Strict, Terms

Referent = Literal["person", "organisation", "state or organisation"]  # "it": a state or organisation, not a place


class Referring(Strict):
    """text.json "referring" (referents.py; README, "Adding a language"): actors a sentence only refers to."""

    pronouns: dict[str, Referent] = Field(default_factory=dict, description="he, er: person; it: state or organisation")
    role_nouns: dict[str, Referent] = Field(default_factory=dict, description="After an article; '*' any capital noun")
    event_types: list[EventTypeName] = Field(default_factory=list, description="Types whose actor they may stand for")
    # Types whose actor only a pronoun may stand for ('Dann verhängte er Zölle'): the officeholder keeps their state.
    pronoun_event_types: list[EventTypeName] = Field(default_factory=list, description="Pronoun-only types")
    # Types a verb-first photo caption reads, its actor after the colon ('Bestreitet die Vorwürfe: Sänger Max Muster').
    caption_event_types: list[EventTypeName] = Field(default_factory=list, description="Caption types: denial")
    # 'sein Land' opening a cue's clause of pronoun_event_types: the officeholder named before acts for their state.
    own_state: Terms = Field(default_factory=list, description="Possessive phrases for the state of the person before")
    reading: Literal["sentence_opening", "clause"] = Field(default="sentence_opening", description="Where they stand")
    unowned_forces: Terms = Field(default_factory=list, description="Ownerless forces act for the article's state")
    # unowned.py: a state named right before one of these owns forces in the article ('Israeli tanks', 'Israel's
    # invasion'); ownerless forces act for it when it is the only such state, not for the states merely named.
    force_owner_heads: Terms = Field(default_factory=list, description="'{FORCE}', 'invasion': what a state owns")
    armed_groups: Terms = Field(
        default_factory=list, description="Nouns of armed groups that, as a clause's subject, act for no state: Milizen"
    )
    # sentence_opening: adverbs and catenatives between the pronoun and the cue ("He has since denied").
    opening_adverbs: list[str] = Field(default_factory=list, description="'later', 'since', 'continues', 'to'")
    # sentence_opening: titles before a person's name ("when Sir Keir gave ..."), whom he or she may stand for.
    person_titles: list[str] = Field(default_factory=list, description="'Mr', 'Sir', 'Dr'")
    # clause: endings of common nouns; a capitalised word with one is no one-word surname (surnames.py).
    common_noun_endings: list[str] = Field(default_factory=list, description="'ung', 'heit', 'schaft'")
    # agentless.py: subjects of a clause that stand for the first name of the sentence before ('man', 'diese', 'they').
    back_subjects: list[str] = Field(default_factory=list, description="'man', 'diese', 'they': the previous subject")
    representatives: list[str] = Field(
        default_factory=list,
        description="Nouns of those who speak for a client ('Anwälte'): after a genitive name, that client acts",
    )
    representative_links: list[str] = Field(
        default_factory=list,
        description="Words joining a representative to the client named after it ('der Anwalt von Tom Berger')",
    )

    @property
    def pronoun_only_types(self) -> frozenset[str]:
        """pronoun_event_types that event_types does not already read with role nouns too."""
        return frozenset(self.pronoun_event_types) - frozenset(self.event_types)
