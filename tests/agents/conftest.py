"""Fixtures of the in-memory pipeline tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.agents import article_message, story_articles

from streams.settings import Settings
from streams.stories.keys import parse_time
from streams.worker.processing import MessageProcessor
from streams.worker.records import OutboundRecord


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Small caps so oversize inputs stay small in tests; the stories stage on (the agents are tested with it)."""
    return Settings(
        data_dir=tmp_path / "worker", max_message_bytes=16_384, article_time_budget_seconds=0.5, stories_enabled=True
    )


@pytest.fixture(scope="module")
def story_events() -> dict[str, tuple[OutboundRecord, ...]]:
    """Article id -> the story-events records the pipeline publishes for it (the real extractor ran)."""
    settings = Settings(stories_enabled=True)
    processor = MessageProcessor(settings)
    processor.warm_up()
    records = {}
    for offset, (article_id, article) in enumerate(story_articles().items()):
        # Ingested ten minutes after publication (a publication time ahead of the ingest time is not trusted).
        ingested = parse_time(article["published_at"]) + 600
        result = processor.process(article_message(article, offset=offset, timestamp=ingested))
        assert result.outcome.status.value == "ok", result.outcome
        records[article_id] = result.story_records
    return records
