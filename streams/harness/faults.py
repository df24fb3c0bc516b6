"""Fault scenarios on a real broker with real worker processes; the tests assert on them, scripts/reliability scales them up."""

from __future__ import annotations

import signal
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from streams.harness.broker import LocalBroker
from streams.harness.feeding import make_producer, send_all
from streams.harness.processes import free_port
from streams.harness.reliability import (
    Audit,
    BackgroundFeeder,
    GroupProgress,
    SyntheticArticle,
    Timeline,
    assigned_partitions,
    audit,
    expectations,
    poll_until,
    synthetic_articles,
    synthetic_texts,
    wait_partitions,
    wait_processing,
)
from streams.harness.worker import WorkerProcess, isolated_settings
from streams.kafka.topics import create_topics
from streams.settings import ProcessingGuarantee, Settings

SIGTERM_EXIT_BOUND_SECONDS = 30.0
KILL_AFTER_COMMIT_SECONDS = 1.0  # faust commits every 2.8 s, so the kill lands inside an open commit interval
# Waiting for a restarted or surviving worker: the session timeout plus a rebalance and faust's start-up.
RECOVERY_TIMEOUT_SECONDS = 120.0


@dataclass
class FaultReport:
    """What one fault run measured: the audit of the output topics plus timings and fault-specific figures."""

    scenario: str
    guarantee: str
    partitions: int
    audit: Audit
    timings: dict[str, float] = field(default_factory=dict)
    details: dict[str, Any] = field(default_factory=dict)

    def figures(self) -> dict[str, Any]:
        a = self.audit
        return {
            "scenario": self.scenario,
            "guarantee": self.guarantee,
            "partitions": self.partitions,
            "articles_sent": a.sent,
            "outcomes_found": a.outcomes_found,
            "lost": a.lost,
            "duplicate_outcomes": a.duplicate_outcomes,
            "events_expected": a.events_expected,
            "events_found": a.events_found,
            "duplicate_events": a.duplicate_events,
            **self.timings,
            **self.details,
            "audit": a.as_dict(),
        }


class FaultBench:
    """A scenario's own topics, consumer group, synthetic articles, offline expectations and worker processes."""

    def __init__(
        self, bootstrap_servers: str, work_dir: Path, *, partitions: int, guarantee: str, **overrides: Any
    ) -> None:
        self.work_dir = work_dir
        self.settings: Settings = isolated_settings(
            bootstrap_servers, work_dir, partitions=partitions, processing_guarantee=guarantee, **overrides
        )
        create_topics(self.settings)
        self.texts = synthetic_texts()
        self.expected = expectations(self.texts, self.settings)
        self.workers: list[WorkerProcess] = []

    @property
    def exactly_once(self) -> bool:
        return self.settings.processing_guarantee is ProcessingGuarantee.exactly_once

    def articles(self, count: int) -> list[SyntheticArticle]:
        return synthetic_articles(count, self.texts, prefix=self.settings.app_id)

    def start_worker(self, *, wait: bool = True) -> WorkerProcess:
        """A worker of this bench's group; each gets its own web port and data directory (two may run at once)."""
        name = f"worker-{len(self.workers) + 1}"
        own = self.settings.model_copy(update={"web_port": free_port(), "data_dir": self.work_dir / name})
        worker = WorkerProcess(own, self.work_dir / f"{name}.log")
        self.workers.append(worker)
        if wait:
            worker.wait_healthy(timeout=RECOVERY_TIMEOUT_SECONDS)
        return worker

    def audit(self, articles) -> Audit:
        return audit(self.settings, articles, self.expected, read_committed=True)

    def report(self, scenario: str, result: Audit, timings: dict[str, float], **details: Any) -> FaultReport:
        return FaultReport(
            scenario, self.settings.processing_guarantee.value, self.settings.partitions, result, timings, details
        )

    def close(self) -> None:
        for worker in self.workers:
            worker.kill()

    def __enter__(self) -> FaultBench:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _produce(bench: FaultBench, articles: Sequence[SyntheticArticle]) -> None:
    producer = make_producer(bench.settings)
    try:
        send_all(producer, bench.settings.topic_raw, [(a.article_id.encode(), a.value) for a in articles])
    finally:
        producer.close()


def _drain_timeout(count: int) -> float:
    # Generous: the slowest configuration (exactly-once on a busy 2-core machine) does ~150 articles/s.
    return 120.0 + count / 100.0


def _wait_mid_stream(feeder: BackgroundFeeder, progress: GroupProgress, worker: WorkerProcess, count: int) -> None:
    """Until half of the articles were fed and a fifth were committed: the fault then hits a running stream."""
    progress.wait_committed(count // 5, timeout=_drain_timeout(count), worker=worker)
    poll_until(
        lambda: feeder.sent >= count // 2 or not feeder.is_alive(), timeout=_drain_timeout(count), what="half fed"
    )


def sigkill_restart(bench: FaultBench, *, count: int, rate: float) -> FaultReport:
    """SIGKILL the worker mid-stream, start a new one at once, and audit every article's outcome and events.

    Half of the articles wait in the topic before the worker starts, the rest arrive during the run: at the kill
    the worker is busy on a backlog (work in flight) while articles are still arriving.
    """
    articles = bench.articles(count)
    backlog = count // 2
    _produce(bench, articles[:backlog])
    timeline = Timeline()
    worker = bench.start_worker()
    feeder = BackgroundFeeder(bench.settings, articles[backlog:], rate=rate)
    feeder.start()
    with GroupProgress(bench.settings) as progress:
        progress.wait_committed(count // 5, timeout=_drain_timeout(count), worker=worker)
        # Not right after the commit that was just observed: let the next transaction / commit interval fill.
        time.sleep(KILL_AFTER_COMMIT_SECONDS)
        if bench.exactly_once:
            # A fixed pause once landed the kill just after the next commit, with nothing left to abort (CI, 0
            # outcomes in an open transaction): kill only once the broker holds outcomes of an open transaction.
            poll_until(
                lambda: progress.open_transaction_outcomes() > 0,
                timeout=RECOVERY_TIMEOUT_SECONDS,
                what="outcomes written in an open transaction",
                interval=0.01,
            )
        fed = backlog + feeder.sent
        unfinished = progress.end() - progress.committed()
        killed_at = timeline.mark("sigkill")
        worker.kill()
        successor = bench.start_worker(wait=False)
        timeline.mark("restarted")
        recovery = wait_processing(successor, since=killed_at, timeout=RECOVERY_TIMEOUT_SECONDS)
        feeder.join_checked(_drain_timeout(count))
        progress.wait_committed(count, timeout=_drain_timeout(count), worker=successor)
        timeline.mark("drained")
    result = bench.audit(articles)
    exit_code = successor.terminate()
    # What the killed worker had written but not committed: reprocessed (visible) under at-least-once; under
    # exactly-once in the aborted transaction, which only a read_uncommitted consumer still sees.
    uncommitted = (
        audit(bench.settings, articles, bench.expected, read_committed=False) if bench.exactly_once else result
    )
    return bench.report(
        "sigkill_restart",
        result,
        {"recovery_seconds": round(recovery, 3), "kill_to_drained_seconds": timeline.between("sigkill", "drained")},
        fed_at_kill=fed,
        uncommitted_articles_at_kill=unfinished,
        outcomes_written_but_uncommitted_at_kill=uncommitted.duplicate_outcomes,
        successor_exit_code=exit_code,
    )


def broker_restart(bench: FaultBench, broker: LocalBroker, *, count: int, rate: float, downtime: float) -> FaultReport:
    """Stop the broker mid-stream, keep it down for `downtime` seconds, start it on the same data directory."""
    articles = bench.articles(count)
    timeline = Timeline()
    worker = bench.start_worker()
    feeder = BackgroundFeeder(bench.settings, articles, rate=rate)
    feeder.start()
    with GroupProgress(bench.settings) as progress:
        _wait_mid_stream(feeder, progress, worker, count)
        committed_before = progress.committed()
        assert committed_before < count, "every article was committed before the broker stopped: feed for longer"
        timeline.mark("broker_stopping")
        broker.stop()
        timeline.mark("broker_stopped")
        time.sleep(downtime)
        broker.start()
        ready_at = timeline.mark("broker_ready")
        assert worker.process.poll() is None, f"worker exited while the broker was down:\n{worker.log_tail()}"
        resumed = progress.wait_committed(committed_before + 1, timeout=RECOVERY_TIMEOUT_SECONDS, worker=worker)
        timeline.mark("resumed")
        feeder.join_checked(_drain_timeout(count))
        progress.wait_committed(count, timeout=_drain_timeout(count), worker=worker)
        timeline.mark("drained")
    result = bench.audit(articles)
    exit_code = worker.terminate()
    return bench.report(
        "broker_restart",
        result,
        {
            "broker_stop_seconds": timeline.between("broker_stopping", "broker_stopped"),
            "broker_down_seconds": timeline.between("broker_stopped", "broker_ready"),
            "recovery_seconds": round(resumed, 3),  # broker ready -> the worker committed new progress
            "ready_to_drained_seconds": round(timeline.marks["drained"] - ready_at, 3),
        },
        committed_before_stop=committed_before,
        worker_exit_code=exit_code,
    )


def worker_takeover(bench: FaultBench, *, count: int, rate: float) -> FaultReport:
    """Two workers share the partitions; SIGKILL one mid-stream; the survivor must take over and finish."""
    articles = bench.articles(count)
    timeline = Timeline()
    first = bench.start_worker()
    second = bench.start_worker()
    partitions = bench.settings.partitions
    # Both members hold part of the topic before the fault, otherwise nothing would be taken over.
    poll_until(
        lambda: all(0 < len(assigned_partitions(w)) < partitions for w in (first, second)),
        timeout=RECOVERY_TIMEOUT_SECONDS,
        what="partitions split between the two workers",
    )
    split = {name: assigned_partitions(w) for name, w in (("killed", first), ("survivor", second))}
    feeder = BackgroundFeeder(bench.settings, articles, rate=rate)
    feeder.start()
    with GroupProgress(bench.settings) as progress:
        _wait_mid_stream(feeder, progress, first, count)
        killed_at = timeline.mark("sigkill")
        first.kill()
        takeover = wait_partitions(second, partitions, since=killed_at, timeout=RECOVERY_TIMEOUT_SECONDS)
        feeder.join_checked(_drain_timeout(count))
        progress.wait_committed(count, timeout=_drain_timeout(count), worker=second)
        timeline.mark("drained")
    result = bench.audit(articles)
    exit_code = second.terminate()
    return bench.report(
        "worker_takeover",
        result,
        {"recovery_seconds": round(takeover, 3), "kill_to_drained_seconds": timeline.between("sigkill", "drained")},
        partitions_before_kill=split,
        survivor_exit_code=exit_code,
    )


def sigterm_drain(bench: FaultBench, *, count: int) -> FaultReport:
    """SIGTERM a worker busy on a backlog: it must exit 0 in time, and a successor must find nothing to redo."""
    articles = bench.articles(count)
    _produce(bench, articles)  # all of it up front: a backlog keeps the worker busy when the signal arrives
    worker = bench.start_worker()
    with GroupProgress(bench.settings) as progress:
        progress.wait_committed(count // 4, timeout=_drain_timeout(count), worker=worker)
        processed_before = worker.health()[1]["messages_processed"]
        signalled = time.monotonic()
        worker.process.send_signal(signal.SIGTERM)
        exit_code = worker.terminate(timeout=SIGTERM_EXIT_BOUND_SECONDS + 30)
        exit_seconds = time.monotonic() - signalled
        committed_at_exit = progress.committed()
        successor = bench.start_worker()
        progress.wait_committed(count, timeout=_drain_timeout(count), worker=successor)
        processed_by_successor = successor.health()[1]["messages_processed"]
    result = bench.audit(articles)
    successor_exit = successor.terminate()
    return bench.report(
        "sigterm_drain",
        result,
        {"exit_seconds": round(exit_seconds, 3)},
        exit_code=exit_code,
        processed_before_signal=processed_before,
        committed_at_exit=committed_at_exit,
        processed_by_successor=processed_by_successor,
        successor_exit_code=successor_exit,
    )
