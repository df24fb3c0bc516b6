"""The stories agent's batches close once story-events stop arriving (streams/kafka/quiet_take.py), not a whole
window later; records arriving closer together than the quiet interval still make one batch."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from typing import Any

import orjson
import pytest
from support.agents import MemoryStoryStore, RecordingPublisher

from schemas import Story
from streams.kafka.quiet_take import quiet_take
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
    store, publisher = MemoryStoryStore(), RecordingPublisher()
    pipeline = create_pipeline(settings, stories_publisher=publisher, story_store=store, metrics=Metrics())
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


class FakeStream:
    """noack_take's waiting loop as faust runs it, over a buffer the test fills: values pass the processors (the
    quiet_take's counter first), and `hold` values are counted but kept out of the buffer for a while, as a value
    waiting in faust's add_to_buffer while a batch is consumed."""

    def __init__(self) -> None:
        self._processors: list[Any] = []
        self.buffer: list[int] = []
        self.full = asyncio.Event()
        self.full_waits = 0

    def add_processor(self, processor: Any) -> None:
        self._processors.append(processor)

    async def wait_for_stopped(self, event: asyncio.Event, timeout: float | None = None) -> bool:
        if timeout == 1.0:
            self.full_waits += 1
        try:
            await asyncio.wait_for(event.wait(), timeout)
        except TimeoutError:
            pass
        return False

    async def arrive(self, value: int, *, buffered: bool = True) -> None:
        for processor in self._processors:
            await processor(value)
        if buffered:
            self.buffer.append(value)

    async def noack_take(self, max_: int, within: float) -> AsyncIterator[list[int]]:
        while True:
            await self.wait_for_stopped(self.full, timeout=within)
            if self.buffer:
                batch, self.buffer = list(self.buffer), []
                yield batch


def test_an_early_end_that_finds_no_batch_waits_the_full_window_next_and_never_spins() -> None:
    async def scenario() -> tuple[list[list[int]], list[float], int]:
        stream = FakeStream()
        batches: list[list[int]] = []
        times: list[float] = []
        started = time.monotonic()

        async def take() -> None:
            async for batch in quiet_take(stream, 100, 1.0, quiet=0.05):
                batches.append(batch)
                times.append(time.monotonic() - started)

        task = asyncio.create_task(take())
        await asyncio.sleep(0.01)
        await stream.arrive(1)
        await stream.arrive(2)
        await asyncio.sleep(0.3)  # the batch [1, 2] closes after ~0.05 s of quiet
        await stream.arrive(3, buffered=False)  # counted, not in the buffer: the early end finds nothing
        await asyncio.sleep(0.3)
        stream.buffer.append(3)  # now buffered: yielded at the end of the full window that followed
        await asyncio.sleep(1.2)
        task.cancel()
        return batches, times, stream.full_waits

    batches, times, full_waits = asyncio.run(scenario())
    assert batches == [[1, 2], [3]]
    assert times[0] < 0.5  # not the 1 s window
    assert full_waits >= 1  # after the empty early end, one full wait instead of a spin
    assert times[1] > 0.6  # [3] came with a full window's end, not from a loop of early ends


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
    lines = [orjson.loads(line) for line in path.read_text().splitlines()]
    assert len(lines) == 1, lines
    batch = lines[0]
    assert batch["records"] == len(records) and batch["versions"] == 1 and batch["idle_before"] is None
    steps = [batch[step] for step in ("locked", "computed", "published", "written", "changelogged", "acked")]
    assert steps == sorted(steps) and steps[0] >= 0, batch
