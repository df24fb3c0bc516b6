"""Prometheus metrics of the worker on an explicit registry (no global default registry)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, disable_created_metrics

from streams.kafka.quiet_take import BATCH_CLOSES

# No `*_created` series: a start timestamp per counter and histogram doubled the series count for nothing our
# dashboards or alerts read (Prometheus gets restarts from the counters themselves).
disable_created_metrics()

# Bucket bounds chosen for sub-millisecond extraction up to the default 2 s time budget.
EXTRACTION_BUCKETS = (0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5)
LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)


class LabelledChildren:
    """A labelled metric's children by their label values (in the metric's label order), each looked up once.

    metric.labels(...) checks and joins the values and takes the metric's lock on every call: about as much CPU as
    the increment itself, once or more per article. It returns the same child for the same values every time, so
    keeping the children is the same series and the same counts. The label values are bounded (see Metrics)."""

    def __init__(self, metric: Any):
        self._metric = metric
        self._children: dict[tuple[str, ...], Any] = {}

    def __call__(self, *values: str) -> Any:
        child = self._children.get(values)
        if child is None:
            child = self._children[values] = self._metric.labels(*values)
        return child


@dataclass
class Metrics:
    """All series the worker exports. Label values are bounded: lang is a shipped language, 'other' or 'und'."""

    registry: CollectorRegistry = field(default_factory=CollectorRegistry)

    def __post_init__(self) -> None:
        r = self.registry
        self.articles_consumed = Counter(
            "newsevents_articles_consumed_total", "Input messages consumed from the raw topic", registry=r
        )
        self.articles_processed = Counter(
            "newsevents_articles_processed_total",
            "Articles finished, by outcome status and language",
            ["status", "lang"],
            registry=r,
        )
        self.events_emitted = Counter(
            "newsevents_events_emitted_total", "Events published, by type and language", ["type", "lang"], registry=r
        )
        self.dead_letters = Counter(
            "newsevents_dead_letters_total", "Messages sent to the dead-letter topic, by reason", ["reason"], registry=r
        )
        # The pipeline agent counts every article and event through these (see LabelledChildren).
        self.articles_processed_by = LabelledChildren(self.articles_processed)  # (status, lang)
        self.events_emitted_by = LabelledChildren(self.events_emitted)  # (type, lang)
        self.dead_letters_by = LabelledChildren(self.dead_letters)  # (reason,)
        self.invalid_published_at = Counter(
            "newsevents_invalid_published_at_total",
            "Articles whose published_at was not ISO 8601 and was dropped (the article was processed without it)",
            registry=r,
        )
        self.extraction_duration = Histogram(
            "newsevents_extraction_duration_seconds",
            "Time spent in the pure extractor per article",
            buckets=EXTRACTION_BUCKETS,
            registry=r,
        )
        self.ingest_to_event_latency = Histogram(
            "newsevents_ingest_to_event_latency_seconds",
            "Input message timestamp to outcome published",
            buckets=LATENCY_BUCKETS,
            registry=r,
        )
        self.consumer_lag = Gauge(
            "newsevents_consumer_lag_messages",
            "Messages behind the end of each input partition",
            ["partition"],
            registry=r,
        )
        self.last_consumed_timestamp = Gauge(
            "newsevents_last_consumed_timestamp_seconds", "Unix time the worker last consumed a message", registry=r
        )
        self.worker_up = Gauge("newsevents_worker_up", "1 while the worker's agent is running", registry=r)
        self.extraction_compiled = Gauge(
            "newsevents_extraction_compiled",
            "1 when the worker runs the extraction compiled with mypyc (make compile), 0 when interpreted",
            registry=r,
        )
        self.worker_stalled = Gauge(
            "newsevents_worker_stalled",
            "1 once the stall watchdog found the worker stuck (it exits to be restarted shortly after)",
            registry=r,
        )
        self.worker_stalls = Counter(
            "newsevents_worker_stalls",
            "Stalls the watchdog found, by what waited (agent or commit)",
            ["what"],
            registry=r,
        )
        # Stories and alerts (streams/worker/stories.py). Labels: event type, a Change of streams.stories.core, and
        # the ids of the alert rules file: all bounded.
        self.stories_open = Gauge(
            "newsevents_stories_open", "Stories in this worker's table (open: their window has not expired)", registry=r
        )
        self.story_updates = Counter(
            "newsevents_story_updates_total",
            "Events applied to stories, by type and what they did (opened, joined, reopened, duplicate, late, full)",
            ["type", "change"],
            registry=r,
        )
        self.stories_expired = Counter(
            "newsevents_stories_expired_total",
            "Stories removed from the table once their window and the allowed lateness passed",
            ["type"],
            registry=r,
        )
        self.alerts = Counter(
            "newsevents_alerts_total", "Alerts raised (one per story), by type and rule", ["type", "rule"], registry=r
        )
        self.story_batches = Counter(
            "newsevents_story_batches_total",
            "Batches the stories agent took, by the rule that closed each (records, weight, quiet, window, caught_up, "
            "stop: streams/kafka/quiet_take.py)",
            ["closed_by"],
            registry=r,
        )
        self.table_recovery_seconds = Gauge(
            "newsevents_table_recovery_seconds",
            "Seconds from the last partition assignment until the stories table was recovered from its changelog",
            registry=r,
        )
        # The live page (GET /stories/stream): no labels, so a crowd of editors adds no series.
        self.sse_clients = Gauge(
            "newsevents_sse_clients", "Clients connected to the live page's update stream (/stories/stream)", registry=r
        )
        self.sse_dropped_clients = Counter(
            "newsevents_sse_dropped_clients_total",
            "Live-page clients disconnected because they fell too far behind the story updates",
            registry=r,
        )

    def prime(
        self,
        *,
        event_types: list[str],
        langs: list[str],
        statuses: list[str],
        reasons: list[str],
        story_changes: Sequence[str] = (),
        alert_rules: Sequence[str] = (),
    ) -> None:
        """Create every known label combination at zero.

        Prometheus cannot compute rate() or increase() over the first increment of a series it never saw at
        zero, so without this the first dead letter of a reason or the first event of a type is invisible.
        """
        for lang in langs:
            for status in statuses:
                self.articles_processed.labels(status=status, lang=lang)
            for event_type in event_types:
                self.events_emitted.labels(type=event_type, lang=lang)
        for reason in reasons:
            self.dead_letters.labels(reason=reason)
        for why in BATCH_CLOSES:
            self.story_batches.labels(closed_by=why)
        for event_type in event_types:
            self.stories_expired.labels(type=event_type)
            for change in story_changes:
                self.story_updates.labels(type=event_type, change=change)
            for rule in alert_rules:
                self.alerts.labels(type=event_type, rule=rule)
