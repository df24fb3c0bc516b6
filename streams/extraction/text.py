"""Sentence and clause splitting with character offsets, in linear time, driven by the lexicon's text.json."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import NamedTuple

from .lexicon_text import Text
from .words import UPPER

# Longer sentences are cut at whitespace so per-sentence work stays bounded on adversarial input.
MAX_SENTENCE_CHARS = 1000

# A run of sentence punctuation (and closing quotes or brackets) before whitespace, or a line break. Spelt so that
# the pattern opens with a character set, which lets the regex engine skip to those characters instead of trying
# every position (the same matches as r"[.!?…:]+[\"'»«“”‘’)\]]*(?=\s)|\n").
_CANDIDATE = re.compile(r"[.!?…:\n](?:(?<=\n)|(?<=[.!?…:])[.!?…:]*[\"'»«“”‘’)\]]*(?=\s))")
# English news pages glue a link headline to the next sentence with neither space nor stop ("as talks stallBritain
# sends ..."). Such a glue point is a candidate too: the capital after three lowercase letters and before a lowercase
# one. The capital joins the opening character set, so one pass still skips to candidates (a pattern that opened with
# the lowercase word would be tried at every position), and every test reads a fixed number of characters: linear.
_CANDIDATE_OR_GLUED = re.compile(
    r"[.!?…:\nA-Z](?:(?<=\n)|(?<=[.!?…:])[.!?…:]*[\"'»«“”‘’)\]]*(?=\s)|(?<=[a-z]{3}[A-Z])(?=[a-z]))"
)
_GLUE_CAPITALS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
# The glued word is all lowercase and not inside a handle, address or hyphenated word; camel-case names stay whole by
# shape (they open with a capital, "McDonald", "YouTube", or have fewer than three lowercase letters, "iPhone").
# Longer than any English word it is no headline's end, and the bound keeps the look back constant.
_MAX_GLUED_WORD = 24
_GLUED_WORD = re.compile(rf"(?<![\w@#/.'’&-])[a-z]{{3,{_MAX_GLUED_WORD}}}$")
_PUNCT = frozenset(".!?…:")
_PUNCT_OR_CLOSER = frozenset(".!?…:\"'»«“”‘’)]")
# How far back one step of the backward search for a sentence boundary reads (any size works; this one holds a
# typical sentence, so one step usually suffices).
_BACK_STEP = 240
_WORD_BEFORE = re.compile(r"([\w.]{1,20})$")
_NEXT_WORD = re.compile(r"\s*([\"'»«“”‘’(\[]?)(\w*)")
# A candidate followed by a capitalised word (or a number) ends a sentence unless it is a single dot after an
# abbreviation, an initial, a day or an ordinal: these letters are certainly not lowercase.
_CAPITAL_NEXT = r"[.!?…:]+[\"'»«“”‘’)\]]*\s+[\"'»«“”‘’(\[]?[A-Z0-9À-ÖØ-Þ]"
# The last character of a word that is certainly a letter (never a digit, so no day or ordinal).
_LETTER = "[a-zA-Zß-öø-ÿÀ-ÖØ-Þ]"


class Sentence(NamedTuple):
    """A sentence's offsets. A named tuple, not a frozen dataclass: as immutable, and built about twice as fast (a
    frozen dataclass sets each field through object.__setattr__), which counts at a few sentences per article."""

    start: int
    end: int
    lead_start: int  # start of a colon-separated lead-in ("X meldet: ...") that belongs to it, else start


# A sentence left to split later (Segmenter.sentence_after), under the start of the sentence before it: where it
# begins, where its line ends, and the start of the lead-in it inherits (None: none).
Later = dict[int, tuple[int, int, int | None]]


class Segmenter:
    """Splits article text into sentences and sentences into clauses, with offsets into the text."""

    def __init__(self, text_rules: Text):
        self._abbreviations = {a.lower().rstrip(".") for a in text_rules.abbreviations}
        self._months = {m.lower() for m in text_rules.months}
        self._ordinal_dot = text_rules.ordinal_dot
        breaks = sorted(text_rules.clause_breaks, key=len, reverse=True)
        self._clause_break = re.compile("|".join(re.escape(b) for b in breaks)) if breaks else None
        self._certain_boundary = _certain_boundary_regex(self._abbreviations)
        self._glued = text_rules.glued_headlines

    def _candidates(self) -> re.Pattern[str]:
        """The candidate pattern, read from the module at each call (not kept on the instance) so that a test may
        count what it hands out."""
        return _CANDIDATE_OR_GLUED if self._glued else _CANDIDATE

    def _is_boundary(self, text: str, match: re.Match[str]) -> bool:
        """Does this candidate end a sentence? One regex decides most candidates (see _certain_boundary_regex)."""
        if self._glued and _is_glue_point(match):
            start = match.start()
            return _GLUED_WORD.search(text, max(0, start - _MAX_GLUED_WORD - 1), start) is not None
        if self._certain_boundary is not None and self._certain_boundary.match(text, match.start()) is not None:
            return True
        return self._is_boundary_by_rules(text, match)

    def _is_boundary_by_rules(self, text: str, match: re.Match[str]) -> bool:
        punct = match.group(0)
        if punct == "\n":
            return True
        following = _NEXT_WORD.match(text, match.end())
        assert following is not None, "every part of _NEXT_WORD is optional: it matches anywhere"
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
        for match in self._candidates().finditer(text, start, end):
            if not self._is_boundary(text, match):
                continue
            # (_resume, with the flag read first: German, which has no glue points, skips the check)
            resume = match.start() if self._glued and _is_glue_point(match) else match.end()
            stop = match.start() if match.group(0) == "\n" else resume
            colon = _ends_in_colon(match)
            if self._emit(text, start, stop, lead_start, result):
                lead_start = result[-1].start if colon else None
            elif not colon:
                lead_start = None
            start = resume
        self._emit(text, start, end, lead_start, result)
        return result

    def sentences_with_hits(self, text: str, positions: list[int], later: Later | None = None) -> list[Sentence]:
        """The sentences that hold one of the sorted positions, each followed by the sentence after it: a line break
        always ends a sentence and a boundary is decided by the characters next to it, so only the text around the
        positions is split (most of a long article, which may well be a single line, is never looked at). With later,
        the sentence after each line's last hit sentence is left to later (see sentence_after)."""
        sentences: list[Sentence] = []
        index = 0
        while index < len(positions):
            start = positions[index]
            line_start = text.rfind("\n", 0, start) + 1
            line_end = text.find("\n", start)
            line_end = len(text) if line_end < 0 else line_end
            first = index
            while index < len(positions) and positions[index] < line_end:
                index += 1
            sentences.extend(self.sentences_near(text, line_start, line_end, positions[first:index], later))
        return sentences

    def sentence_after(self, text: str, sentences: list[Sentence], index: int, later: Later) -> Sentence | None:
        """The sentence sentences_with_hits(text, positions) puts after sentences[index], a hit sentence of
        sentences_with_hits(text, positions, later): split now when it was left to later (the rules read it only for
        a cue that reaches the actor stages, a few in a hundred sentences split)."""
        if (after := later.get(sentences[index].start)) is not None:
            found: list[Sentence] = []
            self._emit_segment(text, after[0], after[1], after[0], after[2], found)
            if found:
                return found[0]
        return sentences[index + 1] if index + 1 < len(sentences) else None

    def hit_sentences(self, text: str, positions: list[int], known: Sequence[Sentence] = ()) -> list[Sentence]:
        """The sentences of sentences_with_hits(text, positions) that hold a position, in order: taken from known
        (sentences_with_hits of the same text for other positions, in order) where one of them holds the position, the
        others split here. A sentence is decided by the text around it alone, so both ways give the same sentence."""
        out: list[Sentence] = []
        missing: list[int] = []
        index, count = 0, len(known)
        for position in positions:
            while index < count and known[index].end <= position:
                index += 1
            if index < count and known[index].start <= position:
                if not out or out[-1] is not known[index]:
                    out.append(known[index])
            else:
                missing.append(position)
        if not missing:
            return out
        fresh = iter(missing)
        pending = next(fresh, None)
        for sentence in self.sentences_with_hits(text, missing, {}):  # (the sentences after them are not wanted)
            while pending is not None and pending < sentence.start:
                pending = next(fresh, None)
            if pending is not None and pending < sentence.end:
                out.append(sentence)
        return sorted(out)

    def sentences_near(
        self, text: str, line_start: int, line_end: int, positions: list[int], later: Later | None = None
    ) -> list[Sentence]:
        """Of the sentences of one line (text[line_start:line_end], no line break inside), the first one, those that
        contain one of the sorted positions and the one after each of these (and the rest of a sentence cut for
        length): elements of sentences(text, line_start, line_end), in order, found by reading only around them.

        Whether a candidate ends a sentence depends only on the characters next to it, so the sentence around a
        position lies between the last boundary before it and the first one after it. A sentence after a colon
        lead-in ("X meldet: ...") also needs the start of the sentence before it. With later, the sentence after
        the last hit sentence (which holds no position) is not split but noted there, under the hit sentence's start:
        where it begins, its line's end and its lead-in (see sentence_after; the ones between hit sentences are split,
        as the next position may lie in them).
        """
        out: list[Sentence] = []
        covered, lead = self._emit_segment(text, line_start, line_end, line_start, None, out)
        last_start = line_start  # raw start of the last sentence emitted, which ends at covered
        for position in positions:
            if position >= covered:
                previous = self._boundary_before(text, covered, line_end, position)
                if previous is not None:
                    lead = None
                    if _ends_in_colon(previous):
                        before = self._boundary_before(text, covered, line_end, previous.start())
                        lead_in: list[Sentence] = []
                        self._emit(text, covered if before is None else _resume(before), previous.end(), None, lead_in)
                        lead = lead_in[-1].start
                    covered = _resume(previous)
                last_start = covered
                covered, lead = self._emit_segment(text, covered, line_end, position, lead, out)
            elif position < last_start:
                continue  # its sentence and the one after it are out already
            if covered < line_end and later is not None and out and positions[-1] < covered:
                later[out[-1].start] = (covered, line_end, lead)  # the last hit sentence's: none holds a position
                break
            if covered < line_end:  # the sentence after it ("X denied it. ..., said X's envoy")
                last_start = covered
                covered, lead = self._emit_segment(text, covered, line_end, covered, lead, out)
        return out

    def _emit_segment(
        self, text: str, start: int, line_end: int, position: int, lead_start: int | None, out: list[Sentence]
    ) -> tuple[int, int | None]:
        """Emit the sentence that begins at start (a boundary) and holds position; return where it ends and the
        lead-in start the sentence after it inherits."""
        boundary = self._boundary_after(text, max(start, position), start, line_end)
        end = line_end if boundary is None else _resume(boundary)
        if self._emit(text, start, end, lead_start, out) and boundary is not None and _ends_in_colon(boundary):
            return end, out[-1].start
        return end, None

    def _boundary_after(self, text: str, position: int, floor: int, line_end: int) -> re.Match[str] | None:
        """The first sentence boundary that ends after position (floor is a boundary or a line start)."""
        low = position
        while low > floor and text[low - 1] in _PUNCT_OR_CLOSER:
            low -= 1  # a candidate is a whole run of punctuation and closers: never start reading inside one
        for match in self._candidates().finditer(text, low, line_end):
            if match.start() == position and _is_glue_point(match):
                continue  # a glue point at position begins position's sentence: it cannot end it
            if self._is_boundary(text, match):
                return match
        return None

    def _boundary_before(self, text: str, floor: int, line_end: int, position: int) -> re.Match[str] | None:
        """The last sentence boundary in text[floor:position] (floor is a boundary or a line start), counting one
        that begins the sentence at position (a glue point there)."""
        high = position + 1  # each step reads the candidates that start before high
        while high > floor:
            low = max(floor, high - _BACK_STEP)
            while low > floor and text[low - 1] in _PUNCT:
                low -= 1  # a candidate is a whole run of punctuation: never start reading inside one
            found = None
            for match in self._candidates().finditer(text, low, line_end):
                if match.start() >= high or (match.end() > position and not _is_glue_point(match)):
                    break  # (a candidate around position ends its sentence: the one before that is wanted)
                if self._is_boundary(text, match):
                    found = match
            if found is not None:
                return found
            high = low
        return None

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


def _is_glue_point(candidate: re.Match[str]) -> bool:
    return candidate.group(0) in _GLUE_CAPITALS


def _resume(boundary: re.Match[str]) -> int:
    """Where the sentence after a boundary begins: at a glue point's capital, else after the candidate."""
    return boundary.start() if _is_glue_point(boundary) else boundary.end()


def _ends_in_colon(candidate: re.Match[str]) -> bool:
    return candidate.group(0).rstrip("\"'»«“”‘’)]").endswith(":")


def _certain_boundary_regex(abbreviations: set[str]) -> re.Pattern[str] | None:
    """A regex that matches at a candidate's start only where the rules certainly call it a boundary: a capital
    follows, and the candidate is not a single dot, or its dot ends a word of two or more characters whose last is a
    letter (so neither an initial nor a number) and which is none of the abbreviations, even case-insensitively (a
    superset of the rules' lowercased comparison). None when an abbreviation is outside Latin-1, where lowercasing
    may change lengths and that superset is not guaranteed."""
    if any(ord(char) > 0xFF for abbreviation in abbreviations for char in abbreviation):
        return None
    # An abbreviation counts after a dot or a non-word character (the rules' token, or its part after the last dot).
    # One lookbehind per length (a lookbehind's alternatives must be as wide as each other).
    by_length: dict[int, list[str]] = {}
    for abbreviation in sorted(abbreviations):
        by_length.setdefault(len(abbreviation), []).append(re.escape(abbreviation))
    not_abbreviated = "".join(
        rf"(?<!(?<!\w)(?i:{'|'.join(alternatives)}))" for _, alternatives in sorted(by_length.items(), reverse=True)
    )
    return re.compile(rf"(?:(?=[!?…:]|\.\.)|(?<={_LETTER})(?<=\w\w){not_abbreviated}){_CAPITAL_NEXT}")


def lower_same_length(text: str) -> str:
    """text.lower(), unless that changes the length (e.g. 'İ'), in which case offsets would shift."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(ch if len(ch.lower()) != 1 else ch.lower() for ch in text)


def dateline_regex(sentence_articles: list[str], relative_pronouns: Sequence[str] = ()) -> re.Pattern[str]:
    """A dateline opening a body paragraph: capitalised place names joined by "/" or ", ", an optional agency in
    parentheses, then a dash. An opening article ("Die Nato – so ...", "The army -") makes it a sentence instead,
    and so does a relative pronoun after the dash ("Hamas - which is proscribed ... - has denied"): that dash opens
    an aside about the name."""
    article = rf"(?!(?:{'|'.join(map(re.escape, sentence_articles))})\b)" if sentence_articles else ""
    name = rf"{UPPER}[\w.'’]*"
    agency = r"(?: \([^()\n]{1,40}\))?"
    aside = rf"(?!(?:{'|'.join(map(re.escape, relative_pronouns))})\b)" if relative_pronouns else ""
    return re.compile(
        rf"{article}{name}(?:[ /-]+{name}){{0,4}}(?:, {name}(?: {name}){{0,2}})?{agency} [–—-]{{1,2}} {aside}(?=\S)"
    )
