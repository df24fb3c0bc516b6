"""Reading the pipeline's outputs: records of its topics (to a count, to their end, or all of them) and its metrics."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from aiokafka import AIOKafkaConsumer
from aiokafka.structs import TopicPartition
from kafka import KafkaConsumer
from kafka import TopicPartition as KafkaTopicPartition

from streams.harness.feeding import MAX_REQUEST_BYTES
from streams.kafka.reader import TailRecord, TopicReader
from streams.settings import Settings


def consume(
    settings: Settings,
    topics: list[str],
    *,
    count: int,
    timeout: float = 60.0,
    read_committed: bool = False,
) -> list[TailRecord]:
    """Records of topics from the beginning until `count` arrived or timeout passed (then returns what came)."""
    records: list[TailRecord] = []
    deadline = time.monotonic() + timeout
    with TopicReader(settings, topics, from_beginning=True, read_committed=read_committed) as reader:
        while len(records) < count and time.monotonic() < deadline:
            records.extend(reader.poll(timeout=0.5))
    return records


def read_all(settings: Settings, topics: Sequence[str], *, read_committed: bool, timeout: float = 120.0) -> list:
    """Every record of the topics up to their current end (the last stable offset under read_committed)."""
    records = []
    with TopicReader(settings, list(topics), from_beginning=True, read_committed=read_committed) as reader:
        consumer = reader.consumer
        partitions = list(consumer.assignment())
        ends = consumer.end_offsets(partitions)
        deadline = time.monotonic() + timeout
        while any(consumer.position(tp) < ends[tp] for tp in partitions):
            if time.monotonic() > deadline:
                raise AssertionError(f"could not read {topics} to their end within {timeout:.0f}s")
            records.extend(reader.poll(timeout=0.5))
    return records


def wait_for_records(
    bootstrap: str, topic: str, count: int, *, timeout: float, alive: Any = None, poll: float = 0.5
) -> float:
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
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        max_partition_fetch_bytes=MAX_REQUEST_BYTES,
    )
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


def metric_value(metrics_text: str, name: str, labels: Mapping[str, str] | None = None) -> float:
    """The value of one sample in Prometheus text format (0.0 when absent)."""
    wanted = dict(labels or {})
    for line in metrics_text.splitlines():
        if line.startswith("#") or not line.startswith(name):
            continue
        series, _, value = line.rpartition(" ")
        metric, _, label_text = series.partition("{")
        if metric != name:
            continue
        found = {}
        for pair in filter(None, label_text.rstrip("}").split(",")):
            key, _, quoted = pair.partition("=")
            found[key] = quoted.strip('"')
        if all(found.get(k) == v for k, v in wanted.items()):
            return float(value)
    return 0.0
