"""Source styles: labelled passages rewritten as older English sources wrote them, their label offsets mapped along."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import replace

from .labels import GoldEvent, GoldPassage

Replacement = str | Callable[[str], str]


def _ascii_letter(char: str) -> str:
    """A letter with its accents dropped ("é" -> "e"); what has no ASCII form is left out, as the 2004 files did."""
    return unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode("ascii")


def _mojibake(char: str) -> str:
    """A character's UTF-8 bytes read as Latin-1, as the 2020-24 headline files keep curly quotes: "’" -> "â\\x80\\x99"."""
    return char.encode("utf-8").decode("latin-1")


# Each style: (pattern, replacement) pairs tried in order at each position (one combined regex, one pass).
# "ascii": BBC 2004-05 files (plain ASCII, straight quotes, spaced hyphens for dashes, currency as words).
# "mojibake": BBC and Guardian headlines 2020-24 (every non-ASCII character as its UTF-8 bytes read as Latin-1).
# "agnews": AG News 2004 leads (HTML entities with "&" turned into a space, " -- " dashes, "\" at wrapped line ends).
STYLES: dict[str, tuple[tuple[str, Replacement], ...]] = {
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
        self._pattern = re.compile("|".join(f"({pattern})" for pattern, _ in pairs))
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
            )
        )
    styled = replace(passage, text=text, end=base + len(text))
    return replace(gold, passage=styled, events=tuple(events))
