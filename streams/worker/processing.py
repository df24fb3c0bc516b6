"""One input message -> the records to publish and what to count: decode, extract, build records (no Kafka here)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

import orjson

from schemas import Article, DeadLetter, DeadLetterReason, Event, Outcome, OutcomeStatus
from streams.settings import ExtractorMode, Settings
from streams.stories.keys import story_key
from streams.stories.wire import entry_of_data
from streams.worker.decode import Rejected, bounded, decode_article, without_invalid_published_at
from streams.worker.records import (
    OutboundRecord,
    dead_letter,
    dead_letter_record,
    event_record,
    outcome_record,
    outlet_ce_source,
    standalone_event,
    story_event_record,
)

if TYPE_CHECKING:
    from streams.extraction import ExtractionResult

# Label value for languages we have no lexicon for, and for undetermined language / undecodable input.
LANG_OTHER = "other"
LANG_UNDETERMINED = "und"
# Brokers reject records above ~1 MB by default (message.max.bytes); a larger event (an article made of
# one megabyte-long "sentence") is dead-lettered instead of crashing the producer.
OUTPUT_RECORD_MAX_BYTES = 900_000
# Outcomes of a worker running NEWSEVENTS_EXTRACTOR=noop say so, so they can never pass for real results.
NOOP_EXTRACTOR_VERSION = "noop"


# The extractor loads lexicons, name data and the language detector lazily; each shipped language's example
# sentences (lexicons/<lang>/examples.json: numbers, demonyms, places, attribution, negation and hedging) make it do
# so before consuming, so the first real articles neither run into their time budget nor carry a cold-start latency
# (measured: 150 ms -> 17 ms). The last article, without a language, loads the detector.
@cache
def warm_up_articles() -> tuple[Article, ...]:
    from streams.extraction.lexicon import available_languages, load_lexicon  # here: see MessageProcessor

    articles = [
        Article(
            id=f"warm-up-{lang}",
            lang=lang,
            text=" ".join(example.text for example in load_lexicon(lang).examples.sentences),
        )
        for lang in available_languages()
    ]
    first_example = load_lexicon(available_languages()[0]).examples.sentences[0].text
    return (*articles, Article(id="warm-up-detect", text=first_example))


@dataclass(frozen=True, slots=True)
class SourceMessage:
    """The parts of a consumed Kafka record the pipeline needs."""

    topic: str
    partition: int
    offset: int
    timestamp: float | None  # seconds since the epoch (the record's Kafka timestamp)
    value: bytes | None


@dataclass(frozen=True, slots=True)
class ProcessingResult:
    """Everything one input message produces. Publish event_records and story_records first, then final_records."""

    event_records: tuple[OutboundRecord, ...]
    final_records: tuple[OutboundRecord, ...]  # the dead letter (if any), then the outcome, always last
    outcome: Outcome
    events: tuple[Event, ...]
    dead_letter: DeadLetter | None
    lang_label: str  # bounded metric label: a shipped language, "other" or "und"
    extraction_seconds: float | None  # None when extraction did not run
    dropped_published_at: str | None = None  # the article's published_at when it was not ISO 8601 (dropped)
    story_records: tuple[OutboundRecord, ...] = ()  # the events again, keyed by story key (published with them)

    @property
    def records(self) -> tuple[OutboundRecord, ...]:
        return self.event_records + self.story_records + self.final_records


@dataclass(frozen=True, slots=True)
class Extracted:
    """A decoded article's extraction, before its records are built (MessageProcessor.extract)."""

    article: Article  # without an invalid published_at
    dropped_published_at: str | None  # the article's published_at when it was not ISO 8601 (dropped)
    result: ExtractionResult | None  # None when the extraction failed or ran out of time ...
    rejected: Rejected | None  # ... and then why
    seconds: float  # how long the extraction ran


class MessageProcessor:
    """Turns input messages into output records with the same extractor `newsevents extract` uses."""

    def __init__(
        self,
        settings: Settings,
        *,
        extractor: Callable | None = None,
        extractor_version: str | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        from streams import extraction  # imported here so tests can substitute a misbehaving extractor

        noop = extractor is None and settings.extractor is ExtractorMode.noop
        self._extract = extractor or (skip_extraction if noop else extraction.extract)
        self._default_extract = extraction.extract
        self._prepare = extraction.prepare
        self._timeout_error = extraction.ExtractionTimeout
        self.extractor_version = extractor_version or (NOOP_EXTRACTOR_VERSION if noop else extraction.EXTRACTOR_VERSION)
        self._settings = settings
        self._event_topics = settings.event_topics
        self._story_events_topic = settings.topic_story_events if settings.stories_enabled else None
        # Partitions of the story-events topic: the pipeline agent sends a batch's story records as one record per
        # partition (faust's tables require the topic to have as many as the tables, settings.partitions).
        self.story_partitions = settings.partitions
        self._ce_source = f"urn:newsevents:{settings.app_id}"
        self._clock = clock

    def warm_up(self) -> None:
        """Compile the extractor's regexes and run it once per shipped language (and the detector) without a budget."""
        if self._extract is self._default_extract:
            self._prepare()
        for article in warm_up_articles():
            self._extract(article, time_budget_seconds=None)

    def process(self, message: SourceMessage) -> ProcessingResult:
        """Decode, extract and build the records for one message. Never raises on bad input or extractor bugs."""
        return self.finish(message, self.extract(self.decode(message)))

    # process() in three steps, for a batch taken step by step (PipelineAgent): each step's code and data stay in
    # the CPU caches over the whole batch instead of being evicted by the extractor's after every message.

    def decode(self, message: SourceMessage) -> Article | Rejected:
        """The message's article, or why it cannot be read (the first step of process)."""
        return decode_article(message.value, max_bytes=self._settings.max_message_bytes)

    def extract(self, decoded: Article | Rejected) -> Extracted | Rejected:
        """The article's extraction (the second step of process); a message that did not decode passes through."""
        if isinstance(decoded, Rejected):
            return decoded
        article, dropped_published_at = without_invalid_published_at(decoded)
        started = time.perf_counter()
        try:
            result = self._extract(article, time_budget_seconds=self._settings.article_time_budget_seconds)
        except self._timeout_error:
            rejected = Rejected(
                DeadLetterReason.timeout,
                f"extraction exceeded {self._settings.article_time_budget_seconds} s",
                article.id,
            )
            return Extracted(article, dropped_published_at, None, rejected, time.perf_counter() - started)
        except Exception as exc:  # an extractor bug must not stop the worker: dead-letter and go on
            rejected = Rejected(
                DeadLetterReason.internal_error,
                bounded(f"extractor failed: {type(exc).__name__}: {exc}"),
                article.id,
            )
            return Extracted(article, dropped_published_at, None, rejected, time.perf_counter() - started)
        return Extracted(article, dropped_published_at, result, None, time.perf_counter() - started)

    def finish(self, message: SourceMessage, extracted: Extracted | Rejected) -> ProcessingResult:
        """The records and counts of one message from its extraction (the last step of process)."""
        if isinstance(extracted, Rejected):
            return self._rejected(message, extracted)
        if extracted.result is None:
            assert extracted.rejected is not None, "an extraction without a result says why"
            return self._rejected(message, extracted.rejected, extraction_seconds=extracted.seconds)
        article, result, elapsed = extracted.article, extracted.result, extracted.seconds

        events = tuple(standalone_event(event, article) for event in result.events)
        ce_source = outlet_ce_source(article.source, self._ce_source)
        event_data = [event.model_dump(mode="json") for event in events]
        event_records = tuple(
            event_record(event, topic=self._event_topics[event.type.value], ce_source=ce_source, data=data)
            for event, data in zip(events, event_data, strict=True)
        )
        story_records: tuple[OutboundRecord, ...] = ()
        if self._story_events_topic is not None:
            # The stories agent's input, re-keyed by story key; published with the events (in the same transaction
            # under exactly-once), so a story never misses an event that was published, nor sees one that was not.
            story_records = tuple(
                story_event_record(
                    record,
                    story_key=key.text,
                    topic=self._story_events_topic,
                    ingest_time=message.timestamp,
                    entry=orjson.dumps(entry_of_data(data, key, message.timestamp)),
                )
                for event, data, record in zip(events, event_data, event_records, strict=True)
                for key in (story_key(event),)
            )
        oversized = next((r for r in event_records if len(r.value) > OUTPUT_RECORD_MAX_BYTES), None)
        if oversized is not None:
            detail = f"an event record is {len(oversized.value)} bytes, above the {OUTPUT_RECORD_MAX_BYTES} byte output limit"
            return self._rejected(
                message, Rejected(DeadLetterReason.internal_error, detail, article.id), extraction_seconds=elapsed
            )

        outcome = Outcome(
            article_id=article.id,
            status=OutcomeStatus.ok,
            events=len(events),
            lang=result.lang,
            extractor_version=self.extractor_version,
            latency_seconds=self._latency(message),
            source_partition=message.partition,
            source_offset=message.offset,
        )
        return ProcessingResult(
            event_records=event_records,
            story_records=story_records,
            final_records=(self._outcome_record(message, outcome),),
            outcome=outcome,
            events=events,
            dead_letter=None,
            lang_label=_lang_label(result.lang, result.supported),
            extraction_seconds=elapsed,
            dropped_published_at=extracted.dropped_published_at,
        )

    def _rejected(
        self, message: SourceMessage, rejected: Rejected, *, extraction_seconds: float | None = None
    ) -> ProcessingResult:
        letter = dead_letter(
            reason=rejected.reason,
            detail=rejected.detail,
            original=message.value,
            article_id=rejected.article_id,
            source_topic=message.topic,
            source_partition=message.partition,
            source_offset=message.offset,
        )
        outcome = Outcome(
            article_id=rejected.article_id,
            status=OutcomeStatus.dead_letter,
            events=0,
            lang=None,
            extractor_version=self.extractor_version,
            latency_seconds=self._latency(message),
            source_partition=message.partition,
            source_offset=message.offset,
            reason=rejected.reason,
        )
        return ProcessingResult(
            event_records=(),
            final_records=(
                dead_letter_record(letter, topic=self._settings.topic_dlq, ce_source=self._ce_source),
                self._outcome_record(message, outcome),
            ),
            outcome=outcome,
            events=(),
            dead_letter=letter,
            lang_label=LANG_UNDETERMINED,
            extraction_seconds=extraction_seconds,
        )

    def _outcome_record(self, message: SourceMessage, outcome: Outcome) -> OutboundRecord:
        return outcome_record(
            outcome, topic=self._settings.topic_processed, source_topic=message.topic, ce_source=self._ce_source
        )

    def _latency(self, message: SourceMessage) -> float:
        # Producer clocks may be ahead of ours (CreateTime timestamps): never report negative latency.
        if message.timestamp is None:
            return 0.0
        return max(0.0, self._clock() - message.timestamp)


def skip_extraction(article: Article, *, time_budget_seconds: float | None = None) -> ExtractionResult:
    """The `noop` extractor (NEWSEVENTS_EXTRACTOR=noop): zero events, so a benchmark sees decode, records and Kafka alone."""
    from streams.extraction import ExtractionResult

    return ExtractionResult(lang=article.lang or LANG_UNDETERMINED, supported=False, events=())


def _lang_label(lang: str, supported: bool) -> str:
    if supported:
        return lang
    return LANG_UNDETERMINED if lang == LANG_UNDETERMINED else LANG_OTHER
