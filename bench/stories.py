"""Benchmark 6: the stories stage's cost (the same articles with and without it) and a soak with stories expiring."""

from __future__ import annotations

import argparse
import time
from collections.abc import Iterator, Sequence
from typing import Any

from bench.common import input_messages, table, verdict, write_report
from bench.cpu_timeline import CpuTimeline
from bench.endtoend import workload
from bench.kafka_env import BenchKafka, throughput
from schemas import EventType
from streams.harness.feeding import preload
from streams.harness.processes import sample_process
from streams.harness.reading import metric_value, read_topic
from streams.harness.story_articles import story_corpus
from streams.settings import Settings

DEFAULT_COST_ARTICLES = 30_000
DEFAULT_SOAK_ARTICLES = 500_000
TARGET_COST = 0.15
TARGET_GROWTH = 0.10
WARM_UP_SHARE = 0.10
SAMPLE_EVERY_SECONDS = 5.0  # the worker refreshes newsevents_stories_open every 5 s
TIMEOUT_SECONDS = 1800
MIN_SOAK_RATE = 100.0  # story events/s a soak must keep up (a busy 2-core machine): its timeout grows with its size


def metric_sum(metrics_text: str, name: str) -> float:
    """The sum of every sample of a metric (all label values)."""
    total = 0.0
    for line in metrics_text.splitlines():
        series, _, value = line.rpartition(" ")
        if not line.startswith("#") and series.partition("{")[0] == name:
            total += float(value)
    return total


def story_updates(metrics_text: str) -> float:
    """Events the stories agent has handled (every change of every type counts one event)."""
    return metric_sum(metrics_text, "newsevents_story_updates_total")


def wait_stories_done(worker: Any, events: int, *, timeout: float) -> None:
    """Until the stories agent handled `events` events (the pipeline's events reach it through story-events)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            if story_updates(worker.metrics()) >= events:
                return
        except TimeoutError:
            pass  # the worker's loop is busy (a stories batch computing for seconds under load): ask again
        if worker.process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"stories agent stopped short of {events} events:\n{worker.log_tail()}")
        time.sleep(0.5)


def cost_case(kafka: BenchKafka, name: str, *, topic_raw: str, articles: int, stories: bool) -> dict[str, Any]:
    """One worker over the preloaded input; the rate ends when the last output is out (stories included)."""
    settings = kafka.settings(name, topic_raw=topic_raw, extractor="rules", stories_enabled=stories)
    emitted: list[float] = []
    timelines: list[CpuTimeline] = []

    def watch(worker: Any) -> None:
        timelines.append(CpuTimeline({"worker": worker.process.pid, "broker": kafka.broker_pid()}))
        timelines[0].start()

    def count_events(worker: Any) -> None:
        emitted.append(metric_sum(worker.metrics(), "newsevents_events_emitted_total"))
        if stories:
            wait_stories_done(worker, int(emitted[0]), timeout=TIMEOUT_SECONDS)
        timelines[0].stop()

    before, after = kafka.process_all(
        settings, name, articles, timeout=TIMEOUT_SECONDS, then=count_events, started=watch
    )
    events = emitted[0]
    outcomes = [r.timestamp for r in read_topic(kafka.bootstrap, settings.topic_processed)]
    story_times = [r.timestamp for r in read_topic(kafka.bootstrap, settings.topic_stories)] if stories else []
    first, last = min(outcomes), max(outcomes + story_times)
    cpu = after.cpu_seconds - before.cpu_seconds
    timeline, last_outcome = timelines[0], max(outcomes)
    return {
        "stories_enabled": stories,
        "articles": len(outcomes),
        "events": int(events),
        "story_records": len(story_times),
        # First outcome to the last output of any kind: with stories on, the stories agent's tail counts too.
        "articles_per_second": round((len(outcomes) - 1) / (last - first), 1),
        "outcome_rate": throughput(outcomes),
        "worker_cpu_seconds": round(cpu, 2),
        "articles_per_worker_cpu_second": round(len(outcomes) / max(0.01, cpu), 1),
        "worker_rss_mib": round(after.rss_bytes / 2**20, 1),
        # Where the clock goes: the outcomes' span, then the stories agent's tail after the last outcome; the CPU
        # seconds of the worker and of the broker's JVM within each (sampled every 0.1 s, so +-0.1 s at the ends).
        "outcome_seconds": round(last_outcome - first, 3),
        "tail_seconds": round(last - last_outcome, 3),
        "worker_cpu_outcomes": round(timeline.cpu_between("worker", first, last_outcome), 2),
        "worker_cpu_tail": round(timeline.cpu_between("worker", last_outcome, last), 2),
        "broker_cpu_outcomes": round(timeline.cpu_between("broker", first, last_outcome), 2),
        "broker_cpu_tail": round(timeline.cpu_between("broker", last_outcome, last), 2),
        # The worker's event-loop thread: seconds asleep (neither running nor waiting for a CPU) in each phase.
        "loop_sleep_outcomes": round(_sleep(timeline, first, last_outcome), 2),
        "loop_sleep_tail": round(_sleep(timeline, last_outcome, last), 2),
        # The clock without the event loop's waits for a CPU (other processes' load): what a quiet machine would
        # take, as long as the worker's other threads and the broker had a core of their own.
        "loop_cpu_wait_seconds": round(timeline.cpu_between("worker.wait", first, last), 2),
        "articles_per_unqueued_second": round(
            (len(outcomes) - 1) / (last - first - timeline.cpu_between("worker.wait", first, last)), 1
        ),
    }


def _sleep(timeline: CpuTimeline, start: float, end: float) -> float:
    busy = timeline.cpu_between("worker.run", start, end) + timeline.cpu_between("worker.wait", start, end)
    return end - start - busy


def cost_pair(kafka: BenchKafka, label: str, messages: Iterator[tuple[bytes, bytes]], articles: int) -> dict[str, Any]:
    source = kafka.settings(f"stories-{label}-input")
    load = preload(kafka.bootstrap, source.topic_raw, messages)
    cases = {}
    # Alternated twice: the machine is shared, so each figure is the better of two runs.
    for attempt in (1, 2):
        for stories in (False, True):
            name = f"stories-{label}-{'on' if stories else 'off'}-{attempt}"
            case = cost_case(kafka, name, topic_raw=source.topic_raw, articles=articles, stories=stories)
            key = "with_stories" if stories else "without_stories"
            if key not in cases or case["articles_per_second"] > cases[key]["articles_per_second"]:
                cases[key] = case
    off, on = cases["without_stories"], cases["with_stories"]
    cost = 1 - on["articles_per_second"] / off["articles_per_second"]
    cpu_cost = 1 - on["articles_per_worker_cpu_second"] / off["articles_per_worker_cpu_second"]
    return {
        "input": {**load, "mean_message_bytes": round(load["bytes"] / load["messages"])},
        **cases,
        "cost": round(cost, 3),
        "cpu_cost": round(cpu_cost, 3),
        "target_cost": TARGET_COST,
        "verdict": verdict(cost, TARGET_COST, at_most=True),
        "verdict_cpu": verdict(cpu_cost, TARGET_COST, at_most=True),
    }


def soak(kafka: BenchKafka, articles: int) -> dict[str, Any]:
    """One worker with stories over `articles` story articles (preloaded) while RSS and open stories are sampled."""
    corpus = story_corpus(articles, prefix="soak")
    settings: Settings = kafka.settings("stories-soak", extractor="rules", stories_enabled=True)
    load = preload(kafka.bootstrap, settings.topic_raw, corpus.messages())
    samples: list[dict[str, Any]] = []
    timeout = max(TIMEOUT_SECONDS, articles / MIN_SOAK_RATE)
    # watched: stops the worker at the end; an early exit or error keeps its log (bench/reports/failures/)
    with kafka.watched(kafka.start_worker(settings, "stories-soak"), "stories-soak") as worker:
        worker.wait_healthy(timeout=120)
        started = time.monotonic()
        while True:
            text = worker.metrics()
            stat = sample_process(worker.process.pid)
            handled = story_updates(text)
            samples.append(
                {
                    "seconds": round(stat.at - started, 1),
                    "articles": int(metric_value(text, "newsevents_articles_consumed_total")),
                    "story_events": int(handled),
                    "stories_open": int(metric_value(text, "newsevents_stories_open")),
                    "stories_expired": int(metric_sum(text, "newsevents_stories_expired_total")),
                    "rss_mib": round(stat.rss_bytes / 2**20, 1),
                }
            )
            if handled >= articles:
                break
            if worker.process.poll() is not None or time.monotonic() - started > timeout:
                raise RuntimeError(f"soak stopped at {handled} of {articles} story events:\n{worker.log_tail()}")
            time.sleep(SAMPLE_EVERY_SECONDS)
        late = sum(
            metric_value(worker.metrics(), "newsevents_story_updates_total", {"change": "late", "type": t})
            for t in (event_type.value for event_type in EventType)
        )
    warm = [s for s in samples if s["story_events"] >= articles * WARM_UP_SHARE]
    start = warm[0]
    end = samples[-1]
    growth = (end["rss_mib"] - start["rss_mib"]) / start["rss_mib"]
    slope = _slope([(s["story_events"], s["rss_mib"]) for s in warm]) * 100_000
    halves = len(warm) // 2
    return {
        "method": f"{articles:,} generated story articles (streams/harness/story_articles.py: every article one event, "
        f"{corpus.simulated_days:.0f} simulated days of publication time) preloaded, one worker (at_least_once); RSS "
        f"and newsevents_stories_open every {SAMPLE_EVERY_SECONDS:.0f} s; warm-up = the first "
        f"{WARM_UP_SHARE:.0%} of the story events",
        "input": {**load, "mean_message_bytes": round(load["bytes"] / load["messages"])},
        "articles": articles,
        "happenings": len(corpus.happenings),
        "simulated_days": round(corpus.simulated_days, 1),
        "soak_seconds": end["seconds"],
        "story_events_per_second": round(end["story_events"] / end["seconds"], 1) if end["seconds"] else None,
        "late_reports": int(late),
        "rss_mib": {
            "after_warm_up": start["rss_mib"],
            "end": end["rss_mib"],
            "peak": max(s["rss_mib"] for s in samples),
        },
        "growth_after_warm_up": round(growth, 4),
        "rss_slope_mib_per_100k_articles": round(slope, 2),
        "target_growth": TARGET_GROWTH,
        "verdict": verdict(growth, TARGET_GROWTH, at_most=True),
        "stories_open": {
            "max": max(s["stories_open"] for s in samples),
            "max_first_half_after_warm_up": max(s["stories_open"] for s in warm[:halves] or warm),
            "max_second_half_after_warm_up": max(s["stories_open"] for s in warm[halves:]),
            "end": end["stories_open"],
        },
        "stories_expired": end["stories_expired"],
        "samples": samples,
    }


def _slope(points: Sequence[tuple[float, float]]) -> float:
    """Least-squares slope of y over x."""
    if len(points) < 2:
        return 0.0
    mean_x = sum(x for x, _ in points) / len(points)
    mean_y = sum(y for _, y in points) / len(points)
    var = sum((x - mean_x) ** 2 for x, _ in points)
    return sum((x - mean_x) * (y - mean_y) for x, y in points) / var if var else 0.0


def run(
    kafka: BenchKafka | None = None,
    *,
    articles: int = DEFAULT_COST_ARTICLES,
    soak_articles: int = DEFAULT_SOAK_ARTICLES,
) -> dict[str, Any]:
    started = time.time()
    if kafka is None:
        with BenchKafka() as own:
            return run(own, articles=articles, soak_articles=soak_articles)
    figures: dict[str, Any] = {}
    if not articles:  # the soak alone
        figures["soak"] = soak(kafka, soak_articles)
        path = write_report("stories-soak", figures["soak"], started=started)
        print(render(figures))
        print(f"report: {path.relative_to(path.parents[2])}")
        return figures
    news = cost_pair(kafka, "news", input_messages(workload(), articles), articles)
    generated = cost_pair(kafka, "generated", story_corpus(articles, prefix="cost").messages(), articles)
    figures = {
        "method": "cost: one preloaded input topic (4 partitions) per workload, read by a worker with stories off and "
        "one with stories on (each its own group, alternated, best of 2); rate = articles / (first outcome to last "
        "output, stories records included); cost = 1 - rate with stories / rate without. Workloads: the benchmark "
        "news mix (endtoend's corpus, few events) and generated story articles (one event each: the worst case)",
        "cost_news_mix": news,
        "cost_generated_stories": generated,
    }
    path = write_report("stories", figures, started=started)  # before the soak: a failed soak keeps these
    print(render(figures))
    print(f"report: {path.relative_to(path.parents[2])}")
    if soak_articles:
        soak_started = time.time()
        figures["soak"] = soak(kafka, soak_articles)
        path = write_report("stories-soak", figures["soak"], started=soak_started)
        print(render({"soak": figures["soak"]}))
        print(f"report: {path.relative_to(path.parents[2])}")
    return figures


def render(figures: dict[str, Any]) -> str:
    rows = []
    for label, key in (("news mix", "cost_news_mix"), ("generated stories", "cost_generated_stories")):
        if key not in figures:
            continue
        pair = figures[key]
        off, on = pair["without_stories"], pair["with_stories"]
        rows.append(
            [
                label,
                off["events"],
                off["articles_per_second"],
                on["articles_per_second"],
                f"{pair['cost']:.1%}",
                f"{pair['cpu_cost']:.1%}",
                pair["verdict"],
            ]
        )
    lines = (
        [
            table(
                "Stories stage cost",
                ["workload", "events", "art/s off", "art/s on", "cost", "CPU cost", f"<= {TARGET_COST:.0%}"],
                rows,
            )
        ]
        if rows
        else []
    )
    soak_figures = figures.get("soak")
    if soak_figures:
        rss, open_ = soak_figures["rss_mib"], soak_figures["stories_open"]
        lines.append(
            table(
                f"Stories soak, {soak_figures['articles']:,} articles over {soak_figures['simulated_days']:,.0f} "
                f"simulated days in {soak_figures['soak_seconds']:,.0f} s",
                ["RSS warm MiB", "end MiB", "peak MiB", "growth", "MiB/100k art", "open max", "open end", "expired"],
                [
                    [
                        rss["after_warm_up"],
                        rss["end"],
                        rss["peak"],
                        f"{soak_figures['growth_after_warm_up']:+.1%}",
                        soak_figures["rss_slope_mib_per_100k_articles"],
                        open_["max"],
                        open_["end"],
                        soak_figures["stories_expired"],
                    ]
                ],
            )
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--articles", type=int, default=DEFAULT_COST_ARTICLES, help="articles per cost case (0: the soak alone)"
    )
    parser.add_argument(
        "--soak-articles", type=int, default=DEFAULT_SOAK_ARTICLES, help="articles in the soak (0: no soak)"
    )
    args = parser.parse_args(argv)
    run(articles=args.articles, soak_articles=args.soak_articles)


if __name__ == "__main__":
    main()
