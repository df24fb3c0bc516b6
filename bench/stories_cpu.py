"""Stories stage CPU per event against extraction CPU per article, in memory (process_time, no broker).

The end-to-end cost (bench/stories.py) is a ratio of two wall-clock rates on a shared machine; this one times only
this process's CPU over the same per-message work, so other load on the machine barely moves it:

- extraction: MessageProcessor.process per article (decode, extract, build the event, story-event and outcome
  records), what the pipeline agent does per message besides Kafka I/O;
- stories: StoriesAgent.handle_batch over the story-event records those articles gave, grouped as the pipeline
  agent sends them (one record per story-events partition per batch of BATCH_MAX_MESSAGES articles), one such batch
  per stories batch, with a dict for the table and a publisher that keeps the records (what the stories agent does
  per batch besides Kafka I/O). `--one-event-records`: the records as workers before the grouping sent them, one
  per event, keyed by story key. `--tail`: every record in one stories batch, as a backlog's tail reaches the worker
  (the 30,000-article bench.stories run hands the agent its whole backlog as one batch of ~1,700-2,000 records).

share = stories CPU / (extraction CPU + stories CPU) for the same articles. The digest hashes everything the agent
published, per output partition in order (the order Kafka keeps), and the final table: two code versions, or the
two record forms, with the same digest gave byte-identical output.

`python -m bench.stories_cpu [--articles N] [--workload generated|news|both] [--repeat R] [--profile]
[--one-event-records] [--tail]`
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import hashlib
import pstats
import time
from collections.abc import Iterable, Sequence
from typing import Any

from bench.common import input_messages, table, write_report
from bench.endtoend import workload as news_workload
from streams.harness.story_articles import story_corpus
from streams.settings import Settings
from streams.stories.keys import parse_time
from streams.stories.rules import load_rules
from streams.worker.agents import BATCH_MAX_MESSAGES
from streams.worker.metrics import Metrics
from streams.worker.processing import MessageProcessor, SourceMessage
from streams.worker.records import OutboundRecord, story_event_batches, story_partition
from streams.worker.stories import StoriesAgent, StoriesConfig
from streams.worker.stories_input import StoryMessage
from streams.worker.stories_table import DictStoryStore

DEFAULT_ARTICLES = 20_000
PARTITIONS = 4
# Ingested this long after publication (a publication time ahead of the ingest time is not trusted).
INGEST_DELAY_SECONDS = 600.0
# The agent's clock (2027-01-15): after every input's ingest time (2025), as a live worker's is; an ingest time more
# than an hour after the clock is dead-lettered (streams/stories/wire.py plausible_time). Fixed: the digest must not
# depend on the day it runs.
CLOCK = 1_800_000_000.0


class KeepingPublisher:
    """Keeps every published record, in order (hashed into the digest after the timed run)."""

    def __init__(self) -> None:
        self.records: list[tuple[int, OutboundRecord]] = []

    async def publish(self, records: Iterable[OutboundRecord], *, source_partition: int) -> None:
        self.records.extend((source_partition, record) for record in records)

    def in_partition_order(self) -> list[OutboundRecord]:
        """The records per source partition (their outputs' order within it is what Kafka keeps), partition 0 first."""
        return [record for _, record in sorted(self.records, key=lambda pair: pair[0])]


def generated_inputs(count: int) -> list[tuple[bytes, float]]:
    """(article value, ingest time) of the generated story articles: every article one event."""
    corpus = story_corpus(count)
    return [(a.value, (parse_time(a.published_at) or 0.0) + INGEST_DELAY_SECONDS) for a in corpus.articles]


def news_inputs(count: int) -> list[tuple[bytes, float]]:
    """(article value, ingest time) of the end-to-end news mix (no publication times: the ingest time counts)."""
    start = parse_time("2025-01-06T00:00:00Z") or 0.0
    return [(value, start + index) for index, (_, value) in enumerate(input_messages(news_workload(), count))]


def extract_all(inputs: Sequence[tuple[bytes, float]]) -> tuple[float, list[tuple[OutboundRecord, ...]]]:
    """CPU seconds of processing every article, and the story-event records each gave."""
    processor = MessageProcessor(Settings(stories_enabled=True))
    processor.warm_up()
    messages = [
        SourceMessage(topic="articles.raw", partition=0, offset=offset, timestamp=ingest, value=value)
        for offset, (value, ingest) in enumerate(inputs)
    ]
    records: list[tuple[OutboundRecord, ...]] = []
    started = time.process_time()
    for message in messages:
        records.append(processor.process(message).story_records)
    return time.process_time() - started, records


def story_batches(
    per_article: Sequence[tuple[OutboundRecord, ...]], *, one_event_records: bool
) -> list[list[StoryMessage]]:
    """The story-events records as the agent reads them, one batch per pipeline batch of articles: grouped per
    partition as the pipeline agent sends them, or (one_event_records) one per event on its key's partition."""
    offsets = [0] * PARTITIONS
    batches = []
    for start in range(0, len(per_article), BATCH_MAX_MESSAGES):
        singles = [record for records in per_article[start : start + BATCH_MAX_MESSAGES] for record in records]
        if one_event_records:
            placed = [(story_partition(record.key or b"", PARTITIONS), record) for record in singles]
        else:
            placed = [(record.partition or 0, record) for record in story_event_batches(singles, partitions=PARTITIONS)]
        batch = []
        for partition, record in placed:
            batch.append(
                StoryMessage(
                    topic="story-events",
                    partition=partition,
                    offset=offsets[partition],
                    timestamp=None,
                    key=record.key,
                    value=record.value,
                    headers=record.headers,
                )
            )
            offsets[partition] += 1
        batches.append(batch)
    return batches


def new_agent() -> tuple[StoriesAgent, DictStoryStore, KeepingPublisher]:
    settings = Settings(stories_enabled=True)
    store, publisher = DictStoryStore(), KeepingPublisher()
    rules = load_rules(settings.alert_rules_file)
    agent = StoriesAgent(
        store=store,
        publisher=publisher,
        metrics=Metrics(),
        config=StoriesConfig.of_settings(settings, rules),
        clock=lambda: CLOCK,
    )
    return agent, store, publisher


def run_stories(
    batches: Sequence[Sequence[StoryMessage]], profile: cProfile.Profile | None = None
) -> tuple[float, str, int]:
    """CPU seconds of the stories agent over the batches, the digest of its output, story records out."""
    agent, store, publisher = new_agent()

    async def all_batches() -> None:
        for batch in batches:
            await agent.handle_batch(batch)

    loop = asyncio.new_event_loop()
    try:
        if profile is not None:
            profile.enable()
        started = time.process_time()
        loop.run_until_complete(all_batches())
        cpu = time.process_time() - started
        if profile is not None:
            profile.disable()
    finally:
        loop.close()
    digest = hashlib.sha256()
    for record in publisher.in_partition_order():
        digest.update(b"%s\0%s\0%s\0%r\n" % (record.topic.encode(), record.key or b"", record.value, record.headers))
    for key in sorted(store.stories):
        digest.update(key + b"\0" + store.stories[key] + b"\n")
    digest.update(repr(sorted(store.watermarks.items())).encode())
    stories_topic = Settings().topic_stories  # once: a Settings per record took minutes on a loaded machine
    story_records = sum(1 for _, record in publisher.records if record.topic == stories_topic)
    return cpu, digest.hexdigest()[:16], story_records


def measure(
    name: str,
    inputs: Sequence[tuple[bytes, float]],
    *,
    repeat: int,
    profile: bool,
    one_event_records: bool,
    tail: bool = False,
) -> dict[str, Any]:
    extraction_cpu, records = extract_all(inputs)
    batches = story_batches(records, one_event_records=one_event_records)
    if tail:
        batches = [[message for batch in batches for message in batch]]
    runs = [run_stories(batches) for _ in range(repeat)]
    digests = {digest for _, digest, _ in runs}
    if len(digests) != 1:
        raise SystemExit(f"{name}: the stories agent's output differs between runs: {digests}")
    stories_cpu = min(cpu for cpu, _, _ in runs)
    if profile:
        profiler = cProfile.Profile()
        run_stories(batches, profiler)
        print(f"\n--- {name}: stories agent profile (cumulative, top 30)")
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)
        print(f"--- {name}: stories agent profile (own time, top 25)")
        pstats.Stats(profiler).sort_stats("tottime").print_stats(25)
    events = sum(len(article_records) for article_records in records)
    return {
        "workload": name,
        "record_form": "one event per record" if one_event_records else "grouped per batch and partition",
        "stories_batches": len(batches),
        "articles": len(inputs),
        "events": events,
        "story_events_records": sum(len(batch) for batch in batches),
        "story_records": runs[0][2],
        "extraction_us_per_article": round(extraction_cpu / len(inputs) * 1e6, 1),
        "stories_us_per_event": round(stories_cpu / max(1, events) * 1e6, 1),
        "stories_share_of_cpu": round(stories_cpu / (extraction_cpu + stories_cpu), 4),
        "stories_cpu_runs_seconds": [round(cpu, 3) for cpu, _, _ in runs],
        "output_digest": digests.pop(),
    }


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=DEFAULT_ARTICLES)
    parser.add_argument("--workload", choices=("generated", "news", "both"), default="both")
    parser.add_argument("--repeat", type=int, default=3, help="stories runs per workload; the least CPU counts")
    parser.add_argument("--profile", action="store_true", help="print a cProfile of one more stories run")
    parser.add_argument("--report", action="store_true", help="write bench/reports/stories-cpu.json")
    parser.add_argument(
        "--one-event-records", action="store_true", help="story-events records one per event (before the grouping)"
    )
    parser.add_argument(
        "--tail",
        action="store_true",
        help="all records in one stories batch (a backlog's tail), not one per 200 articles",
    )
    args = parser.parse_args(argv)
    started = time.time()
    options = {
        "repeat": args.repeat,
        "profile": args.profile,
        "one_event_records": args.one_event_records,
        "tail": args.tail,
    }
    results = []
    if args.workload in ("generated", "both"):
        results.append(measure("generated", generated_inputs(args.articles), **options))
    if args.workload in ("news", "both"):
        results.append(measure("news", news_inputs(args.articles), **options))
    print(
        table(
            "Stories stage CPU (process_time, in memory)",
            [
                "workload",
                "articles",
                "events",
                "story-events records",
                "extraction µs/article",
                "stories µs/event",
                "stories share",
                "digest",
            ],
            [
                [
                    r["workload"],
                    r["articles"],
                    r["events"],
                    r["story_events_records"],
                    r["extraction_us_per_article"],
                    r["stories_us_per_event"],
                    f"{r['stories_share_of_cpu']:.1%}",
                    r["output_digest"],
                ]
                for r in results
            ],
        )
    )
    if args.report:
        print(write_report("stories-cpu", {"workloads": results}, started=started))


if __name__ == "__main__":
    main()
