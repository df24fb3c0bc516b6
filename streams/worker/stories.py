"""The stories agent: events re-keyed by story key -> the stories table, the `stories` and `alerts` topics.

A thin edge around streams.stories.core. The pipeline agent publishes every event a second time to the internal
topic `<app id>-story-events`, on the partition of its story key (a repartition: all events of one story reach one
partition, so one worker owns the story), a batch's events for one partition as one record
(records.story_event_batches). This agent reads that topic in batches and, per batch:

1. joins each event of each record into the story of its key (the table's value, or the batch's newer one), advancing the
   partition's watermark, raising a story's one alert when it first meets a rule;
2. removes stories whose window has passed (at most every EXPIRY_SWEEP_EVERY_SECONDS of event time);
3. publishes the batch's latest version of each changed story, its alerts and dead letters, and awaits them;
4. writes the changed stories and watermarks to the table, awaits their changelog records, and only then acks.

Under exactly_once, 3 and 4 land in the transaction of the source partition, committed with its offsets: the
"alerted" mark in the table and the alert itself are committed together or not at all, so a killed or replaced
worker (which recovers the table from the changelog, reading committed records only) never raises an alert twice.
Under at_least_once a crash between 3 and the commit makes the batch run again: its stories are published again
and an alert whose table write was lost is raised again, with the same alert_id (consumers deduplicate on it).
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import importlib.util
import logging
import time
import weakref
from collections import defaultdict
from collections.abc import AsyncIterator, Awaitable, Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

import faust
import orjson
from aiokafka.structs import RecordMetadata
from faust.streams import _current_event
from pydantic import ValidationError

from schemas import DeadLetterReason, Event
from streams.kafka.batch_send import BatchRecord, SentBatch, delivered, send_batches
from streams.kafka.consumer_progress import ConsumerProgress
from streams.kafka.quiet_take import quiet_take
from streams.settings import STORY_TABLES, Settings, TableStore
from streams.stories.core import apply_event, expired
from streams.stories.event_data import canonical_event
from streams.stories.keys import HOUR, story_key_of
from streams.stories.rules import AlertRules
from streams.stories.state import StoryState, StoryWindow, report_of_data, state_from_dict, state_to_dict
from streams.stories.views import story_view
from streams.stories.wire import EntryReport, plausible_time, read_entry
from streams.worker.agents import Publisher
from streams.worker.broadcast import StoryBroadcaster
from streams.worker.decode import bounded
from streams.worker.metrics import Metrics
from streams.worker.records import (
    EVENT_FIELD,
    INGEST_TIME_FIELD,
    INGEST_TIME_HEADER,
    STORY_KEY_FIELD,
    OutboundRecord,
    alert_view_record,
    dead_letter,
    dead_letter_record,
    story_view_record,
)
from streams.worker.stories_gc import collector_paused
from streams.worker.stories_trace import BatchTrace

log = logging.getLogger(__name__)

# Expired stories are looked for when a partition's watermark moved this far (event time) since the last look: a
# sweep reads every table entry's header, so it runs rarely; a story outlives its expiry by at most this long.
EXPIRY_SWEEP_EVERY_SECONDS = 600.0
# Decoded states kept for the stories written (or read) last: a story's next report usually comes while it is among
# them, and decoding its table value again cost some 4 % of the agent's CPU on event-dense input (and grows with
# the story's length). Bounded: a state can hold up to MAX_REPORTS reports.
DECODED_STATES_KEPT = 4096
# The agent takes story-events in batches of what arrived within STORY_BATCH_WITHIN_SECONDS (at most
# STORY_BATCH_MAX_MESSAGES). A batch costs two broker round trips whatever its size (its stories and alerts, then its
# table's changelog records, each awaited) and publishes one version per story it changed. With the pipeline's 5 ms
# the agent took batches of ~10 events: on event-dense input it made ~9 times the produce requests of the worker
# without stories (and interleaved with the pipeline's own batches), which was most of the stage's cost. A second
# of events per batch makes its round trips negligible and coalesces a story's reports within it into one version;
# stories, alerts and the live page lag the events by up to that second (under exactly_once readers see them only
# at the next commit anyway, every 2.8 s).
# A batch also closes once no record arrived for STORY_BATCH_QUIET_SECONDS (streams/kafka/quiet_take.py): waiting
# out the rest of the second with the records in hand only delays them (on a backlog the story-events records come
# at once after the pipeline finished it, and the agent slept through most of each window). Records closer together
# than that (a feed's pipeline batches, every few to a few tens of milliseconds) still fill the second. The second
# counts from a batch's first record: records that arrived while the previous batch was handled for longer than that
# are taken as soon as they are buffered (they slept through a whole second more before: the backlog tail's largest
# wait, session 14). A batch holding a record that had many records behind it on its partition as it reached the agent
# (a backlog: the consumer's lag, counted in records) closes as soon as the consumer has caught up with its
# partitions, without the quiet interval (session 16; by the lag, not the record's age, since session 17).
# The record cap matters only for a backlog (a live feed's second is far below it). At 2,000 a 30,000-article
# backlog's tail (1,700-2,000 story-events records, more under load, where the pipeline's batches and so its records
# are smaller) was split now and then: a second batch of a few records waited for the first's publish, changelog and
# ack before its own versions went out (~0.3-0.9 s more tail, session 16). 5,000 records are some 85,000 events
# (~30 MB of entries) at the usual ~17 per record.
STORY_BATCH_MAX_MESSAGES = 5000
STORY_BATCH_WITHIN_SECONDS = 1.0
STORY_BATCH_QUIET_SECONDS = 0.2
# The times a story view can render (core.rfc3339: years 1 to 9999 in UTC). A publication time before year 1 in UTC
# (year 1 at +01:00) parses, and rendering its story failed the whole batch, at every retry: it is dead-lettered.
RENDERABLE_FROM = datetime(1, 1, 1, tzinfo=UTC).timestamp()
RENDERABLE_TO = datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC).timestamp()
# Table names; their changelog topics are <app id>-<name>-changelog.
STORIES_TABLE, WATERMARKS_TABLE = STORY_TABLES  # their changelog topics: Settings.changelog_topics


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


def _story_event_entry(index: int, entry: Any, now: float) -> StoryEvent | EntryReport | RejectedStoryEvent:
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


@dataclass(frozen=True, slots=True)
class StoredStory:
    """A table value: the partition that owns it, when it was first seen and its type (read by expiry sweeps
    without decoding the story), then the story state."""

    partition: int
    first_seen: float
    type: str
    state_json: bytes

    def encode(self) -> bytes:
        return b"%d|%r|%s\n" % (self.partition, self.first_seen, self.type.encode()) + self.state_json

    @classmethod
    def decode(cls, value: bytes) -> StoredStory:
        header, _, state_json = value.partition(b"\n")
        partition, first_seen, type_ = header.split(b"|")
        return cls(int(partition), float(first_seen), type_.decode(), state_json)

    @classmethod
    def of(cls, partition: int, state: StoryState) -> StoredStory:
        return cls(partition, state.first_seen, state.key.type, orjson.dumps(state_to_dict(state)))

    def state(self) -> StoryState:
        return state_from_dict(orjson.loads(self.state_json))


class DecodedStates:
    """The decoded state of recently written or read table values, by table key, with the value it was decoded from:
    a key's state is reused only while the table still holds exactly that value, so a write by anyone else (a
    recovery, another assignment, a removal) is never missed; at most `capacity` entries, the oldest dropped first."""

    def __init__(self, capacity: int = DECODED_STATES_KEPT) -> None:
        self._capacity = capacity
        self._entries: dict[bytes, tuple[bytes, StoryState]] = {}

    def state(self, key: bytes, value: bytes) -> StoryState:
        """The state the table value `value` of `key` holds."""
        entry = self._entries.get(key)
        if entry is not None and entry[0] == value:
            return entry[1]
        state = StoredStory.decode(value).state()
        self.remember(key, value, state)
        return state

    def remember(self, key: bytes, value: bytes, state: StoryState) -> None:
        self._entries.pop(key, None)  # re-inserted last: the most recent stay longest
        self._entries[key] = (value, state)
        if len(self._entries) > self._capacity:
            del self._entries[next(iter(self._entries))]

    def forget(self, key: bytes) -> None:
        self._entries.pop(key, None)

    def clear(self) -> None:
        self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)


class StoryStore(Protocol):
    """The table the agent keeps stories and watermarks in (a Faust table with a changelog; a dict in tests)."""

    def get(self, key: bytes) -> bytes | None: ...

    def watermark(self, partition: int) -> float | None: ...

    def items(self) -> Iterable[tuple[bytes, bytes]]: ...

    def write(self, partition: int, changes: Mapping[bytes, bytes | None], watermark: float | None) -> None: ...

    async def changelog_acknowledged(self) -> None: ...

    def __len__(self) -> int: ...


class DictStoryStore:
    """A StoryStore without a changelog: the stories and the watermarks as dicts (the in-memory benchmark, tests)."""

    def __init__(self) -> None:
        self.stories: dict[bytes, bytes] = {}
        self.watermarks: dict[int, float] = {}

    def get(self, key: bytes) -> bytes | None:
        return self.stories.get(key)

    def watermark(self, partition: int) -> float | None:
        return self.watermarks.get(partition)

    def items(self) -> Iterable[tuple[bytes, bytes]]:
        return self.stories.items()

    def write(self, partition: int, changes: Mapping[bytes, bytes | None], watermark: float | None) -> None:
        for key, value in changes.items():
            if value is None:
                self.stories.pop(key, None)
            else:
                self.stories[key] = value
        if watermark is not None:
            self.watermarks[partition] = watermark

    async def changelog_acknowledged(self) -> None:
        return None

    def __len__(self) -> int:
        return len(self.stories)


class StoriesAgent:
    """Per-batch flow around the pure story core: decode, join, expire, publish, write the table, count."""

    def __init__(
        self,
        *,
        store: StoryStore,
        publisher: Publisher,
        metrics: Metrics,
        rules: AlertRules,
        window: StoryWindow,
        stories_topic: str,
        alerts_topic: str,
        dlq_topic: str,
        ce_source: str,
        clock: Callable[[], float] = time.time,
        broadcaster: StoryBroadcaster | None = None,
    ) -> None:
        self.store = store
        self.publisher = publisher
        self.metrics = metrics
        self.rules = rules
        self.window = window
        self._stories_topic = stories_topic
        self._alerts_topic = alerts_topic
        self._dlq_topic = dlq_topic
        self._ce_source = ce_source
        self._clock = clock
        # The live page's feed: each story version this agent stored, as published on the stories topic.
        self.broadcaster = broadcaster
        self._swept_at: dict[int, float] = {}  # partition -> watermark at its last expiry sweep (this process)
        # Per partition, a min-heap of (first_seen, table key) of the stories in the table: a sweep pops what has
        # expired instead of reading every entry. Built from the table at the first sweep after a (re)assignment.
        self._expiry_heaps: dict[int, list[tuple[float, bytes]]] | None = None
        self._indexed: dict[bytes, float] = {}  # table key -> the first_seen it has in a heap
        self.decoded = DecodedStates()
        # Labelled counters by label values: (event type, change) of story_updates, (event type, rule) of alerts.
        self._update_counters: dict[tuple[str, ...], Any] = {}
        # The batch's story updates by (event type, change), counted once per batch: an inc per event took a lock.
        self._updates: dict[tuple[str, str], int] = {}
        self._alert_counters: dict[tuple[str, ...], Any] = {}
        # Held from taking a batch until it is acked; offset commits wait for it (see guard_offset_commits).
        self.message_lock = asyncio.Lock()
        self.batches_acked = 0
        # False once faust made its final commit at shutdown (see guard_offset_commits).
        self.accepting = True
        # A debug trace of each batch's steps (streams/worker/stories_trace.py), off unless stories_trace_file is set.
        self.trace: BatchTrace | None = None

    @classmethod
    def of_settings(cls, settings: Settings, **parts: Any) -> StoriesAgent:
        """The agent with the settings' window, topics and source name; `parts` are the rest of __init__'s arguments
        (store, publisher, metrics, rules, and clock or broadcaster if not the defaults)."""
        agent = cls(
            window=StoryWindow(settings.story_window_hours * HOUR, settings.story_lateness_hours * HOUR),
            stories_topic=settings.topic_stories,
            alerts_topic=settings.topic_alerts,
            dlq_topic=settings.topic_dlq,
            ce_source=f"urn:newsevents:{settings.app_id}",
            **parts,
        )
        if settings.stories_trace_file is not None:
            agent.trace = BatchTrace.open(settings.stories_trace_file)
        return agent

    async def handle_batch(
        self, messages: Sequence[StoryMessage], enter_partition: Callable[[int], None] = lambda partition: None
    ) -> None:
        """Apply the messages' events to their stories; returns once every output and table change is acked.

        enter_partition(p) makes p the partition the table's next writes belong to (Faust writes a table change
        to the changelog partition of the event being processed)."""
        with collector_paused():  # no await until the batch's records are made (streams/worker/stories_gc.py)
            staged, watermarks, records, story_values = self._compute(messages)
        self._mark("computed", versions=len(story_values))
        if records:
            await asyncio.gather(
                *(
                    self.publisher.publish(partition_records, source_partition=partition)
                    for partition, partition_records in records.items()
                    if partition_records
                )
            )
        with collector_paused():
            by_partition = self._table_values(staged)
        self._mark("published")
        for partition in sorted(set(by_partition) | set(watermarks)):
            enter_partition(partition)
            self.store.write(partition, by_partition.get(partition, {}), watermarks.get(partition))
        self._mark("written")
        await self.store.changelog_acknowledged()
        self._mark("changelogged")
        if self.broadcaster is not None:
            # Only once stored: a version lost in a crash before this point (and redone by the next worker) is
            # never shown. Under exactly_once the transaction may still abort; the redone version then replaces it.
            for value in story_values:
                self.broadcaster.publish(value)

    def _compute(
        self, messages: Sequence[StoryMessage]
    ) -> tuple[
        dict[bytes, tuple[int, StoryState | None]],
        dict[int, float | None],
        dict[int, list[OutboundRecord]],
        list[bytes],
    ]:
        """The batch's events joined into their stories, expiry staged and the records to publish made: the staged
        table changes, the partitions' watermarks, the records per source partition and the story versions' values."""
        staged: dict[bytes, tuple[int, StoryState | None]] = {}  # table key -> (partition, new state or removal)
        watermarks: dict[int, float | None] = {}
        # partition -> story id -> its latest version, and that version's view when the alert path built it already
        changed: dict[int, dict[str, tuple[StoryState, dict[str, Any] | None]]] = defaultdict(dict)
        records: dict[int, list[OutboundRecord]] = defaultdict(list)  # alerts and dead letters, in order
        now = self._clock()
        try:
            for message in messages:
                if message.partition not in watermarks:
                    watermarks[message.partition] = self.store.watermark(message.partition)
                for item in self._decode(message, now):
                    if isinstance(item, RejectedStoryEvent):
                        self._dead_letter(message, item.reason, item.detail, records, original=item.original)
                    else:
                        watermarks[message.partition] = self._apply(
                            message, item, now, watermarks[message.partition], staged, changed, records
                        )
            for (type_, change), count in self._updates.items():
                self._count(self._update_counters, self.metrics.story_updates, count, type=type_, change=change)
        finally:  # a batch that failed is taken again: its counts must not be carried into the retry
            self._updates.clear()
        for partition, watermark in watermarks.items():
            self._expire(partition, watermark, staged)
        story_values: list[bytes] = []
        for partition, stories in changed.items():
            story_records = [
                story_view_record(
                    story_view(state, self.window) if view is None else view,
                    topic=self._stories_topic,
                    ce_source=self._ce_source,
                )
                for state, view in stories.values()
            ]
            story_values += [record.value for record in story_records]
            records[partition] = story_records + records[partition]
        return staged, watermarks, records, story_values

    def _table_values(
        self, staged: Mapping[bytes, tuple[int, StoryState | None]]
    ) -> dict[int, dict[bytes, bytes | None]]:
        """The table's new values (None: removed) per partition, the decoded states and the expiry heap kept in step."""
        by_partition: dict[int, dict[bytes, bytes | None]] = defaultdict(dict)
        for key, (partition, state) in staged.items():
            if state is None:
                by_partition[partition][key] = None
                self.decoded.forget(key)
            else:
                by_partition[partition][key] = value = StoredStory.of(partition, state).encode()
                self.decoded.remember(key, value, state)
                self._index(partition, key, state)
        return by_partition

    @contextlib.asynccontextmanager
    async def _batch_lock(self, events: Sequence[Any]) -> AsyncIterator[None]:
        """The message lock, held while a batch is handled; with the batch's trace (if any) started before it is
        awaited and written after it is released, also for a batch left unfinished (shutdown)."""
        if self.trace is not None:
            self.trace.start([event.message.timestamp for event in events])
        try:
            async with self.message_lock:
                self._mark("locked")
                yield
        finally:
            if self.trace is not None:
                self.trace.end()

    def _mark(self, step: str, **info: Any) -> None:
        if self.trace is not None:
            self.trace.mark(step, **info)

    def _apply(
        self,
        message: StoryMessage,
        item: StoryEvent | EntryReport,
        now: float,
        watermark: float | None,
        staged: dict[bytes, tuple[int, StoryState | None]],
        changed: dict[int, dict[str, tuple[StoryState, dict[str, Any] | None]]],
        records: dict[int, list[OutboundRecord]],
    ) -> float | None:
        """One event joins its story (staged); returns the partition's new watermark."""
        ingest_time = self._ingest_time(message, now) if item.ingest_time is None else item.ingest_time
        if isinstance(item, EntryReport):
            key, event_id = item.key, item.event_id
            table_key = key.text.encode()
        else:
            key, event_id = story_key_of(item.event), item.event["event_id"]
            table_key = item.story_key or key.text.encode()
        try:
            report = (
                item.report(ingest_time) if isinstance(item, EntryReport) else report_of_data(item.event, ingest_time)
            )
            if not RENDERABLE_FROM <= report.seen_at <= RENDERABLE_TO:  # else story_view raised, for the whole batch
                raise ValueError(f"the time {report.seen_at!r} is no date a story view can render")
            if table_key in staged:
                current = staged[table_key][1]
            else:
                stored = self.store.get(table_key)
                current = None if stored is None else self.decoded.state(table_key, stored)
            update = apply_event(current, key, report, watermark=watermark, window=self.window, rules=self.rules)
        except Exception as exc:  # a bug or a corrupt table value must not stop the worker: dead-letter, go on
            log.exception("story update failed for event %s", event_id)
            self._dead_letter(
                message,
                DeadLetterReason.internal_error,
                f"story update failed: {type(exc).__name__}: {exc}",
                records,
                original=item.original(),
            )
            return watermark
        counted = (key.type, update.change.value)
        self._updates[counted] = self._updates.get(counted, 0) + 1
        if update.state is not None:
            staged[table_key] = (message.partition, update.state)
            changed[message.partition][update.state.story_id] = (update.state, update.view)
        alert = update.alert_view
        if alert is not None:
            records[message.partition].append(
                alert_view_record(alert, topic=self._alerts_topic, ce_source=self._ce_source)
            )
            self._count(self._alert_counters, self.metrics.alerts, type=alert["type"], rule=alert["rule"])
        return report.seen_at if watermark is None else max(watermark, report.seen_at)

    @staticmethod
    def _count(counters: dict[tuple[str, ...], Any], metric: Any, amount: int = 1, **labels: str) -> None:
        """metric.labels(**labels).inc(amount), the labelled counter kept in `counters`: labels() takes a lock and
        builds a key per call."""
        key = tuple(labels.values())
        counter = counters.get(key)
        if counter is None:
            counter = counters[key] = metric.labels(**labels)
        counter.inc(amount)

    def _expire(
        self, partition: int, watermark: float | None, staged: dict[bytes, tuple[int, StoryState | None]]
    ) -> None:
        """Stage the removal of the partition's stories that no event can join any more (bounded memory)."""
        if watermark is None:
            return
        last = self._swept_at.get(partition)
        if last is not None and watermark - last < EXPIRY_SWEEP_EVERY_SECONDS:
            return
        self._swept_at[partition] = watermark
        for key, type_, state in self._expiry_candidates(partition, watermark, staged):
            if expired(state, watermark, self.window):
                staged[key] = (partition, None)
                self.metrics.stories_expired.labels(type=type_).inc()

    def _expiry_candidates(
        self, partition: int, watermark: float, staged: Mapping[bytes, tuple[int, StoryState | None]]
    ) -> Iterator[tuple[bytes, str, StoryState]]:
        """The partition's stories first seen before the expiry horizon, from the heap of first-seen times.

        A full scan of the table per sweep cost as much as the table is large (12,000 stories in the soak), and when
        event time runs faster than the clock (a backlog, a replay) sweeps come every batch: the stories agent fell
        to ~200 events/s. Popping the heap costs only what has expired."""
        horizon = watermark - self.window.window_seconds - self.window.lateness_seconds
        heap = self._expiry_heap(partition)
        while heap and heap[0][0] < horizon:
            first_seen, key = heapq.heappop(heap)
            if self._indexed.get(key) == first_seen:
                del self._indexed[key]
            if key in staged:
                continue  # this batch's version: looked at below
            value = self.store.get(key)
            if value is None:
                continue
            stored = StoredStory.decode(value)
            if stored.partition == partition and stored.first_seen == first_seen:  # else replaced: pushed again
                yield key, stored.type, stored.state()
        for key, (owner, state) in list(staged.items()):  # the batch's stories, not in the heap yet
            if owner == partition and state is not None and state.first_seen < horizon:
                yield key, state.key.type, state

    def _expiry_heap(self, partition: int) -> list[tuple[float, bytes]]:
        if self._expiry_heaps is None:
            self._expiry_heaps = defaultdict(list)
            self._indexed = {}
            for key, value in list(self.store.items()):
                stored = StoredStory.decode(value)
                self._expiry_heaps[stored.partition].append((stored.first_seen, key))
                self._indexed[key] = stored.first_seen
            for heap in self._expiry_heaps.values():
                heapq.heapify(heap)
        return self._expiry_heaps[partition]

    def _index(self, partition: int, key: bytes, state: StoryState) -> None:
        """Keep the heap in step with a story written to the table (a new story, or one whose first_seen moved)."""
        if self._expiry_heaps is not None and self._indexed.get(key) != state.first_seen:
            heapq.heappush(self._expiry_heaps[partition], (state.first_seen, key))
            self._indexed[key] = state.first_seen

    def forget_expiry_index(self) -> None:
        """The table changed under the agent (partitions assigned or revoked, a recovery): rebuild at the next sweep."""
        self._expiry_heaps = None
        self._indexed = {}
        self.decoded.clear()

    def _decode(self, message: StoryMessage, now: float) -> list[StoryEvent | EntryReport | RejectedStoryEvent]:
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
            return [_story_event_entry(index, entry, now) for index, entry in enumerate(data)]
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

    def _ingest_time(self, message: StoryMessage, now: float) -> float:
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

    def _dead_letter(
        self,
        message: StoryMessage,
        reason: DeadLetterReason,
        detail: str,
        records: dict[int, list[OutboundRecord]],
        *,
        original: bytes | None = None,
    ) -> None:
        """Dead-letter a record (original None: its whole value) or one event of it (original: that entry's JSON)."""
        letter = dead_letter(
            reason=reason,
            detail=bounded(detail),
            original=message.value if original is None else original,
            article_id=None,
            source_topic=message.topic,
            source_partition=message.partition,
            source_offset=message.offset,
        )
        records[message.partition].append(dead_letter_record(letter, topic=self._dlq_topic, ce_source=self._ce_source))
        self.metrics.dead_letters.labels(reason=reason.value).inc()

    async def run(self, stream: Any) -> None:
        """The Faust agent body (concurrency 1), acking manually after the batch is durable (see PipelineAgent.run)."""
        progress = ConsumerProgress(stream)
        batches = quiet_take(
            stream,
            STORY_BATCH_MAX_MESSAGES,
            STORY_BATCH_WITHIN_SECONDS,
            quiet=STORY_BATCH_QUIET_SECONDS,
            behind=progress.behind,
            caught_up=progress.caught_up,
        )
        async for events in batches:
            last_of_partition = {event.message.partition: event for event in events}

            def enter_partition(partition: int, last_of_partition: dict[int, Any] = last_of_partition) -> None:
                # Faust writes table changes to the changelog partition of the current event (its context
                # variable, faust.streams.current_event()); a batch mixes partitions, so each partition's writes are
                # made while one of its own events is current. Only this task's context variable is set: the
                # stream's own current_event attribute is what noack_take's background task reads to buffer the
                # next message, and setting it (stream._set_current_event) made that task buffer one of this batch's
                # events again instead of the message it had just received: that message was never handled (its
                # report missing from its story) and the other handled twice.
                _current_event.set(weakref.ref(last_of_partition[partition]))

            async with self._batch_lock(events):
                if not self.accepting:
                    continue  # after the final commit: not acked, processed again by the next worker
                previous_event = _current_event.set(None)
                try:
                    await self.handle_batch(
                        [
                            StoryMessage(
                                topic=event.message.topic,
                                partition=event.message.partition,
                                offset=event.message.offset,
                                timestamp=event.message.timestamp,
                                key=event.key,
                                value=event.value,
                                headers=tuple(_headers(event.message.headers)),
                            )
                            for event in events
                        ],
                        enter_partition,
                    )
                finally:
                    _current_event.reset(previous_event)
                for event in events:
                    await stream.ack(event)
                self.batches_acked += 1  # progress, for the stall watchdog
                self._mark("acked")


def owned_states(store: StoryStore, partitions: Collection[int]) -> Iterator[StoryState]:
    """The stories of these story-events partitions: the ones this worker owns (a table may also hold standby copies
    of other workers' partitions, which their owners update and show)."""
    for _, value in list(store.items()):
        stored = StoredStory.decode(value)
        if stored.partition in partitions:
            yield stored.state()


def _headers(headers: Any) -> Iterator[tuple[str, bytes]]:
    items = headers.items() if isinstance(headers, Mapping) else (headers or ())
    for name, value in items:
        yield (name.decode() if isinstance(name, bytes) else name), value


@dataclass(frozen=True, slots=True)
class ChangelogChange:
    """What ChangelogTable.send_changelog returns: faust's on_key_set and on_key_del read `.message.partition`."""

    message: BatchRecord


class ChangelogTable(faust.Table):
    """faust.Table whose changelog records are sent together and can be awaited: a story update counts as stored (and
    its input may be acked) only once the broker acknowledged them.

    Faust puts each change into its producer buffer as a FutureMessage, which a background task sends one record at a
    time; records reached the broker in requests of ~4 (profile: 1,794 of 2,649 produce requests for 8,000 generated
    articles carried only changelog records), and the FutureMessage, its serialization and per-record send cost ~30 %
    of the stories agent's Kafka work. Here a change is kept as its record until changelog_acknowledged(), which hands
    them to the producer as one batch per changelog partition (batch_send), in the transaction faust's
    TransactionManager would have sent each of them in, and then records the last offset of each batch as faust's
    completion callback does (the offset a RocksDB store keeps)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.unsent: list[BatchRecord] = []

    def send_changelog(
        self,
        partition: int | None,
        key: Any,
        value: Any,
        key_serializer: Any = None,
        value_serializer: Any = None,
    ) -> Any:
        # The stories tables hold bytes (key_type and value_type bytes: faust's "raw" codec leaves them as they are)
        # and are written only while an event of the batch is current (partition_for_key gives its partition).
        if partition is None or not isinstance(key, bytes) or not isinstance(value, bytes | None):
            raise TypeError(f"a {self.name} table change needs bytes and a partition: {key!r} on {partition!r}")
        record = BatchRecord(self.changelog_topic.get_topic_name(), partition, key, value)
        self.unsent.append(record)
        return ChangelogChange(record)

    async def changelog_acknowledged(self) -> None:
        pending, self.unsent = self.unsent, []
        if not pending:
            return
        await self.app.maybe_start_producer()
        if self.app.in_transaction:
            # Each change in the transaction of its partition, as faust's TransactionManager.send names it.
            group = self.app.assignor.group_for_topic(pending[0].topic)
            by_partition: dict[int, list[BatchRecord]] = defaultdict(list)
            for record in pending:
                by_partition[record.partition or 0].append(record)
            sent = [
                batch
                for partition, records in by_partition.items()
                for batch in await send_batches(
                    self.app.producer, records, transactional_id=f"{self.app.conf.id}-{group}-{partition}"
                )
            ]
        else:
            sent = await send_batches(self.app.producer, pending, transactional_id=None)
        acknowledged = await delivered(sent)
        last_offsets: dict[int, RecordMetadata] = {}
        for batch, metadata in zip(sent, acknowledged, strict=True):
            assert isinstance(batch, SentBatch), "changelog records name their partition"
            last = metadata._replace(offset=metadata.offset + batch.records - 1)
            if batch.partition not in last_offsets or last.offset > last_offsets[batch.partition].offset:
                last_offsets[batch.partition] = last
        for metadata in last_offsets.values():
            # faust's completion callback of a changelog record (the persisted offset, kept at the commit under
            # exactly-once), once per partition with its last offset: it reads only the result's partition and offset.
            done: asyncio.Future[RecordMetadata] = asyncio.get_running_loop().create_future()
            done.set_result(metadata)
            self._on_changelog_sent(done)


class FaustStoryStore:
    """The StoryStore of a running worker: two Faust tables with changelog topics, stories and watermarks."""

    def __init__(self, stories: ChangelogTable, watermarks: ChangelogTable) -> None:
        self.stories = stories
        self.watermarks = watermarks

    def get(self, key: bytes) -> bytes | None:
        return self.stories.get(key)

    def watermark(self, partition: int) -> float | None:
        value = self.watermarks.get(str(partition).encode())
        return None if value is None else float(value)

    def items(self) -> Iterable[tuple[bytes, bytes]]:
        return self.stories.items()

    def write(self, partition: int, changes: Mapping[bytes, bytes | None], watermark: float | None) -> None:
        for key, value in changes.items():
            if value is not None:
                self.stories[key] = value
            elif key in self.stories:
                del self.stories[key]
        if watermark is not None and watermark != self.watermark(partition):
            self.watermarks[str(partition).encode()] = repr(watermark).encode()

    async def changelog_acknowledged(self) -> None:
        await asyncio.gather(self.stories.changelog_acknowledged(), self.watermarks.changelog_acknowledged())

    def __len__(self) -> int:
        return len(self.stories)


def table_store_url(store: TableStore) -> str:
    """RocksDB (on disk under the data dir: a restart reads only the changelog's tail) where rocksdict is
    installed, else memory (the table is rebuilt from its changelog at every start)."""
    if store is TableStore.auto:
        store = TableStore.rocksdb if importlib.util.find_spec("rocksdict") is not None else TableStore.memory
    return "rocksdb://" if store is TableStore.rocksdb else "memory://"


def story_tables(app: Any, settings: Settings, on_recover: Callable[[], Awaitable[None]]) -> FaustStoryStore:
    """The two tables, partitioned like the story-events topic they are updated from."""

    def table(name: str, help_text: str, callback: Callable[[], Awaitable[None]] | None) -> ChangelogTable:
        return app.tables.add(
            ChangelogTable(
                app,
                name=name,
                default=None,
                beacon=app.tables.beacon,
                partitions=settings.partitions,
                key_type=bytes,
                value_type=bytes,
                store=table_store_url(settings.table_store),
                help=help_text,
                on_recover=callback,
            )
        )

    return FaustStoryStore(
        table(STORIES_TABLE, "Open stories by story key", on_recover),
        table(WATERMARKS_TABLE, "Latest event time seen per story-events partition", None),
    )
