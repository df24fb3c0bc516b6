"""The stories agent's backlog test and caught-up close read the consumer's lag through faust's public API
(streams/kafka/consumer_progress.py): records behind a value, not its age by the clock; the stream's taken offsets
and the consumer's position, not faust's private read offset."""

from __future__ import annotations

import asyncio
import inspect
import time
from typing import Any

import faust
from faust.transport.consumer import Consumer as FaustConsumer
from faust.transport.drivers.aiokafka import Consumer as AIOKafkaFaustConsumer
from faust.types import TP

from streams.kafka.consumer_progress import ConsumerProgress
from streams.kafka.quiet_take import quiet_take

EVENTS = [TP("story-events", p) for p in range(3)]


class FakeConsumer:
    """faust's consumer as ConsumerProgress reads it: the assignment, the highwaters and the async position. It has
    no `_read_offset`: the progress must not need faust's private read offset."""

    def __init__(self, highwaters: dict[Any, int | None], positions: dict[Any, int | None] | None = None) -> None:
        self.highwaters = highwaters
        self.positions = positions if positions is not None else dict(highwaters)
        self.position_delay = 0.0
        self.asked = 0

    def assignment(self) -> set[Any]:
        return set(self.highwaters)

    def highwater(self, tp: Any) -> int | None:
        return self.highwaters[tp]

    async def position(self, tp: Any) -> int | None:
        self.asked += 1
        if self.position_delay:
            await asyncio.sleep(self.position_delay)
        return self.positions[tp]


class Message:
    def __init__(self, tp: Any, offset: int, timestamp: float = 0.0) -> None:
        self.tp, self.offset, self.timestamp = tp, offset, timestamp


def _stream_of(consumer: Any) -> Any:
    app = type("App", (), {"consumer": consumer})()
    channel = type("Topic", (), {"topics": ("story-events",)})()
    return type("Stream", (), {"app": app, "channel": channel, "current_event": None})()


def _take(stream: Any, progress: ConsumerProgress, tp: Any, offset: int) -> int | None:
    stream.current_event = type("Event", (), {"message": Message(tp, offset)})()
    return progress.behind()


async def _settled(progress: ConsumerProgress, looks: int = 4) -> bool:
    """caught_up() asked `looks` times a step apart (as a backlog batch's wait does), the last answer."""
    answer = False
    for _ in range(looks):
        answer = await progress.caught_up()
        await asyncio.sleep(0.01)
    return answer


def test_behind_is_the_records_after_the_value_at_the_last_fetch() -> None:
    consumer = FakeConsumer({EVENTS[0]: 500, EVENTS[1]: None})
    stream = _stream_of(consumer)
    progress = ConsumerProgress(stream)
    assert _take(stream, progress, EVENTS[0], 49) == 450
    assert _take(stream, progress, EVENTS[0], 499) == 0
    assert _take(stream, progress, EVENTS[1], 3) is None  # highwater unknown
    stream.current_event = None
    assert progress.behind() is None  # no event being processed


def test_caught_up_when_every_partition_gave_the_stream_its_records_up_to_the_highwater() -> None:
    other = TP("raw", 0)
    consumer = FakeConsumer({EVENTS[0]: 10, EVENTS[1]: 5, EVENTS[2]: 0, other: 100})
    stream = _stream_of(consumer)
    progress = ConsumerProgress(stream)

    async def scenario() -> list[bool]:
        answers = []
        _take(stream, progress, EVENTS[0], 9)
        _take(stream, progress, EVENTS[1], 3)
        consumer.positions[EVENTS[1]] = 4  # offset 4 not yet handed to faust
        answers.append(await _settled(progress))
        _take(stream, progress, EVENTS[1], 4)
        answers.append(await progress.caught_up())  # exact at once: 9 and 4 are the last records, the raw lag ignored
        consumer.highwaters[EVENTS[1]] = 7  # two more records on partition 1, fetched or not, not taken
        consumer.positions[EVENTS[1]] = 6
        answers.append(await _settled(progress))
        consumer.highwaters[EVENTS[2]] = None  # never fetched: unknown
        answers.append(await _settled(progress))
        return answers

    assert asyncio.run(scenario()) == [False, True, False, False]


def test_a_partition_sought_to_one_record_before_its_end_is_not_caught_up_until_that_record_is_taken() -> None:
    # (a) After an assignment faust seeks to the committed offset, the next one to read. Session 16 read that offset
    # from faust's private read offset as if delivered, so one unread record (committed 41, highwater 42) read as
    # caught up and a backlog batch closed without it.
    consumer = FakeConsumer({EVENTS[0]: 42}, positions={EVENTS[0]: 41})
    stream = _stream_of(consumer)
    progress = ConsumerProgress(stream)

    async def scenario() -> tuple[bool, bool]:
        before = await _settled(progress)
        consumer.positions[EVENTS[0]] = 42
        _take(stream, progress, EVENTS[0], 41)
        return before, await progress.caught_up()

    assert asyncio.run(scenario()) == (False, True)


def test_an_idle_partition_at_its_end_and_a_trailing_commit_marker_count_as_caught_up_once_settled() -> None:
    # Partition 0 delivered nothing since it was assigned (committed offset = highwater = 30); partition 1's last
    # record is 19 and offset 20 is an exactly-once commit marker (last stable offset 21). The offsets of taken values
    # cannot show either; the consumer's position, found at the end twice with no value taken between, does.
    consumer = FakeConsumer({EVENTS[0]: 30, EVENTS[1]: 21})
    stream = _stream_of(consumer)
    progress = ConsumerProgress(stream)

    async def scenario() -> tuple[bool, bool, bool]:
        _take(stream, progress, EVENTS[1], 19)
        first = await progress.caught_up()  # positions at the ends once: one finding is not enough
        settled = await _settled(progress)
        consumer.highwaters[EVENTS[1]] = 24
        consumer.positions[EVENTS[1]] = 24  # three more records fetched...
        assert not await _settled(progress, looks=1)
        _take(stream, progress, EVENTS[1], 22)  # ...and taken while the consumer was looked at
        taken_between = await progress.caught_up()
        return first, settled, taken_between

    assert asyncio.run(scenario()) == (False, True, False)


def test_a_slow_position_query_never_holds_up_the_wait() -> None:
    consumer = FakeConsumer({EVENTS[0]: 30})
    consumer.position_delay = 1.0
    progress = ConsumerProgress(_stream_of(consumer))

    async def scenario() -> tuple[float, int]:
        started = time.monotonic()
        for _ in range(5):
            assert not await progress.caught_up()
        return time.monotonic() - started, consumer.asked

    took, asked = asyncio.run(scenario())
    assert took < 0.5 and asked == 1, (took, asked)  # one query under way, not one per look


def test_a_revoked_partition_s_offsets_are_forgotten() -> None:
    consumer = FakeConsumer({EVENTS[0]: 10}, positions={EVENTS[0]: 5})
    stream = _stream_of(consumer)
    progress = ConsumerProgress(stream)

    async def scenario() -> tuple[bool, bool]:
        _take(stream, progress, EVENTS[0], 9)
        before = await progress.caught_up()
        del consumer.highwaters[EVENTS[0]]  # revoked...
        await progress.caught_up()
        consumer.highwaters[EVENTS[0]] = 10  # ...and assigned again, sought back to 5: offset 9 is to be taken again
        return before, await _settled(progress)

    assert asyncio.run(scenario()) == (True, False)


def test_the_faust_api_the_progress_reads_is_there() -> None:
    # (c) An upgrade that moves what ConsumerProgress reads fails here, not silently as a slower backlog tail.
    for consumer_class in (FaustConsumer, AIOKafkaFaustConsumer):
        assert callable(consumer_class.assignment) and callable(consumer_class.highwater)
        assert inspect.iscoroutinefunction(consumer_class.position)
    assert "current_event" in faust.Stream.__annotations__ or hasattr(faust.Stream, "current_event")
    message = faust.types.Message  # the fields read of a taken value's message
    assert {"tp", "offset"} <= set(inspect.signature(message.__init__).parameters)


class PartitionStream:
    """noack_take's loop as in test_quiet_take's FakeStream, over values carried as faust messages of one partition,
    with an app whose consumer the test drives."""

    def __init__(self, consumer: FakeConsumer) -> None:
        self._processors: list[Any] = []
        self.buffer: list[int] = []
        self.full = asyncio.Event()
        self.should_stop = False
        self.app = type("App", (), {"consumer": consumer})()
        self.channel = type("Topic", (), {"topics": ("story-events",)})()
        self.current_event: Any = None

    def add_processor(self, processor: Any) -> None:
        self._processors.append(processor)

    async def wait_for_stopped(self, event: Any, timeout: float | None = None) -> bool:
        try:
            await asyncio.wait_for(event.wait() if isinstance(event, asyncio.Event) else event, timeout)
        except TimeoutError:
            return True
        return False

    async def arrive(self, offset: int, timestamp: float) -> None:
        self.current_event = type("Event", (), {"message": Message(EVENTS[0], offset, timestamp)})()
        for processor in self._processors:
            await processor(offset)
        self.buffer.append(offset)

    async def noack_take(self, max_: int, within: float) -> Any:
        while True:
            await self.wait_for_stopped(self.full, timeout=within)
            if self.buffer:
                batch, self.buffer = list(self.buffer), []
                yield batch


def _feed(*, backlog: bool, within: float = 1.0, quiet: float = 0.3) -> list[tuple[float, list[int]]]:
    """A live feed (a record every 50 ms, fetched as it is written, its timestamp 5 s behind the consumer's clock) or
    a backlog (200 records written before, fetched at once). Returns when each batch was yielded and its offsets."""

    async def scenario() -> list[tuple[float, list[int]]]:
        consumer = FakeConsumer({EVENTS[0]: 200 if backlog else 0})
        stream = PartitionStream(consumer)
        progress = ConsumerProgress(stream)
        batches: list[tuple[float, list[int]]] = []
        started = time.monotonic()

        async def take() -> None:
            async for batch in quiet_take(
                stream, 1000, within, quiet=quiet, behind=progress.behind, caught_up=progress.caught_up
            ):
                batches.append((time.monotonic() - started, batch))

        task = asyncio.create_task(take())
        await asyncio.sleep(0.01)
        skewed = time.time() - 5.0  # producer's clock 5 s behind: every record looks 5 s old
        if backlog:
            for offset in range(200):
                await stream.arrive(offset, skewed)
        else:
            for offset in range(30):  # 1.5 s of records
                consumer.highwaters[EVENTS[0]] = offset + 1
                consumer.positions[EVENTS[0]] = offset + 1
                await stream.arrive(offset, skewed + offset * 0.05)
                await asyncio.sleep(0.05)
        await asyncio.sleep(quiet + 1.0)
        task.cancel()
        return batches

    return asyncio.run(scenario())


def test_a_live_feed_s_batch_fills_its_window_whatever_the_clocks_say() -> None:
    # (b) Session 16 took a value 1 s older than the consumer's clock for a backlog: with a producer's clock 5 s behind,
    # every live batch closed as soon as the consumer had caught up, i.e. after about one record. By the lag (a record
    # or none behind each value) the feed is live, and its batch is the window's records.
    batches = _feed(backlog=False)
    first_time, first = batches[0]
    assert len(first) >= 10, batches  # ~1 s of records at 20 a second, not one or two
    assert first_time >= 0.9, batches
    assert [offset for _, batch in batches for offset in batch] == list(range(30))


def test_a_backlog_batch_closes_at_catch_up() -> None:
    # A quiet interval long beside a loaded machine's scheduling delays keeps the two closes a second apart.
    batches = _feed(backlog=True, within=4.0, quiet=1.5)
    assert [offset for _, batch in batches for offset in batch] == list(range(200))
    first_time, first = batches[0]
    assert len(first) == 200 and first_time < 0.5, batches  # not the 1.5 s quiet interval, nor the 4 s window
