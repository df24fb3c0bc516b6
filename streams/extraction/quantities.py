"""Quantities: how many forces a deployment sends ("3.000 zusätzliche US-Soldaten", "some 1,500 troops")."""

from __future__ import annotations

from .lexicon_schema import Lexicon
from .numbers import NumberParser
from .words import Vocabulary

# How far (in words) a force noun may stand from its number: "3.000 zusätzliche US-Soldaten".
_NEAR_WORDS = 3

Quantity = tuple[int, str, str]  # value, qualifier, unit (the force noun as written)


class Quantities:
    """The number words of one language (numbers.json), compiled once."""

    def __init__(self, lexicon: Lexicon, vocabulary: Vocabulary):
        self._numbers = NumberParser(lexicon.numbers)
        self._force = vocabulary.force
        self._word = vocabulary.word

    def quantity(self, text: str, start: int, end: int) -> Quantity | None:
        """The first amount in text[start:end] followed within a few words by a force noun; None when that amount
        has no value ("Dutzende Soldaten")."""
        for amount in self._numbers.amounts(text, start, end):
            words = list(self._word.finditer(text, amount.end, min(end, amount.end + 80)))[: _NEAR_WORDS + 1]
            for word in words:
                force = self._force.match(text, word.start())
                if force is not None and force.end() <= end:
                    if amount.value is None:
                        return None
                    return amount.value, amount.qualifier, force.group(0)
        return None
