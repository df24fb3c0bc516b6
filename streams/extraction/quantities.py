"""Quantities: how many forces a deployment sends ("3.000 zusätzliche US-Soldaten", "some 1,500 troops")."""

from __future__ import annotations

from .historic_years import HistoricYears
from .lexicon_schema import Lexicon
from .numbers import NumberParser
from .words import Vocabulary

# How far (in words) a force noun may stand from its number: "3.000 zusätzliche US-Soldaten".
_NEAR_WORDS = 3

Quantity = tuple[int, str, str]  # value, qualifier, unit (the force noun as written)


class Quantities:
    """The number words of one language (numbers.json), compiled once."""

    def __init__(self, lexicon: Lexicon, vocabulary: Vocabulary, years: HistoricYears | None = None):
        self._numbers = NumberParser(lexicon.numbers)
        self._ordinal_dot = lexicon.text.ordinal_dot
        self._years = years
        self._time_words = frozenset(w.lower() for w in lexicon.text.time_words)
        self._force = vocabulary.force
        self._word = vocabulary.word

    def quantity(self, text: str, start: int, end: int) -> Quantity | None:
        """The first amount in text[start:end] followed within a few words by a force noun; None when that amount
        has no value ("Dutzende Soldaten")."""
        for amount in self._numbers.amounts(text, start, end):
            if self._counts_nothing(text, start, amount.start, amount.end):
                continue
            words = list(self._word.finditer(text, amount.end, min(end, amount.end + 80)))[: _NEAR_WORDS + 1]
            if words and words[0].group(0).lower() in self._time_words:
                continue  # "seit 60 Jahren sind britische Soldaten": a span of time, not how many
            for word in words:
                force = self._force.match(text, word.start())
                if force is not None and force.end() <= end:
                    if amount.value is None:
                        return None
                    return amount.value, amount.qualifier, force.group(0)
        return None

    def _counts_nothing(self, text: str, start: int, amount_start: int, amount_end: int) -> bool:
        """An ordinal ('die 14. russische Armee': digits, a dot, a space, in a language that writes ordinals so) or a
        year after 'seit' ('seit 1945 sind US-Soldaten stationiert') names a unit or a date, not how many."""
        digits = text[amount_start:amount_end]
        if (
            self._ordinal_dot
            and digits.isdigit()
            and text[amount_end : amount_end + 1] == "."
            and text[amount_end + 1 : amount_end + 2].isspace()
        ):
            return True
        return (
            self._years is not None
            and len(digits) == 4
            and digits.isdigit()
            and self._years.since(text, start, amount_start)
        )
