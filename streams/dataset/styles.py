"""Source styles: labelled passages rewritten as another source writes its text, with the label offsets mapped."""

from __future__ import annotations

from dataclasses import dataclass, replace

from .labels import GoldEvent, GoldPassage

# Every ASCII and typographic quotation mark and apostrophe: a source that strips " and ' from its body
# (10kGNAD's Der Standard text) leaves none of the marks a German or English writer would have used.
QUOTE_MARKS = frozenset("\"'„“”‚‘’»«")

# Which rewrites each style applies: the quotes dropped, the paragraph breaks joined by single spaces.
STYLES: dict[str, tuple[bool, bool]] = {
    "original": (False, False),
    "noquotes": (True, False),
    "joined": (False, True),
    "source": (True, True),  # both, as the 10kGNAD text reads
}


@dataclass(frozen=True)
class Restyled:
    """The rewritten text and, for every offset of the original (its length included), the rewritten offset."""

    text: str
    offsets: tuple[int, ...]

    def span(self, start: int, end: int) -> tuple[int, int]:
        return self.offsets[start], self.offsets[end]


def restyle(text: str, style: str) -> Restyled:
    """Drop the quote marks and/or turn each whitespace run that holds a line break into one space. A dropped
    character maps to the offset of the next character kept, so a span keeps what is left of its text."""
    drop_quotes, join = STYLES[style]
    out: list[str] = []
    offsets: list[int] = []
    in_break = False
    for index, char in enumerate(text):
        offsets.append(len(out))
        if drop_quotes and char in QUOTE_MARKS:
            continue
        if join and char.isspace() and (in_break or char in "\r\n" or _break_ahead(text, index)):
            if not in_break:
                out.append(" ")
            in_break = True
            continue
        in_break = False
        out.append(char)
    offsets.append(len(out))
    return Restyled("".join(out), tuple(offsets))


def _break_ahead(text: str, index: int) -> bool:
    """Whether the whitespace run at index holds a line break (its spaces then join into the one space)."""
    end = index
    while end < len(text) and text[end].isspace():
        if text[end] in "\r\n":
            return True
        end += 1
    return False


def _restyled_name(name: str | None, style: str) -> str | None:
    return None if name is None else restyle(name, style).text


def _restyled_event(event: GoldEvent, rewritten: Restyled, origin: int, style: str) -> GoldEvent:
    def moved(offset: int) -> int:
        return origin + rewritten.offsets[offset - origin]

    return replace(
        event,
        actor_name=_restyled_name(event.actor_name, style),
        location_name=_restyled_name(event.location_name, style),
        attribution=_restyled_name(event.attribution, style),
        evidence_start=moved(event.evidence_start),
        evidence_end=moved(event.evidence_end),
        actor_start=None if event.actor_start is None else moved(event.actor_start),
        actor_end=None if event.actor_end is None else moved(event.actor_end),
    )


def restyle_gold(gold: GoldPassage, style: str) -> GoldPassage:
    """The passage as the style writes it. Its id stays; the events' offsets still count from passage.start but
    into the rewritten text (record offsets of a record that reads like the source)."""
    if style == "original":
        return gold
    rewritten = restyle(gold.passage.text, style)
    origin = gold.passage.start
    events = tuple(_restyled_event(event, rewritten, origin, style) for event in gold.events)
    return replace(gold, passage=replace(gold.passage, text=rewritten.text), events=events)
