"""A real local broker for the end-to-end benchmarks (topics and a consumer group per scenario), and throughput figures."""

from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from streams.harness.broker import loopback_broker
from streams.harness.processes import ProcessSample, sample_process
from streams.harness.reading import wait_for_records
from streams.harness.worker import WorkerProcess, isolated_settings
from streams.kafka.topics import create_topics
from streams.settings import Settings


class BenchKafka:
    """One KRaft broker on free loopback ports with its data in a temporary directory, removed on exit."""

    def __init__(self, *, heap: str = "512m", keep: bool = False) -> None:
        self.work_dir = Path(tempfile.mkdtemp(prefix="newsevents-bench-"))
        self.broker = loopback_broker(self.work_dir / "kafka", heap=heap)
        self._keep = keep

    @property
    def bootstrap(self) -> str:
        return self.broker.bootstrap_servers

    def __enter__(self) -> BenchKafka:
        started = time.monotonic()
        self.broker.start()
        self.start_seconds = round(time.monotonic() - started, 1)
        return self

    def __exit__(self, *exc: object) -> None:
        self.broker.stop()
        if not self._keep:
            shutil.rmtree(self.work_dir, ignore_errors=True)

    def broker_pid(self) -> int:
        pid = self.broker.pid()
        if pid is None:
            raise RuntimeError("the benchmark's broker is not running")
        return pid

    def broker_rss_bytes(self) -> int | None:
        return self.broker.status().rss_bytes

    def settings(
        self, scenario: str, *, topic_raw: str | None = None, partitions: int = 4, **overrides: Any
    ) -> Settings:
        """Settings of one scenario: its own consumer group and output topics (created), optionally a shared input."""
        prefix = f"bench-{scenario}"
        if topic_raw is not None:
            overrides["topic_raw"] = topic_raw
        settings = isolated_settings(
            self.bootstrap,
            self.work_dir,
            prefix=prefix,
            partitions=partitions,
            data_dir=self.work_dir / prefix,
            log_level="warning",
            **overrides,
        )
        create_topics(settings)
        return settings

    def start_worker(self, settings: Settings, name: str) -> WorkerProcess:
        return WorkerProcess(settings, self.work_dir / "logs" / f"{name}.log")

    def process_all(
        self,
        settings: Settings,
        name: str,
        count: int,
        *,
        timeout: float,
        then: Callable[[WorkerProcess], None] | None = None,
        started: Callable[[WorkerProcess], None] | None = None,
    ) -> tuple[ProcessSample, ProcessSample]:
        """Start a worker, wait until `count` outcomes are out (and `then`, with the worker still running), stop it;
        returns its process samples from healthy to done. `started(worker)` is called once it is healthy."""
        worker = self.start_worker(settings, name)
        try:
            worker.wait_healthy(timeout=120)
            before = sample_process(worker.process.pid)
            if started is not None:
                started(worker)
            wait_for_records(
                self.bootstrap,
                settings.topic_processed,
                count,
                timeout=timeout,
                alive=lambda: worker.process.poll() is None,
            )
            if then is not None:
                then(worker)
            return before, sample_process(worker.process.pid)
        finally:
            worker.terminate()


# ------------------------------------------------------------------------------------------ rates


def throughput(timestamps: Iterable[float]) -> dict[str, float]:
    """Rates from output record timestamps: first to last record, and the steady middle (10th to 90th percentile)."""
    ordered = sorted(timestamps)
    count = len(ordered)
    span = ordered[-1] - ordered[0] if count > 1 else 0.0
    low, high = ordered[count // 10], ordered[(count * 9) // 10]
    return {
        "records": count,
        "seconds": round(span, 3),
        "per_second": round((count - 1) / span, 1) if span > 0 else float("nan"),
        "steady_per_second": round((count * 8 // 10) / (high - low), 1) if high > low else float("nan"),
    }
