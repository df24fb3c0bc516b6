"""Read records from topics as they arrive (kafka-python): without a group nothing is committed; with `group`
the consumer joins that group and commits what it has handed out (durable consumption)."""

from __future__ import annotations

import base64
import difflib
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import orjson
from kafka import KafkaConsumer, TopicPartition

from streams.kafka.connection import kafka_python_options
from streams.settings import Settings
from streams.stories.times import parse_iso8601

PARTITION_WAIT_SECONDS = 30.0
# A topic created a moment ago may be missing from a broker's metadata for a short while: look again this long.
UNKNOWN_TOPIC_GRACE_SECONDS = 3.0


class UnknownTopic(LookupError):
    """A topic to read does not exist; the message names the closest existing topic and the fix."""


class BadStartTime(ValueError):
    """`--since` could not be read as a time."""


_RELATIVE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|m|h|d|w)\s*$")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def parse_since(text: str, *, now: datetime | None = None) -> int:
    """`--since` as epoch milliseconds: ISO 8601 (a time without offset is UTC) or a duration ago (90s, 15m, 1d, 1w)."""
    now = now or datetime.now(UTC)
    relative = _RELATIVE.match(text)
    if relative:
        moment = now - timedelta(seconds=float(relative.group(1)) * _UNIT_SECONDS[relative.group(2)])
    else:
        parsed = parse_iso8601(text)  # the producers' times' reader: `--since` reads what a published_at may say
        if parsed is None:
            raise BadStartTime(
                f"cannot read {text!r} as a time; give ISO 8601 (2024-10-25T11:36:00Z) or a duration ago (30s, 15m, 2h, 1d)"
            )
        moment = parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)
    return int(moment.timestamp() * 1000)


@dataclass(frozen=True, slots=True)
class TailRecord:
    topic: str
    partition: int
    offset: int
    timestamp_ms: int
    key: bytes | None
    value: bytes | None
    headers: tuple[tuple[str, bytes], ...]

    def json(self) -> object:
        """The value parsed as JSON (our topics carry JSON objects)."""
        return orjson.loads(self.value) if self.value is not None else None

    def header(self, name: str) -> str | None:
        for key, value in self.headers:
            if key == name:
                return value.decode("utf-8", errors="replace")
        return None

    def envelope(self) -> dict[str, object]:
        """The record as one JSON object, like kcat -J: every record of every topic, binary and tombstones too.

        `value` is the parsed JSON when the value is JSON, else the text when it is UTF-8, else base64; which one
        `value_encoding` says ("json", "text", "base64"). A tombstone (no value) has `value: null` and
        `tombstone: true`. The key is text when UTF-8 (else base64, `key_encoding: "base64"`), headers are
        name -> text (base64 with a "base64:" prefix when not UTF-8).
        """
        key, key_encoding = _text_or_base64(self.key)
        value: object
        if self.value is None:
            value, value_encoding = None, None
        else:
            try:
                value, value_encoding = orjson.loads(self.value), "json"
            except orjson.JSONDecodeError:
                value, value_encoding = _text_or_base64(self.value)
        headers: dict[str, str] = {}
        for name, raw in self.headers:
            text, encoding = _text_or_base64(raw)
            headers[name] = text if encoding == "text" else f"base64:{text}"
        return {
            "topic": self.topic,
            "partition": self.partition,
            "offset": self.offset,
            "timestamp": _iso_ms(self.timestamp_ms),
            "timestamp_ms": self.timestamp_ms,
            "key": key,
            "key_encoding": key_encoding,
            "headers": headers,
            "tombstone": self.value is None,
            "value": value,
            "value_encoding": value_encoding,
        }


def _text_or_base64(raw: bytes | None) -> tuple[str | None, str | None]:
    if raw is None:
        return None, None
    try:
        return raw.decode("utf-8"), "text"
    except UnicodeDecodeError:
        return base64.b64encode(raw).decode("ascii"), "base64"


def _iso_ms(timestamp_ms: int | None) -> str | None:
    if timestamp_ms is None or timestamp_ms < 0:
        return None
    return datetime.fromtimestamp(timestamp_ms / 1000, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


@dataclass(frozen=True, slots=True)
class EventFilter:
    """`tail --type/--country/--min-confidence/--modality`: keep event records that match every given condition.

    Records that are not events (outcomes, dead letters, raw articles) never match an active filter.
    """

    types: frozenset[str] = frozenset()
    countries: frozenset[str] = frozenset()  # ISO alpha-3 of the actor or the location
    min_confidence: float | None = None
    modalities: frozenset[str] = frozenset()

    @property
    def active(self) -> bool:
        return bool(self.types or self.countries or self.modalities) or self.min_confidence is not None

    def matches(self, record: TailRecord) -> bool:
        if not self.active:
            return True
        try:
            event = record.json()
        except orjson.JSONDecodeError:
            return False
        if not isinstance(event, dict) or "event_id" not in event:
            return False
        if self.types and event.get("type") not in self.types:
            return False
        if self.modalities and event.get("modality") not in self.modalities:
            return False
        if self.min_confidence is not None:
            confidence = event.get("confidence")
            if not isinstance(confidence, (int, float)) or confidence < self.min_confidence:
                return False
        if self.countries:
            places = [event.get("actor"), event.get("location")]
            found = {place.get("country") for place in places if isinstance(place, dict)}
            if not found & self.countries:
                return False
        return True


class TopicReader:
    """Assigns every partition of the topics itself and starts at the end (or the beginning).

    Positions are fixed when the reader is created, so records produced after construction are never missed.
    """

    def __init__(
        self,
        settings: Settings,
        topics: list[str],
        *,
        from_beginning: bool = False,
        read_committed: bool = False,
        group: str | None = None,
        offset: int | None = None,
        since_ms: int | None = None,
    ) -> None:
        """Start at the end, or the beginning, at `offset` in every partition (clamped to what exists) or at the
        first record at or after `since_ms`. With `group`, the group's committed offsets win and `from_beginning`
        only applies where the group has none; offset and since_ms cannot be combined with a group."""
        if group is not None and (offset is not None or since_ms is not None):
            raise ValueError("a group starts at its committed offsets; --offset and --since work without --group")
        self.topics = topics
        self.group = group
        self._handled: dict[TopicPartition, int] = {}
        self.consumer = KafkaConsumer(
            group_id=group,
            enable_auto_commit=False,
            auto_offset_reset="earliest" if from_beginning else "latest",
            isolation_level="read_committed" if read_committed else "read_uncommitted",
            client_id=f"{settings.app_id}-tail",
            **kafka_python_options(settings),
        )
        try:
            self._check_topics_exist(topics)
            if group is not None:
                self.consumer.subscribe(topics)
                return
            partitions = [TopicPartition(topic, p) for topic in topics for p in sorted(self._partitions_for(topic))]
            self.consumer.assign(partitions)
            if from_beginning:
                self.consumer.seek_to_beginning(*partitions)
            else:
                self.consumer.seek_to_end(*partitions)
            if offset is not None:
                self._seek_offset(partitions, offset)
            elif since_ms is not None:
                self._seek_since(partitions, since_ms)
            for tp in partitions:
                self.consumer.position(tp)  # resolve the start offset now, not lazily at the first poll
        except BaseException:
            self.consumer.close()
            raise

    def _check_topics_exist(self, topics: list[str]) -> None:
        deadline = time.monotonic() + UNKNOWN_TOPIC_GRACE_SECONDS
        while True:
            existing = self.consumer.topics()
            missing = [topic for topic in topics if topic not in existing]
            if not missing:
                return
            if time.monotonic() > deadline:
                raise UnknownTopic(unknown_topic_message(missing[0], existing))
            time.sleep(0.3)

    def _seek_offset(self, partitions: list[TopicPartition], offset: int) -> None:
        beginnings = self.consumer.beginning_offsets(partitions)
        ends = self.consumer.end_offsets(partitions)
        for tp in partitions:
            self.consumer.seek(tp, min(max(offset, beginnings[tp]), ends[tp]))

    def _seek_since(self, partitions: list[TopicPartition], since_ms: int) -> None:
        found = self.consumer.offsets_for_times({tp: since_ms for tp in partitions})
        ends = self.consumer.end_offsets(partitions)
        for tp in partitions:
            hit = found.get(tp)
            self.consumer.seek(tp, hit.offset if hit is not None else ends[tp])

    def _partitions_for(self, topic: str) -> set[int]:
        deadline = time.monotonic() + PARTITION_WAIT_SECONDS
        while True:
            partitions = self.consumer.partitions_for_topic(topic)
            if partitions:
                return partitions
            if time.monotonic() > deadline:
                raise RuntimeError(f"topic {topic!r} does not exist (run `newsevents topics create`)")
            time.sleep(0.2)

    def poll(self, timeout: float = 0.5) -> list[TailRecord]:
        batches = self.consumer.poll(timeout_ms=int(timeout * 1000))
        records = [
            TailRecord(
                topic=r.topic,
                partition=r.partition,
                offset=r.offset,
                timestamp_ms=r.timestamp,
                key=r.key,
                value=r.value,
                headers=tuple((k, v if v is not None else b"") for k, v in (r.headers or [])),
            )
            for batch in batches.values()
            for r in batch
        ]
        records.sort(key=lambda r: (r.timestamp_ms, r.topic, r.partition, r.offset))
        return records

    def records(
        self, *, max_records: int | None = None, idle_timeout: float | None = None, accept=None
    ) -> Iterator[TailRecord]:
        """Yield records until max_records were yielded or nothing arrived for idle_timeout seconds; records that
        `accept` refuses are skipped (and count as handled for a group)."""
        count = 0
        last_arrival = time.monotonic()
        while max_records is None or count < max_records:
            batch = self.poll()
            if batch:
                last_arrival = time.monotonic()
            elif idle_timeout is not None and time.monotonic() - last_arrival > idle_timeout:
                return
            for record in batch:
                if accept is not None and not accept(record):
                    self.mark(record)
                    continue
                yield record
                count += 1
                if max_records is not None and count >= max_records:
                    return

    def records_to_end(self, *, timeout: float = 120.0) -> Iterator[TailRecord]:
        """Every record from the start positions up to the end each partition has now (under read_committed its last
        stable offset): a snapshot of the topics, for readers that want the current state and then stop."""
        partitions = list(self.consumer.assignment())
        ends = self.consumer.end_offsets(partitions)
        deadline = time.monotonic() + timeout
        while any(self.consumer.position(tp) < ends[tp] for tp in partitions):
            if time.monotonic() > deadline:
                raise TimeoutError(f"could not read {', '.join(self.topics)} to the end within {timeout:.0f} s")
            yield from self.poll(timeout=0.5)

    def mark(self, record: TailRecord) -> None:
        """The record was handled (printed or filtered out): a group commit will move past it."""
        self._handled[TopicPartition(record.topic, record.partition)] = record.offset + 1

    def commit(self) -> None:
        """With a group: commit the offsets after the handled records (the next run of the group continues there)."""
        if self.group is None or not self._handled:
            return
        from kafka.structs import OffsetAndMetadata

        fields = OffsetAndMetadata._fields
        offsets = {
            tp: OffsetAndMetadata(offset, "", -1) if len(fields) == 3 else OffsetAndMetadata(offset, "")
            for tp, offset in self._handled.items()
        }
        self.consumer.commit(offsets)
        self._handled.clear()

    def close(self) -> None:
        self.consumer.close()

    def __enter__(self) -> TopicReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def unknown_topic_message(topic: str, existing: set[str] | list[str]) -> str:
    visible = sorted(name for name in existing if not name.startswith("__"))
    close = difflib.get_close_matches(topic, visible, n=1)
    hint = f"did you mean {close[0]!r}? " if close else ""
    return f"topic {topic!r} does not exist; {hint}create the pipeline's topics with `newsevents topics create`, or see `newsevents topics list`"
