"""The stories tables' changelog topics are the worker's to create (before faust starts), under the names faust
gives them: created by faust at start they raced the consumer's first metadata, and the first table write crashed
with PartitionsMismatch (session 16)."""

from __future__ import annotations

from typing import Any

from streams.settings import Settings
from streams.worker.app import create_pipeline


def test_changelog_topics_are_the_names_faust_gives_the_stories_tables(settings: Settings) -> None:
    pipeline = create_pipeline(settings.model_copy(update={"app_id": "group-x"}))
    faust_names = sorted(table.changelog_topic.get_topic_name() for table in pipeline.app.tables.values())
    assert (
        faust_names
        == sorted(pipeline.settings.changelog_topics)
        == [
            "group-x-stories-changelog",
            "group-x-story-watermarks-changelog",
        ]
    )
    assert set(pipeline.settings.changelog_topics) <= pipeline.settings.compacted_topics  # as faust declares them


def test_no_changelog_topics_without_stories() -> None:
    assert Settings(stories_enabled=False).changelog_topics == []


def test_the_worker_creates_the_changelog_topics_before_faust_starts(settings: Settings, monkeypatch: Any) -> None:
    import streams.worker.app as app_module

    calls: list[dict[str, Any]] = []

    def create_topics(settings: Settings, **kwargs: Any) -> dict[str, str]:
        calls.append(kwargs)
        return {}

    monkeypatch.setattr(app_module, "create_topics", create_topics)
    app_module.ensure_topics(settings)
    assert calls and calls[0].get("changelogs") is True
