"""A watchdog thread that turns a silent hang of the worker into a logged, counted, non-zero exit.

Twice under load (sessions 14 and 16, `bench.stories_ab`, 30,000 articles) a worker with the stories stage on stopped
for good around the stories agent's first batch: no crash, no produce error, the pipeline agent halfway through its
input with messages in hand, faust logging only that the story-events partition was never committed and that its
stream stopped. Its cause is not known yet (docs/reliability.md). Whatever it is, a production worker must not sit
there: a supervisor restarts a worker that exits, and the restarted one resumes from the last commit.

Every few seconds the thread (not the event loop: the loop may be what is stuck) looks at:
- each agent's messages delivered to it and not acked yet (faust's `Consumer.unacked`, by the agent's topic), the
  records of its partitions the broker holds beyond those delivered to it (the consumer's last highwater; a stuck
  fetch loop delivers nothing while they pile up), and whether the agent acked anything since the last look (its
  progress counter); during a rebalance or a table recovery the agents wait rightly, and their clocks start again;
- the offset commit in progress, if any (guard_offset_commits notes when one started; it holds every agent's batch
  lock, so a commit that never ends stops every agent).
An agent with messages in hand or waiting for it without acking any for `timeout` seconds, or a commit running for
`timeout` seconds, is a stall. The watchdog then logs an error naming what waited (agents, their un-acked partitions,
their locks, the commit) with every asyncio task's stack (what py-spy cannot show of coroutines), sets the
`newsevents_worker_stalled` gauge (deploy/prometheus rules alert on it) and counts the stall, lets `grace` seconds
pass so a scrape and /health (503) see it, and ends the process with STALL_EXIT_CODE (os._exit: a stuck loop cannot
run a clean stop, and an unclean stop is safe: nothing past the last commit counts as done).
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from streams.worker.stall_report import (
    by_partition_text,
    channel_queues,
    consumer_thread_tasks,
    task_stacks,
    thread_stacks,
    unacked_by_partition,
    undelivered_by_partition,
)

if TYPE_CHECKING:
    from streams.worker.app import Pipeline


log = logging.getLogger(__name__)

# The process's exit code after a stall (EX_SOFTWARE): told apart from a crash (1) and a signal.
STALL_EXIT_CODE = 70
# How often the thread looks.
CHECK_INTERVAL_SECONDS = 5.0


@dataclass
class CommitProgress:
    """When the offset commit in progress started (time.monotonic()), None between commits."""

    started_at: float | None = None


@dataclass
class WatchedAgent:
    """An agent as the watchdog sees it: the topic it consumes, a count that grows as it acks, and its batch lock."""

    topic: str
    progress: Callable[[], int]
    lock: asyncio.Lock | None = None
    last_count: int | None = field(default=None, init=False)
    last_progress_at: float = field(default=0.0, init=False)  # last ack, or first look with messages in hand
    held: bool = field(default=False, init=False)  # the last look saw it hold un-acked messages
    last_ack_at: float | None = field(default=None, init=False)  # last look that saw its count change (or a pause)


@dataclass(frozen=True)
class StallLimits:
    """When a wait is a stall: `timeout` seconds without progress; `grace` seconds between the report and the exit;
    `backlog_slack` records past the last delivered that are no backlog (transaction markers)."""

    timeout: float
    grace: float
    backlog_slack: int = 64


@dataclass(frozen=True)
class WorkerProbes:
    """What the watchdog reads of the worker, from its own thread: the consumer (None before there is one), the offset
    commit in progress, the event loop, lines more for the stall report, whether the worker stops, and whether it
    waits for a rebalance or a table recovery."""

    consumer: Callable[[], Any]
    commit: CommitProgress  # required: a fresh one that the commit guard does not update would hide a stuck commit
    loop: Callable[[], asyncio.AbstractEventLoop | None] = lambda: None
    extra_report: Callable[[], list[str]] = list
    stopping: Callable[[], bool] = lambda: False
    paused: Callable[[], bool] = lambda: False


class StallWatchdog:
    """See the module's doc. `check()` is one look (the thread calls it); `start()` starts the thread once."""

    def __init__(
        self,
        agents: Mapping[str, WatchedAgent],
        probes: WorkerProbes,
        limits: StallLimits,
        on_stall: Callable[[list[str], str], None],
        *,
        clock: Callable[[], float] = time.monotonic,
        exit_process: Callable[[int], None] = os._exit,
    ) -> None:
        self.agents = dict(agents)
        self.probes = probes
        self.commit = probes.commit
        self.timeout = limits.timeout
        self.grace = limits.grace
        self.backlog_slack = limits.backlog_slack
        self._on_stall = on_stall
        self._clock = clock
        self._exit = exit_process
        self.stalled: str | None = None
        self._thread: threading.Thread | None = None
        self._told_unreadable = False

    def check(self) -> str | None:
        """One look: the stall's description if the worker stalled (reported once), else None."""
        if self.stalled is not None or self.probes.stopping():
            return None
        now = self._clock()
        consumer = self.probes.consumer()
        waiting: list[str] = []
        whats: list[str] = []
        paused = self.probes.paused()  # a rebalance or a table recovery: the agents wait for it, rightly
        looks = {}
        for name, agent in self.agents.items():
            count = agent.progress()
            unacked = unacked_by_partition(consumer, agent.topic)
            undelivered = self._undelivered(consumer, agent.topic)
            if paused or agent.last_count != count or agent.last_ack_at is None:
                agent.last_ack_at = now
            # The clock of messages in hand starts at the first look that sees the agent hold them: records that
            # waited on the broker before (a slow delivery while another agent acked) are no time spent on them.
            if paused or agent.last_count != count or not (unacked and agent.held):
                agent.last_count, agent.last_progress_at = count, now
            agent.held = bool(unacked)
            looks[name] = (now - agent.last_progress_at >= self.timeout, unacked, undelivered)
        # Records still on the broker count only when no agent acked anything for as long: the fetch loop (one for all
        # agents) stands still. While another agent makes progress, they are a slow delivery (faust hands the stories
        # agent its records in bursts during a backlog), not a hang.
        all_stale = all(now - (agent.last_ack_at or now) >= self.timeout for agent in self.agents.values())
        for name, (held_too_long, unacked, undelivered) in looks.items():
            agent = self.agents[name]
            if (unacked and held_too_long) or (undelivered and all_stale):
                whats.append(name)
                if unacked and held_too_long:
                    parts = [
                        f"agent {name} held {sum(unacked.values())} un-acked {agent.topic} messages "
                        f"{by_partition_text(unacked)} for {now - agent.last_progress_at:.0f} s without acking"
                    ]
                else:
                    parts = [f"agent {name} acked nothing for {now - (agent.last_ack_at or now):.0f} s"]
                if undelivered:
                    parts.append(
                        f"{self.agents[name].topic} records not delivered to it {by_partition_text(undelivered)}"
                    )
                waiting.append(", ".join(parts))
        started = self.commit.started_at
        if started is not None and now - started >= self.timeout and not paused:
            whats.append("commit")
            waiting.append(f"an offset commit started {now - started:.0f} s ago has not finished")
        if not waiting:
            return None
        locks = ", ".join(
            f"{name} {'held' if agent.lock is not None and agent.lock.locked() else 'free'}"
            for name, agent in self.agents.items()
        )
        self.stalled = "; ".join(waiting) + f" (batch locks: {locks})"
        log.error(
            "worker stalled: %s; exiting with code %d in %g s so that it is restarted. Tasks:\n  %s\nThreads:\n  %s%s",
            self.stalled,
            STALL_EXIT_CODE,
            self.grace,
            "\n  ".join(task_stacks(self.probes.loop())),
            "\n  ".join(thread_stacks()),
            "".join(f"\n{line}" for line in self.probes.extra_report()),
        )
        self._on_stall(whats, self.stalled)
        return self.stalled

    def _undelivered(self, consumer: Any, topic: str) -> dict[int, int]:
        try:
            return undelivered_by_partition(consumer, topic, self.backlog_slack)
        except Exception as exc:
            if not self._told_unreadable:
                self._told_unreadable = True
                log.warning(
                    "the stall watchdog cannot read the records not yet delivered to the agents (%r): a fetch loop "
                    "stuck with nothing in hand goes unreported (faust or aiokafka moved what it reads)",
                    exc,
                )
            return {}

    def _run(self, interval: float) -> None:
        while True:
            time.sleep(interval)
            try:
                stalled = self.check()
            except Exception:  # the watchdog must not die of a look that failed
                log.exception("stall check failed")
                continue
            if stalled is not None:
                time.sleep(self.grace)
                logging.shutdown()
                self._exit(STALL_EXIT_CODE)
                return

    def start(self, interval: float = CHECK_INTERVAL_SECONDS) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, args=(interval,), name="stall-watchdog", daemon=True)
            self._thread.start()


def stall_watchdog(
    app: Any,
    agents: Mapping[str, WatchedAgent],
    commit: CommitProgress,
    limits: StallLimits,
    *,
    metrics: Any,
    state: Any,
) -> StallWatchdog:
    """The watchdog of a faust app's worker (its thread started by the caller, once): a stall sets
    `state.stalled_reason` (/health answers 503), the newsevents_worker_stalled gauge and the
    newsevents_worker_stalls_total counter (by what waited)."""
    for what in [*agents, "commit"]:
        metrics.worker_stalls.labels(what=what)  # at zero, so that a stall is an increase

    def on_stall(whats: list[str], reason: str) -> None:
        state.stalled_reason = reason
        metrics.worker_stalled.set(1)
        for what in whats:
            metrics.worker_stalls.labels(what=what).inc()

    captured: dict[str, asyncio.AbstractEventLoop] = {}

    def consumer_side() -> list[str]:
        # The consumer's own thread runs aiokafka's fetcher, heartbeat and metadata tasks on its loop; the fetch loop
        # on the worker's loop waits for room when a stream's queue is full.
        lines = ["Consumer thread tasks:", *(f"  {line}" for line in consumer_thread_tasks(app))]
        return lines + ["Stream queues (records/max):", *(f"  {line}" for line in channel_queues(app))]

    def loop() -> asyncio.AbstractEventLoop | None:
        return captured.get("loop")

    probes = WorkerProbes(
        consumer=lambda: getattr(app, "_consumer", None),
        commit=commit,
        loop=loop,
        extra_report=consumer_side,
        stopping=lambda: bool(app.should_stop),
        paused=lambda: bool(app.rebalancing or getattr(app, "in_recovery", False)),
    )
    watchdog = StallWatchdog(agents, probes, limits, on_stall)

    def capture_loop(consumer: Any) -> None:  # a consumer_setup step: runs on the event loop
        captured.setdefault("loop", asyncio.get_running_loop())

    app.consumer_setup.append(capture_loop)
    return watchdog


def watch_for_stalls(pipeline: Pipeline, commits: CommitProgress) -> StallWatchdog | None:
    """create_pipeline's watchdog over its pipeline agent (progress: messages processed), its stories agent if any
    (batches acked) and its commit guard; None when NEWSEVENTS_STALL_RESTART_SECONDS is 0."""
    settings, state, stories = pipeline.settings, pipeline.state, pipeline.stories
    if settings.stall_restart_seconds <= 0:
        return None
    watched = {
        "pipeline": WatchedAgent(settings.topic_raw, lambda: state.messages_processed, pipeline.agent.message_lock)
    }
    if stories is not None:
        watched["stories"] = WatchedAgent(
            settings.topic_story_events, lambda: stories.batches_acked, stories.message_lock
        )
    limits = StallLimits(
        timeout=settings.stall_restart_seconds,
        grace=settings.stall_exit_grace_seconds,
        backlog_slack=settings.partitions + 1,  # trailing transaction markers: one per transactional writer at most
    )
    return stall_watchdog(pipeline.app, watched, commits, limits, metrics=pipeline.metrics, state=state)
