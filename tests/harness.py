"""Test harness for the real pipeline: isolated settings per test, worker subprocesses, produce, consume, scrape."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import orjson
from kafka import KafkaProducer

from streams.broker import free_port
from streams.connection import kafka_python_options
from streams.settings import Settings
from streams.tail import TailRecord, TopicReader
from streams.topics import create_topics

REPO_ROOT = Path(__file__).resolve().parents[1]


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
        "data_dir": work_dir / "worker",
    }
    fields.update(overrides)
    return Settings(**fields)


def settings_env(settings: Settings) -> dict[str, str]:
    """The NEWSEVENTS_* environment that reproduces these settings in a subprocess."""
    env: dict[str, str] = {}
    for name, value in settings.model_dump(mode="json").items():
        if value is None:
            continue
        if name == "sasl_password" and settings.sasl_password is not None:
            value = settings.sasl_password.get_secret_value()
        env[f"NEWSEVENTS_{name.upper()}"] = str(value)
    return env


class WorkerProcess:
    """`newsevents worker` as a subprocess with the given settings; its output goes to log_path."""

    def __init__(self, settings: Settings, log_path: Path, *, extra_env: Mapping[str, str] | None = None) -> None:
        self.settings = settings
        self.log_path = log_path
        env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSEVENTS_")}
        env.update(settings_env(settings))
        env.update(extra_env or {})
        env["PYTHONUNBUFFERED"] = "1"
        log_path.parent.mkdir(parents=True, exist_ok=True)
        self._log = log_path.open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "streams.cli", "worker"],
            cwd=REPO_ROOT,
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )

    @property
    def base_url(self) -> str:
        return f"http://{self.settings.web_host}:{self.settings.web_port}"

    def get(self, path: str, timeout: float = 5.0) -> tuple[int, bytes]:
        try:
            with urllib.request.urlopen(self.base_url + path, timeout=timeout) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def health(self) -> tuple[int, dict[str, Any]]:
        status, body = self.get("/health")
        return status, orjson.loads(body)

    def metrics(self) -> str:
        return self.get("/metrics")[1].decode()

    def wait_healthy(self, timeout: float = 60.0) -> dict[str, Any]:
        """Block until /health answers 200 (the group assigned the worker); fail with the log if it exits."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"worker exited with {self.process.returncode}:\n{self.log_tail()}")
            try:
                status, report = self.health()
            except (OSError, ValueError):
                status, report = 0, {}
            if status == 200:
                return report
            time.sleep(0.25)
        raise AssertionError(f"worker not healthy within {timeout:.0f}s:\n{self.log_tail()}")

    def terminate(self, timeout: float = 30.0) -> int:
        """SIGTERM and wait; returns the exit code (SIGKILL after timeout, then the code is negative)."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        self._log.close()
        return self.process.returncode

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)
        self._log.close()

    def log_tail(self, lines: int = 60) -> str:
        self._log.flush()
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        return "\n".join(text.splitlines()[-lines:])


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
