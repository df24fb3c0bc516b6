"""The stall report's parts (streams/worker/watchdog.py): where each task and thread waits, the stream queues' fill,
the consumer thread's tasks; and the faust internals the watchdog reads, checked against the installed faust, with a
line or a warning, never silence, when they cannot be read."""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Set as AbstractSet
from types import SimpleNamespace
from typing import Any

import faust
import pytest
from aiokafka.errors import IllegalStateError
from faust.types import TP, Message
from mode.threads import ServiceThread
from test_stall_watchdog import TIMEOUT, Clock, Counted

from streams.worker.stall_report import (
    channel_queues,
    consumer_thread_tasks,
    task_stacks,
    thread_stacks,
    unacked_by_partition,
    undelivered_by_partition,
)
from streams.worker.watchdog import (
    CommitProgress,
    StallLimits,
    StallWatchdog,
    WatchedAgent,
    WorkerProbes,
)


def test_task_stacks_name_each_task_and_where_it_waits() -> None:
    async def waiting_here() -> None:
        await asyncio.sleep(10)

    async def scenario() -> list[str]:
        task = asyncio.create_task(waiting_here(), name="sleeper")
        await asyncio.sleep(0)
        try:
            return task_stacks(asyncio.get_running_loop())
        finally:
            task.cancel()

    lines = asyncio.run(scenario())
    (sleeper,) = [line for line in lines if line.startswith("sleeper: ")]
    assert sleeper.startswith("sleeper: sleep (tasks.py:") and "<- waiting_here (test_stall_report.py:" in sleeper


def test_thread_stacks_show_a_thread_busy_in_code_that_never_awaits() -> None:
    """A loop stuck in synchronous code has no await chain to show: its thread's stack says where it runs."""
    stop, spinning = threading.Event(), threading.Event()

    def spinning_here() -> None:
        spinning.set()
        while not stop.is_set():
            pass

    spinner = threading.Thread(target=spinning_here, name="spinner")
    spinner.start()
    try:
        assert spinning.wait(10.0)  # Thread.start() returns before run(): a snapshot then shows no spinning_here
        lines = thread_stacks()
    finally:
        stop.set()
        spinner.join()
    (line,) = [line for line in lines if line.startswith("thread spinner: ")]
    assert "spinning_here (test_stall_report.py:" in line and "<- run (threading.py:" in line
    assert any(line.startswith("thread MainThread: thread_stacks (stall_report.py:") for line in lines)


def test_channel_queues_list_each_existing_queue_fullest_first() -> None:
    """A full queue holds faust's fetch loop; a channel without a queue yet is left out (never created from the
    watchdog's thread)."""

    def channel(size: int | None, maxsize: int = 4096) -> SimpleNamespace:
        if size is None:
            return SimpleNamespace(_queue=None)
        queue: asyncio.Queue[int] = asyncio.Queue(maxsize=maxsize)
        for item in range(size):
            queue.put_nowait(item)
        return SimpleNamespace(_queue=queue)

    index = {"raw": [channel(12)], "story-events": [channel(4096)], "idle": [channel(None)]}
    app = SimpleNamespace(topics=SimpleNamespace(_topic_name_index=index))
    assert channel_queues(app) == ["story-events: 4096/4096", "raw: 12/4096"]
    assert channel_queues(SimpleNamespace()) == ["(stream queues not readable)"]


def test_the_faust_internals_the_watchdog_reads_are_there() -> None:
    # An upgrade that renames these fails here, not as a stall that goes unreported (review 17, part 2, finding 9).
    app = faust.App("watchdog-guard", broker="kafka://localhost:1", store="memory://")
    consumer = app.consumer  # built, never started: no broker is asked
    try:
        assert app._consumer is consumer
        for name in ("_read_offset", "_committed_offset"):  # no public reader of these without the loop (position())
            assert hasattr(consumer, name), name
        assert isinstance(consumer.unacked, AbstractSet)  # faust's public Consumer.unacked, not its private set
        assert isinstance(consumer._thread, ServiceThread) and consumer._thread.thread_loop is not None
        assert isinstance(app.topics._topic_name_index, dict)
        assert "_queue" in vars(app.topic("watchdog-guard-topic"))
        # The watchdog's readers on the real objects, thread not started: empty answers, no error, no "(not readable)".
        assert undelivered_by_partition(consumer, "watchdog-guard-topic", 0) == {}
        assert unacked_by_partition(consumer, "watchdog-guard-topic") == {}
        assert consumer_thread_tasks(app) == [] and channel_queues(app) == []
        # A message faust tracks (as its conductor does before delivering it to a stream) is one in the agent's hands.
        message = Message("watchdog-guard-topic", 2, 7, 0.0, 0, None, None, b"{}", None)
        consumer.track_message(message)
        assert unacked_by_partition(consumer, "watchdog-guard-topic") == {2: 1}
        assert unacked_by_partition(consumer, "another-topic") == {}
    finally:
        consumer._thread.thread_loop.close()


def test_consumer_thread_tasks_say_when_they_cannot_be_read() -> None:
    assert consumer_thread_tasks(SimpleNamespace(_consumer=None)) == ["(no consumer yet)"]
    assert consumer_thread_tasks(SimpleNamespace(_consumer=SimpleNamespace(_thread=None))) == ["(not readable)"]


class OffsetsConsumer:
    """A consumer with one assigned partition whose offsets are read as `highwater` says."""

    def __init__(self, highwater: Any) -> None:
        self._read_offset: dict[Any, int] = {}
        self._committed_offset: dict[Any, int] = {}
        self.unacked: set[Any] = set()
        self.highwater = highwater

    def assignment(self) -> set[Any]:
        return {TP("raw", 0)}


def test_offsets_that_cannot_be_read_are_told_once_and_a_rebalance_s_never(caplog: pytest.LogCaptureFixture) -> None:
    def revoked(tp: Any) -> int:
        raise IllegalStateError("Partition is not assigned")

    def looks(consumer: Any) -> list[str]:
        clock = Clock()
        watchdog = StallWatchdog(
            {"pipeline": WatchedAgent("raw", Counted())},
            WorkerProbes(lambda: consumer, CommitProgress()),
            StallLimits(timeout=TIMEOUT, grace=0.0),
            lambda whats, reason: None,
            clock=clock,
        )
        caplog.clear()
        with caplog.at_level(logging.WARNING, logger="streams.worker.watchdog"):
            for _ in range(3):
                assert watchdog.check() is None
                clock.now += 1.0
        return [record.getMessage() for record in caplog.records]

    assert looks(OffsetsConsumer(revoked)) == []
    moved = OffsetsConsumer(lambda tp: 10)
    del moved._read_offset  # a faust release that renamed it
    (warning,) = looks(moved)
    assert "cannot read the records not yet delivered" in warning and "AttributeError" in warning
