"""The stories agent's input: story-events records read into events, compact entries, rejections, ingest times."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import orjson
from pydantic import ValidationError

from schemas import DeadLetterReason, Event
from streams.stories.event_data import canonical_event
from streams.stories.wire import EntryReport, plausible_time, read_entry
from streams.worker.decode import bounded
from streams.worker.records import EVENT_FIELD, INGEST_TIME_FIELD, INGEST_TIME_HEADER, STORY_KEY_FIELD


@dataclass(frozen=True, slots=True)
class StoryMessage:
    """The parts of a story-events record the agent needs."""

    topic: str
    partition: int
    offset: int
    timestamp: float | None
    key: bytes | None
    value: bytes | None
    headers: tuple[tuple[str, bytes], ...] = ()


@dataclass(frozen=True, slots=True)
class StoryEvent:
    """One event of a story-events record, with its story key and ingest time when the record names them."""

    event: dict[str, Any]  # the event's JSON data, as Event.model_dump(mode="json") gives it (event_data.py)
    story_key: bytes | None  # None: computed from the event
    ingest_time: float | None  # None: the record's ingest-time header, else its timestamp
    source: Any  # what it was decoded from: the record's value, or its entry in the record's array

    def original(self) -> bytes:
        """The bytes a dead letter of this event keeps."""
        return self.source if isinstance(self.source, bytes) else orjson.dumps(self.source)


@dataclass(frozen=True, slots=True)
class RejectedStoryEvent:
    """A story-events record, or an entry of one, that holds no valid event: dead-lettered with its reason."""

    reason: DeadLetterReason
    detail: str
    original: bytes | None  # None: the whole record's value


def story_event_entry(index: int, entry: Any, now: float) -> StoryEvent | EntryReport | RejectedStoryEvent:
    """Entry `index` of a story-events array: compact (a JSON array, streams/stories/wire.py), or
    {"story_key": str, "ingest_time": number or null, "event": {...}} (the whole event, the form before). `now`: the
    clock's time, bounding an ingest time (wire.plausible_time)."""
    where = f"entry {index} of the story-events record"
    if isinstance(entry, list):  # the compact form (streams/stories/wire.py)
        read = read_entry(entry, now)
        if isinstance(read, str):
            return RejectedStoryEvent(DeadLetterReason.invalid_fields, f"{where} (compact) {read}", orjson.dumps(entry))
        return read
    if not isinstance(entry, dict) or not isinstance(entry.get(EVENT_FIELD), dict):
        return RejectedStoryEvent(
            DeadLetterReason.not_an_object, f"{where} is not an object with an event", orjson.dumps(entry)
        )
    key, ingest_time = entry.get(STORY_KEY_FIELD), entry.get(INGEST_TIME_FIELD)
    if (
        not isinstance(key, str | None)
        or not isinstance(ingest_time, int | float | None)
        or isinstance(ingest_time, bool)
    ):
        return RejectedStoryEvent(
            DeadLetterReason.invalid_fields, f"{where} has an invalid story key or ingest time", orjson.dumps(entry)
        )
    if ingest_time is not None and not plausible_time(ingest_time, now):
        return RejectedStoryEvent(
            DeadLetterReason.invalid_fields,
            f"{where} has an ingest time that is not a time from the epoch to an hour from now",
            orjson.dumps(entry),
        )
    try:
        event = _event_data(entry[EVENT_FIELD])
    except ValidationError as exc:
        return RejectedStoryEvent(
            DeadLetterReason.invalid_fields, bounded(f"{where} is not an event: {exc}"), orjson.dumps(entry)
        )
    if event["evidence"]["end"] < event["evidence"]["start"]:
        return RejectedStoryEvent(
            DeadLetterReason.invalid_fields,
            f"{where} has an evidence end before its evidence start",
            orjson.dumps(entry),
        )
    return StoryEvent(
        event, None if key is None else key.encode(), None if ingest_time is None else float(ingest_time), entry
    )


def _event_data(data: Any) -> dict[str, Any]:
    """The event's JSON data: `data` itself when it is an Event as the pipeline writes it, else what the Event model
    makes of it (raises ValidationError as the model does). No Event is built for the story: validating one was the
    largest part of the agent's CPU per event, and the story reads only its fields' values."""
    if canonical_event(data):
        return data  # type: ignore[no-any-return]
    return Event.model_validate(data).model_dump(mode="json")


def story_record_events(value: bytes | None) -> int:
    """How many events a story-events record holds (the entries of its array; 1 for a record of one event or one
    that decode_story_record rejects as a whole), for the cap on a batch's events."""
    if not value or value[:1] != b"[":
        return 1
    try:
        data = orjson.loads(value)
    except orjson.JSONDecodeError:
        return 1
    return max(1, len(data)) if isinstance(data, list) else 1


def decode_story_record(message: StoryMessage, now: float) -> list[StoryEvent | EntryReport | RejectedStoryEvent]:
    """The events of a story-events record: a JSON array of {"story_key", "ingest_time", "event"}
    (records.story_event_batches), or one event (the record key its story key; written by workers before the
    batches, a topic may still hold them after an upgrade). A bad record is one rejection; a bad entry of an
    array is its own rejection, and the other entries count."""
    if not message.value:
        return [RejectedStoryEvent(DeadLetterReason.invalid_fields, "a story-events record without a value", None)]
    try:
        data = orjson.loads(message.value)
    except orjson.JSONDecodeError as exc:
        try:
            message.value.decode("utf-8")
        except UnicodeDecodeError:
            return [RejectedStoryEvent(DeadLetterReason.not_utf8, "the story-events record is not UTF-8", None)]
        return [RejectedStoryEvent(DeadLetterReason.not_json, bounded(f"not JSON: {exc}"), None)]
    if isinstance(data, list):
        return [story_event_entry(index, entry, now) for index, entry in enumerate(data)]
    if not isinstance(data, dict):
        return [
            RejectedStoryEvent(
                DeadLetterReason.not_an_object,
                "the story-events record is neither an event nor an array of them",
                None,
            )
        ]
    try:
        return [StoryEvent(_event_data(data), message.key, None, message.value)]
    except ValidationError as exc:
        return [RejectedStoryEvent(DeadLetterReason.invalid_fields, bounded(f"not an event: {exc}"), None)]


def record_ingest_time(message: StoryMessage, now: float) -> float:
    """The record's ingest time: its header's, else its timestamp, else `now`; each only when plausible
    (wire.plausible_time: `float(b"inf")` parses, and a timestamp may be anything its producer set)."""
    for name, value in message.headers:
        if name == INGEST_TIME_HEADER:
            try:
                header_time = float(value)
            except ValueError:
                break
            if plausible_time(header_time, now):
                return header_time
            break
    if message.timestamp is not None and plausible_time(message.timestamp, now):
        return message.timestamp
    return now


def message_headers(headers: Any) -> Iterator[tuple[str, bytes]]:
    items = headers.items() if isinstance(headers, Mapping) else (headers or ())
    for name, value in items:
        yield (name.decode() if isinstance(name, bytes) else name), value
