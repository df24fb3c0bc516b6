"""The stall watchdog: a worker whose agent holds messages without acking, or whose offset commit never ends, is
reported (log, metric, /health) and exits with STALL_EXIT_CODE; an idle or progressing worker never is."""

from __future__ import annotations

import asyncio
import logging
import threading
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import pytest

from streams.worker.agents import WorkerState, guard_offset_commits
from streams.worker.metrics import Metrics
from streams.worker.watchdog import (
    STALL_EXIT_CODE,
    CommitProgress,
    StallLimits,
    StallWatchdog,
    WatchedAgent,
    WorkerProbes,
    stall_watchdog,
)
from streams.worker.web import health_report

TIMEOUT = 60.0


@dataclass(frozen=True)
class FakeMessage:
    topic: str
    partition: int
    offset: int


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class Counted:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self) -> int:
        return self.count


def _watchdog(
    consumer: Any, agents: dict[str, WatchedAgent], commit: CommitProgress, clock: Clock
) -> tuple[StallWatchdog, list[tuple[list[str], str]]]:
    stalls: list[tuple[list[str], str]] = []
    watchdog = StallWatchdog(
        agents,
        WorkerProbes(lambda: consumer, commit=commit),
        StallLimits(timeout=TIMEOUT, grace=0.0),
        lambda whats, reason: stalls.append((whats, reason)),
        clock=clock,
    )
    return watchdog, stalls


def test_an_agent_holding_messages_without_acking_for_the_timeout_is_a_stall() -> None:
    clock, progress = Clock(), Counted()
    consumer = SimpleNamespace(unacked={FakeMessage("raw", 1, 7), FakeMessage("raw", 1, 8)})
    agents = {"pipeline": WatchedAgent("raw", progress, asyncio.Lock()), "stories": WatchedAgent("se", Counted())}
    watchdog, stalls = _watchdog(consumer, agents, CommitProgress(), clock)
    assert watchdog.check() is None  # first look: the starting point
    clock.now += TIMEOUT - 1
    assert watchdog.check() is None
    clock.now += 1
    reason = watchdog.check()
    assert reason is not None and stalls == [(["pipeline"], reason)]
    assert "agent pipeline held 2 un-acked raw messages (by partition {1: 2}) for 60 s without acking (batch" in reason
    assert "batch locks: pipeline free, stories free" in reason
    assert watchdog.check() is None and len(stalls) == 1  # reported once


def test_progress_or_no_waiting_message_is_never_a_stall() -> None:
    clock, progress = Clock(), Counted()
    unacked = {FakeMessage("raw", 0, 1)}
    consumer = SimpleNamespace(unacked=unacked)
    watchdog, stalls = _watchdog(consumer, {"pipeline": WatchedAgent("raw", progress)}, CommitProgress(), clock)
    for _ in range(10):  # acking, slowly: every look sees a new count
        watchdog.check()
        progress.count += 1
        clock.now += TIMEOUT
    unacked.clear()
    for _ in range(10):  # idle: nothing delivered, nothing acked
        watchdog.check()
        clock.now += TIMEOUT
    unacked.add(FakeMessage("other-topic", 0, 5))  # another agent's message does not count for this one
    clock.now += TIMEOUT
    watchdog.check()
    assert stalls == []


def test_a_commit_that_does_not_end_is_a_stall() -> None:
    clock = Clock()
    commit = CommitProgress(started_at=clock.now)
    watchdog, stalls = _watchdog(SimpleNamespace(unacked=set()), {}, commit, clock)
    clock.now += TIMEOUT - 1
    assert watchdog.check() is None
    clock.now += 1
    assert watchdog.check() is not None and stalls[0][0] == ["commit"]


def test_the_probes_take_the_commit_guards_progress_from_the_caller() -> None:
    # A default CommitProgress, updated by nothing, would leave a watchdog blind to stuck commits without an error.
    with pytest.raises(TypeError, match="commit"):
        WorkerProbes(lambda: None)  # type: ignore[call-arg]


def test_no_stall_is_reported_while_the_worker_stops() -> None:
    clock = Clock()
    watchdog = StallWatchdog(
        {},
        WorkerProbes(lambda: None, commit=CommitProgress(started_at=clock.now - 10 * TIMEOUT), stopping=lambda: True),
        StallLimits(timeout=TIMEOUT, grace=0.0),
        lambda whats, reason: pytest.fail("reported while stopping"),
        clock=clock,
    )
    assert watchdog.check() is None


def test_a_stuck_commit_holding_the_agents_locks_is_reported_with_the_tasks(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The hang's shape (sessions 14 and 16): an offset commit that never returns holds the agents' batch locks, so
    the pipeline agent waits for its lock with messages in hand. Before the watchdog nothing noticed."""
    asyncio.run(_stuck_commit(caplog))


async def _stuck_commit(caplog: pytest.LogCaptureFixture) -> None:
    never = asyncio.Event()

    async def inner_commit(*args: Any, **kwargs: Any) -> bool:
        await never.wait()
        return True

    pipeline = SimpleNamespace(message_lock=asyncio.Lock(), accepting=True)
    stories = SimpleNamespace(message_lock=asyncio.Lock(), accepting=True)
    consumer = SimpleNamespace(commit=inner_commit, unacked={FakeMessage("raw", 0, 3)})
    commits = CommitProgress()
    guard_offset_commits(consumer, pipeline, stories, progress=commits)
    committing = asyncio.create_task(consumer.commit(), name="stuck-commit")
    await asyncio.sleep(0.01)
    assert commits.started_at is not None and pipeline.message_lock.locked() and stories.message_lock.locked()

    metrics, state = Metrics(), WorkerState()
    app = SimpleNamespace(
        consumer_setup=[], _consumer=consumer, should_stop=False, rebalancing=False, in_recovery=False
    )
    processed = Counted()
    agents = {
        "pipeline": WatchedAgent("raw", processed, pipeline.message_lock),
        "stories": WatchedAgent("se", Counted(), stories.message_lock),
    }
    watchdog = stall_watchdog(app, agents, commits, StallLimits(timeout=0.05, grace=0.0), metrics=metrics, state=state)
    app.consumer_setup[0](consumer)  # captures this loop (for the tasks' stacks); no thread: the test looks itself
    watchdog.check()
    await asyncio.sleep(0.06)
    with caplog.at_level(logging.ERROR, logger="streams.worker.watchdog"):
        reason = watchdog.check()
    assert (
        reason is not None
        and "agent pipeline held 1 un-acked raw messages" in reason
        and "offset commit started" in reason
    )
    assert "batch locks: pipeline held, stories held" in reason
    assert "stuck-commit: " in caplog.text and "inner_commit" in caplog.text  # where the commit waits
    assert "\nThreads:\n  thread MainThread: " in caplog.text and "\nConsumer thread tasks:" in caplog.text
    assert "\nStream queues (records/max):\n  (stream queues not readable)" in caplog.text  # this app has none
    assert state.stalled_reason == reason
    assert metrics.registry.get_sample_value("newsevents_worker_stalled") == 1
    assert metrics.registry.get_sample_value("newsevents_worker_stalls_total", {"what": "commit"}) == 1
    assert metrics.registry.get_sample_value("newsevents_worker_stalls_total", {"what": "pipeline"}) == 1
    assert metrics.registry.get_sample_value("newsevents_worker_stalls_total", {"what": "stories"}) == 0
    report = health_report(
        SimpleNamespace(consumer=SimpleNamespace(should_stop=False), should_stop=False, rebalancing=False),
        WorkerState(agent_running=True, assignment_received=True, stalled_reason=reason),
        stall_timeout_seconds=120.0,
    )
    assert report["status"] == "stalled" and not report["healthy"]
    never.set()
    assert await committing is True
    assert commits.started_at is None and not pipeline.message_lock.locked()


def test_the_thread_exits_the_process_with_the_stall_code_after_the_grace() -> None:
    exited = threading.Event()
    codes: list[int] = []

    def exit_process(code: int) -> None:
        codes.append(code)
        exited.set()

    watchdog = StallWatchdog(
        {},
        WorkerProbes(lambda: None, commit=CommitProgress(started_at=0.0)),
        StallLimits(timeout=1.0, grace=0.01),
        lambda whats, reason: None,
        clock=lambda: 100.0,
        exit_process=exit_process,
    )
    watchdog.start(interval=0.01)
    assert exited.wait(5.0) and codes == [STALL_EXIT_CODE]


def test_the_worker_wires_a_watchdog_over_both_agents_and_the_commit_guard(settings: Any) -> None:
    from streams.worker.app import create_pipeline

    pipeline = create_pipeline(settings.model_copy(update={"stories_enabled": True, "stall_restart_seconds": 90.0}))
    watchdog = pipeline.watchdog
    assert watchdog is not None and watchdog.timeout == 90.0
    assert set(watchdog.agents) == {"pipeline", "stories"}
    assert watchdog.agents["stories"].topic == pipeline.settings.topic_story_events
    assert pipeline.stories is not None and watchdog.agents["stories"].lock is pipeline.stories.message_lock
    assert create_pipeline(settings.model_copy(update={"stall_restart_seconds": 0.0})).watchdog is None


class FetchingConsumer:
    """A consumer whose fetch loop delivered up to `read` while the broker holds records up to `highwater`."""

    def __init__(self, highwater: dict[Any, int], read: dict[Any, int], committed: dict[Any, int]) -> None:
        self._highwater, self._read_offset, self._committed_offset = highwater, read, committed
        self.unacked: set[FakeMessage] = set()

    def assignment(self) -> set[Any]:
        return set(self._highwater)

    def highwater(self, tp: Any) -> int:
        return self._highwater[tp]


def _fetching_watchdog(agents: dict[str, WatchedAgent], consumer: FetchingConsumer, clock: Clock) -> StallWatchdog:
    return StallWatchdog(
        agents,
        WorkerProbes(lambda: consumer, CommitProgress()),
        StallLimits(timeout=TIMEOUT, grace=0.0, backlog_slack=5),
        lambda whats, reason: None,
        clock=clock,
    )


def test_records_piling_up_undelivered_while_the_agent_acks_nothing_are_a_stall() -> None:
    """A fetch loop that stopped delivering (the session-14/16 hang: faust saw the story-events highwater past the
    stream's position) leaves no message in the agent's hands; what waits is on the broker."""
    from faust.types import TP

    clock = Clock()
    raw0, raw1, other = TP("raw", 0), TP("raw", 1), TP("se", 0)
    consumer = FetchingConsumer({raw0: 500, raw1: 9, other: 900}, {raw0: 199}, {raw0: 100, raw1: 4})
    watchdog = _fetching_watchdog({"pipeline": WatchedAgent("raw", Counted())}, consumer, clock)
    watchdog.check()
    clock.now += TIMEOUT
    reason = watchdog.check()
    # raw 0: 300 records past the last delivered (offset 199); raw 1: 5 past the commit, within the markers' slack.
    assert reason is not None and "raw records not delivered to it (by partition {0: 300})" in reason


def test_a_rebalance_or_a_table_recovery_restarts_the_clocks() -> None:
    clock, paused = Clock(), [True]
    consumer = SimpleNamespace(unacked={FakeMessage("raw", 0, 1)})
    watchdog = StallWatchdog(
        {"pipeline": WatchedAgent("raw", Counted())},
        WorkerProbes(lambda: consumer, commit=CommitProgress(started_at=clock.now), paused=lambda: paused[0]),
        StallLimits(timeout=TIMEOUT, grace=0.0),
        lambda whats, reason: None,
        clock=clock,
    )
    for _ in range(5):
        clock.now += TIMEOUT
        assert watchdog.check() is None
    paused[0] = False
    clock.now += 1
    reason = watchdog.check()
    assert reason is not None and "agent pipeline" not in reason  # its clock started again with the recovery's end
    assert "offset commit" in reason  # a commit does not wait for a recovery


def test_records_waiting_for_one_agent_while_the_other_acks_are_slow_delivery_not_a_stall() -> None:
    from faust.types import TP

    clock, pipeline_progress = Clock(), Counted()
    consumer = FetchingConsumer({TP("se", 0): 900, TP("raw", 0): 50}, {TP("se", 0): 99}, {})
    agents = {"pipeline": WatchedAgent("raw", pipeline_progress), "stories": WatchedAgent("se", Counted())}
    watchdog = _fetching_watchdog(agents, consumer, clock)
    for _ in range(5):
        watchdog.check()
        pipeline_progress.count += 1
        clock.now += TIMEOUT
    assert watchdog.check() is None
    clock.now += TIMEOUT  # the pipeline stops too: the fetch loop stands still
    reason = watchdog.check()
    assert reason is not None and "agent stories acked nothing" in reason and "se records not delivered" in reason


def test_a_batch_taken_after_a_long_slow_delivery_is_not_a_stall_until_held_for_the_timeout() -> None:
    """Session 17: during a backlog under load the stories agent's records waited on the broker for longer than the
    timeout while the pipeline acked (a slow delivery, rightly no stall); the look after the agent took them as a
    batch called it a stall at once ("acked nothing for 70 s") and the worker exited in the middle of a batch that
    took seconds. The clock of messages in hand starts when the agent holds them."""
    from faust.types import TP

    clock, pipeline_progress = Clock(), Counted()
    se0 = TP("se", 0)
    consumer = FetchingConsumer({se0: 900, TP("raw", 0): 50}, {se0: 99}, {})
    agents = {"pipeline": WatchedAgent("raw", pipeline_progress), "stories": WatchedAgent("se", Counted())}
    watchdog = _fetching_watchdog(agents, consumer, clock)
    for _ in range(3):  # 2 timeouts of slow delivery while the pipeline acks
        assert watchdog.check() is None
        pipeline_progress.count += 1
        clock.now += TIMEOUT
    consumer._read_offset[se0] = 899  # the agent got its records: a batch in hand
    consumer.unacked = {FakeMessage("se", 0, offset) for offset in range(100, 900)}
    assert watchdog.check() is None
    clock.now += TIMEOUT / 2
    pipeline_progress.count += 1
    assert watchdog.check() is None  # computing it for half the timeout: no stall
    clock.now += TIMEOUT / 2
    pipeline_progress.count += 1
    reason = watchdog.check()  # held for the whole timeout without an ack: a stall
    assert (
        reason is not None and "agent stories held 800 un-acked se messages (by partition {0: 800}) for 60 s" in reason
    )
