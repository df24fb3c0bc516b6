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
import logging
import time
import weakref
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from faust.streams import _current_event

from schemas import DeadLetterReason
from streams.kafka.consumer_progress import ConsumerProgress
from streams.kafka.quiet_take import WeightCap, quiet_take
from streams.settings import Settings
from streams.stories.core import apply_event
from streams.stories.keys import HOUR, story_key_of
from streams.stories.rules import AlertRules
from streams.stories.state import StoryState, StoryWindow, report_of_data
from streams.stories.views import RENDERABLE_FROM, RENDERABLE_TO, story_view
from streams.stories.wire import EntryReport
from streams.worker.agents import Publisher
from streams.worker.broadcast import StoryBroadcaster
from streams.worker.decode import bounded
from streams.worker.metrics import Metrics
from streams.worker.records import (
    OutboundRecord,
    SourcePosition,
    alert_view_record,
    dead_letter,
    dead_letter_record,
    story_view_record,
)
from streams.worker.stories_expiry import StoryExpiry
from streams.worker.stories_gc import collector_paused
from streams.worker.stories_input import (
    RejectedStoryEvent,
    StoryEvent,
    StoryMessage,
    decode_story_record,
    message_headers,
    record_ingest_time,
    story_record_events,
)
from streams.worker.stories_table import DecodedStates, StoredStory, StoryStore
from streams.worker.stories_trace import BatchTrace, traced_lock

log = logging.getLogger(__name__)

# The agent takes story-events in batches of what arrived within STORY_BATCH_WITHIN_SECONDS of a batch's first record.
# A batch costs two broker round trips whatever its size (its stories and alerts, then its table's changelog records,
# each awaited) and publishes one version per story it changed: batches of a second made the stage's produce requests
# negligible and coalesce a story's reports into one version (at the price of up to a second of lag; under
# exactly_once readers see them only at the next commit anyway). A batch also closes after STORY_BATCH_QUIET_SECONDS
# without a record, when a backlog's consumer caught up, at STORY_BATCH_MAX_MESSAGES records, and at
# story_batch_max_events events (memory: the worker keeps its largest batch's peak); streams/kafka/quiet_take.py says
# why each rule is there, docs/performance.md what each was measured at (sessions 14-18). The record cap matters only
# for a backlog: at 2,000 a 30,000-article tail was split now and then, its second batch waiting on the first's acks.
STORY_BATCH_MAX_MESSAGES = 5000
STORY_BATCH_WITHIN_SECONDS = 1.0
STORY_BATCH_QUIET_SECONDS = 0.2


@dataclass(frozen=True, slots=True)
class StoriesConfig:
    """What the agent is set up with: the story window and alert rules, the topics of its stories, alerts and dead
    letters, the CloudEvents source they name, the cap on a batch's events, and the file of its batch trace."""

    window: StoryWindow
    rules: AlertRules
    stories_topic: str
    alerts_topic: str
    dlq_topic: str
    ce_source: str
    batch_max_events: int
    trace_file: Path | None = None

    @classmethod
    def of_settings(cls, settings: Settings, rules: AlertRules) -> StoriesConfig:
        return cls(
            window=StoryWindow(settings.story_window_hours * HOUR, settings.story_lateness_hours * HOUR),
            rules=rules,
            stories_topic=settings.topic_stories,
            alerts_topic=settings.topic_alerts,
            dlq_topic=settings.topic_dlq,
            ce_source=f"urn:newsevents:{settings.app_id}",
            trace_file=settings.stories_trace_file,
            batch_max_events=settings.story_batch_max_events,
        )


@dataclass(frozen=True, slots=True)
class _Batch:
    """What a batch's events make (_compute): staged table changes (table key -> partition, new state or None), the
    watermarks, each partition's changed stories (story id -> latest version, and its view if the alert path made it),
    records to publish (stories, then alerts and dead letters in order) and the story versions' values."""

    staged: dict[bytes, tuple[int, StoryState | None]] = field(default_factory=dict)
    watermarks: dict[int, float | None] = field(default_factory=dict)
    changed: defaultdict[int, dict[str, tuple[StoryState, dict[str, Any] | None]]] = field(
        default_factory=lambda: defaultdict(dict)
    )
    records: defaultdict[int, list[OutboundRecord]] = field(default_factory=lambda: defaultdict(list))
    story_values: list[bytes] = field(default_factory=list)


class StoriesAgent:
    """Per-batch flow around the pure story core: decode, join, expire, publish, write the table, count."""

    def __init__(
        self,
        *,
        store: StoryStore,
        publisher: Publisher,
        metrics: Metrics,
        config: StoriesConfig,
        clock: Callable[[], float] = time.time,
        broadcaster: StoryBroadcaster | None = None,
    ) -> None:
        self.store = store
        self.publisher = publisher
        self.metrics = metrics
        self.config = config
        self._clock = clock
        # The live page's feed: each story version this agent stored, as published on the stories topic.
        self.broadcaster = broadcaster
        self.expiry = StoryExpiry(store, config.window, metrics)  # the sweeps of expired stories (stories_expiry.py)
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
        self.trace = BatchTrace.open(config.trace_file) if config.trace_file is not None else None

    async def handle_batch(
        self, messages: Sequence[StoryMessage], enter_partition: Callable[[int], None] = lambda partition: None
    ) -> None:
        """Apply the messages' events to their stories; returns once every output and table change is acked.

        enter_partition(p) makes p the partition the table's next writes belong to (Faust writes a table change
        to the changelog partition of the event being processed)."""
        with collector_paused():  # no await until the batch's records are made (streams/worker/stories_gc.py)
            batch = self._compute(messages)
        self._mark("computed", versions=len(batch.story_values))
        if batch.records:
            await asyncio.gather(
                *(
                    self.publisher.publish(partition_records, source_partition=partition)
                    for partition, partition_records in batch.records.items()
                    if partition_records
                )
            )
        with collector_paused():
            by_partition = self._table_values(batch.staged)
        self._mark("published")
        for partition in sorted(set(by_partition) | set(batch.watermarks)):
            enter_partition(partition)
            self.store.write(partition, by_partition.get(partition, {}), batch.watermarks.get(partition))
        self._mark("written")
        await self.store.changelog_acknowledged()
        self._mark("changelogged")
        if self.broadcaster is not None:
            # Only once stored: a version lost in a crash before this point (and redone by the next worker) is
            # never shown. Under exactly_once the transaction may still abort; the redone version then replaces it.
            for value in batch.story_values:
                self.broadcaster.publish(value)

    def _compute(self, messages: Sequence[StoryMessage]) -> _Batch:
        """The batch's events joined into their stories, expiry staged and the records to publish made."""
        batch = _Batch()
        staged, watermarks, records = batch.staged, batch.watermarks, batch.records
        now = self._clock()
        try:
            for message in messages:
                if message.partition not in watermarks:
                    watermarks[message.partition] = self.store.watermark(message.partition)
                for item in decode_story_record(message, now):
                    if isinstance(item, RejectedStoryEvent):
                        self._dead_letter(message, item.reason, item.detail, records, original=item.original)
                    else:
                        watermarks[message.partition] = self._apply(
                            message, item, now, watermarks[message.partition], batch
                        )
            for (type_, change), count in self._updates.items():
                self._count(self._update_counters, self.metrics.story_updates, count, type=type_, change=change)
        finally:  # a batch that failed is taken again: its counts must not be carried into the retry
            self._updates.clear()
        for partition, watermark in watermarks.items():
            self.expiry.stage(partition, watermark, staged)
        for partition, stories in batch.changed.items():
            story_records = [
                story_view_record(
                    story_view(state, self.config.window) if view is None else view,
                    topic=self.config.stories_topic,
                    ce_source=self.config.ce_source,
                )
                for state, view in stories.values()
            ]
            batch.story_values.extend(record.value for record in story_records)
            records[partition] = story_records + records[partition]
        return batch

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
                self.expiry.index(partition, key, state)
        return by_partition

    def _mark(self, step: str, **info: Any) -> None:
        if self.trace is not None:
            self.trace.mark(step, **info)

    def _apply(
        self,
        message: StoryMessage,
        item: StoryEvent | EntryReport,
        now: float,
        watermark: float | None,
        batch: _Batch,
    ) -> float | None:
        """One event joins its story (staged in the batch); returns the partition's new watermark."""
        staged, records, config = batch.staged, batch.records, self.config
        ingest_time = record_ingest_time(message, now) if item.ingest_time is None else item.ingest_time
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
            update = apply_event(current, key, report, watermark=watermark, window=config.window, rules=config.rules)
        except Exception as exc:  # a bug or a corrupt table value must not stop the worker: dead-letter, go on
            log.exception("story update failed for event %s", event_id)
            detail = f"story update failed: {type(exc).__name__}: {exc}"
            self._dead_letter(message, DeadLetterReason.internal_error, detail, records, original=item.original())
            return watermark
        counted = (key.type, update.change.value)
        self._updates[counted] = self._updates.get(counted, 0) + 1
        if update.state is not None:
            staged[table_key] = (message.partition, update.state)
            batch.changed[message.partition][update.state.story_id] = (update.state, update.view)
        alert = update.alert_view
        if alert is not None:
            records[message.partition].append(
                alert_view_record(alert, topic=self.config.alerts_topic, ce_source=self.config.ce_source)
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

    def forget_expiry_index(self) -> None:
        """The table changed under the agent (partitions assigned or revoked, a recovery): rebuild at the next sweep."""
        self.expiry.forget()
        self.decoded.clear()

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
            source=SourcePosition(message.topic, message.partition, message.offset),
        )
        records[message.partition].append(
            dead_letter_record(letter, topic=self.config.dlq_topic, ce_source=self.config.ce_source)
        )
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
            cap=WeightCap(story_record_events, self.config.batch_max_events),
            closed=lambda why: self.metrics.story_batches.labels(closed_by=why).inc(),
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

            async with traced_lock(self.message_lock, self.trace, [event.message.timestamp for event in events]):
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
                                headers=tuple(message_headers(event.message.headers)),
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
