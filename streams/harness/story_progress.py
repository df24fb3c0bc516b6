"""How far the stories agent has got: the worker group's committed offsets on the story-events topic against each
partition's last committed record. A test waiting for complete stories tells lag from loss with it: a lagging agent
leaves story-events uncommitted (and its offsets advancing); a lost report leaves story-events consumed and
committed but its story incomplete."""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Collection
from dataclasses import dataclass

import orjson
from kafka import KafkaConsumer, TopicPartition
from kafka.admin import KafkaAdminClient

from streams.harness.hostile import metric_samples
from streams.harness.reading import read_all
from streams.harness.reliability import topic_partitions
from streams.kafka.connection import kafka_python_options
from streams.settings import Settings

SAMPLE_SECONDS = 10.0


@dataclass(frozen=True, slots=True)
class PartitionLag:
    """One story-events partition: what the group committed against what the agent has to read."""

    partition: int
    committed: int  # the group's committed offset (0: nothing committed yet)
    records_end: int  # the offset after the last record a read_committed reader sees (0: no record)
    end: int  # the high watermark: also counts aborted records and transaction markers

    @property
    def lag(self) -> int:
        """Committed records the group has not committed past: 0 once the agent handled and committed them all."""
        return max(0, self.records_end - self.committed)


def total_lag(lags: list[PartitionLag]) -> int:
    return sum(lag.lag for lag in lags)


def describe(lags: list[PartitionLag]) -> str:
    """'p0 lag 12 (committed 4410 of 4422, end 4431); p1 ...' for a test's output and its failure messages."""
    return "; ".join(
        f"p{lag.partition} lag {lag.lag} (committed {lag.committed} of {lag.records_end}, end {lag.end})"
        for lag in lags
    )


def counter_totals(metrics_text: str, name: str, label: str) -> dict[str, float]:
    """A counter summed by one label over the others: newsevents_story_updates_total by change, say."""
    totals: dict[str, float] = defaultdict(float)
    for labels, value in metric_samples(metrics_text, name):
        totals[labels.get(label, "")] += value
    return dict(sorted(totals.items()))


def _article_ids(value: bytes | None) -> list[str]:
    """Articles of a story-events record: a batch (a JSON array of {"story_key", "ingest_time", "event"}) or one event."""
    if value is None:
        return []
    parsed = orjson.loads(value)
    events = [item["event"] for item in parsed] if isinstance(parsed, list) else [parsed]
    return [event["article_id"] for event in events]


def report_offsets(settings: Settings, article_ids: Collection[str]) -> dict[int, list[int]]:
    """Partition -> offsets of the committed story-events records carrying reports of these articles: where the
    reports of incomplete stories sit against the group's committed offsets (behind them: handled and lost)."""
    wanted = set(article_ids)
    found: dict[int, set[int]] = defaultdict(set)
    for record in read_all(settings, [settings.topic_story_events], read_committed=True, timeout=180):
        if wanted.intersection(_article_ids(record.value)):
            found[record.partition].add(record.offset)
    return {partition: sorted(offsets) for partition, offsets in sorted(found.items())}


def describe_missing(offsets: dict[int, list[int]], lags: list[PartitionLag]) -> str:
    """Where the missing reports' records sit against the group's committed offsets: below it the agent committed
    past them (lost), at or above it they are not committed yet (unread, or skipped and holding the commit back)."""
    committed = {lag.partition: lag.committed for lag in lags}
    parts = []
    for partition, found in offsets.items():
        below = [offset for offset in found if offset < committed.get(partition, 0)]
        parts.append(
            f"p{partition} {len(found)} records {found[0]}..{found[-1]}: {len(below)} below the committed offset "
            f"{committed.get(partition, 0)}, {len(found) - len(below)} at or above it"
        )
    return "; ".join(parts) or "none"


@dataclass(frozen=True, slots=True)
class Drained:
    """The outcome of waiting for the stories agent: the lag when the wait began and when it ended."""

    seconds: float
    at_start: list[PartitionLag]
    at_end: list[PartitionLag]
    curve: list[tuple[float, int]]  # (seconds into the wait, total lag) every SAMPLE_SECONDS: how fast it drained

    @property
    def caught_up(self) -> bool:
        return total_lag(self.at_end) == 0


class StoryEventsProgress:
    """The worker group's progress on the story-events topic (the stories agent's input)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        options = kafka_python_options(settings)
        self._admin = KafkaAdminClient(client_id="story-events-progress", request_timeout_ms=10_000, **options)
        self._consumer = KafkaConsumer(
            group_id=None, enable_auto_commit=False, client_id="story-events-ends", **options
        )
        self._partitions = topic_partitions(self._consumer, settings.topic_story_events)
        self._records_end: dict[int, int] = {}
        self._read_at: dict[TopicPartition, int] | None = None  # the high watermarks _records_end was read at

    def _records_ends(self, ends: dict[TopicPartition, int]) -> dict[int, int]:
        """Offset after each partition's last committed record, read again whenever the topic grew."""
        if ends != self._read_at:
            records = read_all(self.settings, [self.settings.topic_story_events], read_committed=True, timeout=180)
            self._records_end = defaultdict(int)
            for record in records:
                self._records_end[record.partition] = max(self._records_end[record.partition], record.offset + 1)
            self._read_at = ends
        return self._records_end

    def committed(self) -> dict[int, int]:
        """Partition -> the group's committed offset (0 when none)."""
        group = self.settings.app_id
        offsets = self._admin.list_group_offsets({group: self._partitions}).get(group, {})
        return {
            tp.partition: max(0, meta.offset) if (meta := offsets.get(tp)) is not None else 0 for tp in self._partitions
        }

    def lags(self) -> list[PartitionLag]:
        ends = self._consumer.end_offsets(self._partitions)
        records_end = self._records_ends(ends)
        committed = self.committed()
        return [
            PartitionLag(tp.partition, committed[tp.partition], records_end.get(tp.partition, 0), ends[tp])
            for tp in self._partitions
        ]

    def wait_drained(
        self, *, stall_timeout: float, limit: float, check: Callable[[], None], poll: float = 2.0
    ) -> Drained:
        """Waits until the group has committed past every record of story-events, as long as its committed offsets
        keep advancing: gives up after `stall_timeout` seconds without an advance, or after `limit` seconds in all.
        `check` raises when a worker died. Call it once the topic is complete (its writers are done)."""
        started = time.monotonic()
        first = current = self.lags()
        advanced_at = started
        curve = [(0.0, total_lag(first))]
        while total_lag(current) > 0:
            now = time.monotonic()
            if now - advanced_at > stall_timeout or now - started > limit:
                break
            check()
            time.sleep(poll)
            latest = self.lags()
            if any(new.committed > old.committed for new, old in zip(latest, current, strict=True)):
                advanced_at = time.monotonic()
            current = latest
            if time.monotonic() - started >= curve[-1][0] + SAMPLE_SECONDS:
                curve.append((round(time.monotonic() - started, 1), total_lag(current)))
        seconds = round(time.monotonic() - started, 1)
        return Drained(seconds, first, current, [*curve, (seconds, total_lag(current))])

    def close(self) -> None:
        self._admin.close()
        self._consumer.close()

    def __enter__(self) -> StoryEventsProgress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
