"""Stories stage CPU per event against extraction CPU per article, in memory (process_time, no broker).

The end-to-end cost (bench/stories.py) is a ratio of two wall-clock rates on a shared machine; this one times only
this process's CPU over the same per-message work, so other load on the machine barely moves it:

- extraction: MessageProcessor.process per article (decode, extract, build the event, story-event and outcome
  records), what the pipeline agent does per message besides Kafka I/O;
- stories: StoriesAgent.handle_batch over the story-event records those articles gave, in batches of the agent's
  size, with a dict for the table and a publisher that keeps the records (what the stories agent does per batch
  besides Kafka I/O).

share = stories CPU / (extraction CPU + stories CPU) for the same articles. The digest hashes everything the agent
published and the final table: two code versions with the same digest gave byte-identical output.

`python -m bench.stories_cpu [--articles N] [--workload generated|news|both] [--repeat R] [--profile]`
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import hashlib
import pstats
import time
import zlib
from collections.abc import Iterable, Sequence
from typing import Any

from bench.common import input_messages, table, write_report
from bench.endtoend import workload as news_workload
from streams.harness.story_articles import story_corpus
from streams.settings import Settings
from streams.stories.core import HOUR, StoryWindow, parse_time
from streams.stories.rules import load_rules
from streams.worker.agents import BATCH_MAX_MESSAGES
from streams.worker.metrics import Metrics
from streams.worker.processing import MessageProcessor, SourceMessage
from streams.worker.records import OutboundRecord
from streams.worker.stories import DictStoryStore, StoriesAgent, StoryMessage

DEFAULT_ARTICLES = 20_000
PARTITIONS = 4
# Ingested this long after publication (a publication time ahead of the ingest time is not trusted).
INGEST_DELAY_SECONDS = 600.0


class KeepingPublisher:
    """Keeps every published record, in order (hashed into the digest after the timed run)."""

    def __init__(self) -> None:
        self.records: list[OutboundRecord] = []

    async def publish(self, records: Iterable[OutboundRecord], *, source_partition: int) -> None:
        self.records.extend(records)


def generated_inputs(count: int) -> list[tuple[bytes, float]]:
    """(article value, ingest time) of the generated story articles: every article one event."""
    corpus = story_corpus(count)
    return [(a.value, (parse_time(a.published_at) or 0.0) + INGEST_DELAY_SECONDS) for a in corpus.articles]


def news_inputs(count: int) -> list[tuple[bytes, float]]:
    """(article value, ingest time) of the end-to-end news mix (no publication times: the ingest time counts)."""
    start = parse_time("2025-01-06T00:00:00Z") or 0.0
    return [(value, start + index) for index, (_, value) in enumerate(input_messages(news_workload(), count))]


def extract_all(inputs: Sequence[tuple[bytes, float]]) -> tuple[float, list[OutboundRecord]]:
    """CPU seconds of processing every article, and the story-event records they gave."""
    processor = MessageProcessor(Settings(stories_enabled=True))
    processor.warm_up()
    messages = [
        SourceMessage(topic="articles.raw", partition=0, offset=offset, timestamp=ingest, value=value)
        for offset, (value, ingest) in enumerate(inputs)
    ]
    records: list[OutboundRecord] = []
    started = time.process_time()
    for message in messages:
        records += processor.process(message).story_records
    return time.process_time() - started, records


def story_messages(records: Sequence[OutboundRecord]) -> list[StoryMessage]:
    """The story-event records as the agent reads them: partitioned by key (as the producer's hash would)."""
    offsets = [0] * PARTITIONS
    messages = []
    for record in records:
        partition = zlib.crc32(record.key or b"") % PARTITIONS
        messages.append(
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
    return messages


def new_agent() -> tuple[StoriesAgent, DictStoryStore, KeepingPublisher]:
    settings = Settings(stories_enabled=True)
    store, publisher = DictStoryStore(), KeepingPublisher()
    agent = StoriesAgent(
        store=store,
        publisher=publisher,
        metrics=Metrics(),
        rules=load_rules(settings.alert_rules_file),
        window=StoryWindow(settings.story_window_hours * HOUR, settings.story_lateness_hours * HOUR),
        stories_topic=settings.topic_stories,
        alerts_topic=settings.topic_alerts,
        dlq_topic=settings.topic_dlq,
        ce_source=f"urn:newsevents:{settings.app_id}",
        clock=lambda: 0.0,
    )
    return agent, store, publisher


def run_stories(messages: Sequence[StoryMessage], profile: cProfile.Profile | None = None) -> tuple[float, str, int]:
    """CPU seconds of the stories agent over the messages in batches, the digest of its output, story records out."""
    agent, store, publisher = new_agent()
    batches = [messages[i : i + BATCH_MAX_MESSAGES] for i in range(0, len(messages), BATCH_MAX_MESSAGES)]

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
    for record in publisher.records:
        digest.update(b"%s\0%s\0%s\0%r\n" % (record.topic.encode(), record.key or b"", record.value, record.headers))
    for key in sorted(store.stories):
        digest.update(key + b"\0" + store.stories[key] + b"\n")
    digest.update(repr(sorted(store.watermarks.items())).encode())
    story_records = sum(1 for record in publisher.records if record.topic == Settings().topic_stories)
    return cpu, digest.hexdigest()[:16], story_records


def measure(name: str, inputs: Sequence[tuple[bytes, float]], *, repeat: int, profile: bool) -> dict[str, Any]:
    extraction_cpu, records = extract_all(inputs)
    messages = story_messages(records)
    runs = [run_stories(messages) for _ in range(repeat)]
    digests = {digest for _, digest, _ in runs}
    if len(digests) != 1:
        raise SystemExit(f"{name}: the stories agent's output differs between runs: {digests}")
    stories_cpu = min(cpu for cpu, _, _ in runs)
    if profile:
        profiler = cProfile.Profile()
        run_stories(messages, profiler)
        print(f"\n--- {name}: stories agent profile (cumulative, top 30)")
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)
        print(f"--- {name}: stories agent profile (own time, top 25)")
        pstats.Stats(profiler).sort_stats("tottime").print_stats(25)
    events = len(messages)
    return {
        "workload": name,
        "articles": len(inputs),
        "events": events,
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
    args = parser.parse_args(argv)
    started = time.time()
    results = []
    if args.workload in ("generated", "both"):
        results.append(measure("generated", generated_inputs(args.articles), repeat=args.repeat, profile=args.profile))
    if args.workload in ("news", "both"):
        results.append(measure("news", news_inputs(args.articles), repeat=args.repeat, profile=args.profile))
    print(
        table(
            "Stories stage CPU (process_time, in memory)",
            ["workload", "articles", "events", "extraction µs/article", "stories µs/event", "stories share", "digest"],
            [
                [
                    r["workload"],
                    r["articles"],
                    r["events"],
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
