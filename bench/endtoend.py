"""Benchmark 2: end to end on a real broker, in one run on one preloaded input topic.

The pipeline worker, (a) the same worker with NEWSEVENTS_EXTRACTOR=noop (Faust's own cost) and (b) a plain
aiokafka consume -> produce loop with the pipeline's record sizes (the client's limit) each read the same
preloaded articles with their own consumer group; throughput comes from the timestamps of their output records.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from collections.abc import Sequence
from typing import Any

import orjson

from bench.common import (
    BODY_FILES,
    HEADLINE_FILE,
    PROJECT_ROOT,
    input_messages,
    interleaved,
    table,
    verdict,
    write_report,
)
from bench.kafka_env import BenchKafka, throughput
from bench.rawloop import write_sample
from schemas import EventType
from streams.harness.feeding import preload
from streams.harness.processes import sample_process
from streams.harness.reading import read_topic, wait_for_records
from streams.settings import event_topic_field

DEFAULT_ARTICLES = 50_000
# Two targets for pipeline / (a), both reported (neither replaces the other): 0.70 is the end-to-end benchmark's own
# target since it was written (85c401b, docs/performance.md "Targets not met"); issue 10 (README "Performance",
# docs/performance.md "Eighth session") asks for 0.6 as the next step towards it.
TARGET_VS_NOOP = 0.70
TARGET_VS_NOOP_ISSUE_10 = 0.60
TARGET_VS_RAW = 0.50
# The longest scenario (the pipeline at a few hundred articles/s) must still finish.
TIMEOUT_SECONDS = 900
EVENT_TOPIC_KINDS = tuple(event_topic_field(event_type) for event_type in EventType)


def workload() -> list:
    """Every corpus file mixed evenly (headlines as title-only articles), cycled to the wanted count."""
    return interleaved([*BODY_FILES, HEADLINE_FILE])


def run_worker_scenario(
    kafka: BenchKafka, name: str, *, topic_raw: str, count: int, extractor: str, **overrides: Any
) -> dict[str, Any]:
    """One worker over the shared input from the beginning; returns throughput, CPU and memory figures."""
    settings = kafka.settings(name, topic_raw=topic_raw, extractor=extractor, **overrides)
    before, after = kafka.process_all(settings, name, count, timeout=TIMEOUT_SECONDS)
    outcomes = read_topic(kafka.bootstrap, settings.topic_processed)
    events = [r for kind in EVENT_TOPIC_KINDS for r in read_topic(kafka.bootstrap, getattr(settings, kind))]
    statuses: dict[str, int] = {}
    for record in outcomes:
        status = orjson.loads(record.value)["status"]
        statuses[status] = statuses.get(status, 0) + 1
    rate = throughput(r.timestamp for r in outcomes)
    return {
        "extractor": extractor,
        "articles": len(outcomes),
        "outcomes_by_status": statuses,
        "events": len(events),
        "articles_per_second": rate["per_second"],
        "steady_articles_per_second": rate["steady_per_second"],
        "seconds": rate["seconds"],
        "worker_cpu_seconds": round(after.cpu_seconds - before.cpu_seconds, 2),
        "worker_cpu_share": round((after.cpu_seconds - before.cpu_seconds) / (after.at - before.at), 2),
        # Less sensitive to other load on the machine than the wall-clock rate.
        "articles_per_worker_cpu_second": round(len(outcomes) / max(0.01, after.cpu_seconds - before.cpu_seconds), 1),
        "worker_rss_mib": round(after.rss_bytes / 2**20, 1),
        "_outcomes": outcomes,
        "_events": events,
    }


def run_raw_loop(kafka: BenchKafka, *, topic_raw: str, count: int, sample: dict[str, Any]) -> dict[str, Any]:
    settings = kafka.settings("e2e-rawloop", topic_raw=topic_raw)
    sample_path = kafka.work_dir / "rawloop-sample.json"
    write_sample(sample_path, outcome=sample["outcome"], event=sample["event"])
    command = [
        sys.executable,
        "-m",
        "bench.rawloop",
        "--bootstrap",
        kafka.bootstrap,
        "--input",
        topic_raw,
        "--group",
        settings.app_id,
        "--output",
        settings.topic_processed,
        "--events-topic",
        settings.topic_deployment,
        "--events-per-article",
        str(sample["events_per_article"]),
        "--sample",
        str(sample_path),
        "--count",
        str(count),
    ]
    process = subprocess.Popen(command, cwd=PROJECT_ROOT, stdout=subprocess.PIPE)
    try:
        before = sample_process(process.pid)
        wait_for_records(
            kafka.bootstrap,
            settings.topic_processed,
            count,
            timeout=TIMEOUT_SECONDS,
            alive=lambda: process.poll() is None,
        )
        after = sample_process(process.pid)
        process.wait(60)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    outputs = read_topic(kafka.bootstrap, settings.topic_processed)
    rate = throughput(r.timestamp for r in outputs)
    return {
        "articles": len(outputs),
        "events": sum(1 for _ in read_topic(kafka.bootstrap, settings.topic_deployment)),
        "articles_per_second": rate["per_second"],
        "steady_articles_per_second": rate["steady_per_second"],
        "seconds": rate["seconds"],
        "loop_cpu_seconds": round(after.cpu_seconds - before.cpu_seconds, 2),
        "loop_cpu_share": round((after.cpu_seconds - before.cpu_seconds) / (after.at - before.at), 2),
        "articles_per_loop_cpu_second": round(len(outputs) / max(0.01, after.cpu_seconds - before.cpu_seconds), 1),
    }


def record_sample(pipeline: dict[str, Any]) -> dict[str, Any]:
    """The pipeline's median-sized outcome and event records and its events per article, for the raw loop to copy."""
    outcomes = sorted(pipeline["_outcomes"], key=lambda r: len(r.value))
    events = sorted(pipeline["_events"], key=lambda r: len(r.value))
    return {
        "outcome": outcomes[len(outcomes) // 2],
        "event": events[len(events) // 2] if events else None,
        "events_per_article": len(events) / max(1, len(outcomes)),
    }


def run(kafka: BenchKafka | None = None, *, articles: int = DEFAULT_ARTICLES) -> dict[str, Any]:
    started = time.time()
    if kafka is None:
        with BenchKafka() as own:
            return run(own, articles=articles)
    source = kafka.settings("e2e-input")
    load = preload(kafka.bootstrap, source.topic_raw, input_messages(workload(), articles))
    pipeline = run_worker_scenario(kafka, "e2e-pipeline", topic_raw=source.topic_raw, count=articles, extractor="rules")
    noop = run_worker_scenario(kafka, "e2e-noop", topic_raw=source.topic_raw, count=articles, extractor="noop")
    sample = record_sample(pipeline)
    raw = run_raw_loop(kafka, topic_raw=source.topic_raw, count=articles, sample=sample)
    vs_noop = pipeline["articles_per_second"] / noop["articles_per_second"]
    vs_raw = pipeline["articles_per_second"] / raw["articles_per_second"]
    cpu_vs_noop = pipeline["articles_per_worker_cpu_second"] / noop["articles_per_worker_cpu_second"]
    figures = {
        "method": "one broker, one preloaded input topic (4 partitions); each scenario a fresh consumer group from the "
        "beginning; rate = outcome records / (last - first outcome timestamp), worker start-up excluded",
        "input": {
            **load,
            "mean_message_bytes": round(load["bytes"] / load["messages"]),
            "partitions": source.partitions,
        },
        "broker": {"start_seconds": kafka.start_seconds, "rss_mib": round((kafka.broker_rss_bytes() or 0) / 2**20, 1)},
        "sample_records": {
            "outcome_bytes": len(sample["outcome"].value),
            "event_bytes": len(sample["event"].value) if sample["event"] else None,
            "events_per_article": round(sample["events_per_article"], 4),
        },
        "pipeline": _public(pipeline),
        "noop_worker": _public(noop),
        "raw_aiokafka_loop": raw,
        "ratios": {
            "pipeline_vs_noop": round(vs_noop, 3),
            "pipeline_vs_raw": round(vs_raw, 3),
            "cpu_efficiency_pipeline_vs_noop": round(cpu_vs_noop, 3),
            "cpu_efficiency_pipeline_vs_raw": round(
                pipeline["articles_per_worker_cpu_second"] / raw["articles_per_loop_cpu_second"], 3
            ),
            "target_vs_noop": TARGET_VS_NOOP,
            "target_vs_noop_issue_10": TARGET_VS_NOOP_ISSUE_10,
            "target_vs_raw": TARGET_VS_RAW,
            "verdict_vs_noop": verdict(vs_noop, TARGET_VS_NOOP),
            "verdict_vs_noop_issue_10": verdict(vs_noop, TARGET_VS_NOOP_ISSUE_10),
            "verdict_vs_raw": verdict(vs_raw, TARGET_VS_RAW),
            # The same comparison per CPU second of the consuming process: what the ratio would be if each had a
            # core of its own (on a shared machine the wall-clock ratio also measures who got the CPU when).
            "verdict_cpu_efficiency_vs_noop": verdict(cpu_vs_noop, TARGET_VS_NOOP),
            "verdict_cpu_efficiency_vs_noop_issue_10": verdict(cpu_vs_noop, TARGET_VS_NOOP_ISSUE_10),
            "verdict_cpu_efficiency_vs_raw": verdict(
                pipeline["articles_per_worker_cpu_second"] / raw["articles_per_loop_cpu_second"], TARGET_VS_RAW
            ),
        },
    }
    path = write_report("endtoend", figures, started=started)
    print(render(figures))
    print(f"report: {path.relative_to(path.parents[2])}")
    return figures


def _public(figures: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in figures.items() if not k.startswith("_")}


def render(figures: dict[str, Any]) -> str:
    rows = []
    for label, key, cpu in (
        ("pipeline", "pipeline", "worker"),
        ("(a) noop worker", "noop_worker", "worker"),
        ("(b) raw aiokafka", "raw_aiokafka_loop", "loop"),
    ):
        r = figures[key]
        rows.append(
            [
                label,
                r["articles"],
                r["articles_per_second"],
                r["steady_articles_per_second"],
                r[f"{cpu}_cpu_seconds"],
                r[f"articles_per_{cpu}_cpu_second"],
            ]
        )
    ratios = figures["ratios"]
    return "\n".join(
        [
            table(
                f"End to end, {figures['input']['messages']:,} articles preloaded",
                ["scenario", "articles", "art/s", "steady art/s", "CPU s", "art/CPU s"],
                rows,
            ),
            f"pipeline / (a) = {ratios['pipeline_vs_noop']:.2f}, per CPU second "
            f"{ratios['cpu_efficiency_pipeline_vs_noop']:.2f}",
            f"  benchmark target >= {TARGET_VS_NOOP} (since 85c401b): {ratios['verdict_vs_noop']}; "
            f"per CPU second {ratios['verdict_cpu_efficiency_vs_noop']}",
            f"  issue 10 target >= {TARGET_VS_NOOP_ISSUE_10}: {verdict_of(ratios, 'verdict_vs_noop_issue_10')}; "
            f"per CPU second {verdict_of(ratios, 'verdict_cpu_efficiency_vs_noop_issue_10')}",
            f"pipeline / (b) = {ratios['pipeline_vs_raw']:.2f} (target >= {TARGET_VS_RAW}: {ratios['verdict_vs_raw']}); "
            f"per CPU second {ratios['cpu_efficiency_pipeline_vs_raw']:.2f} ({ratios['verdict_cpu_efficiency_vs_raw']})",
        ]
    )


def verdict_of(ratios: dict[str, Any], key: str) -> str:
    """A verdict of the report, or 'not recorded' for a report written before it was (bench.summary renders old ones)."""
    return str(ratios.get(key, "not recorded"))


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=DEFAULT_ARTICLES, help="articles to preload (default 50,000)")
    args = parser.parse_args(argv)
    run(articles=args.articles)


if __name__ == "__main__":
    main()
