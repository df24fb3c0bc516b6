"""deliver_topics_first (streams/kafka/consumer_tuning.py): fetched story-events records reach faust before the input
records fetched ahead of them, every record once and in its partition's order; without such records a fetch is
what it was; the worker installs it (with a bounded poll) when stories are on."""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from types import SimpleNamespace
from typing import Any

from faust.types import TP

from streams.kafka.consumer_tuning import deliver_topics_first
from streams.settings import Settings
from streams.worker.app import MAX_POLL_RECORDS, create_pipeline

RAW = [TP("articles.raw", partition) for partition in range(4)]
STORY = [TP("story-events", partition) for partition in range(4)]


class FakeFetcherThread:
    """faust's AIOKafkaConsumerThread._fetch_records over aiokafka's fetch buffer: partitions in the order they were
    fetched, records of the partitions asked for (all when none are named), at most max_records, the buffer order
    kept (a drained partition leaves it)."""

    def __init__(self) -> None:
        self.buffer: OrderedDict[TP, list[int]] = OrderedDict()
        self.calls: list[tuple[frozenset[TP], float | None, int | None]] = []

    def fetched(self, tp: TP, offsets: range) -> None:
        self.buffer.setdefault(tp, []).extend(offsets)

    async def _fetch_records(
        self, consumer: Any, active_partitions: Any, timeout: float | None = None, max_records: int | None = None
    ) -> dict[TP, list[int]]:
        self.calls.append((frozenset(active_partitions or ()), timeout, max_records))
        drained: dict[TP, list[int]] = {}
        for tp in list(self.buffer):
            if active_partitions and tp not in active_partitions:
                continue
            records = self.buffer[tp]
            taken = records if max_records is None else records[:max_records]
            del records[: len(taken)]
            if not records:
                del self.buffer[tp]
            drained[tp] = taken
            if max_records is not None:
                max_records -= len(taken)
                if max_records == 0:
                    break
        return drained


def fetch(thread: FakeFetcherThread, active: set[TP], *, max_records: int | None = 400) -> dict[TP, list[int]]:
    result: dict[TP, list[int]] = asyncio.run(
        thread._fetch_records(object(), active, timeout=1.0, max_records=max_records)
    )
    return result


def test_story_events_fetched_behind_a_backlog_of_input_records_come_first() -> None:
    thread = FakeFetcherThread()
    for tp in RAW:
        thread.fetched(tp, range(0, 1000))
    thread.fetched(STORY[2], range(0, 30))
    thread.fetched(STORY[0], range(0, 5))
    active = {*RAW, *STORY}
    assert list(fetch(thread, active)) == [RAW[0]], "precondition: aiokafka's order puts the backlog first"

    deliver_topics_first(SimpleNamespace(_thread=thread), frozenset({"story-events"}))
    assert fetch(thread, active) == {STORY[2]: list(range(30)), STORY[0]: list(range(5))}
    assert thread.calls[-1] == (frozenset(STORY), 0, 400), "only the preferred partitions, without waiting"
    assert fetch(thread, active) == {RAW[0]: list(range(400, 800))}, "none left: the input as before"
    assert thread.calls[-1] == (frozenset(active), 1.0, 400)


def test_every_record_is_returned_once_in_its_partitions_order() -> None:
    thread = FakeFetcherThread()
    deliver_topics_first(SimpleNamespace(_thread=thread), frozenset({"story-events"}))
    active = {*RAW, *STORY}
    expected: dict[TP, list[int]] = {tp: [] for tp in active}
    delivered: dict[TP, list[int]] = {tp: [] for tp in active}
    next_offset = dict.fromkeys(active, 0)
    for round_ in range(60):  # input fetched in chunks, story-events written while it is worked through
        for tp in (RAW[round_ % 4], STORY[(round_ * 3) % 4]):
            count = 250 if tp.topic == "articles.raw" else 7
            thread.fetched(tp, range(next_offset[tp], next_offset[tp] + count))
            expected[tp] += range(next_offset[tp], next_offset[tp] + count)
            next_offset[tp] += count
        for tp, records in fetch(thread, active, max_records=97).items():
            delivered[tp] += records
    while thread.buffer:
        for tp, records in fetch(thread, active, max_records=97).items():
            delivered[tp] += records
    assert delivered == expected


def test_without_preferred_partitions_among_the_active_ones_a_fetch_is_unchanged() -> None:
    thread = FakeFetcherThread()
    thread.fetched(RAW[1], range(10))
    deliver_topics_first(SimpleNamespace(_thread=thread), frozenset({"story-events"}))
    assert fetch(thread, set(RAW)) == {RAW[1]: list(range(10))}
    assert thread.calls == [(frozenset(RAW), 1.0, 400)]
    thread.calls.clear()
    thread.fetched(STORY[1], range(3))
    assert fetch(thread, {STORY[1]}) == {STORY[1]: [0, 1, 2]}  # only preferred ones: one call, as before
    assert thread.calls == [(frozenset({STORY[1]}), 1.0, 400)]


def test_the_worker_bounds_its_polls_and_prefers_story_events_only_with_stories_on(settings: Settings) -> None:
    for stories_enabled in (True, False):
        pipeline = create_pipeline(settings.model_copy(update={"stories_enabled": stories_enabled}))
        consumer = pipeline.app.consumer
        assert pipeline.app.conf.broker_max_poll_records == MAX_POLL_RECORDS

        asyncio.run(pipeline.app.on_start())  # the app's own start hook; the consumer service has not started
        wrapped = consumer._thread.__dict__.get("_fetch_records")
        if stories_enabled:
            assert wrapped is not None and wrapped.__name__ == "fetch_topics_first"
        else:
            assert wrapped is None
