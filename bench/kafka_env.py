"""A real local broker for the end-to-end benchmarks: topics per scenario, preload and paced feeding, outputs, /proc stats."""

from __future__ import annotations

import asyncio
import shutil
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.structs import TopicPartition
from kafka import KafkaConsumer
from kafka import TopicPartition as KafkaTopicPartition

from streams.harness.broker import BrokerConfig, LocalBroker
from streams.harness.processes import free_port, free_ports
from streams.harness.worker import WorkerProcess
from streams.kafka.topics import create_topics
from streams.settings import Settings

# Large enough for the longest corpus article; the broker's default message cap is ~1 MB.
MAX_REQUEST_BYTES = 2 * 1024 * 1024
# A fixed-rate feed lingers like Kafka 4.0's Java producer by default (linger.ms 5, KIP-1030): at a few thousand
# articles/s, linger 0 made one produce request per article, a load on the shared broker no real feed would add.
# A record's timestamp is still taken when it is sent, so the linger counts in the measured latency.
FEED_LINGER_MS = 5


class BenchKafka:
    """One KRaft broker on free loopback ports with its data in a temporary directory, removed on exit."""

    def __init__(self, *, heap: str = "512m", keep: bool = False) -> None:
        self.work_dir = Path(tempfile.mkdtemp(prefix="newsevents-bench-"))
        port, controller_port = free_ports(2)
        self.broker = LocalBroker(
            BrokerConfig(base_dir=self.work_dir / "kafka", port=port, controller_port=controller_port, heap=heap, die_with_parent=True)
        )
        self._keep = keep

    @property
    def bootstrap(self) -> str:
        return self.broker.bootstrap_servers

    def __enter__(self) -> BenchKafka:
        started = time.monotonic()
        self.broker.start()
        self.start_seconds = round(time.monotonic() - started, 1)
        return self

    def __exit__(self, *exc: object) -> None:
        self.broker.stop()
        if not self._keep:
            shutil.rmtree(self.work_dir, ignore_errors=True)

    def broker_rss_bytes(self) -> int | None:
        return self.broker.status().rss_bytes

    def settings(self, scenario: str, *, topic_raw: str | None = None, partitions: int = 4, **overrides: Any) -> Settings:
        """Settings of one scenario: its own consumer group and output topics (created), optionally a shared input."""
        prefix = f"bench-{scenario}"
        fields: dict[str, Any] = {
            "bootstrap_servers": self.bootstrap,
            "app_id": prefix,
            "topic_raw": topic_raw or f"{prefix}.articles.raw",
            "topic_deployment": f"{prefix}.events.deployment",
            "topic_denial": f"{prefix}.events.denial",
            "topic_policy_shift": f"{prefix}.events.policy_shift",
            "topic_processed": f"{prefix}.articles.processed",
            "topic_dlq": f"{prefix}.articles.dlq",
            "partitions": partitions,
            "web_port": free_port(),
            "data_dir": self.work_dir / prefix,
            "log_level": "warning",
        }
        fields.update(overrides)
        settings = Settings(**fields)
        create_topics(settings)
        return settings

    def start_worker(self, settings: Settings, name: str) -> WorkerProcess:
        return WorkerProcess(settings, self.work_dir / "logs" / f"{name}.log")


# ------------------------------------------------------------------------------------------ producing


def preload(bootstrap: str, topic: str, messages: Iterable[tuple[bytes, bytes]]) -> dict[str, float]:
    """Send all messages as fast as the client can (batched, acks=all) and wait for delivery."""
    return asyncio.run(_produce(bootstrap, topic, messages, rate=None))


def feed_at_rate(bootstrap: str, topic: str, messages: Iterable[tuple[bytes, bytes]], rate: float) -> dict[str, float]:
    """Send messages at a fixed rate (per 5 ms tick); each record's timestamp is taken when it is sent (its ingest time)."""
    return asyncio.run(_produce(bootstrap, topic, messages, rate=rate))


async def _produce(bootstrap: str, topic: str, messages: Iterable[tuple[bytes, bytes]], *, rate: float | None) -> dict[str, float]:
    producer = AIOKafkaProducer(
        bootstrap_servers=bootstrap,
        acks="all",
        linger_ms=FEED_LINGER_MS if rate else 20,
        max_batch_size=256 * 1024,
        max_request_size=MAX_REQUEST_BYTES,
    )
    await producer.start()
    sent = 0
    payload = 0
    started = time.monotonic()
    pending: list[asyncio.Future[Any]] = []
    try:
        for key, value in messages:
            if rate:
                due = started + sent / rate
                delay = due - time.monotonic()
                if delay > 0.005:
                    await asyncio.sleep(delay)
            pending.append(await producer.send(topic, value=value, key=key))
            sent += 1
            payload += len(value)
            if len(pending) >= 5000:
                await asyncio.gather(*pending)
                pending.clear()
        await asyncio.gather(*pending)
    finally:
        await producer.stop()
    elapsed = time.monotonic() - started
    return {"messages": sent, "bytes": payload, "seconds": round(elapsed, 2), "messages_per_second": round(sent / elapsed, 1)}


# ------------------------------------------------------------------------------------------ consuming


def wait_for_records(bootstrap: str, topic: str, count: int, *, timeout: float, alive: Any = None, poll: float = 0.5) -> float:
    """Block until `topic` holds `count` records; returns the time waited. `alive()` false aborts (worker died)."""
    consumer = KafkaConsumer(bootstrap_servers=bootstrap)
    started = time.monotonic()
    try:
        partitions = [KafkaTopicPartition(topic, p) for p in sorted(consumer.partitions_for_topic(topic) or ())]
        while True:
            total = sum(consumer.end_offsets(partitions).values())
            if total >= count:
                return time.monotonic() - started
            if time.monotonic() - started > timeout:
                raise TimeoutError(f"{topic}: {total} of {count} records after {timeout:.0f} s")
            if alive is not None and not alive():
                raise RuntimeError(f"{topic}: the process producing it exited at {total} of {count} records")
            time.sleep(poll)
    finally:
        consumer.close()


@dataclass(frozen=True, slots=True)
class OutputRecord:
    timestamp: float  # seconds (the producer's CreateTime)
    key: bytes | None
    value: bytes
    headers: tuple[tuple[str, bytes], ...]


def read_topic(bootstrap: str, topic: str) -> list[OutputRecord]:
    """Every record the topic holds now, in no particular order across partitions."""
    return asyncio.run(_read_topic(bootstrap, topic))


async def _read_topic(bootstrap: str, topic: str) -> list[OutputRecord]:
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False, auto_offset_reset="earliest",
                                max_partition_fetch_bytes=MAX_REQUEST_BYTES)
    await consumer.start()
    records: list[OutputRecord] = []
    try:
        partitions = [TopicPartition(topic, p) for p in sorted(consumer.partitions_for_topic(topic) or ())]
        if not partitions:
            await consumer._client.force_metadata_update()  # a topic created by another client a moment ago
            partitions = [TopicPartition(topic, p) for p in sorted(consumer.partitions_for_topic(topic) or ())]
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        ends = await consumer.end_offsets(partitions)
        remaining = {tp for tp in partitions if ends[tp] > 0}
        while remaining:
            batches = await consumer.getmany(*remaining, timeout_ms=1000, max_records=5000)
            for tp, messages in batches.items():
                records.extend(OutputRecord(m.timestamp / 1000, m.key, m.value, tuple(m.headers)) for m in messages)
                if messages and messages[-1].offset + 1 >= ends[tp]:
                    remaining.discard(tp)
    finally:
        await consumer.stop()
    return records


# ------------------------------------------------------------------------------------------ rates


def throughput(timestamps: Iterable[float]) -> dict[str, float]:
    """Rates from output record timestamps: first to last record, and the steady middle (10th to 90th percentile)."""
    ordered = sorted(timestamps)
    count = len(ordered)
    span = ordered[-1] - ordered[0] if count > 1 else 0.0
    low, high = ordered[count // 10], ordered[(count * 9) // 10]
    return {
        "records": count,
        "seconds": round(span, 3),
        "per_second": round((count - 1) / span, 1) if span > 0 else float("nan"),
        "steady_per_second": round((count * 8 // 10) / (high - low), 1) if high > low else float("nan"),
    }
