"""The Faust agent: consume the raw topic, process each message, publish its records, await delivery, count."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from aiokafka.errors import IllegalStateError

from streams.kafka.batch_send import delivered, send_batches
from streams.worker.metrics import Metrics
from streams.worker.processing import MessageProcessor, ProcessingResult, SourceMessage
from streams.worker.records import OutboundRecord, story_event_batches
from streams.worker.watchdog import CommitProgress

log = logging.getLogger(__name__)

# Messages handled (and their records awaited) together. Bigger batches save broker round trips; the cap bounds
# the work between two acks (and the records in flight) when a backlog is consumed.
BATCH_MAX_MESSAGES = 200
# How long the agent waits for a batch to fill before it handles what it has: the added latency at low load.
BATCH_WITHIN_SECONDS = 0.005
# Longest stretch of synchronous processing inside a batch before the agent lets the event loop run.
YIELD_EVERY_SECONDS = 0.005


@dataclass
class WorkerState:
    """What /health reports: is the agent iterating, has the group given us partitions, how far are we."""

    agent_running: bool = False
    assignment_received: bool = False
    assigned_partitions: frozenset[int] = frozenset()
    story_partitions: frozenset[int] = frozenset()  # story-events partitions: whose stories /stories and / show
    next_offsets: dict[int, int] = field(default_factory=dict)  # partition -> offset after the last one processed
    last_consumed_at: float | None = None
    batch_started_at: float | None = None  # set while a batch is being processed and published, None between batches
    messages_processed: int = 0
    lag_partitions: set[str] = field(default_factory=set)  # partition labels the lag gauge currently exports
    broker_reachable: bool | None = None  # a bootstrap server accepted a TCP connection at the last check
    broker_checked_at: float | None = None
    broker_checks_timed_out: int = 0  # consecutive checks that only timed out (none refused, none accepted)
    assigned_at: float | None = None  # time.monotonic() of the last partition assignment (table recovery time)
    stalled_reason: str | None = None  # set by the stall watchdog: what waited (the worker exits soon after)


class Publisher(Protocol):
    """Sends records and waits until the broker acknowledged them all."""

    async def publish(self, records: Iterable[OutboundRecord], *, source_partition: int) -> None: ...


class FaustPublisher:
    """Publishes pre-serialized records with the app's producer, inside the source partition's transaction under exactly-once.

    Faust's own Topic.send under exactly-once (its TransactionManager.send) derives the transaction from the
    *destination* partition and the assignor's topic groups, which only works for copartitioned topics the app
    consumes; our output topics are neither, so we name the transaction of the source partition ourselves: the
    one faust's TransactionManager opened for it and commits its offsets in.
    """

    def __init__(self, app: Any, *, source_topic: str, exactly_once: bool) -> None:
        self._app = app
        self._source_topic = source_topic
        self._exactly_once = exactly_once

    def _transactional_id(self, source_partition: int) -> str:
        group = self._app.assignor.group_for_topic(self._source_topic)
        return f"{self._app.conf.id}-{group}-{source_partition}"

    async def publish(self, records: Iterable[OutboundRecord], *, source_partition: int) -> None:
        producer = self._app.producer
        transactional_id = self._transactional_id(source_partition) if self._exactly_once else None
        deliveries: list[Awaitable[Any]] = []
        for record in records:
            deliveries.append(
                await producer.send(
                    record.topic,
                    record.key,
                    record.value,
                    record.partition,  # None: by key hash
                    None,  # timestamp: now
                    list(record.headers),
                    transactional_id=transactional_id,
                )
            )
        # Delivery, not just buffering: the input offset may only be committed once every output is acked.
        if deliveries:
            await asyncio.gather(*deliveries)


class BatchingFaustPublisher(FaustPublisher):
    """A FaustPublisher that hands the records to the producer as one batch per topic partition (batch_send): the
    same records, partitions, order and transaction, with less CPU per record. The stories agent publishes its story
    versions and alerts this way."""

    async def publish(self, records: Iterable[OutboundRecord], *, source_partition: int) -> None:
        transactional_id = self._transactional_id(source_partition) if self._exactly_once else None
        sent = await send_batches(self._app.producer, list(records), transactional_id=transactional_id)
        # Delivery, not just buffering: the input offset may only be committed once every output is acked.
        await delivered(sent)


class PipelineAgent:
    """Per-message flow around the pure MessageProcessor: publish events, then dead letter and outcome; count."""

    def __init__(
        self,
        processor: MessageProcessor,
        publisher: Publisher,
        metrics: Metrics,
        state: WorkerState,
        *,
        clock: Callable[[], float] = time.time,
        story_events_by_source_partition: bool = True,
    ) -> None:
        self.processor = processor
        self.publisher = publisher
        self.metrics = metrics
        self.state = state
        self._clock = clock
        # True (exactly-once): a batch's story events travel in one record per raw partition and story-events
        # partition, in the raw partition's transaction with its events. False (at-least-once, no transactions): in
        # one record per story-events partition for the whole batch; the stories agent consumes fewer, larger records.
        self.story_events_by_source_partition = story_events_by_source_partition
        # Held from taking a batch until it is acked; offset commits wait for it (see guard_offset_commits).
        self.message_lock = asyncio.Lock()
        # False once faust made its final commit at shutdown: later batches are left to the next worker.
        self.accepting = True

    async def handle(self, message: SourceMessage) -> ProcessingResult:
        """Process one consumed message; returns only after all its records are acknowledged."""
        return (await self.handle_batch([message]))[0]

    async def handle_batch(self, messages: Sequence[SourceMessage]) -> list[ProcessingResult]:
        """Process messages taken together; returns only after all their records are acknowledged.

        Awaiting delivery once per batch instead of once per message is what lets the worker go faster than one
        broker round trip per article. The guarantee is unchanged: every event record of the batch is acknowledged
        before any outcome is sent, so an outcome on the audit topic still proves its events are durable.
        """
        self.state.batch_started_at = self._clock()
        try:
            return await self._handle_batch(messages)
        finally:
            self.state.batch_started_at = None

    async def _handle_batch(self, messages: Sequence[SourceMessage]) -> list[ProcessingResult]:
        # MessageProcessor.process step by step over the whole batch (decode all, extract all, build all records):
        # interleaved per message, the extractor evicted the decoder's and the record builders' code and data from
        # the CPU caches every time, which made them cost about twice as much as in the no-op worker.
        decoded = [self.processor.decode(message) for message in messages]
        extracted = []
        yielded_at = time.monotonic()
        for index, article in enumerate(decoded):
            now = self._clock()
            self.metrics.articles_consumed.inc()
            self.metrics.last_consumed_timestamp.set(now)
            self.state.last_consumed_at = now
            extracted.append(self.processor.extract(article))
            # Extraction is synchronous: let heartbeats, fetches and /health run, but not after every short
            # article (a round of the event loop costs about as much as the no-op worker's whole message).
            if index + 1 < len(messages) and time.monotonic() - yielded_at >= YIELD_EVERY_SECONDS:
                await asyncio.sleep(0)
                yielded_at = time.monotonic()
        results = [self.processor.finish(message, done) for message, done in zip(messages, extracted, strict=True)]
        await self._publish_by_partition(
            messages, [r.event_records for r in results], [r.story_records for r in results]
        )
        await self._publish_by_partition(messages, [r.final_records for r in results])
        for message, result in zip(messages, results, strict=True):
            self._count(result, message)
            self.state.next_offsets[message.partition] = message.offset + 1
            self.state.messages_processed += 1
        return results

    async def _publish_by_partition(
        self,
        messages: Sequence[SourceMessage],
        records: Sequence[tuple[OutboundRecord, ...]],
        story_records: Sequence[tuple[OutboundRecord, ...]] = (),
    ) -> None:
        # One publish per source partition (its own transaction under exactly-once), all awaited together. A source
        # partition's story-event records go out as one record per story-events partition (story_event_batches):
        # in its transaction, like the events they repeat. Without transactions the whole batch's story events are
        # grouped so (published with the first source partition's records; the publisher then ignores the partition).
        by_partition: dict[int, list[OutboundRecord]] = {}
        for message, message_records in zip(messages, records, strict=True):
            if message_records:
                by_partition.setdefault(message.partition, []).extend(message_records)
        stories_by_partition: dict[int, list[OutboundRecord]] = {}
        for message, message_story_records in zip(messages, story_records, strict=False):
            if message_story_records:
                owner = message.partition if self.story_events_by_source_partition else messages[0].partition
                stories_by_partition.setdefault(owner, []).extend(message_story_records)
        for partition, partition_story_records in stories_by_partition.items():
            by_partition.setdefault(partition, []).extend(
                story_event_batches(partition_story_records, partitions=self.processor.story_partitions)
            )
        if by_partition:
            await asyncio.gather(
                *(
                    self.publisher.publish(partition_records, source_partition=partition)
                    for partition, partition_records in by_partition.items()
                )
            )

    def _count(self, result: ProcessingResult, message: SourceMessage) -> None:
        m = self.metrics
        m.articles_processed_by(result.outcome.status.value, result.lang_label).inc()
        for event in result.events:
            m.events_emitted_by(event.type.value, result.lang_label).inc()
        if result.dead_letter is not None:
            m.dead_letters_by(result.dead_letter.reason.value).inc()
        if result.extraction_seconds is not None:
            m.extraction_duration.observe(result.extraction_seconds)
        if result.dropped_published_at is not None:
            m.invalid_published_at.inc()
        if message.timestamp is not None:
            m.ingest_to_event_latency.observe(max(0.0, self._clock() - message.timestamp))

    async def run(self, stream: Any) -> None:
        """The Faust agent body (concurrency 1: faust #606 can commit past an in-flight message otherwise).

        Acks are manual: faust acks an event in a `finally` around its `yield` (take_events does the same for a
        batch), so an exception in the agent body would still ack (and later commit) the message that failed.
        noack_take hands over batches of what is already buffered (up to BATCH_MAX_MESSAGES, waiting at most
        BATCH_WITHIN_SECONDS for more); we ack them only after handle_batch() returned, i.e. after every record
        of every message in the batch was acknowledged by the broker.
        """
        self.state.agent_running = True
        self.metrics.worker_up.set(1)
        try:
            async for events in stream.noack_take(BATCH_MAX_MESSAGES, within=BATCH_WITHIN_SECONDS):
                async with self.message_lock:
                    if not self.accepting:
                        continue  # after the final commit: not acked, processed again by the next worker
                    await self.handle_batch(
                        [
                            SourceMessage(
                                topic=event.message.topic,
                                partition=event.message.partition,
                                offset=event.message.offset,
                                timestamp=event.message.timestamp,
                                value=event.value,
                            )
                            for event in events
                        ]
                    )
                    for event in events:
                        await stream.ack(event)
        finally:
            self.state.agent_running = False
            self.metrics.worker_up.set(0)


class BatchAgent(Protocol):
    """What guard_offset_commits needs of an agent: its batch lock and whether it still handles batches."""

    message_lock: asyncio.Lock
    accepting: bool


def guard_offset_commits(consumer: Any, *agents: BatchAgent, progress: CommitProgress | None = None) -> None:
    """Make the consumer's offset commits wait until no message is half-published (by any agent).

    Faust commits from its own tasks (a timer, the fetcher every broker_commit_every messages, rebalances,
    shutdown). Under exactly-once a commit also commits the producer transaction, so a commit between a
    message's event records and its ack would make those events visible while the message itself is
    processed again after a crash: duplicates for read_committed readers. Taking the agent's message lock
    first moves every commit to a message boundary; at shutdown it also lets the in-flight message finish.
    One commit covers every agent's partitions (and, under exactly-once, one transaction per partition number
    holds the outputs of the pipeline and of the stories agent), so it waits for all the agents' locks, taken
    in a fixed order; an agent only ever holds its own, so this cannot deadlock.

    Faust's final commit at shutdown (start_new_transaction=False) would end the transactions, but faust makes it
    twice (the app's stop, then the consumer's), and one commit may stop short of offsets acked after a gap (the
    transaction markers between the story-events records the stories agent reads): the second final commit then
    sent offsets to an ended transaction (aiokafka's IllegalOperation), the shutdown failed and the worker hung
    until killed. So every commit starts the next transaction; one without records exists only in the client
    (aiokafka tells the broker of a transaction with its first record), so leaving it open costs nothing. From the
    first final commit on the agents take no more batches: what they had buffered is not acked and not
    published, and the next worker processes it. Faust makes the same final commit when partitions are revoked
    (a rebalance): the next assignment lets the agents take batches again (create_pipeline's on_assigned).

    `progress` (the stall watchdog's) notes when the first of the commits in progress started, locks included.
    """
    commit = consumer.commit
    noted = progress if progress is not None else CommitProgress()

    async def commit_at_message_boundary(*args: Any, **kwargs: Any) -> bool:
        first = noted.started_at is None
        if first:
            noted.started_at = time.monotonic()
        try:
            return await _commit_holding_locks(*args, **kwargs)
        finally:
            if first:
                noted.started_at = None

    async def _commit_holding_locks(*args: Any, **kwargs: Any) -> bool:
        async with contextlib.AsyncExitStack() as held:
            for agent in agents:
                await held.enter_async_context(agent.message_lock)
            if kwargs.get("start_new_transaction", True) is False:
                for agent in agents:
                    agent.accepting = False
                kwargs["start_new_transaction"] = True
            return await commit(*args, **kwargs)

    consumer.commit = commit_at_message_boundary


# A check that only timed out is ambiguous: the event loop may have been busy (a long extraction) past the
# connect's timeout while the broker answered at once. It counts as unreachable only when repeated.
TIMED_OUT_CHECKS_FOR_UNREACHABLE = 2


async def check_broker(servers: list[str], state: WorkerState, *, timeout: float = 2.0) -> None:
    """Record whether any bootstrap server accepts a TCP connection (for /health; the clients retry by themselves).

    A refused connection counts at once; a timeout only when the next check times out too (see above)."""
    reachable, timed_out = False, False
    for server in servers:
        host, _, port = server.rpartition(":")
        try:
            _, writer = await asyncio.wait_for(asyncio.open_connection(host.strip("[]"), int(port)), timeout)
        except TimeoutError:
            timed_out = True
            continue
        except (OSError, ValueError):
            continue
        writer.close()
        reachable = True
        break
    if reachable or not timed_out:
        state.broker_checks_timed_out = 0
        state.broker_reachable = reachable
    else:
        state.broker_checks_timed_out += 1
        if state.broker_checks_timed_out >= TIMED_OUT_CHECKS_FOR_UNREACHABLE:
            state.broker_reachable = False
    state.broker_checked_at = time.time()


async def update_consumer_lag(app: Any, *, topic: str, metrics: Metrics, state: WorkerState) -> None:
    """Set the lag gauge of each assigned input partition: log end offset minus the next offset to process."""
    assigned = [tp for tp in app.consumer.assignment() if tp.topic == topic]
    seen: set[str] = set()
    try:
        if assigned:
            highwaters = await app.consumer.highwaters(*assigned)
            for tp in assigned:
                end = highwaters.get(tp)
                if end is None:
                    continue
                position = state.next_offsets.get(tp.partition)
                if position is None:
                    position = await app.consumer.position(tp)
                if position is None:
                    continue
                label = str(tp.partition)
                metrics.consumer_lag.labels(partition=label).set(max(0, end - position))
                seen.add(label)
    except (IllegalStateError, AssertionError) as exc:
        # A rebalance took a partition away between reading the assignment and asking for its offsets (aiokafka
        # raises IllegalStateError, or AssertionError for the last stable offset under exactly-once). An
        # exception here would crash the worker; the next tick sees the new assignment.
        log.debug("consumer lag skipped during a rebalance: %r", exc)
        return
    # Forget partitions that moved to another worker so their last value does not linger as a phantom lag.
    for label in state.lag_partitions - seen:
        metrics.consumer_lag.remove(label)
    state.lag_partitions = seen
