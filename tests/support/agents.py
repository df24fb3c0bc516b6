"""Helpers for the in-memory pipeline tests: source messages, sample articles, hand-built events, a recording publisher."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import orjson

from schemas import Actor, Event, Evidence, Location
from streams.settings import Settings
from streams.stories.rules import load_rules
from streams.worker.agents import Publisher
from streams.worker.metrics import Metrics
from streams.worker.processing import SourceMessage
from streams.worker.records import OutboundRecord
from streams.worker.stories import StoriesAgent, StoriesConfig
from streams.worker.stories_table import DictStoryStore, StoryStore

REPO_ROOT = Path(__file__).resolve().parents[2]
KURSK_ARTICLE = REPO_ROOT / "fixtures" / "kursk-article.json"
SAMPLE_ARTICLES = REPO_ROOT / "fixtures" / "sample-articles.jsonl"


def message(
    value: bytes | None, *, offset: int = 0, partition: int = 0, timestamp: float | None = 1_700_000_000.0
) -> SourceMessage:
    return SourceMessage(topic="articles.raw", partition=partition, offset=offset, timestamp=timestamp, value=value)


def article_message(article: dict, **kwargs: object) -> SourceMessage:
    return message(orjson.dumps(article), **kwargs)


def sample_articles() -> list[dict]:
    articles = [orjson.loads(KURSK_ARTICLE.read_bytes())]
    articles += [orjson.loads(line) for line in SAMPLE_ARTICLES.read_bytes().splitlines() if line.strip()]
    return articles


def hand_built_event(
    article_id: str, event_type: str = "deployment", *, evidence_text: str = "Troops arrived."
) -> Event:
    """An event as an extractor would return it, to test record building independently of extraction quality."""
    return Event(
        event_id=f"{article_id}-{event_type}",
        article_id=article_id,
        type=event_type,
        lang="en",
        actor=Actor(name="North Korea", country="PRK", kind="state"),
        location=Location(name="Kursk", country="RUS") if event_type == "deployment" else None,
        modality="reported",
        evidence=Evidence(text=evidence_text, start=0, end=len(evidence_text), rule="test.rule"),
        confidence=0.9,
        published_at="2024-10-25T11:36:00+02:00",
        extractor_version="test-extractor",
    )


@dataclass
class RecordingPublisher:
    """Publisher double: keeps what would have been sent, in order, per publish call."""

    batches: list[tuple[int, tuple[OutboundRecord, ...]]] = field(default_factory=list)

    async def publish(self, records: Iterable[OutboundRecord], *, source_partition: int) -> None:
        self.batches.append((source_partition, tuple(records)))

    @property
    def records(self) -> list[OutboundRecord]:
        return [record for _, batch in self.batches for record in batch]

    def on(self, topic: str) -> list[OutboundRecord]:
        return [record for record in self.records if record.topic == topic]


STORY_ARTICLES = REPO_ROOT / "tests" / "fixtures" / "stories" / "articles.jsonl"


def story_articles() -> dict[str, dict]:
    """The stories fixture: article id -> article (3 outlets on one deployment, look-alikes, a later report)."""
    articles = [orjson.loads(line) for line in STORY_ARTICLES.read_bytes().splitlines() if line.strip()]
    return {article["id"]: article for article in articles}


class MemoryStoryStore(DictStoryStore):
    """StoryStore double: the dict-backed store that also remembers which partition wrote what, and its flushes."""

    def __init__(self) -> None:
        super().__init__()
        self.writes: list[tuple[int, dict[bytes, bytes | None]]] = []
        self.flushes = 0

    def write(self, partition: int, changes: Mapping[bytes, bytes | None], watermark: float | None) -> None:
        self.writes.append((partition, dict(changes)))
        super().write(partition, changes, watermark)

    async def changelog_acknowledged(self) -> None:
        self.flushes += 1


def stories_agent(
    settings: Settings,
    *,
    store: StoryStore | None = None,
    publisher: Publisher | None = None,
    clock: Callable[[], float] = time.time,
) -> StoriesAgent:
    """A stories agent over the settings and the shipped (or the settings') alert rules, fresh metrics, and the given
    doubles (a MemoryStoryStore and a RecordingPublisher when not given); `clock` pins its ingest time."""
    return StoriesAgent(
        store=store if store is not None else MemoryStoryStore(),
        publisher=publisher if publisher is not None else RecordingPublisher(),
        metrics=Metrics(),
        config=StoriesConfig.of_settings(settings, load_rules(settings.alert_rules_file)),
        clock=clock,
    )
