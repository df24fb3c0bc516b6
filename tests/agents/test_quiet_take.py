"""The stories agent's batches close once story-events stop arriving (streams/kafka/quiet_take.py), not a whole
window later; records arriving closer together than the quiet interval still make one batch."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from typing import Any

import orjson
import pytest
from prometheus_client import generate_latest
from support.agents import MemoryStoryStore, RecordingPublisher

from schemas import Story
from streams.kafka.quiet_take import WeightCap, quiet_take
from streams.settings import Settings
from streams.worker import stories as stories_module
from streams.worker.app import create_pipeline
from streams.worker.metrics import Metrics

HAPPENING = ["rp-2025-03-10-litauen", "baltictimes-2025-03-10-germany", "nordkurier-2025-03-11-litauen"]


@pytest.mark.parametrize("gap", [0.0, 0.05])
def test_a_batch_closes_once_its_input_is_quiet_and_keeps_records_closer_together(
    settings: Settings, story_events: dict, monkeypatch: pytest.MonkeyPatch, gap: float
) -> None:
    # A long window makes the difference plain: waiting it out would take 8 s after the last record.
    monkeypatch.setattr(stories_module, "STORY_BATCH_WITHIN_SECONDS", 8.0)
    store, publisher, metrics = MemoryStoryStore(), RecordingPublisher(), Metrics()
    pipeline = create_pipeline(settings, stories_publisher=publisher, story_store=store, metrics=metrics)
    records = [r for article_id in HAPPENING for r in story_events[article_id]]
    waited: list[float] = []

    async def feed() -> None:
        async with pipeline.stories_faust_agent.test_context() as agent:
            for record in records:
                await agent.put(record.value, key=record.key, headers=list(record.headers))
                await asyncio.sleep(gap)
            last_put = time.monotonic()
            while store.flushes < 1 or pipeline.stories.message_lock.locked():
                assert time.monotonic() - last_put < 30, "the stories agent did not finish"
                await asyncio.sleep(0.01)
            waited.append(time.monotonic() - last_put)
            await asyncio.sleep(0.05)

    asyncio.run(feed())
    assert waited[0] < 4.0, waited  # closed after ~STORY_BATCH_QUIET_SECONDS, not after the 8 s window
    versions = publisher.on(settings.topic_stories)
    assert len(versions) == 1, [r.key for r in versions]  # the three reports still in one batch: one version
    story = Story.model_validate(orjson.loads(versions[0].value))
    assert story.corroboration == 3
    assert store.flushes == 1
    closes = generate_latest(metrics.registry).decode()
    assert 'newsevents_story_batches_total{closed_by="quiet"} 1.0' in closes, closes
    assert 'newsevents_story_batches_total{closed_by="window"} 0.0' in closes, closes  # primed at zero


class FakeStream:
    """noack_take's waiting loop as faust runs it, over a buffer the test fills. Values pass the processors (the
    quiet_take's counter first); a value arriving while a batch is being handled is counted and then held until the
    batch's consumer returns, as faust's add_to_buffer holds it. The wait is mode's: a timed-out wait reports
    "stopped" (True), as mode's wait_first does."""

    def __init__(self) -> None:
        self._processors: list[Any] = []
        self.buffer: list[int] = []
        self.full = asyncio.Event()
        self.free = asyncio.Event()
        self.free.set()
        self.should_stop = False
        self.waits = 0

    def add_processor(self, processor: Any) -> None:
        self._processors.append(processor)

    async def wait_for_stopped(self, event: Any, timeout: float | None = None) -> bool:
        # mode's wait takes one awaitable: an event, or a coroutine (quiet_take's wait for either of two events).
        self.waits += 1
        try:
            await asyncio.wait_for(event.wait() if isinstance(event, asyncio.Event) else event, timeout)
        except TimeoutError:
            return True
        return False

    async def arrive(self, value: int, *, buffered: bool = True) -> None:
        for processor in self._processors:
            await processor(value)
        await self.free.wait()
        if buffered:
            self.buffer.append(value)

    async def noack_take(self, max_: int, within: float) -> AsyncIterator[list[int]]:
        while True:
            await self.wait_for_stopped(self.full, timeout=within)
            if self.buffer:
                batch, self.buffer = list(self.buffer), []
                self.free.clear()
                try:
                    yield batch
                finally:
                    self.free.set()


def test_values_closer_together_than_the_quiet_interval_fill_the_whole_window() -> None:
    # mode reports a timed-out wait as "stopped": taken for a real stop, the batch ended at the first quiet step.
    async def scenario() -> list[tuple[float, list[int]]]:
        stream = FakeStream()
        batches: list[tuple[float, list[int]]] = []
        started = time.monotonic()

        async def take() -> None:
            async for batch in quiet_take(stream, 100, 1.0, quiet=0.3, closed=closes.append):
                batches.append((time.monotonic() - started, batch))

        task = asyncio.create_task(take())
        await asyncio.sleep(0.01)
        for value in range(16):  # every 0.1 s for 1.5 s
            await stream.arrive(value)
            await asyncio.sleep(0.1)
        await asyncio.sleep(0.5)
        task.cancel()
        return batches

    closes: list[str] = []
    batches = asyncio.run(scenario())
    first_time, first = batches[0]
    assert len(first) >= 8, batches  # ~1 s of values, not the ~0.3 s before the first step ended
    assert 0.8 <= first_time < 1.5, batches
    assert [v for _, batch in batches for v in batch] == list(range(16))  # each once, in order
    assert closes[0] == "window" and closes[-1] == "quiet", closes  # the last batch ends when the values stop


def test_values_held_while_a_long_batch_is_handled_go_in_the_next_batch_at_once() -> None:
    # The window counts from a batch's first value: values that arrived while the previous batch was handled for
    # longer than the window are a batch as soon as they are buffered, not a whole window (or a quiet interval) later.
    async def scenario() -> tuple[list[list[int]], float, float]:
        stream = FakeStream()
        batches: list[list[int]] = []
        handled_at: list[float] = []
        second_at: list[float] = []

        async def take() -> None:
            async for batch in quiet_take(stream, 100, 0.3, quiet=0.2):
                batches.append(batch)
                if len(batches) == 1:
                    await asyncio.sleep(0.6)  # handling the first batch for twice the window
                    handled_at.append(time.monotonic())
                else:
                    second_at.append(time.monotonic())

        task = asyncio.create_task(take())
        await asyncio.sleep(0.01)  # quiet_take has started
        await stream.arrive(1)
        await asyncio.sleep(0.35)  # [1] closed after the quiet interval and is being handled
        held = [asyncio.create_task(stream.arrive(value)) for value in (2, 3, 4)]
        await asyncio.sleep(1.0)
        task.cancel()
        await asyncio.gather(*held)
        return batches, handled_at[0], second_at[0]

    batches, handled_at, second_at = asyncio.run(scenario())
    assert batches == [[1], [2, 3, 4]]
    assert second_at - handled_at < 0.1  # not the 0.3 s window nor the 0.2 s quiet interval after the handling


class DrainingQueue:
    """A channel queue that holds values until the test says they have drained into the stream's buffer."""

    def __init__(self) -> None:
        self.held = 0

    def empty(self) -> bool:
        return self.held == 0


def test_after_a_long_batch_the_next_one_takes_what_the_channel_still_drains() -> None:
    # The first batch is handled for longer than window + quiet; when the next wait opens, values are still draining
    # from the channel. The batch waits for them (up to a quiet interval from the wait's start), not a single step.
    async def scenario() -> list[list[int]]:
        stream = FakeStream()
        queue = DrainingQueue()
        stream.channel = type("Channel", (), {"queue": queue})()  # type: ignore[attr-defined]
        batches: list[list[int]] = []

        async def take() -> None:
            async for batch in quiet_take(stream, 100, 0.2, quiet=0.15):
                batches.append(batch)
                if len(batches) == 1:
                    queue.held = 2  # two more values queued behind the held one
                    await asyncio.sleep(0.6)  # longer than the window (0.2) plus the quiet interval (0.15)

        async def drain() -> None:
            while queue.held == 0:  # the first batch is being handled
                await asyncio.sleep(0.005)
            while not stream.free.is_set():  # until its handling ends and the next wait opens
                await asyncio.sleep(0.005)
            await asyncio.sleep(0.04)  # the queued values reach the buffer some 40 and 80 ms after the wait opens
            stream.buffer.append(3)
            queue.held = 1
            await asyncio.sleep(0.04)
            stream.buffer.append(4)
            queue.held = 0

        task = asyncio.create_task(take())
        draining = asyncio.create_task(drain())
        await asyncio.sleep(0.01)
        await stream.arrive(1)
        await asyncio.sleep(0.25)  # [1] closed after the quiet interval and is being handled
        held = asyncio.create_task(stream.arrive(2))  # counted, held until the handling ends
        await asyncio.sleep(1.0)
        task.cancel()
        await asyncio.gather(held, draining)
        return batches

    assert asyncio.run(scenario()) == [[1], [2, 3, 4]]


def test_a_value_counted_but_not_buffered_makes_the_wait_poll_not_spin() -> None:
    async def scenario() -> tuple[list[list[int]], int]:
        stream = FakeStream()
        batches: list[list[int]] = []

        async def take() -> None:
            async for batch in quiet_take(stream, 100, 0.3, quiet=0.1):
                batches.append(batch)

        task = asyncio.create_task(take())
        await asyncio.sleep(0.01)
        await stream.arrive(1)
        await asyncio.sleep(0.3)
        await stream.arrive(2, buffered=False)  # counted, never buffered: every early end finds nothing
        waits_before = stream.waits
        await asyncio.sleep(1.0)
        waits = stream.waits - waits_before
        task.cancel()
        return batches, waits

    batches, waits = asyncio.run(scenario())
    assert batches == [[1]]
    assert waits <= 15, waits  # about one look per quiet interval (0.1 s) over the second, not a spin


def test_the_batch_trace_writes_each_batch_s_steps_in_order(
    settings: Settings, story_events: dict, tmp_path: Any
) -> None:
    # Off by default (no file); with stories_trace_file one JSON line per batch, the steps' seconds ascending.
    assert settings.stories_trace_file is None
    path = tmp_path / "stories-trace.jsonl"
    traced = settings.model_copy(update={"stories_trace_file": path})
    store, publisher = MemoryStoryStore(), RecordingPublisher()
    pipeline = create_pipeline(traced, stories_publisher=publisher, story_store=store, metrics=Metrics())
    records = [r for article_id in HAPPENING for r in story_events[article_id]]

    async def feed() -> None:
        async with pipeline.stories_faust_agent.test_context() as agent:
            for record in records:
                await agent.put(record.value, key=record.key, headers=list(record.headers))
            while store.flushes < 1 or pipeline.stories.message_lock.locked():
                await asyncio.sleep(0.01)

    asyncio.run(feed())
    assert pipeline.stories.trace is not None
    pipeline.stories.trace.close()
    lines = [orjson.loads(line) for line in path.read_text().splitlines()]
    assert len(lines) == 1, lines
    batch = lines[0]
    assert batch["records"] == len(records) and batch["versions"] == 1 and batch["idle_before"] is None
    steps = [batch[step] for step in ("locked", "computed", "published", "written", "changelogged", "acked")]
    assert steps == sorted(steps) and steps[0] >= 0, batch


# A quiet interval long beside a loaded machine's scheduling delays, so "closed at catch-up" and "closed after the
# quiet interval" stay apart by more than a second.
_BACKLOG_QUIET = 1.5


def _backlog_batches(*, behind: int, caught_after: float | None) -> tuple[list[list[int]], float, float, list[str]]:
    """Three values arrive at once, each with `behind` records after it on its partition; the consumer reports caught
    up `caught_after` seconds later (never if None). Returns the batches, when the last value arrived, when the
    first batch was yielded, and the rule that closed each batch."""

    async def scenario() -> tuple[list[list[int]], float, float, list[str]]:
        stream = FakeStream()
        caught = [False]
        batches: list[list[int]] = []
        yielded_at: list[float] = []
        closes: list[str] = []

        async def caught_up() -> bool:
            return caught[0]

        async def take() -> None:
            async for batch in quiet_take(
                stream,
                100,
                4.0,
                quiet=_BACKLOG_QUIET,
                behind=lambda: behind,
                caught_up=caught_up,
                backlog_records=50,
                closed=closes.append,
            ):
                batches.append(batch)
                yielded_at.append(time.monotonic())

        task = asyncio.create_task(take())
        await asyncio.sleep(0.01)
        for value in (1, 2, 3):
            await stream.arrive(value)
        arrived = time.monotonic()
        if caught_after is not None:
            await asyncio.sleep(caught_after)
            caught[0] = True
        await asyncio.sleep(_BACKLOG_QUIET + 0.5)
        task.cancel()
        return batches, arrived, yielded_at[0], closes

    return asyncio.run(scenario())


def test_a_backlog_batch_closes_once_the_consumer_caught_up_not_after_the_quiet_interval() -> None:
    # Values with 400 records behind them (a backlog): the batch goes as soon as the consumer caught up.
    batches, arrived, yielded, closes = _backlog_batches(behind=400, caught_after=0.1)
    assert batches == [[1, 2, 3]] and closes == ["caught_up"]
    assert 0.09 <= yielded - arrived < 0.75, yielded - arrived  # ~0.1 s, not the 1.5 s quiet interval


def test_a_backlog_batch_still_behind_closes_after_the_quiet_interval() -> None:
    batches, arrived, yielded, closes = _backlog_batches(behind=400, caught_after=None)
    assert batches == [[1, 2, 3]] and closes == ["quiet"]
    assert yielded - arrived >= _BACKLOG_QUIET - 0.01, yielded - arrived


def test_a_live_batch_does_not_close_when_caught_up() -> None:
    # Values with a couple of records behind them (a live feed's fetch): caught up all along, the quiet interval
    # decides.
    batches, arrived, yielded, closes = _backlog_batches(behind=2, caught_after=0.0)
    assert batches == [[1, 2, 3]] and closes == ["quiet"]
    assert yielded - arrived >= _BACKLOG_QUIET - 0.01, yielded - arrived


def test_a_burst_of_values_is_cut_at_the_weight_cap_at_once_and_the_next_value_waits() -> None:
    # Values weighing 3 each, a cap of 10: a batch closes at its fourth value (12), without waiting for the quiet
    # interval or the window, and the fifth, arriving in the same burst, is held for the next batch.
    closes: list[str] = []

    async def scenario() -> tuple[list[list[int]], float]:
        stream = FakeStream()
        batches: list[list[int]] = []

        async def take() -> None:
            async for batch in quiet_take(
                stream, 100, 5.0, quiet=1.0, cap=WeightCap(lambda value: 3, 10), closed=closes.append
            ):
                batches.append(batch)

        task = asyncio.create_task(take())
        await asyncio.sleep(0.01)
        started = time.monotonic()
        for value in range(12):  # each arrival waits only while the processors hold it
            await stream.arrive(value)
        while sum(map(len, batches)) < 8:
            await asyncio.sleep(0.005)
        took = time.monotonic() - started
        task.cancel()
        return batches, took

    batches, took = asyncio.run(scenario())
    assert batches[:2] == [[0, 1, 2, 3], [4, 5, 6, 7]], batches
    assert took < 0.5, took  # closed by the cap, not after the 1 s quiet interval
    assert closes[:2] == ["weight", "weight"], closes
