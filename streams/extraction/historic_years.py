"""Years of past centuries that date a sentence as history, and those that only say since when something holds."""

from __future__ import annotations

import re

from .lexicon import TermCompiler, compile_terms
from .lexicon_schema import Lexicon
from .words import Vocabulary

_HISTORIC_YEAR = re.compile(r"(?<!\d)1[5-9]\d\d(?!\d)")
# How far before a year a term of markers.continuing may begin ("seit den frühen 1990er Jahren").
_SINCE_WINDOW = 24


class HistoricYears:
    def __init__(self, lexicon: Lexicon, compiler: TermCompiler, vocabulary: Vocabulary):
        self._vocabulary = vocabulary
        continuing = lexicon.markers.continuing
        self._continuing = compile_terms(compiler, continuing) if continuing else None
        self._range_words = frozenset(w.lower() for w in lexicon.numbers.range_words)

    def dates(self, text: str, start: int, end: int) -> bool:
        """A year of the past centuries in the span; a number counting forces ('1500 Gendarmen', '1,800 additional
        troops' written as 1800, '1500 bis 2000 Soldaten') is a quantity, not a year; a year after 'seit' ('seit 1999
        im Kosovo stationiert') opens what still holds, it dates no history."""
        for year in _HISTORIC_YEAR.finditer(text, start, end):
            following = list(self._vocabulary.word.finditer(text, year.end(), min(end, year.end() + 60)))
            if following and following[0].group(0).lower() in self._range_words:
                following = following[2:]  # "1500 bis 2000 Soldaten": the range's end, then the force
            if any(self._vocabulary.force.match(text, word.start()) for word in following[:2]):
                continue
            if not self.since(text, start, year.start()):
                return True
        return False

    def since(self, text: str, start: int, year_start: int) -> bool:
        """A continuing term ('seit', 'seit den', 'seit Anfang') is the whole text from a word of text[start:] to the
        year."""
        if self._continuing is None:
            return False
        term_end = len(text[:year_start].rstrip())
        window_start = max(start, year_start - _SINCE_WINDOW)
        return any(
            self._continuing.fullmatch(text, word.start(), term_end) is not None
            for word in self._vocabulary.word.finditer(text, window_start, term_end)
        )
