"""A benchmark whose worker stops before its work is done says how it stopped and keeps the worker's log (issue 13:
a stories-on worker exited mid-benchmark twice, and its log went with the benchmark's temporary directory)."""

from __future__ import annotations

import os
import shutil
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.kafka_env import BenchKafka, WorkerFailed
from streams.harness.broker import LocalBroker
from streams.harness.feeding import preload
from streams.harness.worker import WorkerProcess

pytestmark = [pytest.mark.integration, pytest.mark.slow]


@pytest.fixture
def bench(kafka_broker: LocalBroker, tmp_path: Path) -> Iterator[BenchKafka]:
    """A BenchKafka on the session's broker (never started or stopped by the test), failures kept under tmp_path."""
    kafka = BenchKafka(failures_dir=tmp_path / "failures")
    kafka.broker = kafka_broker
    yield kafka
    for _, worker in kafka.workers:
        worker.kill()
    shutil.rmtree(kafka.work_dir, ignore_errors=True)


def test_a_worker_gone_mid_run_is_named_with_its_exit_and_its_log_is_kept(bench: BenchKafka, tmp_path: Path) -> None:
    settings = bench.settings("gone", extractor="rules")
    preload(bench.bootstrap, settings.topic_raw, [(b"a1", b'{"id": "a1", "lang": "en", "text": "Hello."}')])

    def kill_it(worker: WorkerProcess) -> None:  # stands for any early exit: the worker is healthy, then gone
        os.kill(worker.process.pid, signal.SIGKILL)

    with pytest.raises(WorkerFailed) as failed:
        bench.process_all(settings, "gone", 5, timeout=120, started=kill_it)
    message = str(failed.value)
    assert "benchmark scenario gone" in message
    assert "the process producing it exited at" in message  # wait_for_records' alive check fired
    assert "killed by SIGKILL (exit code -9)" in message
    kept = failed.value.log_path
    assert kept.parent == tmp_path / "failures" and kept.name.startswith("gone-") and kept.suffix == ".log"
    assert f"its log is kept at {kept}" in message
    text = kept.read_text()
    assert "killed by SIGKILL" in text.splitlines()[0]
    assert text.splitlines()[3].startswith(f"# kernel log on pid {bench.workers[-1][1].process.pid}: ")
    assert "newsevents worker (pid" in text  # the worker's own output, copied out of the temporary directory
    assert bench.kept == {"gone": kept}


def test_a_worker_that_exits_by_itself_is_kept_at_the_end_even_if_nothing_waited_on_it(
    bench: BenchKafka, tmp_path: Path
) -> None:
    rules = tmp_path / "rules.json"
    rules.write_text("{not json")
    settings = bench.settings("crash", stories_enabled=True, alert_rules_file=rules)
    worker = bench.start_worker(settings, "crash")
    assert worker.process.wait(120) != 0  # the worker refuses the rules file and exits on its own
    bench.keep_failed_logs(failed=False)
    assert worker.exited_by_itself
    kept = bench.kept["crash"]
    status, reason = kept.read_text().splitlines()[:2]
    assert status.endswith("exited with code 1") and reason == "# reason: stopped by itself"
    assert str(rules) in kept.read_text()  # the worker's own reason, from its log
