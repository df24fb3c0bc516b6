"""Driving the real pipeline: isolated settings per run, produce to it, consume its outputs, scrape its metrics."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import orjson
from kafka import KafkaProducer

from streams.harness.processes import free_port
from streams.kafka.connection import kafka_python_options
from streams.kafka.reader import TailRecord, TopicReader
from streams.kafka.topics import create_topics
from streams.settings import Settings


def isolated_settings(bootstrap_servers: str, work_dir: Path, **overrides: Any) -> Settings:
    """Settings whose topics and consumer group belong to this test alone (several tests share one broker)."""
    prefix = f"t{uuid.uuid4().hex[:10]}"
    fields: dict[str, Any] = {
        "bootstrap_servers": bootstrap_servers,
        "app_id": prefix,
        "topic_raw": f"{prefix}.articles.raw",
        "topic_deployment": f"{prefix}.events.deployment",
        "topic_denial": f"{prefix}.events.denial",
        "topic_policy_shift": f"{prefix}.events.policy_shift",
        "topic_processed": f"{prefix}.articles.processed",
        "topic_dlq": f"{prefix}.articles.dlq",
        "partitions": 2,
        "web_port": free_port(),
        "data_dir": work_dir / "state" / "worker",  # nested and missing: the worker must create it
    }
    fields.update(overrides)
    return Settings(**fields)


def prepare_topics(settings: Settings) -> None:
    create_topics(settings)


def produce(settings: Settings, messages: Iterable[bytes | tuple[bytes | None, bytes]], *, topic: str | None = None) -> int:
    """Send raw values (or (key, value) pairs) to the raw topic and wait for delivery."""
    producer = KafkaProducer(acks="all", linger_ms=5, max_request_size=2 * 1024 * 1024, **kafka_python_options(settings))
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
