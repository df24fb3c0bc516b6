"""Benchmark 4: worker resident memory over a soak of >= 500,000 articles (short articles cycled, so it fits the budget)."""

from __future__ import annotations

import argparse
import contextlib
import time
from collections.abc import Sequence
from typing import Any

from kafka import KafkaConsumer
from kafka import TopicPartition as KafkaTopicPartition

from bench.common import HEADLINE_FILE, input_messages, interleaved, table, verdict, write_report
from bench.kafka_env import BenchKafka
from streams.harness.feeding import preload
from streams.harness.processes import sample_process

DEFAULT_ARTICLES = 500_000
# After this share of the soak the worker counts as warmed up (caches, buffers, allocator arenas filled).
WARM_UP_SHARE = 0.10
TARGET_GROWTH = 0.10
SAMPLE_EVERY_SECONDS = 2.0
TIMEOUT_SECONDS = 1200


def workload() -> list:
    """Short articles in both languages: AG News leads, headlines, and the German articles (5 % of the mix)."""
    return interleaved(["en-agnews", HEADLINE_FILE, "de-10kgnad"])


def run(kafka: BenchKafka | None = None, *, articles: int = DEFAULT_ARTICLES) -> dict[str, Any]:
    started = time.time()
    if kafka is None:
        with BenchKafka() as own:
            return run(own, articles=articles)
    settings = kafka.settings("memory", extractor="rules")
    load = preload(kafka.bootstrap, settings.topic_raw, input_messages(workload(), articles))
    samples: list[dict[str, Any]] = []
    counter = KafkaConsumer(bootstrap_servers=kafka.bootstrap)
    partitions = [KafkaTopicPartition(settings.topic_processed, p) for p in range(settings.partitions)]
    # watched: stops the worker at the end; an early exit or error keeps its log (bench/reports/failures/)
    with contextlib.closing(counter), kafka.watched(kafka.start_worker(settings, "memory"), "memory") as worker:
        worker.wait_healthy(timeout=120)
        soak_started = time.monotonic()
        while True:
            processed = sum(counter.end_offsets(partitions).values())
            stat = sample_process(worker.process.pid)
            samples.append(
                {
                    "seconds": round(stat.at - soak_started, 1),
                    "articles": processed,
                    "rss_mib": round(stat.rss_bytes / 2**20, 1),
                    "cpu_seconds": round(stat.cpu_seconds, 1),
                }
            )
            if processed >= articles:
                break
            if worker.process.poll() is not None or time.monotonic() - soak_started > TIMEOUT_SECONDS:
                raise RuntimeError(f"soak stopped at {processed} of {articles} articles:\n{worker.log_tail()}")
            time.sleep(SAMPLE_EVERY_SECONDS)
    start = samples[0]
    warm = next(s for s in samples if s["articles"] >= articles * WARM_UP_SHARE)
    end = samples[-1]
    growth = (end["rss_mib"] - warm["rss_mib"]) / warm["rss_mib"]
    peak = max(s["rss_mib"] for s in samples)
    figures = {
        "method": f"{articles:,} short articles preloaded, one worker; RSS from /proc/<pid>/statm every "
        f"{SAMPLE_EVERY_SECONDS:.0f} s; warm-up = the first {WARM_UP_SHARE:.0%} of the articles",
        "input": {**load, "mean_message_bytes": round(load["bytes"] / load["messages"])},
        "articles": end["articles"],
        "soak_seconds": end["seconds"],
        "articles_per_second": round(end["articles"] / end["seconds"], 1) if end["seconds"] else None,
        "rss_mib": {"start": start["rss_mib"], "after_warm_up": warm["rss_mib"], "end": end["rss_mib"], "peak": peak},
        "growth_after_warm_up": round(growth, 4),
        "target_growth": TARGET_GROWTH,
        "verdict": verdict(growth, TARGET_GROWTH, at_most=True),
        "samples": samples,
    }
    path = write_report("memory", figures, started=started)
    print(render(figures))
    print(f"report: {path.relative_to(path.parents[2])}")
    return figures


def render(figures: dict[str, Any]) -> str:
    rss = figures["rss_mib"]
    return "\n".join(
        [
            table(
                f"Memory soak, {figures['articles']:,} articles in {figures['soak_seconds']:,.0f} s",
                ["start MiB", "after warm-up MiB", "end MiB", "peak MiB", "growth"],
                [
                    [
                        rss["start"],
                        rss["after_warm_up"],
                        rss["end"],
                        rss["peak"],
                        f"{figures['growth_after_warm_up']:+.1%}",
                    ]
                ],
            ),
            f"growth after warm-up <= {TARGET_GROWTH:.0%}: {figures['verdict']}",
        ]
    )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=DEFAULT_ARTICLES, help="articles in the soak (default 500,000)")
    args = parser.parse_args(argv)
    run(articles=args.articles)


if __name__ == "__main__":
    main()
