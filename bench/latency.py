"""Benchmark 3: ingest -> event latency at a fixed feed rate of half the measured maximum, from record timestamps."""

from __future__ import annotations

import argparse
import time
from collections.abc import Sequence
from typing import Any

import orjson

from bench.common import REPORTS_DIR, input_messages, summary_ms, table, verdict, write_report
from bench.endtoend import EVENT_TOPIC_KINDS, workload
from bench.kafka_env import BenchKafka
from streams.harness.feeding import feed_at_rate, preload
from streams.harness.processes import sample_process
from streams.harness.reading import read_topic, wait_for_records

TARGET_P99_MS = 100.0
DEFAULT_SECONDS = 30.0
# A rate far below capacity: what batching, two broker round trips and extraction add when nothing queues.
FLOOR_RATE = 50.0
FLOOR_SECONDS = 10.0
PROBE_ID = "latency-probe"


def half_of_measured_maximum() -> float:
    """Half the pipeline's sustained rate from the latest end-to-end report."""
    path = REPORTS_DIR / "endtoend.json"
    if not path.is_file():
        raise SystemExit("no bench/reports/endtoend.json yet: run `python -m bench.endtoend` first or pass --rate")
    return orjson.loads(path.read_bytes())["pipeline"]["articles_per_second"] / 2


def measure(kafka: BenchKafka, scenario: str, *, rate: float, seconds: float, probe: bool = True) -> dict[str, Any]:
    """Feed a fresh worker at `rate` for `seconds`; ingest -> event and ingest -> outcome latency summaries.

    With probe, one article goes through end to end first, so the timed feed measures a running worker; without
    it the feed starts the moment /health first answers 200 (a worker joining under live traffic)."""
    count = max(1, int(rate * seconds))
    settings = kafka.settings(scenario, extractor="rules")
    worker = kafka.start_worker(settings, scenario)
    try:
        worker.wait_healthy(timeout=120)
        if probe:
            preload(
                kafka.bootstrap,
                settings.topic_raw,
                [(PROBE_ID.encode(), orjson.dumps({"id": PROBE_ID, "lang": "en", "text": "Probe."}))],
            )
            wait_for_records(
                kafka.bootstrap, settings.topic_processed, 1, timeout=120, alive=lambda: worker.process.poll() is None
            )
        feed = feed_at_rate(kafka.bootstrap, settings.topic_raw, input_messages(workload(), count), rate)
        wait_for_records(
            kafka.bootstrap,
            settings.topic_processed,
            count + int(probe),
            timeout=300,
            alive=lambda: worker.process.poll() is None,
        )
        memory = sample_process(worker.process.pid).rss_bytes
    finally:
        worker.terminate()

    ingested = {record.key: record.timestamp for record in read_topic(kafka.bootstrap, settings.topic_raw)}

    def since_ingest(topic: str) -> list[float]:
        latencies = []
        for record in read_topic(kafka.bootstrap, topic):
            article_id = orjson.loads(record.value)["article_id"]
            if article_id != PROBE_ID:
                latencies.append(record.timestamp - ingested[article_id.encode()])
        return latencies

    to_outcome = since_ingest(settings.topic_processed)
    to_event = [latency for kind in EVENT_TOPIC_KINDS for latency in since_ingest(getattr(settings, kind))]
    return {
        "feed": {**feed, "target_rate": round(rate, 1)},
        "worker_rss_mib": round(memory / 2**20, 1),
        "ingest_to_event": {"records": len(to_event), **(summary_ms(to_event) if to_event else {})},
        "ingest_to_outcome": {"records": len(to_outcome), **summary_ms(to_outcome)},
    }


def run(
    kafka: BenchKafka | None = None,
    *,
    rate: float | None = None,
    seconds: float = DEFAULT_SECONDS,
    floor_rate: float = FLOOR_RATE,
) -> dict[str, Any]:
    started = time.time()
    if kafka is None:
        with BenchKafka() as own:
            return run(own, rate=rate, seconds=seconds, floor_rate=floor_rate)
    half_rate = rate or half_of_measured_maximum()
    half_load = measure(kafka, "latency", rate=half_rate, seconds=seconds)
    light_load = measure(kafka, "latency-floor", rate=floor_rate, seconds=FLOOR_SECONDS)
    joining = measure(kafka, "latency-joining", rate=half_rate, seconds=FLOOR_SECONDS, probe=False)
    figures = {
        "method": "articles fed at a fixed rate (producer linger 5 ms, the Kafka 4.0 default; a record is stamped when sent) to a fresh worker; latency = output record "
        "timestamp minus the input record's timestamp (both CreateTime, same host clock, ms resolution). An event "
        "record is stamped when the worker sends it, an outcome after that message's events were acknowledged. "
        "half_load is the target's condition (half the end-to-end rate); light_load shows the design's floor; "
        "joining_at_half_load feeds half load from the moment /health first answers 200 (no probe article).",
        "rate_basis": "half the pipeline's end-to-end articles/s (bench/reports/endtoend.json)",
        "half_load": half_load,
        "light_load": light_load,
        "joining_at_half_load": joining,
        "target_p99_ms": TARGET_P99_MS,
        "verdict": verdict(half_load["ingest_to_event"].get("p99_ms", float("inf")), TARGET_P99_MS, at_most=True),
    }
    path = write_report("latency", figures, started=started)
    print(render(figures))
    print(f"report: {path.relative_to(path.parents[2])}")
    return figures


def render(figures: dict[str, Any]) -> str:
    rows = []
    for load in ("half_load", "light_load", "joining_at_half_load"):
        r = figures[load]
        for label in ("ingest_to_event", "ingest_to_outcome"):
            m = r[label]
            rows.append(
                [
                    f"{r['feed']['messages_per_second']:,.0f}/s",
                    label.replace("_", " "),
                    m["records"],
                    m.get("p50_ms", ""),
                    m.get("p95_ms", ""),
                    m.get("p99_ms", ""),
                    m.get("max_ms", ""),
                ]
            )
    return "\n".join(
        [
            table(
                "Latency (half load, light load, half load on a worker that just joined)",
                ["feed", "path", "records", "p50 ms", "p95 ms", "p99 ms", "max ms"],
                rows,
            ),
            f"p99 ingest -> event at half load <= {TARGET_P99_MS:.0f} ms: {figures['verdict']}",
        ]
    )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rate", type=float, help="articles/s (default: half the rate in bench/reports/endtoend.json)")
    parser.add_argument("--seconds", type=float, default=DEFAULT_SECONDS, help="how long to feed")
    parser.add_argument("--floor-rate", type=float, default=FLOOR_RATE, help="articles/s of the light-load run")
    args = parser.parse_args(argv)
    run(rate=args.rate, seconds=args.seconds, floor_rate=args.floor_rate)


if __name__ == "__main__":
    main()
