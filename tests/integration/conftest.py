"""Fixtures for pipeline tests on the real broker: per-test topics and worker subprocesses that are always stopped."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from streams.harness.broker import LocalBroker
from streams.harness.worker import WorkerProcess, isolated_settings
from streams.kafka.topics import create_topics
from streams.settings import Settings


@pytest.fixture
def pipeline_settings(kafka_broker: LocalBroker, tmp_path: Path) -> Callable[..., Settings]:
    """make(**overrides) -> Settings with this test's own topics (created) and consumer group on the session broker."""

    def make(**overrides: Any) -> Settings:
        settings = isolated_settings(kafka_broker.bootstrap_servers, tmp_path, **overrides)
        create_topics(settings)
        return settings

    return make


@pytest.fixture
def start_worker(tmp_path: Path) -> Iterator[Callable[..., WorkerProcess]]:
    """start(settings, wait=True) -> a `newsevents worker` subprocess, healthy when wait is true; killed at teardown."""
    workers: list[WorkerProcess] = []

    def start(settings: Settings, *, wait: bool = True, **kwargs: Any) -> WorkerProcess:
        worker = WorkerProcess(settings, tmp_path / f"worker-{len(workers)}.log", **kwargs)
        workers.append(worker)
        if wait:
            worker.wait_healthy()
        return worker

    yield start
    for worker in workers:
        worker.kill()
