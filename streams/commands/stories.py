"""`newsevents stories`: the latest version of each story on the compacted stories topic, filtered, newest first."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import orjson
from pydantic import ValidationError

from schemas import Story
from streams.kafka.reader import TailRecord

# The table's columns besides the evidence sentence, which takes the rest of the line: (title, widest value shown).
COLUMNS = (("LAST SEEN", 16), ("TYPE", 12), ("ACTOR", 18), ("PLACE", 14), ("SRC", 3), ("MODALITY", 8), ("CONF", 4))
MIN_EVIDENCE_WIDTH = 24


@dataclass(frozen=True, slots=True)
class LatestStories:
    """The topic's current stories (last value per key, tombstones removed) and how many values were not stories."""

    stories: list[Story]
    not_stories: int


def latest_stories(records: Iterable[TailRecord]) -> LatestStories:
    """Keep the last value per key, as compaction will: of a key's records (one partition) the highest offset wins,
    whatever order the partitions were read in; a tombstone removes the key."""
    latest: dict[bytes | None, tuple[int, bytes | None]] = {}
    for record in records:
        known = latest.get(record.key)
        if known is None or record.offset > known[0]:
            latest[record.key] = (record.offset, record.value)
    stories, not_stories = [], 0
    for _, value in latest.values():
        if value is None:
            continue
        try:
            stories.append(Story.model_validate(orjson.loads(value)))
        except (orjson.JSONDecodeError, ValidationError):
            not_stories += 1
    return LatestStories(stories, not_stories)


def json_line(story: Story) -> str:
    return orjson.dumps(story.model_dump(mode="json")).decode()


def _clip(text: str, width: int) -> str:
    text = " ".join(text.split())  # evidence sentences may hold line breaks
    return text if len(text) <= width else text[: max(width - 1, 0)] + "…"


def _row(story: Story) -> tuple[str, ...]:
    actor = story.actor.country or (story.actor.names[0] if story.actor.names else story.actor.key)
    place = "-"
    if story.place is not None:
        place = story.place.country or (story.place.names[0] if story.place.names else story.place.key)
    alert = "!" if story.alert_id else ""
    return (
        story.last_seen.replace("T", " ")[:16],
        story.type.value,
        actor,
        place,
        f"{story.corroboration}{alert}",
        story.modality.value,
        f"{story.confidence:.2f}",
    )


def table_lines(stories: Iterable[Story], *, width: int) -> list[str]:
    """A header and one line per story, at most `width` characters wide; columns are as wide as their widest value
    (capped), the best evidence sentence fills the rest. `!` after the source count marks an alerted story."""
    stories = list(stories)
    rows = [_row(story) for story in stories]
    widths = [min(cap, max([len(title)] + [len(row[i]) for row in rows])) for i, (title, cap) in enumerate(COLUMNS)]
    evidence_width = max(MIN_EVIDENCE_WIDTH, width - sum(widths) - 2 * len(widths))

    def line(cells: Iterable[str], evidence: str) -> str:
        fixed = "  ".join(_clip(cell, w).ljust(w) for cell, w in zip(cells, widths, strict=True))
        return f"{fixed}  {_clip(evidence, evidence_width)}".rstrip()

    lines = [line((title for title, _ in COLUMNS), "EVIDENCE")]
    lines += [line(row, story.best_evidence.text) for row, story in zip(rows, stories, strict=True)]
    return lines
