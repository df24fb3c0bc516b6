"""Corrections to how faust drives its aiokafka consumer: fetching, commits, redeliveries, a recovery's end."""

from __future__ import annotations

import logging
from typing import Any

log = logging.getLogger(__name__)

# How long the broker may hold a fetch request open when none of its partitions has data. Faust hard-codes 1.5 s.
FETCH_MAX_WAIT_MS = 100


def keep_fetching_under_backpressure(consumer: Any) -> None:
    """Stop faust from taking partitions out of the fetcher when the agent's queue fills up.

    When the stream queue passes 80 % of stream_buffer_maxsize, faust drops the partition from the fetcher's
    active set and adds it back once the queue has drained to 40 %. When every partition is out, the fetcher
    sleeps a whole second before it looks again, however soon the queue drains; with a backlog the queue always
    fills, so the worker stood still for up to a second every few seconds. The queue bounds memory without it:
    when it is full, delivering the next message waits for room, which holds the fetch loop (the records wait
    in the consumer's fetch buffer, itself bounded by max_partition_fetch_bytes per partition).

    Faust's per-partition delivery handlers capture on_buffer_full when partitions are assigned, so this must
    run before the first assignment (PipelineApp.on_start does).
    """

    def keep_partition_active(tp: Any) -> None:
        return None

    consumer.on_buffer_full = keep_partition_active


def shorten_fetch_wait(consumer: Any, *, max_wait_ms: int = FETCH_MAX_WAIT_MS) -> bool:
    """Let the broker hold an empty fetch for max_wait_ms instead of faust's fixed 1.5 s.

    aiokafka keeps one fetch request in flight per broker and leaves out the partitions whose records are still
    buffered. While the agent works through a backlog, the request often names only partitions without new data
    (faust's empty leader-election topic, caught-up partitions); the broker then holds it for the full wait and
    the partitions that were drained meanwhile cannot be fetched until it returns: gaps of about a second with
    nothing to process. With a short wait an idle worker sends ten empty fetches a second, which costs the broker
    next to nothing; data that arrives still ends a waiting fetch at once.

    Reaches into aiokafka's fetcher (the wait is read for every request), so it returns False and logs a warning
    instead of failing when a faust or aiokafka release moves it; call it once the consumer is running (on
    partition assignment).
    """
    fetcher = getattr(getattr(getattr(consumer, "_thread", None), "_consumer", None), "_fetcher", None)
    if fetcher is None or not hasattr(fetcher, "_fetch_max_wait_ms"):
        log.warning("could not shorten the consumer's fetch wait: this faust/aiokafka version keeps it elsewhere")
        return False
    fetcher._fetch_max_wait_ms = max_wait_ms
    return True


def commit_past_offset_holes(consumer: Any) -> None:
    """Let faust commit past offsets that were never delivered: transaction markers and aborted records.

    Faust commits a partition up to the first hole in its acked offsets. It learns of holes only from its fetch
    loop, which misses the jump after offset 0 and the jump from the committed offset to the first record after
    an assignment, and records each hole it sees with the record after it included, so that offset is then acked
    twice and the run faust commits stops there. A topic written in transactions (story-events: four pipeline
    transactions write to each partition) has commit markers between its records, often several in a row. Measured
    under exactly_once: the stories agent's offsets stayed at 3 of 5,400 on one partition, its outputs stayed in
    transactions that only the other input's commits committed, and when the articles stopped the broker aborted
    them after the transaction timeout: stories and alerts lost for read_committed readers while the in-memory
    table still held them; after a restart the whole partition was read again.

    So the offsets between two records delivered one after the other (and between the committed offset and the
    first record delivered after it) are recorded as holes, and faust's holes and acked offsets are merged into
    one run without repeats before faust looks for its end. Only offsets the consumer skipped are filled: a record
    delivered but not yet acked stays a hole that stops the commit.
    """
    deliver = consumer.callback
    last_delivered: dict[Any, int] = {}

    async def deliver_noting_holes(message: Any) -> Any:
        tp, offset = message.tp, message.offset
        previous = last_delivered.get(tp)
        if previous is None or offset <= previous:  # first record, or read again after a seek: from the commit
            committed = consumer._committed_offset[tp]
            start = committed if committed is not None and committed >= 0 else offset
        else:
            start = previous + 1
        if offset > start:
            consumer._gap[tp].addi(start, offset)
            consumer._gap[tp].merge_overlaps()
        last_delivered[tp] = offset
        return await deliver(message)

    new_offset = consumer._new_offset

    def new_offset_past_holes(tp: Any) -> Any:
        acked = consumer._acked[tp]
        if acked:
            top = max(acked)
            gap = consumer._gap[tp]
            filled = set(acked)
            for interval in gap.overlap(0, top + 1):
                filled.update(range(interval.begin, min(interval.end, top + 1)))
            gap.chop(0, top + 1)
            committed = consumer._committed_offset[tp]
            acked[:] = sorted(o for o in filled if committed is None or o >= committed)
        return new_offset(tp)

    consumer.callback = deliver_noting_holes
    consumer._new_offset = new_offset_past_holes


def fetch_stream_partitions_after_the_queue_clear(consumer: Any) -> None:
    """Resume fetching the input partitions after a recovery only once faust has cleared the agents' queues.

    When table recovery ends, faust resumes the input partitions, seeks them to their committed offsets (which takes
    a round trip to the broker, often close to a second) and then resumes its flow control, which empties every
    agent's queue: a queue may still hold messages of partitions this worker lost in the rebalance. Records fetched
    during the seek were delivered into those queues and dropped unhandled; when the seek had already run in the
    consumer's thread, they are not fetched again. Worse, the seek set faust's read offset back to the committed
    offset after those records were delivered, so the next record looked like a jump over offsets never delivered:
    faust recorded them as a hole and committed past them. Measured after a SIGKILL: the replacing worker, whose
    stories agent was busy with its first batch, dropped 31 story-events records during the seek and committed past
    them, leaving their reports out of their stories for good (docs/performance.md, section 6).

    So resuming an input partition is held back until the flow control has been resumed: nothing of the new
    assignment can be in a queue when it is cleared, and the first record fetched after the seek comes after it.
    Changelog partitions (the recovery itself) are resumed at once. A partition paused again meanwhile (another
    rebalance) is no longer held: the next recovery resumes it.
    """
    app = consumer.app
    held: set[Any] = set()
    resume_partitions = consumer.resume_partitions
    pause_partitions = consumer.pause_partitions
    resume_flow_control = app.flow_control.resume

    def resume_changelogs_hold_inputs(tps: Any) -> None:
        partitions = set(tps)
        inputs = {tp for tp in partitions if not consumer._is_changelog_tp(tp)}
        held.update(inputs)
        resume_partitions(partitions - inputs)

    def pause_and_release(tps: Any) -> None:
        partitions = set(tps)
        held.difference_update(partitions)
        pause_partitions(partitions)

    def resume_flow_control_then_inputs() -> None:
        resume_flow_control()  # empties the agents' queues
        if held:
            resume_partitions(set(held))
            held.clear()

    consumer.resume_partitions = resume_changelogs_hold_inputs
    consumer.pause_partitions = pause_and_release
    app.flow_control.resume = resume_flow_control_then_inputs


def deliver_each_record_once(consumer: Any) -> None:
    """Do not hand an agent a record it already got, unless faust sought back since (then it is read again on purpose).

    Faust's fetch loop drops a record below the offset it last delivered but lets the same offset through again, and
    the consumer sometimes returns the last record of a partition a second time, just before the next one, without
    any seek or rebalance. Measured under exactly_once on a replacing worker: input offset 5516 was processed,
    committed (5517) and delivered again 8 s later, so the article was processed twice and its outcome published
    twice; story-events records were redelivered the same way (handled as duplicates). A redelivered offset would
    also reach commit_past_offset_holes as a jump back, which it takes for a seek. Only the agents' inputs (topics
    whose offsets are committed) are filtered; after a seek (faust's perform_seek or seek) records are read again.
    """
    deliver = consumer.callback
    acks_enabled_for = consumer.app.topics.acks_enabled_for
    last_delivered: dict[Any, int] = {}

    async def deliver_once(message: Any) -> Any:
        if acks_enabled_for(message.topic):
            previous = last_delivered.get(message.tp)
            if previous is not None and message.offset <= previous:
                log.debug(
                    "not delivering %s offset %d again (delivered up to %d)", message.tp, message.offset, previous
                )
                return None
            last_delivered[message.tp] = message.offset
        return await deliver(message)

    perform_seek = consumer.perform_seek
    seek = consumer.seek

    async def perform_seek_then_read_again() -> Any:
        try:
            return await perform_seek()
        finally:
            last_delivered.clear()

    async def seek_then_read_again(partition: Any, offset: int) -> Any:
        try:
            return await seek(partition, offset)
        finally:
            last_delivered.pop(partition, None)

    consumer.callback = deliver_once
    consumer.perform_seek = perform_seek_then_read_again
    consumer.seek = seek_then_read_again
