"""The seventeenth session's cheaper per-event steps change no output of the stories agent on a backlog tail.

The agent runs twice over the same grouped story-events records (as the pipeline sends them: one record per
story-events partition per pipeline batch), the whole backlog as one batch as the worker takes it, with a second
delivery of some records (duplicates): once as shipped, once with the reference for each step the session made
cheaper (times written by strftime, every compact entry checked value by value with the position check, the alert
rules read through pydantic's attribute, the alert id computed by alert_view itself, the duplicate test over a
frozenset of the story's event ids). Every published record, table write and watermark must be the same bytes.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

import pytest
from support.agents import MemoryStoryStore, RecordingPublisher, stories_agent
from support.story_reference import reference_rfc3339

from streams.harness.story_articles import story_corpus
from streams.settings import Settings
from streams.stories import core, rules, views, wire
from streams.stories.keys import parse_time
from streams.worker.agents import BATCH_MAX_MESSAGES
from streams.worker.processing import MessageProcessor, SourceMessage
from streams.worker.records import OutboundRecord, story_event_batches
from streams.worker.stories_input import StoryMessage

PARTITIONS = 3


@pytest.fixture(scope="module")
def tail_messages() -> list[StoryMessage]:
    """The grouped story-events records of 1,200 generated articles, then the first ten of them again."""
    processor = MessageProcessor(Settings(stories_enabled=True))
    processor.warm_up()
    articles = story_corpus(1200, prefix="tail", happenings_per_day=300).articles
    singles: list[OutboundRecord] = [
        record
        for offset, article in enumerate(articles)
        for record in processor.process(
            SourceMessage("raw", 0, offset, (parse_time(article.published_at) or 0.0) + 600, article.value)
        ).story_records
    ]
    grouped = [
        record
        for start in range(0, len(singles), BATCH_MAX_MESSAGES)
        for record in story_event_batches(singles[start : start + BATCH_MAX_MESSAGES], partitions=PARTITIONS)
    ]
    grouped += grouped[:10]  # delivered again: every event in them is a duplicate
    return [
        StoryMessage("story-events", record.partition or 0, offset, None, record.key, record.value, record.headers)
        for offset, record in enumerate(grouped)
    ]


def run(settings: Settings, messages: Sequence[StoryMessage], batch: int) -> tuple[RecordingPublisher, Any]:
    store, publisher = MemoryStoryStore(), RecordingPublisher()
    agent = stories_agent(settings, store=store, publisher=publisher, clock=lambda: 1_800_000_000.0)

    async def batches() -> None:
        for start in range(0, len(messages), batch):
            await agent.handle_batch(messages[start : start + batch])

    asyncio.run(batches())
    return publisher, store


def _reference_alert_view(state: Any, rule: Any, story: dict[str, Any], **_: Any) -> dict[str, Any]:
    return reference_alert_view(state, rule, story)


reference_alert_view = views.alert_view


@pytest.mark.parametrize("batch", [100_000, 37])
def test_the_cheaper_steps_publish_and_store_what_the_reference_steps_do(
    settings: Settings, tail_messages: list[StoryMessage], monkeypatch: pytest.MonkeyPatch, batch: int
) -> None:
    fast_out, fast_store = run(settings, tail_messages, batch)

    monkeypatch.setattr(views, "rfc3339", reference_rfc3339)
    monkeypatch.setattr(core, "alert_view", _reference_alert_view)
    monkeypatch.setattr(core, "_has_event", lambda state, event_id: event_id in state.event_ids)
    monkeypatch.setattr(wire, "_valid", lambda entry, now: wire._first_invalid(entry, now) is None)
    monkeypatch.setattr(rules, "_compiled_rules", lambda alert_rules: alert_rules._compiled)
    plain_out, plain_store = run(settings, tail_messages, batch)

    stories, alerts = fast_out.on(settings.topic_stories), fast_out.on(settings.topic_alerts)
    assert len(alerts) > 100 and len(stories) > 300
    if batch > len(tail_messages):  # one batch: one version per story, after every event of it is in
        assert len(stories) == len({record.key for record in stories})
    assert fast_out.batches == plain_out.batches  # every record, byte for byte, in the same publish calls
    assert fast_store.writes == plain_store.writes
    assert fast_store.stories == plain_store.stories and fast_store.watermarks == plain_store.watermarks
