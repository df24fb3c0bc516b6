"""Feeding the pipeline: kafka-python producers with a run's settings, and aiokafka preloads and paced feeds (bench)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import orjson
from aiokafka import AIOKafkaProducer
from kafka import KafkaProducer

from streams.kafka.connection import kafka_python_options
from streams.settings import Settings

# Large enough for the longest corpus article; the broker's default message cap is ~1 MB.
MAX_REQUEST_BYTES = 2 * 1024 * 1024
# A fixed-rate feed lingers like Kafka 4.0's Java producer by default (linger.ms 5, KIP-1030): at a few thousand
# articles/s, linger 0 made one produce request per article, a load on the shared broker no real feed would add.
# A record's timestamp is still taken when it is sent, so the linger counts in the measured latency.
FEED_LINGER_MS = 5


def make_producer(settings: Settings, **overrides: Any) -> KafkaProducer:
    """A kafka-python producer with the settings' connection (acks=all unless overridden)."""
    options = {"acks": "all", "linger_ms": 5, "max_request_size": MAX_REQUEST_BYTES, **overrides}
    return KafkaProducer(**options, **kafka_python_options(settings))


@dataclass(frozen=True, slots=True)
class Delivered:
    partition: int
    offset: int


def send_all(
    producer: KafkaProducer, topic: str, messages: Iterable[tuple[bytes | None, bytes | None]]
) -> list[Delivered]:
    """Send (key, value) pairs; returns where each one landed, in input order (waits for every delivery)."""
    futures = [producer.send(topic, key=key, value=value) for key, value in messages]
    producer.flush()
    return [Delivered(meta.partition, meta.offset) for meta in (future.get(timeout=120) for future in futures)]


def produce(
    settings: Settings, messages: Iterable[bytes | tuple[bytes | None, bytes]], *, topic: str | None = None
) -> int:
    """Send raw values (or (key, value) pairs) to the raw topic and wait for delivery."""
    producer = make_producer(settings)
    count = 0
    try:
        for message in messages:
            key, value = message if isinstance(message, tuple) else (None, message)
            producer.send(topic or settings.topic_raw, key=key, value=value)
            count += 1
        producer.flush(timeout=60)
    finally:
        producer.close()
    return count


def article_bytes(article: Mapping[str, Any]) -> tuple[bytes, bytes]:
    """(key, value) of an article object as a producer would send it."""
    return str(article["id"]).encode(), orjson.dumps(article)


def preload(bootstrap: str, topic: str, messages: Iterable[tuple[bytes, bytes]]) -> dict[str, float]:
    """Send all messages as fast as the client can (batched, acks=all) and wait for delivery."""
    return asyncio.run(_produce(bootstrap, topic, messages, rate=None))


def feed_at_rate(bootstrap: str, topic: str, messages: Iterable[tuple[bytes, bytes]], rate: float) -> dict[str, float]:
    """Send messages at a fixed rate (per 5 ms tick); each record's timestamp is taken when it is sent (its ingest time)."""
    return asyncio.run(_produce(bootstrap, topic, messages, rate=rate))


async def _produce(
    bootstrap: str, topic: str, messages: Iterable[tuple[bytes, bytes]], *, rate: float | None
) -> dict[str, float]:
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
    return {
        "messages": sent,
        "bytes": payload,
        "seconds": round(elapsed, 2),
        "messages_per_second": round(sent / elapsed, 1),
    }
