"""/health: ok while consuming; unavailable before the assignment; stalled when a batch does not finish."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace
from typing import Any

import pytest
from support.agents import message

from streams.extraction import COMPILED
from streams.settings import Settings
from streams.worker.agents import PipelineAgent, WorkerState
from streams.worker.metrics import Metrics
from streams.worker.processing import MessageProcessor
from streams.worker.web import health_report

STALL_TIMEOUT = 30.0


def _app(*, stopping: bool = False) -> Any:
    return SimpleNamespace(consumer=SimpleNamespace(should_stop=stopping), should_stop=False, rebalancing=False)


def _consuming_state() -> WorkerState:
    return WorkerState(agent_running=True, assignment_received=True, assigned_partitions=frozenset({0, 1}))


def test_ok_between_batches_and_within_the_stall_timeout() -> None:
    state = _consuming_state()
    report = health_report(_app(), state, stall_timeout_seconds=STALL_TIMEOUT, now=1000.0)
    assert report["status"] == "ok" and report["consuming"] and not report["stalled"]
    assert report["seconds_in_current_batch"] is None

    state.batch_started_at = 1000.0 - STALL_TIMEOUT + 1
    report = health_report(_app(), state, stall_timeout_seconds=STALL_TIMEOUT, now=1000.0)
    assert report["status"] == "ok" and report["seconds_in_current_batch"] == STALL_TIMEOUT - 1


def test_health_and_a_metric_say_whether_the_extraction_runs_compiled(settings: Settings) -> None:
    from streams.worker.app import create_pipeline

    report = health_report(_app(), _consuming_state(), stall_timeout_seconds=STALL_TIMEOUT, now=1000.0)
    assert report["extraction_compiled"] is COMPILED
    metrics = Metrics()
    create_pipeline(settings, metrics=metrics)
    assert metrics.registry.get_sample_value("newsevents_extraction_compiled") == (1.0 if COMPILED else 0.0)


def test_a_batch_older_than_the_stall_timeout_makes_the_worker_stalled() -> None:
    state = _consuming_state()
    state.batch_started_at = 1000.0 - STALL_TIMEOUT - 0.5
    report = health_report(_app(), state, stall_timeout_seconds=STALL_TIMEOUT, now=1000.0)
    assert report["status"] == "stalled" and report["stalled"] and not report["consuming"]


def test_unavailable_before_the_assignment_or_when_the_consumer_stops() -> None:
    state = WorkerState(agent_running=True)
    assert health_report(_app(), state, stall_timeout_seconds=STALL_TIMEOUT)["status"] == "unavailable"
    assert (
        health_report(_app(stopping=True), _consuming_state(), stall_timeout_seconds=STALL_TIMEOUT)["status"]
        == "unavailable"
    )


class _BlockedPublisher:
    """Never acknowledges until released: a broker that does not answer."""

    def __init__(self) -> None:
        self.release = asyncio.Event()

    async def publish(self, records: Any, *, source_partition: int) -> None:
        await self.release.wait()


def test_the_agent_marks_its_batch_in_progress_until_every_record_is_acknowledged(settings: Settings) -> None:
    async def scenario() -> None:
        publisher, state = _BlockedPublisher(), _consuming_state()
        agent = PipelineAgent(MessageProcessor(settings), publisher, Metrics(), state)
        batch = asyncio.ensure_future(agent.handle_batch([message(b'{"id": "a", "text": "Es regnet."}', offset=7)]))
        await asyncio.sleep(0.05)
        assert not batch.done() and state.batch_started_at is not None
        later = state.batch_started_at + STALL_TIMEOUT + 1
        assert health_report(_app(), state, stall_timeout_seconds=STALL_TIMEOUT, now=later)["status"] == "stalled"
        publisher.release.set()
        await batch
        assert state.batch_started_at is None and state.next_offsets == {0: 8}
        assert health_report(_app(), state, stall_timeout_seconds=STALL_TIMEOUT)["status"] == "ok"

    asyncio.run(scenario())


def test_a_failed_batch_does_not_leave_the_worker_marked_stalled(settings: Settings) -> None:
    class _FailingPublisher:
        async def publish(self, records: Any, *, source_partition: int) -> None:
            raise RuntimeError("broker said no")

    state = _consuming_state()
    agent = PipelineAgent(MessageProcessor(settings), _FailingPublisher(), Metrics(), state)
    with pytest.raises(RuntimeError, match="broker said no"):
        asyncio.run(agent.handle_batch([message(b'{"id": "a", "text": "Es regnet."}')]))
    assert state.batch_started_at is None
