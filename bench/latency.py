"""Benchmark 3: ingest -> event latency at a fixed feed rate of half the measured maximum, from record timestamps."""

from __future__ import annotations

import argparse
import time
from collections.abc import Sequence
from typing import Any

import orjson

from bench.common import REPORTS_DIR, input_messages, summary_ms, table, verdict, write_report
from bench.endtoend import EVENT_TOPIC_KINDS, workload
from bench.kafka_env import BenchKafka, feed_at_rate, read_topic, sample_process, wait_for_records

TARGET_P99_MS = 100.0
DEFAULT_SECONDS = 30.0


def half_of_measured_maximum() -> float:
    """Half the pipeline's sustained rate from the latest end-to-end report."""
    path = REPORTS_DIR / "endtoend.json"
    if not path.is_file():
        raise SystemExit("no bench/reports/endtoend.json yet: run `python -m bench.endtoend` first or pass --rate")
    return orjson.loads(path.read_bytes())["pipeline"]["articles_per_second"] / 2


def run(kafka: BenchKafka | None = None, *, rate: float | None = None, seconds: float = DEFAULT_SECONDS) -> dict[str, Any]:
    started = time.time()
    if kafka is None:
        with BenchKafka() as own:
            return run(own, rate=rate, seconds=seconds)
    rate = rate or half_of_measured_maximum()
    count = int(rate * seconds)
    settings = kafka.settings("latency", extractor="rules")
    worker = kafka.start_worker(settings, "latency")
    try:
        worker.wait_healthy(timeout=120)
        feed = feed_at_rate(kafka.bootstrap, settings.topic_raw, input_messages(workload(), count), rate)
        wait_for_records(kafka.bootstrap, settings.topic_processed, count, timeout=120, alive=lambda: worker.process.poll() is None)
        memory = sample_process(worker.process.pid).rss_bytes
    finally:
        worker.terminate()

    ingested = {record.key: record.timestamp for record in read_topic(kafka.bootstrap, settings.topic_raw)}
    to_outcome = []
    for record in read_topic(kafka.bootstrap, settings.topic_processed):
        article_id = orjson.loads(record.value)["article_id"]
        to_outcome.append(record.timestamp - ingested[article_id.encode()])
    to_event = []
    for kind in EVENT_TOPIC_KINDS:
        for record in read_topic(kafka.bootstrap, getattr(settings, kind)):
            article_id = orjson.loads(record.value)["article_id"]
            to_event.append(record.timestamp - ingested[article_id.encode()])
    event_ms = summary_ms(to_event) if to_event else {}
    figures = {
        "method": "articles fed at a fixed rate (producer linger 0); latency = output record timestamp minus the "
        "input record's timestamp (both CreateTime, same host clock, ms resolution). An event record is stamped "
        "when the worker sends it, an outcome after that message's events were acknowledged.",
        "feed": {**feed, "target_rate": round(rate, 1), "rate_basis": "half the pipeline's end-to-end articles/s"},
        "worker_rss_mib": round(memory / 2**20, 1),
        "ingest_to_event": {"records": len(to_event), **event_ms},
        "ingest_to_outcome": {"records": len(to_outcome), **summary_ms(to_outcome)},
        "target_p99_ms": TARGET_P99_MS,
        "verdict": verdict(event_ms.get("p99_ms", float("inf")), TARGET_P99_MS, at_most=True),
    }
    path = write_report("latency", figures, started=started)
    print(render(figures))
    print(f"report: {path.relative_to(path.parents[2])}")
    return figures


def render(figures: dict[str, Any]) -> str:
    rows = []
    for label in ("ingest_to_event", "ingest_to_outcome"):
        r = figures[label]
        rows.append([label.replace("_", " "), r["records"], r.get("p50_ms", ""), r.get("p95_ms", ""), r.get("p99_ms", ""), r.get("max_ms", "")])
    feed = figures["feed"]
    return "\n".join(
        [
            table(f"Latency at {feed['messages_per_second']:,.0f} articles/s (target {feed['target_rate']:,.0f})",
                  ["path", "records", "p50 ms", "p95 ms", "p99 ms", "max ms"], rows),
            f"p99 ingest -> event <= {TARGET_P99_MS:.0f} ms: {figures['verdict']}",
        ]
    )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rate", type=float, help="articles/s (default: half the rate in bench/reports/endtoend.json)")
    parser.add_argument("--seconds", type=float, default=DEFAULT_SECONDS, help="how long to feed")
    args = parser.parse_args(argv)
    run(rate=args.rate, seconds=args.seconds)


if __name__ == "__main__":
    main()
