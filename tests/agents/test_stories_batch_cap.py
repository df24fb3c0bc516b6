"""A backlog of story-events is taken in batches of bounded size: a batch closes at the first record that brings it to
Settings.story_batch_max_events events (a record is never split), whatever the record cap and the window."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest
from support.agents import MemoryStoryStore, RecordingPublisher

from streams.harness.story_articles import story_corpus
from streams.settings import Settings
from streams.stories.keys import parse_time
from streams.worker import stories as stories_module
from streams.worker.app import create_pipeline
from streams.worker.metrics import Metrics
from streams.worker.processing import MessageProcessor, SourceMessage
from streams.worker.records import OutboundRecord, story_event_batches
from streams.worker.stories_input import StoryMessage, story_record_events

ARTICLES = 96
ARTICLES_PER_PIPELINE_BATCH = 8  # the pipeline writes one story-events record per partition a batch of articles
CAP = 20


@pytest.fixture(scope="module")
def backlog() -> list[OutboundRecord]:
    """Story-events records as the pipeline writes them: one per story-events partition per batch of articles."""
    processor = MessageProcessor(Settings(stories_enabled=True))
    processor.warm_up()
    story_records = []
    for offset, article in enumerate(story_corpus(ARTICLES).articles):
        message = SourceMessage(
            topic="articles.raw",
            partition=0,
            offset=offset,
            timestamp=(parse_time(article.published_at) or 0.0) + 600,
            value=article.value,
        )
        story_records.append(processor.process(message).story_records)
    return [
        record
        for start in range(0, ARTICLES, ARTICLES_PER_PIPELINE_BATCH)
        for record in story_event_batches(
            [r for records in story_records[start : start + ARTICLES_PER_PIPELINE_BATCH] for r in records],
            partitions=Settings().partitions,
        )
    ]


def test_a_backlog_larger_than_the_cap_is_taken_in_batches_of_at_most_the_cap_and_one_record(
    tmp_path: Any, backlog: list[OutboundRecord], monkeypatch: pytest.MonkeyPatch
) -> None:
    # A long window and quiet interval: without the cap the whole backlog is one batch (its records are far below
    # the record cap), so every batch closed here was closed by the cap.
    monkeypatch.setattr(stories_module, "STORY_BATCH_WITHIN_SECONDS", 30.0)
    monkeypatch.setattr(stories_module, "STORY_BATCH_QUIET_SECONDS", 1.0)
    settings = Settings(data_dir=tmp_path / "worker", stories_enabled=True, story_batch_max_events=CAP)
    store, publisher = MemoryStoryStore(), RecordingPublisher()
    pipeline = create_pipeline(settings, stories_publisher=publisher, story_store=store, metrics=Metrics())
    agent = pipeline.stories
    handle_batch = agent.handle_batch
    batches: list[list[int]] = []

    async def recording_handle_batch(messages: list[StoryMessage], *args: Any) -> None:
        batches.append([story_record_events(message.value) for message in messages])
        await handle_batch(messages, *args)

    monkeypatch.setattr(agent, "handle_batch", recording_handle_batch)
    weights = [story_record_events(record.value) for record in backlog]
    assert sum(weights) > 3 * CAP and max(weights) > 1, weights  # a backlog of several caps, records of many events

    async def feed() -> None:
        async with pipeline.stories_faust_agent.test_context() as test_agent:
            for record in backlog:
                await test_agent.put(record.value, partition=record.partition, headers=list(record.headers))
            last_put = time.monotonic()
            while sum(map(len, batches)) < len(backlog) or agent.message_lock.locked():
                assert time.monotonic() - last_put < 60, "the stories agent did not finish"
                await asyncio.sleep(0.01)

    asyncio.run(feed())
    assert [w for batch in batches for w in batch] == weights  # every record once, in order
    assert len(batches) >= 3, batches
    for batch in batches:
        assert sum(batch[:-1]) < CAP, batch  # closed at the first record that reached the cap, not after it
    for batch in batches[:-1]:
        assert sum(batch) >= CAP, batch  # closed by the cap (the window and the quiet interval are far off)
    assert store.flushes == len(batches)


@pytest.mark.parametrize(
    ("value", "events"),
    [
        (b'[{"story_key": "a"}, [1, "deployment"], 3]', 3),  # an array: its entries, bad ones too (each dead-lettered)
        (b'{"event_id": "e1"}', 1),  # one event (records written before the batches)
        (b"[]", 1),
        (b"[not json", 1),  # rejected as a whole: one dead letter
        (b"", 1),
        (None, 1),
    ],
)
def test_a_record_weighs_the_events_it_holds(value: bytes | None, events: int) -> None:
    assert story_record_events(value) == events
