"""ConsumerProgress across batches, rebalances and errors (streams/kafka/consumer_progress.py): its position query
ends with the wait that began it, its taken offsets end with the consumer generation they belong to, the position
rule never closes a batch whose records faust holds back, and its warning names a moved API only.
(Review 17, part 2: findings 2, 3, 4 and 5.)"""

from __future__ import annotations

import asyncio
import gc
import logging
import time
from typing import Any

import pytest
from aiokafka.errors import IllegalStateError
from test_consumer_progress import EVENTS, FakeConsumer, PartitionStream, _settled, _stream_of, _take

from streams.kafka.consumer_progress import ConsumerProgress
from streams.kafka.quiet_take import quiet_take


class FailingConsumer(FakeConsumer):
    """A consumer whose position query takes `position_delay` and then fails as in a rebalance; it counts the
    queries cancelled on the way."""

    def __init__(self, highwaters: dict[Any, int | None]) -> None:
        super().__init__(highwaters)
        self.cancelled = 0

    async def position(self, tp: Any) -> int | None:
        self.asked += 1
        try:
            await asyncio.sleep(self.position_delay)
        except asyncio.CancelledError:
            self.cancelled += 1
            raise
        raise IllegalStateError("Partition is not assigned")


def test_a_position_query_ends_with_the_batch_whose_wait_began_it() -> None:
    # Partition 1 gave the stream nothing, so a backlog batch on partition 0 asks for positions; the query is slow, the
    # batch closes by its quiet interval, and the query must not outlive it (to be read, stale, in a later wait).
    consumer = FailingConsumer({EVENTS[0]: 60, EVENTS[1]: 30})
    consumer.position_delay = 5.0

    async def scenario() -> tuple[list[int], int, int]:
        stream = PartitionStream(consumer)
        progress = ConsumerProgress(stream)
        batches: list[list[int]] = []
        cancelled_at_yield = -1

        async def take() -> None:
            nonlocal cancelled_at_yield
            async for batch in quiet_take(
                stream, 1000, 2.0, quiet=0.2, behind=progress.behind, caught_up=progress.caught_up
            ):
                await asyncio.sleep(0)  # the cancellation reaches the query's coroutine
                cancelled_at_yield = consumer.cancelled
                batches.append(batch)

        task = asyncio.create_task(take())
        await asyncio.sleep(0.01)
        for offset in range(60):
            await stream.arrive(offset, time.time())
        await asyncio.sleep(1.5)  # the quiet interval (0.2 s) and a loaded machine's delays
        task.cancel()
        return [len(batch) for batch in batches], consumer.asked, cancelled_at_yield

    sizes, asked, cancelled_at_yield = asyncio.run(scenario())
    assert sizes == [60] and asked >= 1, (sizes, asked)
    assert cancelled_at_yield == asked, (cancelled_at_yield, asked)  # ended before the batch went to the agent


def test_a_failed_query_left_unread_is_not_logged_as_never_retrieved() -> None:
    consumer = FailingConsumer({EVENTS[0]: 30})
    consumer.position_delay = 0.01
    errors: list[str] = []

    async def scenario() -> None:
        asyncio.get_running_loop().set_exception_handler(lambda loop, context: errors.append(context["message"]))
        progress = ConsumerProgress(_stream_of(consumer))
        assert not await progress.caught_up()  # starts the query: it fails later, and nobody looks again
        await asyncio.sleep(0.05)
        del progress
        gc.collect()

    asyncio.run(scenario())
    assert consumer.asked == 1 and errors == [], errors


def test_a_rebalance_that_gives_the_same_partition_back_forgets_its_taken_offsets() -> None:
    # Taken up to 9 of 10; then revoked and assigned again between two looks (a new generation, the same assignment):
    # faust seeks back to the committed offset 5 and delivers 5..9 again, so offset 9 taken before says nothing now.
    consumer = FakeConsumer({EVENTS[0]: 10}, positions={EVENTS[0]: 5})
    stream = _stream_of(consumer)
    stream.app.consumer_generation_id = 1
    progress = ConsumerProgress(stream)

    async def scenario() -> tuple[bool, bool, bool]:
        _take(stream, progress, EVENTS[0], 9)
        before = await progress.caught_up()
        stream.app.consumer_generation_id = 2
        after_rebalance = await _settled(progress)
        _take(stream, progress, EVENTS[0], 5)
        _take(stream, progress, EVENTS[0], 9)  # delivered again
        return before, after_rebalance, await progress.caught_up()

    assert asyncio.run(scenario()) == (True, False, True)


def test_records_handed_to_faust_but_held_back_keep_a_backlog_batch_open() -> None:
    # aiokafka's position is at the highwater (it handed records 100..199 to faust), but faust's fetch loop holds them
    # (another agent's full queue, an inline commit): only a gap of a few commit markers may count as caught up.
    consumer = FakeConsumer({EVENTS[0]: 200, EVENTS[1]: 41})
    stream = _stream_of(consumer)
    progress = ConsumerProgress(stream)  # slack: 8 offsets

    async def scenario() -> tuple[bool, bool]:
        _take(stream, progress, EVENTS[0], 99)
        _take(stream, progress, EVENTS[1], 38)  # 39 and 40: commit markers
        held = await _settled(progress)
        _take(stream, progress, EVENTS[0], 197)  # 198 and 199: markers, as far as anyone can tell
        return held, await _settled(progress)

    assert asyncio.run(scenario()) == (False, True)


def test_no_value_in_hand_is_not_an_api_error_and_each_kind_of_error_is_told_once(
    caplog: pytest.LogCaptureFixture,
) -> None:
    consumer = FakeConsumer({EVENTS[0]: 10})
    stream = _stream_of(consumer)
    progress = ConsumerProgress(stream)

    def revoked(tp: Any) -> int:
        raise IllegalStateError("Partition is not assigned")

    def asserting(tp: Any) -> int:
        raise AssertionError("an assertion of ours or of a library, the partition assigned")

    async def scenario() -> list[bool]:
        answers = [await progress.caught_up()]
        consumer.highwater = revoked  # type: ignore[method-assign]  # a rebalance's: at debug level only
        answers.append(await progress.caught_up())
        consumer.highwater = asserting  # type: ignore[method-assign]
        answers.append(await progress.caught_up())
        consumer.assignment = set  # type: ignore[assignment,method-assign]  # revoked meanwhile: a rebalance's
        answers.append(_take(stream, progress, EVENTS[0], 3) is not None)
        consumer.assignment = lambda: {EVENTS[0]}  # type: ignore[method-assign]
        consumer.highwater = None  # type: ignore[assignment]  # a release that moved it
        answers.append(await progress.caught_up())
        answers.append(await progress.caught_up())
        return answers

    with caplog.at_level(logging.DEBUG, logger="streams.kafka.consumer_progress"):
        stream.current_event = None
        assert progress.behind() is None  # nothing being taken: no error at all
        assert asyncio.run(scenario()) == [False] * 6
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 2, warnings  # the assertion once, the moved API once; the revocation not at all
    assert all("could not tell whether" in warning for warning in warnings), warnings
    assert "AssertionError" in warnings[0] and "TypeError" in warnings[1], warnings
