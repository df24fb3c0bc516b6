"""Source styles: labelled passages rewritten as another source writes its text, their label offsets mapped along."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import replace
from functools import cache

from .labels import GoldEvent, GoldPassage

Replacement = str | Callable[[str], str]


def _ascii_letter(char: str) -> str:
    """A letter with its accents dropped ("é" -> "e"); what has no ASCII form is left out, as the 2004 files did."""
    return unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode("ascii")


def _mojibake(char: str) -> str:
    """A character's UTF-8 bytes read as Latin-1, as the 2020-24 headline files keep curly quotes: "’" -> "â\\x80\\x99"."""
    return char.encode("utf-8").decode("latin-1")


# Every ASCII and typographic quotation mark and apostrophe: a source that strips " and ' from its body
# (10kGNAD's Der Standard text) leaves none of the marks a German or English writer would have used.
QUOTE_MARKS = frozenset("\"'„“”‚‘’»«")
_QUOTES = "[" + re.escape("".join(sorted(QUOTE_MARKS))) + "]"
# A whitespace run that holds a line break: the 10kGNAD text has no paragraph breaks, only single spaces.
_BREAK = r"\s*[\r\n]\s*"

# Each style: (pattern, replacement) pairs tried in order at each position (one combined regex, one pass).
# "original": the passage as the pool has it.
# "noquotes", "joined", "source": Der Standard 2015-16 as 10kGNAD keeps it (quote marks dropped, paragraphs joined, both).
# "ascii": BBC 2004-05 files (plain ASCII, straight quotes, spaced hyphens for dashes, currency as words).
# "mojibake": BBC and Guardian headlines 2020-24 (every non-ASCII character as its UTF-8 bytes read as Latin-1).
# "agnews": AG News 2004 leads (HTML entities with "&" turned into a space, " -- " dashes, "\" at wrapped line ends).
STYLES: dict[str, tuple[tuple[str, Replacement], ...]] = {
    "original": (),
    "noquotes": ((_QUOTES, ""),),
    "joined": ((_BREAK, " "),),
    "source": ((_QUOTES, ""), (_BREAK, " ")),
    "ascii": (
        (r"[’‘`´]", "'"),
        (r"[“”„]", '"'),
        (r" ?[–—] ?", " - "),
        (r"…", "..."),
        (r"£ ?", "pounds "),
        (r"\$ ?", "dollars "),
        (r"€ ?", "euros "),
        (r"[\xa0\u2009\u202f]", " "),
        (r"[^\x00-\x7f]", _ascii_letter),
    ),
    "mojibake": ((r"[^\x00-\x7f]", _mojibake),),
    "agnews": (
        (r"['’‘]", " #39;"),
        (r"[\"“”]", " quot;"),
        (r"\$", " #36;"),
        (r" ?[–—] ?", " -- "),
        (r"&", " amp;"),
        (r"<", "&lt;"),
        (r">", "&gt;"),
    ),
}
# AG News writes "\" where its source broke a line: every first space past this column of a line becomes one.
WRAP_COLUMN = 72
WRAPPED = ("agnews",)


class StyleRewrite:
    """One style's rewrite of a text, with where each original offset lands in the rewritten one."""

    def __init__(self, style: str):
        pairs = STYLES[style]
        # No pair (the original style): a pattern that never matches, so the text is kept as it is.
        self._pattern = re.compile("|".join(f"({pattern})" for pattern, _ in pairs) or r"(?!)")
        self._replacements = [replacement for _, replacement in pairs]
        self._wrap = style in WRAPPED

    def apply(self, text: str) -> tuple[str, list[int]]:
        """The rewritten text and positions[i], the rewritten offset of original offset i (len(text) + 1 entries):
        an offset inside a replaced run lands where its replacement starts."""
        pieces: list[str] = []
        positions: list[int] = []
        written, done = 0, 0
        for match in self._pattern.finditer(text):
            start, end = match.span()
            pieces.append(text[done:start])
            positions.extend(range(written, written + start - done))
            written += start - done
            replacement = self._replacements[(match.lastindex or 1) - 1]
            new = replacement if isinstance(replacement, str) else replacement(match.group())
            pieces.append(new)
            positions.extend([written] * (end - start))
            written += len(new)
            done = end
        pieces.append(text[done:])
        positions.extend(range(written, written + len(text) - done + 1))
        rewritten = "".join(pieces)
        return (_wrap_lines(rewritten) if self._wrap else rewritten), positions


def _wrap_lines(text: str) -> str:
    """Each first space past WRAP_COLUMN characters since the last break becomes "\\" (same length: offsets hold)."""
    chars, column = list(text), 0
    for index, char in enumerate(chars):
        column += 1
        if char == " " and column > WRAP_COLUMN:
            chars[index], column = "\\", 0
    return "".join(chars)


def restyle(gold: GoldPassage, rewrite: StyleRewrite) -> GoldPassage:
    """The passage in the style, each event's evidence and actor offsets mapped and its actor name read again."""
    passage = gold.passage
    text, positions = rewrite.apply(passage.text)
    base = passage.start
    moved = lambda offset: base + positions[offset - base]  # noqa: E731 (record offsets, as the labels keep them)
    events: list[GoldEvent] = []
    for event in gold.events:
        actor_start = None if event.actor_start is None else moved(event.actor_start)
        actor_end = None if event.actor_end is None else moved(event.actor_end)
        actor_name = event.actor_name
        if actor_start is not None and actor_end is not None:
            actor_name = text[actor_start - base : actor_end - base]
        events.append(
            replace(
                event,
                evidence_start=moved(event.evidence_start),
                evidence_end=moved(event.evidence_end),
                actor_start=actor_start,
                actor_end=actor_end,
                actor_name=actor_name,
                location_name=_rewritten(event.location_name, rewrite),
                attribution=_rewritten(event.attribution, rewrite),
            )
        )
    # The passage keeps its id (record, start, end in the pool) so that a restyled miss is found under it again.
    styled = replace(passage, text=text)
    return replace(gold, passage=styled, events=tuple(events))


def _rewritten(name: str | None, rewrite: StyleRewrite) -> str | None:
    return None if name is None else rewrite.apply(name)[0]


@cache
def rewrite_of(style: str) -> StyleRewrite:
    return StyleRewrite(style)


def restyle_gold(gold: GoldPassage, style: str) -> GoldPassage:
    """The passage as the style writes it (its id stays); the original style gives the passage itself."""
    return gold if style == "original" else restyle(gold, rewrite_of(style))
