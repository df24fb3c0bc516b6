"""The per-message processor: records, headers and outcomes for good input, dead letters for everything else."""

from __future__ import annotations

import base64
import time
from dataclasses import dataclass

import orjson
import pytest
from support.agents import article_message, hand_built_event, message

from schemas import SCHEMA_VERSION, DeadLetter, DeadLetterReason, Event, EventType, Outcome, OutcomeStatus
from streams.settings import Settings
from streams.worker.processing import OUTPUT_RECORD_MAX_BYTES, MessageProcessor
from streams.worker.records import DEAD_LETTER_ORIGINAL_MAX_BYTES


@dataclass(frozen=True)
class Result:
    lang: str
    supported: bool
    events: tuple[Event, ...]


def fixed_extractor(events_for: dict[str, tuple[Event, ...]], *, lang: str = "en", supported: bool = True):
    def extract(article, *, time_budget_seconds=None):
        return Result(lang=lang, supported=supported, events=events_for.get(article.id, ()))

    return extract


def header(record, name: str) -> str | None:
    return next((v.decode() for k, v in record.headers if k == name), None)


def test_events_go_to_their_type_topic_with_cloudevents_headers(settings: Settings) -> None:
    events = tuple(hand_built_event("a1", event_type.value) for event_type in EventType)
    processor = MessageProcessor(
        settings, extractor=fixed_extractor({"a1": events}), extractor_version="test-extractor"
    )

    result = processor.process(article_message({"id": "a1", "text": "Troops arrived."}, offset=7, partition=1))

    assert [r.topic for r in result.event_records] == [f"events.{event_type.value}" for event_type in EventType]
    for record, event in zip(result.event_records, events, strict=True):
        assert record.key == event.event_id.encode()
        assert Event.model_validate(orjson.loads(record.value)) == event
        assert header(record, "ce_specversion") == "1.0"
        assert header(record, "ce_id") == event.event_id
        assert header(record, "ce_type") == f"org.newsevents.{event.type.value}.v{SCHEMA_VERSION}"
        assert header(record, "ce_source") == "urn:newsevents:newsevents"
        assert header(record, "ce_subject") == "a1"
        assert header(record, "ce_time") == "2024-10-25T09:36:00Z"
        assert header(record, "content-type") == "application/json"
        assert header(record, "ce_schemaversion") == SCHEMA_VERSION

    [outcome_record] = result.final_records
    assert outcome_record.topic == "articles.processed" and outcome_record.key == b"a1"
    outcome = Outcome.model_validate(orjson.loads(outcome_record.value))
    assert (outcome.status, outcome.events, outcome.lang, outcome.source_partition, outcome.source_offset) == (
        OutcomeStatus.ok,
        3,
        "en",
        1,
        7,
    )
    assert outcome.extractor_version == "test-extractor"
    assert header(outcome_record, "ce_id") == "articles.raw/1/7"
    assert header(outcome_record, "ce_type") == f"org.newsevents.outcome.v{SCHEMA_VERSION}"
    assert result.lang_label == "en" and result.dead_letter is None


def test_article_without_events_still_gets_an_outcome(settings: Settings) -> None:
    processor = MessageProcessor(settings, extractor=fixed_extractor({}), extractor_version="v")
    result = processor.process(article_message({"id": "quiet", "text": "Nothing happened."}))
    assert result.event_records == ()
    [record] = result.final_records
    assert orjson.loads(record.value)["events"] == 0


@pytest.mark.parametrize(
    ("lang", "supported", "label"), [("de", True, "de"), ("fr", False, "other"), ("und", False, "und")]
)
def test_language_label_is_bounded(settings: Settings, lang: str, supported: bool, label: str) -> None:
    processor = MessageProcessor(
        settings, extractor=fixed_extractor({}, lang=lang, supported=supported), extractor_version="v"
    )
    result = processor.process(article_message({"id": "x", "text": "Texte."}))
    assert result.lang_label == label
    assert result.outcome.lang == lang


def dead_letter_of(result) -> tuple[DeadLetter, Outcome]:
    dlq_record, outcome_record = result.final_records
    assert dlq_record.topic == "articles.dlq" and outcome_record.topic == "articles.processed"
    assert result.event_records == ()
    letter = DeadLetter.model_validate(orjson.loads(dlq_record.value))
    outcome = Outcome.model_validate(orjson.loads(outcome_record.value))
    assert outcome.status is OutcomeStatus.dead_letter and outcome.reason is letter.reason
    assert header(dlq_record, "dlq_reason") == letter.reason.value
    assert header(dlq_record, "ce_type") == f"org.newsevents.dead_letter.v{SCHEMA_VERSION}"
    return letter, outcome


def test_malformed_message_is_dead_lettered_with_original_bytes(settings: Settings) -> None:
    processor = MessageProcessor(settings, extractor=fixed_extractor({}), extractor_version="v")
    original = b"\xff\xfe not utf-8"
    letter, outcome = dead_letter_of(processor.process(message(original, partition=3, offset=42)))
    assert letter.reason is DeadLetterReason.not_utf8
    assert base64.b64decode(letter.original_b64) == original and letter.original_size == len(original)
    assert (letter.source_topic, letter.source_partition, letter.source_offset) == ("articles.raw", 3, 42)
    assert outcome.article_id is None and outcome.events == 0


def test_oversize_original_is_truncated_in_the_dead_letter(tmp_path) -> None:
    settings = Settings(data_dir=tmp_path, max_message_bytes=1024)
    processor = MessageProcessor(settings, extractor=fixed_extractor({}), extractor_version="v")
    huge = b"x" * (DEAD_LETTER_ORIGINAL_MAX_BYTES + 10)
    letter, _ = dead_letter_of(processor.process(message(huge)))
    assert letter.reason is DeadLetterReason.too_large
    assert letter.original_size == len(huge)
    assert len(base64.b64decode(letter.original_b64)) == DEAD_LETTER_ORIGINAL_MAX_BYTES


def test_extraction_timeout_is_dead_lettered_as_timeout(settings: Settings) -> None:
    from streams.extraction import ExtractionTimeout

    def slow(article, *, time_budget_seconds=None):
        assert time_budget_seconds == settings.article_time_budget_seconds
        raise ExtractionTimeout("budget exceeded")

    processor = MessageProcessor(settings, extractor=slow, extractor_version="v")
    letter, outcome = dead_letter_of(processor.process(article_message({"id": "slow", "text": "x"})))
    assert letter.reason is DeadLetterReason.timeout and letter.article_id == "slow" and outcome.article_id == "slow"


def test_extractor_bug_is_dead_lettered_as_internal_error(settings: Settings) -> None:
    def broken(article, *, time_budget_seconds=None):
        raise ZeroDivisionError("bug " + "y" * 5000)

    processor = MessageProcessor(settings, extractor=broken, extractor_version="v")
    result = processor.process(article_message({"id": "boom", "text": "x"}))
    letter, _ = dead_letter_of(result)
    assert letter.reason is DeadLetterReason.internal_error
    assert "ZeroDivisionError" in letter.detail and len(letter.detail) <= 300
    assert result.extraction_seconds is not None


def test_event_too_large_for_the_broker_is_dead_lettered(settings: Settings) -> None:
    giant = hand_built_event("big", evidence_text="w" * (OUTPUT_RECORD_MAX_BYTES + 1))
    processor = MessageProcessor(settings, extractor=fixed_extractor({"big": (giant,)}), extractor_version="v")
    letter, _ = dead_letter_of(processor.process(article_message({"id": "big", "text": "x"})))
    assert letter.reason is DeadLetterReason.internal_error and "output limit" in letter.detail


def test_latency_is_measured_from_the_message_timestamp_and_never_negative(settings: Settings) -> None:
    now = time.time()
    processor = MessageProcessor(settings, extractor=fixed_extractor({}), extractor_version="v", clock=lambda: now)
    assert processor.process(
        article_message({"id": "a", "text": "x"}, timestamp=now - 2.5)
    ).outcome.latency_seconds == pytest.approx(2.5)
    assert (
        processor.process(article_message({"id": "a", "text": "x"}, timestamp=now + 60)).outcome.latency_seconds == 0.0
    )


def test_events_stand_alone_with_their_article_and_outlet(settings: Settings) -> None:
    processor = MessageProcessor(
        settings, extractor=fixed_extractor({"a1": (hand_built_event("a1", "deployment"),)}), extractor_version="t"
    )
    article = {
        "id": "a1",
        "text": "Troops arrived.",
        "url": "https://example.org/a1",
        "title": "Troops",
        "source": "Die Zeit",
    }
    [record] = processor.process(article_message(article)).event_records
    event = orjson.loads(record.value)
    assert (event["article_url"], event["article_title"], event["source"]) == (
        "https://example.org/a1",
        "Troops",
        "Die Zeit",
    )
    assert event["event_id"] == "a1-deployment"  # the id does not depend on the added fields
    assert header(record, "ce_source") == "urn:newsevents:outlet:Die%20Zeit"
    # Without an outlet the events say so (null) and keep the worker's source.
    [bare] = processor.process(article_message({"id": "a1", "text": "Troops arrived."})).event_records
    assert orjson.loads(bare.value)["source"] is None and header(bare, "ce_source") == "urn:newsevents:newsevents"


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("yesterday", None),
        ("25.10.2024", None),
        ("2024-10-25T11:36:00+02:00", "2024-10-25T11:36:00+02:00"),
        ("2024-10-25", "2024-10-25"),
    ],
)
def test_published_at_that_is_not_iso_8601_is_dropped_and_reported(
    settings: Settings, given: str, kept: str | None
) -> None:
    seen = []

    def extractor(article, *, time_budget_seconds=None):
        seen.append(article.published_at)
        return Result(
            lang="en",
            supported=True,
            events=(hand_built_event("a1", "denial").model_copy(update={"published_at": article.published_at}),),
        )

    processor = MessageProcessor(settings, extractor=extractor, extractor_version="t")
    result = processor.process(article_message({"id": "a1", "text": "Moscow denied it.", "published_at": given}))
    assert result.outcome.status is OutcomeStatus.ok and seen == [kept]
    assert result.dropped_published_at == (None if kept else given)
    assert orjson.loads(result.event_records[0].value)["published_at"] == kept
