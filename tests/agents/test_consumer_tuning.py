"""The consumer adaptations: installed before the consumer starts, and each doing what it claims on faust's consumer."""

from __future__ import annotations

import asyncio
import logging
from types import SimpleNamespace

import pytest
from faust.types import TP

from streams.kafka.consumer_tuning import (
    FETCH_MAX_WAIT_MS,
    commit_past_offset_holes,
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


def _offsets_consumer(committed: int | None, acked: list[int], gap: tuple[int, int] | None = None) -> SimpleNamespace:
    """The parts of faust's consumer its own _new_offset reads, with faust's _new_offset bound to them."""
    from collections import defaultdict

    from faust.transport.consumer import Consumer
    from intervaltree import IntervalTree

    stub = SimpleNamespace(
        _acked=defaultdict(list, {INPUT: list(acked)}),
        _acked_index=defaultdict(set, {INPUT: set(acked)}),
        _committed_offset=defaultdict(lambda: None, {INPUT: committed}),
        _gap=defaultdict(IntervalTree),
    )
    if gap is not None:
        stub._gap[INPUT].addi(*gap)
    stub._new_offset = Consumer._new_offset.__get__(stub)
    return stub


@pytest.mark.parametrize(
    ("committed", "acked", "faust_alone", "expected", "gap"),
    [
        (4, [7, 8, 9], None, 10, None),  # after a restart: markers at 4-6 (two transactions' commits), records from 7
        (None, [0, 3, 4], 1, 5, None),  # first run: record 0, markers at 1-2 (faust does not notice a jump from 0)
        (10, [11, 12, 14, 15], 13, 16, None),  # a marker between acked records that faust's fetch loop did not see
        (10, [10, 11], 12, 12, None),  # no hole: the same as faust
        (484, [777, 778], 779, 779, (485, 777)),  # a hole faust's fetch loop saw: filled once, not twice
    ],
)
def test_commits_go_past_offsets_that_were_never_delivered(
    committed: int | None, acked: list[int], faust_alone: int | None, expected: int, gap: tuple[int, int] | None
) -> None:
    stuck = _offsets_consumer(committed, acked, gap)
    fixed = _offsets_consumer(committed, acked, gap)
    commit_past_offset_holes(fixed)

    assert stuck._new_offset(INPUT) == faust_alone  # None: nothing to commit, ever, for this partition
    assert fixed._new_offset(INPUT) == expected
    assert fixed._new_offset(INPUT) is None and not fixed._acked[INPUT]  # all of it committed at once


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
