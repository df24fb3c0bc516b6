"""Troop numbers: digits with thousands separators, number words, multipliers and qualifiers."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .lexicon_schema import Numbers
from .regexes import trie_regex

# Thousands groups separated by '.', ',', a (narrow) no-break space or a plain space: 3.000, 3,000, 12 000.
_GROUPED = r"\d{1,3}(?:[.,\u00a0\u202f\u2009 ]\d{3})+(?![\d])"
_PLAIN = r"\d+(?:[.,]\d+)?"


# Letters that re.IGNORECASE matches to an ASCII letter but str.lower() does not turn into it (Python's re docs:
# long s, dotless i, dotted capital I; the Kelvin sign lowercases to k already). A word the regex matched is
# folded with them before its value is looked up, or "tauſend" would match and then miss the table.
_IGNORECASE_EXTRAS = str.maketrans({"\u017f": "s", "\u0131": "i"})


def _fold(word: str) -> str:
    return word.lower().replace("i\u0307", "i").translate(_IGNORECASE_EXTRAS)


@dataclass(frozen=True)
class Amount:
    start: int
    end: int
    value: int | None  # None for vague amounts ("Dutzende")
    qualifier: str


class NumberParser:
    def __init__(self, numbers: Numbers):
        self._decimal = numbers.decimal_separator
        self._words = {_fold(w): v for w, v in numbers.words.items()}
        self._multipliers = {_fold(w): v for w, v in numbers.multipliers.items()}
        self._qualifiers = {_fold(w): q for w, q in numbers.qualifiers.items()}
        word_alt = trie_regex(list(self._words)) if self._words else r"(?!x)x"
        mult_alt = trie_regex(list(self._multipliers)) if self._multipliers else r"(?!x)x"
        vague_alt = trie_regex([v.lower() for v in numbers.vague]) if numbers.vague else r"(?!x)x"
        self._amount = re.compile(
            rf"(?<![\w.,])(?:(?P<digits>{_GROUPED}|{_PLAIN})|(?P<word>{word_alt})|(?P<vague>{vague_alt}))"
            rf"(?:[\s-]+(?P<mult>{mult_alt}))?(?![\w])",
            re.IGNORECASE,
        )
        qual_alt = trie_regex(list(self._qualifiers)) if self._qualifiers else r"(?!x)x"
        self._qualifier = re.compile(rf"(?<!\w)(?P<q>{qual_alt})\s+$", re.IGNORECASE)

    def _digits_value(self, digits: str) -> float:
        if re.fullmatch(_GROUPED, digits):
            return float(re.sub(r"\D", "", digits))
        return (
            float(digits.replace(self._decimal, ".")) if self._decimal in digits else float(re.sub(r"\D", "", digits))
        )

    def amounts(self, text: str, start: int, end: int) -> list[Amount]:
        found = []
        for match in self._amount.finditer(text, start, end):
            multiplier = self._multipliers.get(_fold(match.group("mult") or ""), 1)
            if match.group("vague"):
                value: int | None = None
            elif match.group("word"):
                value = self._words[_fold(match.group("word"))] * multiplier
            else:
                value = int(round(self._digits_value(match.group("digits")) * multiplier))
            qualifier = "exact"
            if q := self._qualifier.search(text, max(start, match.start() - 30), match.start()):
                qualifier = self._qualifiers[_fold(q.group("q"))]
            elif value is None:
                qualifier = "around"
            found.append(Amount(match.start(), match.end(), value, qualifier))
        return found
