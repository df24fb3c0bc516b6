"""The stories agent's cheap per-event path (story views without models, decoded states kept) changes no output."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

import orjson
import pytest
from support.agents import MemoryStoryStore, RecordingPublisher, stories_agent
from support.story_reference import reference_alert

from streams.harness.story_articles import story_corpus
from streams.settings import Settings
from streams.stories import views
from streams.stories.keys import parse_time
from streams.stories.views import to_story
from streams.worker import stories as stories_module
from streams.worker.processing import MessageProcessor, SourceMessage
from streams.worker.records import OutboundRecord
from streams.worker.stories import StoriesAgent
from streams.worker.stories_input import StoryMessage
from streams.worker.stories_table import DecodedStates, StoredStory

PARTITIONS = 2
BATCH = 40


@pytest.fixture(scope="module")
def story_event_records() -> list[OutboundRecord]:
    """The story-event records of 900 generated articles (a few hundred stories, most with several reports)."""
    settings = Settings(stories_enabled=True)
    processor = MessageProcessor(settings)
    processor.warm_up()
    records: list[OutboundRecord] = []
    for offset, article in enumerate(story_corpus(900, prefix="fast", happenings_per_day=400).articles):
        ingested = (parse_time(article.published_at) or 0.0) + 600
        message = SourceMessage(topic="raw", partition=0, offset=offset, timestamp=ingested, value=article.value)
        records += processor.process(message).story_records
    return records


def messages_of(records: Sequence[OutboundRecord]) -> list[StoryMessage]:
    return [
        StoryMessage(
            topic="story-events",
            partition=sum(record.key or b"") % PARTITIONS,
            offset=offset,
            timestamp=None,
            key=record.key,
            value=record.value,
            headers=record.headers,
        )
        for offset, record in enumerate(records)
    ]


def new_agent(settings: Settings, store: MemoryStoryStore) -> tuple[StoriesAgent, RecordingPublisher]:
    publisher = RecordingPublisher()
    return stories_agent(settings, store=store, publisher=publisher, clock=lambda: 1_800_000_000.0), publisher


def handle(agent: StoriesAgent, messages: Sequence[StoryMessage], batch: int = BATCH) -> None:
    async def batches() -> None:
        for start in range(0, len(messages), batch):
            await agent.handle_batch(messages[start : start + batch])

    asyncio.run(batches())


def test_the_agent_publishes_and_stores_exactly_what_the_straightforward_path_does(
    settings: Settings, story_event_records: list[OutboundRecord], monkeypatch: pytest.MonkeyPatch
) -> None:
    messages = messages_of(story_event_records)
    fast_store = MemoryStoryStore()
    fast, fast_out = new_agent(settings, fast_store)
    handle(fast, messages)

    # The straightforward path: every view a validated Story model dumped to JSON, every alert built from one, every
    # story decoded from its table value each time it is read.
    monkeypatch.setattr(
        stories_module, "story_view", lambda state, window: to_story(state, window).model_dump(mode="json")
    )
    monkeypatch.setattr(views, "alert_of", reference_alert)
    plain_store = MemoryStoryStore()
    plain, plain_out = new_agent(settings, plain_store)
    plain.decoded = DecodedStates(capacity=0)
    handle(plain, messages)

    assert len(fast_out.on(settings.topic_alerts)) > 50 and len(fast_out.on(settings.topic_stories)) > 500
    assert fast_out.batches == plain_out.batches  # every record, byte for byte, in the same publish calls
    assert fast_store.stories == plain_store.stories and fast_store.watermarks == plain_store.watermarks
    assert fast_store.writes == plain_store.writes
    assert 0 < len(fast.decoded) and len(plain.decoded) == 0


def test_a_kept_state_is_not_used_once_the_table_holds_another_value(
    settings: Settings, story_event_records: list[OutboundRecord]
) -> None:
    # One story's reports, one per batch: after the second, the table value is put back to the first version (as a
    # recovery from an older changelog position would). The third report must join the table's version.
    by_key: dict[bytes, list[StoryMessage]] = {}
    for message in messages_of(story_event_records):
        by_key.setdefault(message.key or b"", []).append(message)
    key, reports = next((key, reports) for key, reports in by_key.items() if len(reports) >= 3)
    store = MemoryStoryStore()
    agent, _ = new_agent(settings, store)
    handle(agent, reports[:1])
    first_version = store.stories[key]
    handle(agent, reports[1:2])
    assert len(StoredStory.decode(store.stories[key]).state().reports) == 2
    store.stories[key] = first_version
    handle(agent, reports[2:3])
    joined = [report.article_id for report in StoredStory.decode(store.stories[key]).state().reports]
    assert sorted(joined) == sorted([_article_id(reports[0]), _article_id(reports[2])])

    # And once the story left the table, the next report opens a new story rather than joining the kept one.
    del store.stories[key]
    handle(agent, reports[1:2])
    assert [report.article_id for report in StoredStory.decode(store.stories[key]).state().reports] == [
        _article_id(reports[1])
    ]


def _article_id(message: StoryMessage) -> str:
    return orjson.loads(message.value or b"{}")["article_id"]


def test_decoded_states_keep_the_most_recent_within_their_capacity(
    settings: Settings, story_event_records: list[OutboundRecord]
) -> None:
    store = MemoryStoryStore()
    agent, _ = new_agent(settings, store)
    handle(agent, messages_of(story_event_records)[:30])
    keys = list(store.stories)[:3]
    decoded = DecodedStates(capacity=2)
    states = [decoded.state(key, store.stories[key]) for key in keys]
    assert len(decoded) == 2
    # The first key was dropped: it is decoded again (an equal, not the same, object); the last two are kept.
    assert decoded.state(keys[2], store.stories[keys[2]]) is states[2]
    again = decoded.state(keys[0], store.stories[keys[0]])
    assert again == states[0] and again is not states[0]
    decoded.forget(keys[0])
    assert len(decoded) == 1
