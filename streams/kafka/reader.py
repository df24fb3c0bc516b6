"""Read records from topics as they arrive (kafka-python, no consumer group, nothing committed)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass

import orjson
from kafka import KafkaConsumer, TopicPartition

from streams.kafka.connection import kafka_python_options
from streams.settings import Settings

PARTITION_WAIT_SECONDS = 30.0


@dataclass(frozen=True, slots=True)
class TailRecord:
    topic: str
    partition: int
    offset: int
    timestamp_ms: int
    key: bytes | None
    value: bytes | None
    headers: tuple[tuple[str, bytes], ...]

    def json(self) -> object:
        """The value parsed as JSON (our topics carry JSON objects)."""
        return orjson.loads(self.value) if self.value is not None else None

    def header(self, name: str) -> str | None:
        for key, value in self.headers:
            if key == name:
                return value.decode("utf-8", errors="replace")
        return None


class TopicReader:
    """Assigns every partition of the topics itself and starts at the end (or the beginning).

    Positions are fixed when the reader is created, so records produced after construction are never missed.
    """

    def __init__(
        self,
        settings: Settings,
        topics: list[str],
        *,
        from_beginning: bool = False,
        read_committed: bool = False,
    ) -> None:
        self.topics = topics
        self.consumer = KafkaConsumer(
            group_id=None,
            enable_auto_commit=False,
            isolation_level="read_committed" if read_committed else "read_uncommitted",
            client_id=f"{settings.app_id}-tail",
            **kafka_python_options(settings),
        )
        partitions = [TopicPartition(topic, p) for topic in topics for p in sorted(self._partitions_for(topic))]
        self.consumer.assign(partitions)
        if from_beginning:
            self.consumer.seek_to_beginning(*partitions)
        else:
            self.consumer.seek_to_end(*partitions)
        for tp in partitions:
            self.consumer.position(tp)  # resolve the start offset now, not lazily at the first poll

    def _partitions_for(self, topic: str) -> set[int]:
        deadline = time.monotonic() + PARTITION_WAIT_SECONDS
        while True:
            partitions = self.consumer.partitions_for_topic(topic)
            if partitions:
                return partitions
            if time.monotonic() > deadline:
                raise RuntimeError(f"topic {topic!r} does not exist (run `newsevents topics create`)")
            time.sleep(0.2)

    def poll(self, timeout: float = 0.5) -> list[TailRecord]:
        batches = self.consumer.poll(timeout_ms=int(timeout * 1000))
        records = [
            TailRecord(
                topic=r.topic,
                partition=r.partition,
                offset=r.offset,
                timestamp_ms=r.timestamp,
                key=r.key,
                value=r.value,
                headers=tuple((k, v if v is not None else b"") for k, v in (r.headers or [])),
            )
            for batch in batches.values()
            for r in batch
        ]
        records.sort(key=lambda r: (r.timestamp_ms, r.topic, r.partition, r.offset))
        return records

    def records(self, *, max_records: int | None = None, idle_timeout: float | None = None) -> Iterator[TailRecord]:
        """Yield records until max_records were read or nothing arrived for idle_timeout seconds."""
        count = 0
        last_arrival = time.monotonic()
        while max_records is None or count < max_records:
            batch = self.poll()
            if batch:
                last_arrival = time.monotonic()
            elif idle_timeout is not None and time.monotonic() - last_arrival > idle_timeout:
                return
            for record in batch:
                yield record
                count += 1
                if max_records is not None and count >= max_records:
                    return

    def close(self) -> None:
        self.consumer.close()

    def __enter__(self) -> "TopicReader":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
