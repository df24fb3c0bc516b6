"""Reliability kit shared by the fault tests and scripts/reliability: synthetic articles, a steady feed, progress, the audit."""

from __future__ import annotations

import random
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import orjson
from kafka import KafkaConsumer, TopicPartition
from kafka.admin import KafkaAdminClient

from schemas import DeadLetterReason, Event, Outcome
from streams.harness.feeding import make_producer
from streams.harness.reading import read_all
from streams.harness.worker import WorkerProcess
from streams.kafka.connection import kafka_python_options
from streams.settings import Settings
from streams.worker.processing import MessageProcessor, SourceMessage

# ------------------------------------------------------------------------------------ synthetic articles
# Written for these tests (not taken from any corpus): short wire-style paragraphs in English and German,
# some with deployment / denial / policy cues and some hard negatives without any.

_EN_ACTORS = ("Poland", "Germany", "France", "North Korea", "Japan", "Canada")
_EN_PLACES = ("Lithuania", "Kursk", "Estonia", "Romania", "the Baltic coast")
_DE_ACTORS = ("Polen", "Deutschland", "Frankreich", "Nordkorea", "Japan", "Kanada")
_DE_PLACES = ("Litauen", "Kursk", "Estland", "Rumänien", "die Ostseeküste")
_EN_DAYS = ("Monday", "Tuesday", "Friday")
_DE_DAYS = ("Montag", "Dienstag", "Freitag")

_EN_CUES = (
    "{actor} has sent {n} soldiers to {place}, officials in the capital confirmed on {day}.",
    "According to the defence ministry, {actor} moved {n} troops to {place} overnight.",
    "The government of {actor} denied that its troops had crossed into {place}.",
    "A spokesperson for {actor} rejected reports of soldiers stationed in {place} as false.",
    "{actor} announced on {day} that it will lift its ban on weapons deliveries to {place}.",
)
_EN_PLAIN = (
    "The museum in {place} reopened after a long renovation and counted {n} visitors on {day}.",
    "Farmers near {place} expect a good harvest after a wet spring.",
    "The software team deployed {n} new servers for the payroll system on {day}.",
)
_DE_CUES = (
    "{actor} hat {n} Soldaten nach {place} verlegt, wie das Ministerium am {day} mitteilte.",
    "Nach Angaben der Regierung entsendet {actor} weitere {n} Soldaten nach {place}.",
    "Die Regierung von {actor} bestritt, dass eigene Truppen in {place} stationiert seien.",
    "{actor} kündigte am {day} an, künftig Waffen an {place} zu liefern.",
)
_DE_PLAIN = (
    "In {place} eröffnete am {day} ein neues Schwimmbad, das {n} Besucher zählte.",
    "Der Stadtrat diskutierte am {day} lange über den Ausbau der Radwege.",
    "Das Orchester gab in {place} ein Konzert vor {n} Gästen.",
)


@dataclass(frozen=True, slots=True)
class SyntheticText:
    lang: str | None  # None: the producer leaves the language to detection
    text: str
    has_cue: bool


def synthetic_texts(variants: int = 96, *, seed: int = 4) -> list[SyntheticText]:
    """`variants` distinct article texts (de/en, with and without cues), the same for the same seed."""
    rng = random.Random(seed)
    texts: dict[str, SyntheticText] = {}
    while len(texts) < variants:
        german = rng.random() < 0.5
        actors, places, days = (_DE_ACTORS, _DE_PLACES, _DE_DAYS) if german else (_EN_ACTORS, _EN_PLACES, _EN_DAYS)
        cues, plain = (_DE_CUES, _DE_PLAIN) if german else (_EN_CUES, _EN_PLAIN)
        has_cue = rng.random() < 0.6
        sentences = [rng.choice(cues if has_cue else plain), rng.choice(plain)]
        text = " ".join(
            s.format(
                actor=rng.choice(actors),
                place=rng.choice(places),
                day=rng.choice(days),
                n=f"{rng.randint(2, 90) * 100:,}",
            )
            for s in sentences
        )
        lang = None if rng.random() < 0.25 else ("de" if german else "en")
        texts.setdefault(text, SyntheticText(lang, text, has_cue))
    return list(texts.values())


@dataclass(frozen=True, slots=True)
class SyntheticArticle:
    article_id: str
    text_index: int
    value: bytes


def synthetic_articles(count: int, texts: Sequence[SyntheticText], *, prefix: str) -> list[SyntheticArticle]:
    """`count` articles with unique ids cycling through `texts`."""
    articles = []
    for number in range(count):
        index = number % len(texts)
        article_id = f"{prefix}-{number:07d}"
        body: dict[str, Any] = {"id": article_id, "text": texts[index].text, "source": "reliability-kit"}
        if texts[index].lang is not None:
            body["lang"] = texts[index].lang
        articles.append(SyntheticArticle(article_id, index, orjson.dumps(body)))
    return articles


EventSignature = tuple[str, str, str | None, int | None]


def event_signature(event: Event) -> EventSignature:
    """What an event says, without its article-specific id."""
    return (
        event.type.value,
        event.actor.name,
        event.location.name if event.location else None,
        event.quantity.value if event.quantity else None,
    )


@dataclass(frozen=True)
class Expectation:
    """What the pipeline must produce for one text, found by running the worker's own processor offline."""

    status: str
    reason: DeadLetterReason | None
    signatures: Counter


def expectations(texts: Sequence[SyntheticText], settings: Settings) -> list[Expectation]:
    processor = MessageProcessor(settings)
    # As the worker does before consuming: a cold first extraction on a busy machine overran the time budget, and
    # the first text was expected as a timeout dead letter that the (warmed-up) worker never produces.
    processor.warm_up()
    found = []
    for text in texts:
        body: dict[str, Any] = {"id": "expectation-probe", "text": text.text}
        if text.lang is not None:
            body["lang"] = text.lang
        result = processor.process(
            SourceMessage(topic="probe", partition=0, offset=0, timestamp=None, value=orjson.dumps(body))
        )
        found.append(
            Expectation(
                status=result.outcome.status.value,
                reason=result.outcome.reason,
                signatures=Counter(event_signature(event) for event in result.events),
            )
        )
    return found


# ------------------------------------------------------------------------------------------- feeding


class BackgroundFeeder(threading.Thread):
    """Produces articles at a steady rate while faults happen; keeps retrying through a broker outage.

    With hold_back=N the last N articles wait for release(): a test that must fault the cluster while articles
    are still arriving holds them back until the fault, however slowly a loaded machine processes the others."""

    def __init__(
        self, settings: Settings, articles: Sequence[SyntheticArticle], *, rate: float, hold_back: int = 0
    ) -> None:
        super().__init__(name="reliability-feeder", daemon=True)
        self.settings = settings
        self.articles = articles
        self.rate = rate
        self.sent = 0
        self.error: BaseException | None = None
        self.finished_at: float | None = None
        self._held_from = len(articles) - hold_back
        self._released = threading.Event()
        if hold_back == 0:
            self._released.set()

    def release(self) -> None:
        """Lets the held-back articles go (at the same steady rate)."""
        self._released.set()

    def run(self) -> None:
        # Retries until the delivery timeout: a broker restart mid-stream must delay the feed, not lose it.
        producer = make_producer(self.settings, linger_ms=20, delivery_timeout_ms=300_000, request_timeout_ms=30_000)
        try:
            started, first_of_run = time.monotonic(), 0
            futures = []
            for number, article in enumerate(self.articles):
                if number == self._held_from and not self._released.is_set():
                    self._released.wait()
                    started, first_of_run = time.monotonic(), number
                due = started + (number - first_of_run) / self.rate
                delay = due - time.monotonic()
                if delay > 0:
                    time.sleep(delay)
                futures.append(
                    producer.send(self.settings.topic_raw, key=article.article_id.encode(), value=article.value)
                )
                self.sent = number + 1
            producer.flush(timeout=300)
            for future in futures:
                future.get(timeout=300)
        except BaseException as error:  # reported to the test thread by join_checked
            self.error = error
        finally:
            self.finished_at = time.monotonic()
            producer.close()

    def join_checked(self, timeout: float) -> None:
        self.join(timeout)
        if self.is_alive():
            raise AssertionError(f"the feeder did not finish within {timeout:.0f}s ({self.sent} sent)")
        if self.error is not None:
            raise AssertionError(f"the feeder failed after {self.sent} messages: {self.error!r}") from self.error


# ------------------------------------------------------------------------------------------- progress


def topic_partitions(consumer: KafkaConsumer, topic: str) -> list[TopicPartition]:
    """The topic's partitions, in order, as the consumer's metadata knows them."""
    return [TopicPartition(topic, p) for p in sorted(consumer.partitions_for_topic(topic) or ())]


class GroupProgress:
    """The worker group's committed offsets on the raw topic against the topic's end offsets."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._options = kafka_python_options(settings)
        self._admin = self._new_admin()
        self._consumer = KafkaConsumer(
            group_id=None, enable_auto_commit=False, client_id="reliability-ends", **self._options
        )
        self._partitions = topic_partitions(self._consumer, settings.topic_raw)
        self._stable_ends: KafkaConsumer | None = None  # read_committed, made on first use
        self._outcome_partitions: list[TopicPartition] = []

    def _new_admin(self) -> KafkaAdminClient:
        return KafkaAdminClient(client_id="reliability-progress", request_timeout_ms=10_000, **self._options)

    def reconnect(self) -> None:
        """A fresh admin client: kafka-python's keeps asking a group coordinator that went away (NodeNotReadyError)."""
        self._admin.close()
        self._admin = self._new_admin()

    def committed(self) -> int:
        offsets = self._admin.list_group_offsets({self.settings.app_id: self._partitions}).get(self.settings.app_id, {})
        return sum(max(0, meta.offset) for meta in offsets.values() if meta is not None)

    def end(self) -> int:
        return sum(self._consumer.end_offsets(self._partitions).values())

    def open_transaction_outcomes(self) -> int:
        """Outcome records written inside a transaction that is still open (0 under at-least-once).

        The high watermark counts every written record; the last stable offset stops at the first record of an
        open transaction, so their difference is what a kill right now would leave to abort.
        """
        if self._stable_ends is None:
            self._stable_ends = KafkaConsumer(
                group_id=None,
                enable_auto_commit=False,
                client_id="reliability-stable-ends",
                isolation_level="read_committed",
                **self._options,
            )
            self._outcome_partitions = topic_partitions(self._stable_ends, self.settings.topic_processed)
        written = self._consumer.end_offsets(self._outcome_partitions)
        stable = self._stable_ends.end_offsets(self._outcome_partitions)
        return sum(written[p] - stable[p] for p in self._outcome_partitions)

    def wait_committed(
        self, target: int, *, timeout: float, worker: WorkerProcess | None = None, poll: float = 0.25
    ) -> float:
        """Wait until at least `target` input messages are committed; returns the seconds it took."""
        started = time.monotonic()
        last_error = ""
        while time.monotonic() - started < timeout:
            if worker is not None and worker.process.poll() is not None:
                raise AssertionError(f"worker exited with {worker.process.returncode}:\n{worker.log_tail()}")
            try:
                if self.committed() >= target:
                    return time.monotonic() - started
            except Exception as error:  # broker briefly unavailable during broker fault tests
                last_error = repr(error)
                try:
                    self.reconnect()
                except Exception as reconnect_error:  # still down: try again at the next poll
                    last_error += f"; reconnect: {reconnect_error!r}"
            time.sleep(poll)
        raise AssertionError(f"fewer than {target} messages committed after {timeout:.0f}s {last_error}")

    def close(self) -> None:
        self._admin.close()
        self._consumer.close()
        if self._stable_ends is not None:
            self._stable_ends.close()

    def __enter__(self) -> GroupProgress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def live_health(worker: WorkerProcess) -> tuple[int, dict[str, Any]] | None:
    """The worker's /health (None while its web server is not up); fails with its log if the worker exited."""
    if worker.process.poll() is not None:
        raise AssertionError(f"worker exited with {worker.process.returncode}:\n{worker.log_tail()}")
    try:
        return worker.health()
    except (OSError, ValueError):
        return None


def wait_health(
    worker: WorkerProcess, condition: Callable[[int, dict[str, Any]], bool], *, since: float, timeout: float, what: str
) -> float:
    """Seconds from `since` (a monotonic time) until the worker's /health satisfies `condition`."""
    while time.monotonic() < since + timeout:
        health = live_health(worker)
        if health is not None and condition(*health):
            return time.monotonic() - since
        time.sleep(0.1)
    raise AssertionError(f"worker: {what} not within {timeout:.0f}s:\n{worker.log_tail()}")


def wait_processing(worker: WorkerProcess, *, since: float, timeout: float) -> float:
    """Seconds from `since` until the worker reports a processed message."""
    return wait_health(
        worker,
        lambda status, report: report.get("messages_processed", 0) > 0,
        since=since,
        timeout=timeout,
        what="a processed message",
    )


def assigned_partitions(worker: WorkerProcess) -> list[int]:
    """The input partitions the worker holds ([] while its web server is not up)."""
    health = live_health(worker)
    return health[1]["assigned_partitions"] if health is not None else []


def wait_partitions(worker: WorkerProcess, partitions: int, *, since: float, timeout: float) -> float:
    """Seconds from `since` until the worker holds `partitions` input partitions and is consuming."""
    return wait_health(
        worker,
        lambda status, report: status == 200 and len(report["assigned_partitions"]) == partitions,
        since=since,
        timeout=timeout,
        what=f"all {partitions} partitions",
    )


# ------------------------------------------------------------------------------------------- audit


@dataclass
class Audit:
    """Outcomes and events found for the articles sent, against the offline expectations."""

    sent: int
    outcomes_found: int  # articles with at least one outcome
    lost: int  # articles without any outcome
    outcome_records: int
    duplicate_outcomes: int  # outcome records beyond one per article
    wrong_outcomes: int  # outcome status/reason/event count differing from the offline run
    events_expected: int
    events_found: int  # distinct event ids of the articles sent
    event_records: int
    missing_events: int  # expected events with no record
    unexpected_events: int  # distinct events that the offline run does not produce
    duplicate_events: int  # event records beyond one per event id
    duplicates_with_same_id: int  # duplicate event records whose content equals the first record with that id
    lost_examples: list[str] = field(default_factory=list)
    wrong_examples: list[str] = field(default_factory=list)
    differing_duplicate_examples: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def audit(
    settings: Settings,
    articles: Sequence[SyntheticArticle],
    expected: Sequence[Expectation],
    *,
    read_committed: bool,
) -> Audit:
    by_id = {article.article_id: article for article in articles}
    outcome_records = read_all(settings, [settings.topic_processed], read_committed=read_committed)
    outcomes: dict[str, list[Outcome]] = defaultdict(list)
    for record in outcome_records:
        outcome = Outcome.model_validate_json(record.value)
        if outcome.article_id in by_id:
            outcomes[outcome.article_id].append(outcome)

    event_records = read_all(settings, list(settings.event_topics.values()), read_committed=read_committed)
    events_by_article: dict[str, dict[str, Event]] = defaultdict(dict)
    record_counts: Counter = Counter()
    same_content_duplicates = 0
    differing: list[str] = []
    for record in event_records:
        event = Event.model_validate_json(record.value)
        if event.article_id not in by_id:
            continue
        record_counts[event.event_id] += 1
        known = events_by_article[event.article_id].get(event.event_id)
        if known is None:
            events_by_article[event.article_id][event.event_id] = event
        elif known == event:
            same_content_duplicates += 1
        elif len(differing) < 5:
            changed = {
                k: (v, event.model_dump()[k]) for k, v in known.model_dump().items() if event.model_dump()[k] != v
            }
            differing.append(f"{event.event_id} ({record.topic}[{record.partition}]@{record.offset}): {changed}")

    lost, wrong = [], []
    missing = unexpected = expected_total = 0
    for article_id, article in by_id.items():
        expectation = expected[article.text_index]
        expected_total += sum(expectation.signatures.values())
        found = outcomes.get(article_id, [])
        if not found:
            lost.append(article_id)
        elif any(
            (o.status.value, o.reason, o.events)
            != (expectation.status, expectation.reason, sum(expectation.signatures.values()))
            for o in found
        ):
            wrong.append(f"{article_id}: {[(o.status.value, o.reason, o.events) for o in found]} != {expectation}")
        signatures = Counter(event_signature(e) for e in events_by_article.get(article_id, {}).values())
        missing += sum((expectation.signatures - signatures).values())
        unexpected += sum((signatures - expectation.signatures).values())

    total_outcome_records = sum(len(found) for found in outcomes.values())
    total_event_records = sum(record_counts.values())
    return Audit(
        sent=len(by_id),
        outcomes_found=len(outcomes),
        lost=len(lost),
        outcome_records=total_outcome_records,
        duplicate_outcomes=total_outcome_records - len(outcomes),
        wrong_outcomes=len(wrong),
        events_expected=expected_total,
        events_found=len(record_counts),
        event_records=total_event_records,
        missing_events=missing,
        unexpected_events=unexpected,
        duplicate_events=total_event_records - len(record_counts),
        duplicates_with_same_id=same_content_duplicates,
        lost_examples=lost[:5],
        wrong_examples=wrong[:5],
        differing_duplicate_examples=differing,
    )


def assert_nothing_lost(result: Audit, *, exactly_once: bool) -> None:
    """Every article has an outcome and all its events; under exactly-once nothing appears twice."""
    summary = result.as_dict()
    assert result.lost == 0, summary
    assert result.wrong_outcomes == 0, summary
    assert result.missing_events == 0 and result.unexpected_events == 0, summary
    # A reprocessed article repeats its events with identical ids and content, so downstream can dedupe by key.
    assert result.duplicates_with_same_id == result.duplicate_events, summary
    if exactly_once:
        assert result.duplicate_outcomes == 0 and result.duplicate_events == 0, summary


# ------------------------------------------------------------------------------------------- timing


@dataclass
class Timeline:
    """Named moments of a fault run (monotonic seconds), reported relative to the start."""

    started: float = field(default_factory=time.monotonic)
    marks: dict[str, float] = field(default_factory=dict)

    def mark(self, name: str) -> float:
        self.marks[name] = time.monotonic()
        return self.marks[name]

    def between(self, first: str, second: str) -> float:
        return round(self.marks[second] - self.marks[first], 3)

    def relative(self) -> dict[str, float]:
        return {name: round(moment - self.started, 3) for name, moment in self.marks.items()}


def poll_until(
    condition: Callable[[], bool], *, timeout: float, interval: float = 0.2, what: str = "condition"
) -> float:
    started = time.monotonic()
    while not condition():
        if time.monotonic() - started > timeout:
            raise AssertionError(f"{what} not reached within {timeout:.0f}s")
        time.sleep(interval)
    return time.monotonic() - started


def chunks(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
