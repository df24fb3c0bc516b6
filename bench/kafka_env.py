"""A real local broker for the end-to-end benchmarks (topics and a consumer group per scenario), and throughput figures."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from bench.common import REPORTS_DIR
from streams.harness.broker import loopback_broker
from streams.harness.processes import ProcessSample, sample_process
from streams.harness.reading import wait_for_records
from streams.harness.worker import WorkerProcess, isolated_settings
from streams.kafka.topics import create_topics
from streams.settings import Settings

# Logs of workers that stopped before their work was done, kept out of the temporary directory (git-ignored).
FAILURES_DIR = REPORTS_DIR / "failures"
TAIL_LINES = 40


class WorkerFailed(RuntimeError):
    """A benchmark scenario failed around a worker (it exited early, or the scenario raised): the message names the
    worker's exit status, where its log was kept (log_path) and the log's last lines."""

    def __init__(self, message: str, log_path: Path) -> None:
        super().__init__(message)
        self.log_path = log_path


def keep_log(worker: WorkerProcess, scenario: str, status: str, reason: str, *, directory: Path = FAILURES_DIR) -> Path:
    """Copy the worker's log to directory/<scenario>-<UTC time>.log under a header (status, reason, load)."""
    directory.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    path = directory / f"{scenario}-{stamp}.log"
    header = (
        f"# benchmark scenario {scenario}: worker pid {worker.process.pid} {status}\n"
        f"# reason: {reason}\n"
        f"# kept at {stamp} from {worker.log_path}; load average {' '.join(f'{v:.2f}' for v in os.getloadavg())}\n"
    )
    if worker.process.returncode == -signal.SIGKILL:
        header += f"# kernel log on pid {worker.process.pid}: {kernel_kill_record(worker.process.pid)}\n"
    body = worker.log_path.read_bytes() if worker.log_path.exists() else b"(no log written)\n"
    path.write_bytes(header.encode() + body)
    return path


def kernel_kill_record(pid: int) -> str:
    """The kernel's line on killing this pid (the OOM killer's "Killed process <pid>"), if dmesg can be read."""
    try:
        lines = subprocess.run(["dmesg"], capture_output=True, text=True, timeout=10, check=False).stdout.splitlines()
    except (OSError, subprocess.SubprocessError) as exc:
        return f"dmesg not readable ({exc})"
    found = [line for line in lines if f"process {pid} " in line or f"pid={pid}," in line]
    return " | ".join(found[-3:]) if found else "none (not the OOM killer, as far as dmesg tells)"


def worker_failure(
    worker: WorkerProcess, scenario: str, error: BaseException, *, directory: Path = FAILURES_DIR
) -> WorkerFailed:
    """The error of a scenario whose worker stopped early (or which failed otherwise), its log kept: the worker's
    status is read first, then a worker still running is stopped (so the kept log ends with its shutdown)."""
    status = worker.exit_status()
    if worker.process.poll() is None:
        worker.terminate()
    reason = str(error).splitlines()[0] if str(error) else type(error).__name__
    path = keep_log(worker, scenario, status, reason, directory=directory)
    return WorkerFailed(
        f"benchmark scenario {scenario}: {reason}\nworker pid {worker.process.pid} {status}; its log is kept at "
        f"{path}; last {TAIL_LINES} lines:\n{worker.log_tail(TAIL_LINES)}",
        path,
    )


class BenchKafka:
    """One KRaft broker on free loopback ports with its data in a temporary directory, removed on exit.

    The logs of workers that stopped by themselves, and on a failed scenario that of the last worker started, are
    copied to bench/reports/failures/ first (named on stderr): a crash's evidence outlives the temporary directory."""

    def __init__(self, *, heap: str = "512m", keep: bool = False, failures_dir: Path = FAILURES_DIR) -> None:
        self.work_dir = Path(tempfile.mkdtemp(prefix="newsevents-bench-"))
        self.broker = loopback_broker(self.work_dir / "kafka", heap=heap)
        self._keep = keep
        self.failures_dir = failures_dir
        self.workers: list[tuple[str, WorkerProcess]] = []
        self.kept: dict[str, Path] = {}  # worker name -> its kept log

    @property
    def bootstrap(self) -> str:
        return self.broker.bootstrap_servers

    def __enter__(self) -> BenchKafka:
        started = time.monotonic()
        self.broker.start()
        self.start_seconds = round(time.monotonic() - started, 1)
        return self

    def __exit__(self, exc_type: object = None, exc: object = None, traceback: object = None) -> None:
        self.keep_failed_logs(failed=exc is not None and not isinstance(exc, WorkerFailed))
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
        worker = WorkerProcess(settings, self.work_dir / "logs" / f"{name}.log")
        self.workers.append((name, worker))
        return worker

    @contextlib.contextmanager
    def watched(self, worker: WorkerProcess, name: str) -> Iterator[WorkerProcess]:
        """Stops the worker at the end; an error inside (its early exit seen by wait_for_records' `alive`, a
        timeout, anything) becomes a WorkerFailed naming its exit status, its kept log and the log's tail."""
        try:
            yield worker
        except Exception as error:
            failure = worker_failure(worker, name, error, directory=self.failures_dir)
            self.kept[name] = failure.log_path
            raise failure from error
        finally:
            worker.terminate()

    def keep_failed_logs(self, *, failed: bool) -> None:
        """Keep the log of every worker that stopped by itself and, if failed, of the last one started."""
        for index, (name, worker) in enumerate(self.workers):
            if name in self.kept:
                continue
            status = worker.exit_status()
            worker.terminate()  # stops one still running; notes one found gone (and not stopped by us) as by itself
            if worker.exited_by_itself or (failed and index == len(self.workers) - 1):
                reason = "stopped by itself" if worker.exited_by_itself else "the benchmark failed"
                self.kept[name] = keep_log(worker, name, status, reason, directory=self.failures_dir)
                print(
                    f"benchmark worker {name} {status} ({reason}): its log is kept at {self.kept[name]}",
                    file=sys.stderr,
                )

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
        with self.watched(self.start_worker(settings, name), name) as worker:
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
