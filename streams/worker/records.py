"""Kafka records the worker publishes: events, outcomes, dead letters, stories and alerts, with CloudEvents headers."""

from __future__ import annotations

import base64
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC
from functools import lru_cache
from typing import Any
from urllib.parse import quote

import orjson
from pydantic import BaseModel

from schemas import SCHEMA_VERSION, Alert, Article, DeadLetter, DeadLetterReason, Event, Outcome, Story
from streams.kafka.partitioner import default_partition
from streams.stories.times import parse_iso8601, rfc3339_seconds

CLOUDEVENTS_SPEC_VERSION = "1.0"
CE_TYPE_PREFIX = "org.newsevents"
CONTENT_TYPE_JSON = b"application/json"
# A dead letter keeps at most this much of the original value: base64 grows it by 4/3 and the
# record must stay below the broker's default 1 MB message limit.
DEAD_LETTER_ORIGINAL_MAX_BYTES = 512 * 1024

Headers = tuple[tuple[str, bytes], ...]


@dataclass(frozen=True, slots=True)
class OutboundRecord:
    """One record to produce: where it goes, its key, its JSON value, its headers and, if not by key, its partition."""

    topic: str
    key: bytes | None
    value: bytes
    headers: Headers
    partition: int | None = None  # None: the producer's partitioner picks it from the key


def ce_type(kind: str) -> str:
    """CloudEvents type of a record kind, e.g. 'org.newsevents.deployment.v1'."""
    return f"{CE_TYPE_PREFIX}.{kind}.v{SCHEMA_VERSION}"


def to_json(model: BaseModel) -> bytes:
    return orjson.dumps(model.model_dump(mode="json"))


def rfc3339_utc(value: str | None) -> str | None:
    """The producer's ISO 8601 timestamp as RFC 3339 UTC, or None when absent, unparseable or without an offset
    (unlike stories.keys.parse_time, which reads it as UTC: a header must not state a time the producer did not)."""
    parsed = parse_iso8601(value)
    if parsed is None or parsed.tzinfo is None:
        return None  # a local time without offset is ambiguous; CloudEvents requires an absolute time
    try:
        return rfc3339_seconds(parsed.astimezone(UTC))
    except OverflowError:  # year 1 at a positive offset is before year 1 in UTC: no RFC 3339 time
        return None


_SPEC_VERSION_HEADER = ("ce_specversion", CLOUDEVENTS_SPEC_VERSION.encode())
_CONTENT_TYPE_HEADER = ("content-type", CONTENT_TYPE_JSON)
_SCHEMA_VERSION_HEADER = ("ce_schemaversion", SCHEMA_VERSION.encode())


@lru_cache(maxsize=64)
def _ce_type_header(kind: str) -> tuple[str, bytes]:
    # Cached: every record the worker and the stories agent publish carries one (a handful of kinds).
    return ("ce_type", ce_type(kind).encode())


def cloudevent_headers(
    *, kind: str, ce_id: str, source: str, subject: str | None = None, time: str | None = None, extra: Headers = ()
) -> Headers:
    """CloudEvents Kafka protocol binding, binary mode: attributes as ce_* headers, data as the value."""
    headers: list[tuple[str, bytes]] = [
        _SPEC_VERSION_HEADER,
        ("ce_id", ce_id.encode()),
        ("ce_source", source.encode()),
        _ce_type_header(kind),
        _CONTENT_TYPE_HEADER,
        _SCHEMA_VERSION_HEADER,
    ]
    if subject is not None:
        headers.append(("ce_subject", subject.encode()))
    if time is not None:
        headers.append(("ce_time", time.encode()))
    headers.extend(extra)
    return tuple(headers)


def standalone_event(event: Event, article: Article) -> Event:
    """The event with its article's url, title and outlet, so a consumer needs no join with articles.raw.

    Added here, at the edge, by the worker and `newsevents extract` alike: the extractor stays a pure function
    of the text, and the event id (a hash of article id, type, actor and place) does not change.
    """
    return event.model_copy(
        update={"article_url": article.url, "article_title": article.title, "source": article.source}
    )


def outlet_ce_source(outlet: str | None, default: str) -> str:
    """CloudEvents `source` of an event: the outlet it was reported by (urn:newsevents:outlet:<name>), else default."""
    if outlet is None or not outlet.strip():
        return default
    return f"urn:newsevents:outlet:{quote(outlet.strip(), safe='')}"


def source_ce_id(topic: str, partition: int, offset: int) -> str:
    """Deterministic id of a record derived from one input message (stable across reprocessing)."""
    return f"{topic}/{partition}/{offset}"


def event_record(event: Event, *, topic: str, ce_source: str, data: Mapping[str, Any] | None = None) -> OutboundRecord:
    """The event's record; `data` is its JSON data (`event.model_dump(mode="json")`) when the caller made it already."""
    return OutboundRecord(
        topic=topic,
        key=event.event_id.encode(),
        value=orjson.dumps(event.model_dump(mode="json") if data is None else data),
        headers=cloudevent_headers(
            kind=event.type.value,
            ce_id=event.event_id,
            source=ce_source,
            subject=event.article_id,
            time=rfc3339_utc(event.published_at),
            extra=(("ce_extractorversion", event.extractor_version.encode()),),
        ),
    )


def outcome_record(outcome: Outcome, *, topic: str, source_topic: str, ce_source: str) -> OutboundRecord:
    return OutboundRecord(
        topic=topic,
        key=outcome.article_id.encode() if outcome.article_id is not None else None,
        value=to_json(outcome),
        headers=cloudevent_headers(
            kind="outcome",
            ce_id=source_ce_id(source_topic, outcome.source_partition, outcome.source_offset),
            source=ce_source,
            subject=outcome.article_id,
        ),
    )


@dataclass(frozen=True, slots=True)
class SourcePosition:
    """Where a consumed record stood: its topic, partition and offset."""

    topic: str
    partition: int
    offset: int


def dead_letter(
    *, reason: DeadLetterReason, detail: str, original: bytes | None, article_id: str | None, source: SourcePosition
) -> DeadLetter:
    """A DeadLetter keeping (a bounded prefix of) the original bytes."""
    original = original or b""
    return DeadLetter(
        reason=reason,
        detail=detail,
        original_b64=base64.b64encode(original[:DEAD_LETTER_ORIGINAL_MAX_BYTES]).decode("ascii"),
        original_size=len(original),
        article_id=article_id,
        source_topic=source.topic,
        source_partition=source.partition,
        source_offset=source.offset,
    )


def dead_letter_record(letter: DeadLetter, *, topic: str, ce_source: str) -> OutboundRecord:
    return OutboundRecord(
        topic=topic,
        key=letter.article_id.encode() if letter.article_id is not None else None,
        value=to_json(letter),
        headers=cloudevent_headers(
            kind="dead_letter",
            ce_id=source_ce_id(letter.source_topic, letter.source_partition, letter.source_offset),
            source=ce_source,
            subject=letter.article_id,
            extra=(("dlq_reason", letter.reason.value.encode()),),
        ),
    )


# Header of a story-event record: the ingest time (the input message's timestamp, seconds since the epoch) that
# the story window uses when the article has no publication time.
INGEST_TIME_HEADER = "newsevents_ingest_time"


@dataclass(frozen=True, slots=True)
class StoryEventRecord(OutboundRecord):
    """A story-event record (one event, keyed by its story key) with the compact entry story_event_batches sends in
    its place (streams/stories/wire.py); the record itself is the form workers before the batches wrote."""

    entry: bytes = b""


def story_event_record(
    event_record_: OutboundRecord, *, story_key: str, topic: str, ingest_time: float | None, entry: bytes = b""
) -> StoryEventRecord:
    """The event again, on the internal story-events topic and keyed by its story key: every event of a story lands
    in one partition, so one worker (and one table partition) owns the story."""
    headers = event_record_.headers
    if ingest_time is not None:
        headers = (*headers, (INGEST_TIME_HEADER, repr(float(ingest_time)).encode()))
    return StoryEventRecord(
        topic=topic, key=story_key.encode(), value=event_record_.value, headers=headers, entry=entry
    )


# A story-events record holding several events (story_event_batches) is a JSON array of these objects.
STORY_KEY_FIELD = "story_key"
INGEST_TIME_FIELD = "ingest_time"
EVENT_FIELD = "event"
STORY_EVENTS_HEADERS: Headers = (("content-type", CONTENT_TYPE_JSON),)
# Distinct story keys whose partition is remembered: the pure-Python murmur2 costs ~4 µs a key, and a story's
# reports come again and again.
STORY_PARTITIONS_KEPT = 16_384


@lru_cache(maxsize=STORY_PARTITIONS_KEPT)
def story_partition(story_key: bytes, partitions: int) -> int:
    """The partition Kafka's default partitioner gives a record keyed `story_key` (murmur2, as the Java client,
    kafka-python and aiokafka compute it): a story's events land where its keyed records always did, so the table's
    changelog partition of every story stays the same across an upgrade."""
    return default_partition(story_key, partitions)


def story_event_batches(story_records: Iterable[OutboundRecord], *, partitions: int) -> list[OutboundRecord]:
    """The story-event records of one source partition's batch as one record per story-events partition.

    Each story_event_record became a record of its own before: on event-dense input the stories stage cost more in
    Kafka and Faust per record (produce, fetch, a faust event, an ack and commit bookkeeping) than in computing the
    stories. Here the records bound for one partition travel as one, a JSON array of {"story_key", "ingest_time",
    "event"} in their original order, with that partition named explicitly (story_partition of the key): the
    stories agent applies them in that order, as it applied the single records of that partition before. An entry is
    the record's compact entry (streams/stories/wire.py) when it has one, else {"story_key", "ingest_time", "event"}
    with the whole event (the form before the compact entries; the agent reads both)."""
    by_partition: dict[int, list[bytes]] = defaultdict(list)
    topics: dict[int, str] = {}
    for record in story_records:
        key = record.key or b""
        partition = story_partition(key, partitions)
        if isinstance(record, StoryEventRecord) and record.entry:
            by_partition[partition].append(record.entry)
        else:
            ingest_time = next((value for name, value in record.headers if name == INGEST_TIME_HEADER), b"null")
            by_partition[partition].append(
                b'{"%s":%s,"%s":%s,"%s":%s}'
                % (
                    STORY_KEY_FIELD.encode(),
                    orjson.dumps(key.decode()),
                    INGEST_TIME_FIELD.encode(),
                    ingest_time,
                    EVENT_FIELD.encode(),
                    record.value,
                )
            )
        topics[partition] = record.topic
    return [
        OutboundRecord(
            topic=topics[partition],
            key=None,
            value=b"[" + b",".join(items) + b"]",
            headers=STORY_EVENTS_HEADERS,
            partition=partition,
        )
        for partition, items in by_partition.items()
    ]


def story_record(story: Story, *, topic: str, ce_source: str) -> OutboundRecord:
    return story_view_record(story.model_dump(mode="json"), topic=topic, ce_source=ce_source)


def story_view_record(view: Mapping[str, Any], *, topic: str, ce_source: str) -> OutboundRecord:
    """The record of a story given as its JSON data (streams.stories.core.story_view, or a Story's model_dump)."""
    story_id = view["story_id"]
    return OutboundRecord(
        topic=topic,
        key=story_id.encode(),
        value=orjson.dumps(view),
        headers=cloudevent_headers(
            kind="story",
            # One story has many versions on the topic: the id names this one (the story and its report count).
            ce_id=f"{story_id}/{len(view['reports'])}",
            source=ce_source,
            subject=story_id,
            time=view["last_seen"],
        ),
    )


def alert_record(alert: Alert, *, topic: str, ce_source: str) -> OutboundRecord:
    return alert_view_record(alert.model_dump(mode="json"), topic=topic, ce_source=ce_source)


def alert_view_record(view: Mapping[str, Any], *, topic: str, ce_source: str) -> OutboundRecord:
    """The record of an alert given as its JSON data (streams.stories.core.alert_view, or an Alert's model_dump)."""
    story_id = view["story_id"]
    return OutboundRecord(
        topic=topic,
        key=story_id.encode(),
        value=orjson.dumps(view),
        headers=cloudevent_headers(
            kind="alert",
            ce_id=view["alert_id"],
            source=ce_source,
            subject=story_id,
            time=view["raised_at_seen"],
            extra=(("alert_rule", view["rule"].encode()),),
        ),
    )
