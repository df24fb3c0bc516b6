"""The consumer adaptations: installed before the consumer starts, and each doing what it claims on faust's consumer."""

from __future__ import annotations

import asyncio
import logging
from types import SimpleNamespace

import pytest
from faust.types import TP
from mode.utils.queues import FlowControlQueue

from streams.kafka.consumer_tuning import (
    FETCH_MAX_WAIT_MS,
    commit_past_offset_holes,
    deliver_each_record_once,
    keep_fetching_under_backpressure,
    shorten_fetch_wait,
)
from streams.settings import Settings
from streams.worker.agents import guard_offset_commits
from streams.worker.app import create_pipeline

INPUT = TP("articles.raw", 0)


def test_app_start_installs_the_commit_guard_and_the_backpressure_fix_before_the_consumer_runs(
    settings: Settings,
) -> None:
    pipeline = create_pipeline(settings)
    consumer = pipeline.app.consumer
    original_commit = consumer.commit

    async def start_app_only() -> None:
        await pipeline.app.on_start()  # the app's own start hook; the consumer service has not started

    asyncio.run(start_app_only())
    assert consumer.commit is not original_commit and consumer.commit.__name__ == "commit_at_message_boundary"
    assert consumer.on_buffer_full.__name__ == "keep_partition_active"
    assert consumer.resume_partitions.__name__ == "resume_changelogs_hold_inputs"
    assert not consumer.should_stop and consumer.state != "running"


def test_a_full_stream_queue_no_longer_takes_the_partition_out_of_the_fetcher(settings: Settings) -> None:
    consumer = create_pipeline(settings).app.consumer
    consumer._active_partitions = {INPUT}  # what faust holds once the partition is assigned

    consumer.on_buffer_full(INPUT)
    assert consumer._get_active_partitions() == set(), "precondition: faust's own handler deactivates the partition"

    consumer._active_partitions = {INPUT}
    consumer._buffered_partitions.clear()
    keep_fetching_under_backpressure(consumer)
    consumer.on_buffer_full(INPUT)
    assert consumer._get_active_partitions() == {INPUT}


def test_the_fetch_wait_is_shortened_on_a_running_consumer() -> None:
    fetcher = SimpleNamespace(_fetch_max_wait_ms=1500)
    consumer = SimpleNamespace(_thread=SimpleNamespace(_consumer=SimpleNamespace(_fetcher=fetcher)))
    assert shorten_fetch_wait(consumer) is True
    assert fetcher._fetch_max_wait_ms == FETCH_MAX_WAIT_MS


def test_the_fetch_wait_names_match_the_installed_faust_and_aiokafka(settings: Settings) -> None:
    # The attribute chain shorten_fetch_wait walks, checked on the real classes: a release that moves it fails here.
    from aiokafka.consumer.fetcher import Fetcher

    consumer = create_pipeline(settings).app.consumer
    assert hasattr(consumer, "_thread") and "_fetch_max_wait_ms" in Fetcher.__init__.__code__.co_names


def test_a_consumer_without_the_fetcher_is_left_alone_with_a_warning(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="streams.kafka.consumer_tuning"):
        assert shorten_fetch_wait(SimpleNamespace(_thread=SimpleNamespace(_consumer=None))) is False
    assert "fetch wait" in caplog.text


def test_a_restarted_app_does_not_wrap_its_consumer_twice(settings: Settings) -> None:
    pipeline = create_pipeline(settings)

    async def start_twice() -> None:
        await pipeline.app.on_start()
        wrapped_once = pipeline.app.consumer.commit
        await pipeline.app.on_start()
        assert pipeline.app.consumer.commit is wrapped_once

    asyncio.run(start_twice())


def _offsets_consumer(
    committed: int | None,
    delivered: list[int],
    acked: list[int],
    gap: tuple[int, int] | None,
    *,
    fixed: bool,
    once: bool = False,
) -> SimpleNamespace:
    """The parts of faust's consumer its own _new_offset reads (faust's _new_offset bound to them), after the
    fetch loop delivered `delivered` (registering `gap` as faust's loop would) and the agent acked `acked`."""
    from collections import defaultdict

    from faust.transport.consumer import Consumer
    from intervaltree import IntervalTree

    async def deliver(message: object) -> None:
        return None

    async def perform_seek() -> None:
        return None

    async def seek(partition: TP, offset: int) -> None:
        return None

    stub = SimpleNamespace(
        callback=deliver,
        perform_seek=perform_seek,
        seek=seek,
        app=SimpleNamespace(topics=SimpleNamespace(acks_enabled_for=lambda topic: topic == INPUT.topic)),
        _acked=defaultdict(list),
        _acked_index=defaultdict(set),
        _committed_offset=defaultdict(lambda: None, {INPUT: committed}),
        _gap=defaultdict(IntervalTree),
    )
    stub._new_offset = Consumer._new_offset.__get__(stub)
    if fixed:
        commit_past_offset_holes(stub)
    if once:
        deliver_each_record_once(stub)
    if gap is not None:
        stub._gap[INPUT].addi(*gap)

    async def fetch() -> None:
        for offset in delivered:
            await stub.callback(SimpleNamespace(tp=INPUT, topic=INPUT.topic, offset=offset))

    asyncio.run(fetch())
    stub._acked[INPUT].extend(acked)
    stub._acked_index[INPUT].update(acked)
    return stub


@pytest.mark.parametrize(
    ("committed", "delivered", "acked", "gap", "faust_alone", "expected"),
    [
        # after a restart: markers at 4-6 (two transactions' commits), records from 7
        (4, [7, 8, 9], [7, 8, 9], None, None, 10),
        # first run: record 0, markers at 1-2 (faust's loop does not look at a jump from offset 0)
        (None, [0, 3, 4], [0, 3, 4], None, 1, 5),
        # faust's loop saw the hole 486-776 and recorded it with 777 included: 777 twice cuts faust's run short
        (484, [485, 777, 778], [485, 777, 778], (486, 778), 778, 779),
        # no hole: the same as faust
        (10, [10, 11], [10, 11], None, 12, 12),
        # 11 was delivered and is not acked yet (still in the agent's hands): the commit stops before it
        (10, [10, 11, 12], [10, 12], None, 11, 11),
    ],
)
def test_commits_go_past_offsets_the_consumer_skipped_and_stop_at_records_not_acked(
    committed: int | None,
    delivered: list[int],
    acked: list[int],
    gap: tuple[int, int] | None,
    faust_alone: int | None,
    expected: int,
) -> None:
    stuck = _offsets_consumer(committed, delivered, acked, gap, fixed=False)
    fixed = _offsets_consumer(committed, delivered, acked, gap, fixed=True)

    assert stuck._new_offset(INPUT) == faust_alone  # None: nothing to commit, and so it stays for this partition
    assert fixed._new_offset(INPUT) == expected


def test_a_record_delivered_again_without_a_seek_reaches_the_agent_once() -> None:
    received: list[tuple[str, int]] = []

    async def agent(message: SimpleNamespace) -> None:
        received.append((message.topic, message.offset))

    async def nothing(*args: object) -> None:
        return None

    changelog = TP("newsevents-stories-changelog", 0)
    consumer = SimpleNamespace(
        callback=agent,
        perform_seek=nothing,
        seek=nothing,
        app=SimpleNamespace(topics=SimpleNamespace(acks_enabled_for=lambda topic: topic == INPUT.topic)),
    )
    deliver_each_record_once(consumer)

    async def fetch(tp: TP, *offsets: int) -> None:
        for offset in offsets:
            await consumer.callback(SimpleNamespace(tp=tp, topic=tp.topic, offset=offset))

    async def run() -> None:
        await fetch(INPUT, 7, 8, 8, 9)
        await fetch(changelog, 3, 3)  # a table's changelog is read again at every recovery: never filtered
        await consumer.perform_seek()  # faust seeks back to the committed offset: read again on purpose
        await fetch(INPUT, 8)
        await consumer.seek(INPUT, 5)
        await fetch(INPUT, 5)

    asyncio.run(run())
    assert received == [
        (INPUT.topic, 7),
        (INPUT.topic, 8),
        (INPUT.topic, 9),
        (changelog.topic, 3),
        (changelog.topic, 3),
        (INPUT.topic, 8),
        (INPUT.topic, 5),
    ]


def test_the_final_commit_at_shutdown_leaves_a_transaction_open_and_stops_the_agents() -> None:
    calls: list[dict] = []

    async def commit(*args: object, **kwargs: object) -> bool:
        calls.append(dict(kwargs))
        return True

    consumer = SimpleNamespace(commit=commit)
    agents = [SimpleNamespace(message_lock=asyncio.Lock(), accepting=True) for _ in range(2)]
    guard_offset_commits(consumer, *agents)

    async def run() -> None:
        await consumer.commit()
        assert all(agent.accepting for agent in agents)
        await consumer.commit(start_new_transaction=False)
        await consumer.commit(start_new_transaction=False)  # faust makes it twice

    asyncio.run(run())
    assert calls == [{}, {"start_new_transaction": True}, {"start_new_transaction": True}]
    assert not any(agent.accepting for agent in agents)


@pytest.mark.parametrize("worker_setup", [False, True])
def test_no_record_fetched_while_faust_resumes_the_inputs_after_a_recovery_is_dropped_unhandled(
    settings: Settings, worker_setup: bool
) -> None:
    # faust's own end of a table recovery (Recovery.on_recovery_completed): resume the input partitions, seek them to
    # the committed offsets, resume the flow control, which empties the agents' queues. The seek stands in for the
    # fetcher: every input partition it may fetch from during the seek delivers a record into an agent's queue.
    pipeline = create_pipeline(settings)
    app, consumer = pipeline.app, pipeline.app.consumer
    story_events = TP(settings.topic_story_events, 0)
    changelog = TP(f"{settings.app_id}-stories-changelog", 0)
    agent_queue: FlowControlQueue = FlowControlQueue(flow_control=app.flow_control, clear_on_resume=True)
    delivered: list[TP] = []

    async def seek_while_the_fetcher_delivers() -> None:
        for tp in consumer._get_active_partitions() - {changelog}:
            delivered.append(tp)
            agent_queue.put_nowait(tp)

    async def fetcher_running() -> None:
        return None

    async def complete_a_recovery() -> None:
        if worker_setup:
            await app.on_start()  # the worker's consumer adaptations, as before the first assignment
        consumer.assignment = lambda: {story_events, changelog}
        consumer.pause_partitions({story_events, changelog})  # as at every assignment
        consumer.perform_seek = seek_while_the_fetcher_delivers
        app._fetcher.maybe_start = fetcher_running
        await app.tables.recovery.on_recovery_completed(app.consumer_generation_id)

    asyncio.run(complete_a_recovery())
    dropped = len(delivered) - agent_queue.qsize()
    # faust alone: the record delivered during the seek was cleared from the queue, never to be handled
    assert dropped == (0 if worker_setup else 1)
    assert story_events in consumer._get_active_partitions()  # fetched from once the flow control is resumed
