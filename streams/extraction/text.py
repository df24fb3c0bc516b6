"""Sentence and clause splitting with character offsets, in linear time, driven by the lexicon's text.json."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .lexicon_schema import Text

# Longer sentences are cut at whitespace so per-sentence work stays bounded on adversarial input.
MAX_SENTENCE_CHARS = 1000

_CANDIDATE = re.compile(r"[.!?…:]+[\"'»«“”‘’)\]]*(?=\s)|\n")
_WORD_BEFORE = re.compile(r"([\w.]{1,20})$")
_NEXT_WORD = re.compile(r"\s*([\"'»«“”‘’(\[]?)(\w*)")


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    lead_start: int  # start of a colon-separated lead-in ("X meldet: ...") that belongs to it, else start


class Segmenter:
    """Splits article text into sentences and sentences into clauses, with offsets into the text."""

    def __init__(self, text_rules: Text):
        self._abbreviations = {a.lower().rstrip(".") for a in text_rules.abbreviations}
        self._months = {m.lower() for m in text_rules.months}
        self._ordinal_dot = text_rules.ordinal_dot
        breaks = sorted(text_rules.clause_breaks, key=len, reverse=True)
        self._clause_break = re.compile("|".join(re.escape(b) for b in breaks)) if breaks else None

    def _is_boundary(self, text: str, match: re.Match[str]) -> bool:
        punct = match.group(0)
        following = _NEXT_WORD.match(text, match.end())
        quote, word = following.group(1), following.group(2)
        if not word and not quote:
            return True
        first = word[:1]
        if first and first.islower():
            return False
        if punct.startswith(".") and not punct.startswith(".."):
            before = _WORD_BEFORE.search(text, max(0, match.start() - 20), match.start())
            token = before.group(1).lower() if before else ""
            last = token.rsplit(".", 1)[-1]
            if token in self._abbreviations or last in self._abbreviations:
                return False
            if len(last) == 1 and last.isalpha():  # an initial: "George W. Bush", "U.S."
                return False
            if last.isdigit() and len(last) <= 2 and word.lower() in self._months:  # "3. Oktober"
                return False
            if self._ordinal_dot and last.isdigit() and len(last) <= 3 and token == last:  # "76. Luftlandedivision"
                return False
        return True

    def sentences(self, text: str, start: int = 0, end: int | None = None) -> list[Sentence]:
        """Sentences of text[start:end] (offsets into text)."""
        end = len(text) if end is None else end
        result: list[Sentence] = []
        lead_start: int | None = None
        for match in _CANDIDATE.finditer(text, start, end):
            if match.group(0) != "\n" and not self._is_boundary(text, match):
                continue
            stop = match.start() if match.group(0) == "\n" else match.end()
            colon = match.group(0) != "\n" and match.group(0).rstrip("\"'»«“”‘’)]").endswith(":")
            if self._emit(text, start, stop, lead_start, result):
                lead_start = result[-1].start if colon else None
            elif not colon:
                lead_start = None
            start = match.end()
        self._emit(text, start, end, lead_start, result)
        return result

    def _emit(self, text: str, start: int, end: int, lead_start: int | None, out: list[Sentence]) -> bool:
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start >= end:
            return False
        while end - start > MAX_SENTENCE_CHARS:
            cut = text.rfind(" ", start + MAX_SENTENCE_CHARS // 2, start + MAX_SENTENCE_CHARS)
            cut = cut if cut > start else start + MAX_SENTENCE_CHARS
            out.append(Sentence(start, cut, start))
            start = cut
            while start < end and text[start].isspace():
                start += 1
            lead_start = None
        if start < end:
            out.append(Sentence(start, end, start if lead_start is None else lead_start))
        return True

    def clauses(self, text: str, start: int, end: int) -> list[tuple[int, int]]:
        """Clause spans of text[start:end]; the separators themselves are left out."""
        if self._clause_break is None:
            return [(start, end)]
        spans = []
        position = start
        for match in self._clause_break.finditer(text, start, end):
            if match.start() > position:
                spans.append((position, match.start()))
            position = match.end()
        if position < end:
            spans.append((position, end))
        return spans or [(start, end)]
