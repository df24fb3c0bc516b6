"""A lowercase descriptor before an unlisted name ('oil giant Yukos', 'Greek sprinter Kostas Kenteris')."""

from __future__ import annotations

import re

from .gazetteer import COUNTRY, DEMONYM_ADJ, Mention
from .lexicon_schema import Lexicon
from .words import Vocabulary

_MAX_MODIFIERS = 2  # words before the head: "state oil giant", "Greek sprinter"; more is a clause, not a descriptor


class Descriptors:
    """The head nouns of descriptors (text.json descriptor_nouns and private_nouns), compiled once."""

    def __init__(self, lexicon: Lexicon, vocabulary: Vocabulary, openers: frozenset[str] | set[str]):
        rules = lexicon.text
        self._heads = {w.lower() for w in (*rules.descriptor_nouns, *rules.private_nouns) if " " not in w}
        self._openers = set(openers)
        self._word = vocabulary.word

    def length(self, text: str, lead: list[re.Match[str]]) -> int:
        """How many words at the end of the lead before a name describe it: a head noun written in lowercase (a
        capital would make it part of the name) after at most two modifiers that open no clause; 0 when none."""
        if not lead or not lead[-1].group(0).islower() or lead[-1].group(0) not in self._heads:
            return 0
        size = 1
        while size <= _MAX_MODIFIERS and size < len(lead) and lead[-1 - size].group(0).lower() not in self._openers:
            size += 1
        return size

    @staticmethod
    def inside(mention: Mention, start: int, end: int) -> bool:
        """A state's name or adjective ("Greek sprinter", "US firm") or a stateless name ("Abramovich-linked steel
        firm") within the descriptor qualifies it: it is not the actor. A state's organ there ("army") still is."""
        qualifier = mention.entity.category in (DEMONYM_ADJ, COUNTRY) or mention.entity.country is None
        return qualifier and start <= mention.start < end
