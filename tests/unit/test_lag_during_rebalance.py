"""The consumer-lag timer survives a rebalance that takes partitions away mid-tick (it used to crash the worker)."""

from __future__ import annotations

import asyncio

import pytest
from aiokafka.errors import IllegalStateError

from streams.worker.agents import WorkerState, update_consumer_lag
from streams.worker.metrics import Metrics

TOPIC = "articles.raw"


class _TP:
    def __init__(self, partition: int) -> None:
        self.topic, self.partition = TOPIC, partition


class _RevokedConsumer:
    """Reports partition 0 as assigned, then fails as aiokafka does once a rebalance revoked it."""

    def __init__(self, failure: Exception, *, fail_in: str) -> None:
        self.failure, self.fail_in = failure, fail_in
        self.tp = _TP(0)

    def assignment(self) -> set[_TP]:
        return {self.tp}

    async def highwaters(self, *partitions: _TP) -> dict[_TP, int]:
        if self.fail_in == "highwaters":
            raise self.failure
        return {tp: 10 for tp in partitions}

    async def position(self, tp: _TP) -> int:
        raise self.failure


class _App:
    def __init__(self, consumer: _RevokedConsumer) -> None:
        self.consumer = consumer


@pytest.mark.parametrize(
    ("failure", "fail_in"),
    [
        (IllegalStateError("Partition TP(topic='articles.raw', partition=0) is not assigned"), "position"),
        (AssertionError("Partition is not assigned"), "highwaters"),  # last_stable_offset under exactly-once
    ],
)
def test_revoked_partition_skips_the_tick_instead_of_raising(failure: Exception, fail_in: str) -> None:
    metrics, state = Metrics(), WorkerState()
    state.lag_partitions = {"0"}
    asyncio.run(
        update_consumer_lag(_App(_RevokedConsumer(failure, fail_in=fail_in)), topic=TOPIC, metrics=metrics, state=state)
    )
    assert state.lag_partitions == {"0"}  # unchanged: the next tick, after the rebalance, recomputes it


def test_other_errors_still_surface() -> None:
    with pytest.raises(RuntimeError):
        asyncio.run(
            update_consumer_lag(
                _App(_RevokedConsumer(RuntimeError("boom"), fail_in="position")),
                topic=TOPIC,
                metrics=Metrics(),
                state=WorkerState(),
            )
        )
