"""Batched handling: all event records of a batch are acknowledged before any outcome; one publish per source partition."""

from __future__ import annotations

import asyncio

import orjson
from support.agents import KURSK_ARTICLE, RecordingPublisher, article_message, message, sample_articles

from schemas import DeadLetterReason
from streams.settings import Settings
from streams.worker.agents import PipelineAgent, WorkerState
from streams.worker.metrics import Metrics
from streams.worker.processing import MessageProcessor, ProcessingResult


def _agent(settings: Settings) -> tuple[PipelineAgent, RecordingPublisher, WorkerState]:
    publisher, state = RecordingPublisher(), WorkerState()
    processor = MessageProcessor(settings)
    processor.warm_up()  # as the worker does at start-up: a cold first extraction would overrun the 0.5 s budget
    return PipelineAgent(processor, publisher, Metrics(), state), publisher, state


def test_events_of_the_whole_batch_precede_every_outcome(settings: Settings) -> None:
    agent, publisher, state = _agent(settings)
    kursk = orjson.loads(KURSK_ARTICLE.read_bytes())
    batch = [
        article_message(kursk, partition=0, offset=10),
        message(b"{not json", partition=1, offset=3),
        article_message({**kursk, "id": "kursk-copy"}, partition=1, offset=4),
        article_message(sample_articles()[1], partition=0, offset=11),
    ]
    results = asyncio.run(agent.handle_batch(batch))

    assert [r.outcome.source_offset for r in results] == [10, 3, 4, 11]
    kinds = [
        # Event records (and their copies keyed for the stories agent) come first; outcomes and dead letters last.
        "final" if record.topic in (settings.topic_processed, settings.topic_dlq) else "event"
        for _, records in publisher.batches
        for record in records
    ]
    assert "event" in kinds and kinds.index("final") > max(i for i, kind in enumerate(kinds) if kind == "event")
    # One publish per source partition and phase; each partition's records keep their message order.
    assert sorted(partition for partition, _ in publisher.batches) == [0, 0, 1, 1]
    outcomes = [orjson.loads(r.value) for r in publisher.on(settings.topic_processed)]
    assert sorted((o["source_partition"], o["source_offset"]) for o in outcomes) == [(0, 10), (0, 11), (1, 3), (1, 4)]
    for partition in (0, 1):
        offsets = [o["source_offset"] for o in outcomes if o["source_partition"] == partition]
        assert offsets == sorted(offsets)
    assert state.next_offsets == {0: 12, 1: 5}
    assert state.messages_processed == 4


def test_single_message_handle_is_a_batch_of_one(settings: Settings) -> None:
    agent, publisher, _ = _agent(settings)
    result = asyncio.run(agent.handle(message(b"[1]", offset=5)))
    assert result.dead_letter is not None
    assert [record.topic for _, records in publisher.batches for record in records] == [
        settings.topic_dlq,
        settings.topic_processed,
    ]


def test_a_batch_taken_in_steps_gives_what_each_message_gives_alone(settings: Settings) -> None:
    """The agent decodes, extracts and builds records step by step over a whole batch (for the CPU caches): each
    message still gets the records, dead letter and counts that MessageProcessor.process gives it alone."""
    from schemas import Article
    from streams.extraction import ExtractionResult, extract

    def extractor(article: Article, *, time_budget_seconds: float | None = None) -> ExtractionResult:
        if article.id == "breaks-the-extractor":
            raise RuntimeError("a bug")
        return extract(article, time_budget_seconds=None)

    def processor() -> MessageProcessor:
        return MessageProcessor(settings, extractor=extractor, extractor_version="steps", clock=lambda: 1_000.0)

    kursk = orjson.loads(KURSK_ARTICLE.read_bytes())
    batch = [
        article_message(kursk, partition=0, offset=1),
        message(b"{not json", partition=0, offset=2),
        article_message({**kursk, "id": "breaks-the-extractor"}, partition=1, offset=3),
        article_message({**kursk, "id": "undated", "published_at": "yesterday"}, partition=1, offset=4),
        article_message(sample_articles()[1], partition=0, offset=5),
    ]
    alone = [processor().process(m) for m in batch]
    metrics = Metrics()
    stepped = asyncio.run(PipelineAgent(processor(), RecordingPublisher(), metrics, WorkerState()).handle_batch(batch))

    def comparable(result: ProcessingResult) -> tuple[object, ...]:
        return (
            result.event_records,
            result.story_records,
            result.final_records,
            result.outcome,
            result.events,
            result.dead_letter,
            result.lang_label,
            result.dropped_published_at,
        )

    assert [comparable(r) for r in stepped] == [comparable(r) for r in alone]
    assert [r.dead_letter.reason if r.dead_letter else None for r in stepped] == [
        None,
        DeadLetterReason.not_json,
        DeadLetterReason.internal_error,
        None,
        None,
    ]
    assert stepped[0].events and stepped[3].dropped_published_at == "yesterday"
    assert [r.extraction_seconds is None for r in stepped] == [False, True, False, False, False]
