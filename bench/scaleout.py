"""Benchmark 5: one vs two workers over four partitions in the same run: throughput and CPU seconds used."""

from __future__ import annotations

import argparse
import time
from collections.abc import Sequence
from typing import Any

from bench.common import input_messages, table, write_report
from bench.endtoend import workload
from bench.kafka_env import BenchKafka, throughput
from streams.harness.feeding import preload
from streams.harness.processes import free_port, sample_process
from streams.harness.reading import read_topic, wait_for_records
from streams.harness.worker import WorkerProcess

DEFAULT_ARTICLES = 30_000
PARTITIONS = 4
TIMEOUT_SECONDS = 600


def wait_assigned(workers: list[WorkerProcess], partitions: int, timeout: float = 120) -> None:
    """Until the group settled: every worker healthy and the partitions split among them, none twice."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        reports = [worker.wait_healthy(timeout=max(1.0, deadline - time.monotonic())) for worker in workers]
        assigned = [p for report in reports for p in report["assigned_partitions"]]
        if sorted(assigned) == list(range(partitions)) and all(report["assigned_partitions"] for report in reports):
            return
        time.sleep(0.5)
    raise TimeoutError(f"partitions not split among {len(workers)} workers within {timeout:.0f} s")


def run_case(kafka: BenchKafka, workers_count: int, articles: int) -> dict[str, Any]:
    """k workers in one group, settled first; then the articles are preloaded and consumed as they arrive."""
    settings = kafka.settings(f"scale-{workers_count}", partitions=PARTITIONS, extractor="rules")
    workers = [
        kafka.start_worker(settings.model_copy(update={"web_port": free_port()}), f"scale-{workers_count}-{i}")
        for i in range(workers_count)
    ]
    try:
        wait_assigned(workers, PARTITIONS)
        before = [sample_process(w.process.pid) for w in workers]
        preload(kafka.bootstrap, settings.topic_raw, input_messages(workload(), articles))
        wait_for_records(
            kafka.bootstrap,
            settings.topic_processed,
            articles,
            timeout=TIMEOUT_SECONDS,
            alive=lambda: all(w.process.poll() is None for w in workers),
        )
        after = [sample_process(w.process.pid) for w in workers]
    finally:
        for worker in workers:
            worker.terminate()
    rate = throughput(r.timestamp for r in read_topic(kafka.bootstrap, settings.topic_processed))
    cpu = [round(a.cpu_seconds - b.cpu_seconds, 2) for a, b in zip(after, before, strict=True)]
    return {
        "workers": workers_count,
        "articles": rate["records"],
        "articles_per_second": rate["per_second"],
        "steady_articles_per_second": rate["steady_per_second"],
        "seconds": rate["seconds"],
        "cpu_seconds_per_worker": cpu,
        "cpu_seconds_total": round(sum(cpu), 2),
        "articles_per_cpu_second": round(rate["records"] / max(0.01, sum(cpu)), 1),
        "rss_mib_per_worker": [round(a.rss_bytes / 2**20, 1) for a in after],
    }


def run(kafka: BenchKafka | None = None, *, articles: int = DEFAULT_ARTICLES) -> dict[str, Any]:
    started = time.time()
    if kafka is None:
        with BenchKafka() as own:
            return run(own, articles=articles)
    one = run_case(kafka, 1, articles)
    two = run_case(kafka, 2, articles)
    figures = {
        "method": f"{PARTITIONS} partitions; workers started and assigned first, then {articles:,} articles fed as "
        "fast as the producer can; rate from outcome timestamps; CPU = utime + stime from /proc/<pid>/stat. "
        "The broker and the producer share the machine's cores with the workers.",
        "one_worker": one,
        "two_workers": two,
        "speed_up": round(two["articles_per_second"] / one["articles_per_second"], 2),
        "cpu_cost_ratio": round(two["cpu_seconds_total"] / one["cpu_seconds_total"], 2),
    }
    path = write_report("scaleout", figures, started=started)
    print(render(figures))
    print(f"report: {path.relative_to(path.parents[2])}")
    return figures


def render(figures: dict[str, Any]) -> str:
    rows = [
        [
            r["workers"],
            r["articles"],
            r["articles_per_second"],
            r["cpu_seconds_total"],
            r["articles_per_cpu_second"],
            " + ".join(f"{c:.1f}" for c in r["cpu_seconds_per_worker"]),
        ]
        for r in (figures["one_worker"], figures["two_workers"])
    ]
    return "\n".join(
        [
            table(
                "Scale-out over 4 partitions",
                ["workers", "articles", "art/s", "CPU s", "art/CPU s", "CPU s per worker"],
                rows,
            ),
            f"speed-up with 2 workers: x{figures['speed_up']:.2f}; CPU used: x{figures['cpu_cost_ratio']:.2f}",
        ]
    )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=DEFAULT_ARTICLES, help="articles per case (default 30,000)")
    args = parser.parse_args(argv)
    run(articles=args.articles)


if __name__ == "__main__":
    main()
