"""The cyclic collector is paused while the stories agent handles a batch, for a bounded time (stories_gc.py)."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Iterable, Iterator

import pytest
from support.agents import MemoryStoryStore

from streams.settings import Settings
from streams.stories.rules import load_rules
from streams.worker import stories as stories_module
from streams.worker.metrics import Metrics
from streams.worker.records import OutboundRecord
from streams.worker.stories import StoriesAgent
from streams.worker.stories_gc import collector_paused
from streams.worker.stories_input import StoryMessage


@pytest.fixture(autouse=True)
def collector_on() -> Iterator[None]:
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


def test_the_collector_is_off_in_the_block_and_on_again_after_it() -> None:
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(RuntimeError), collector_paused():
        raise RuntimeError("a failed batch")
    assert gc.isenabled()


def test_a_collector_that_was_off_stays_off() -> None:
    gc.disable()
    with collector_paused():
        assert not gc.isenabled()
    assert not gc.isenabled()


def test_an_awaiting_block_turns_the_collector_on_again_after_its_limit() -> None:
    seen: list[bool] = []

    async def long_batch() -> None:
        with collector_paused(0.05):
            seen.append(gc.isenabled())
            await asyncio.sleep(0.2)  # a broker that does not answer
            seen.append(gc.isenabled())
        seen.append(gc.isenabled())

    asyncio.run(long_batch())
    assert seen == [False, True, True]


def test_a_limit_does_not_turn_on_a_collector_that_was_off() -> None:
    async def long_batch() -> bool:
        with collector_paused(0.01):
            await asyncio.sleep(0.05)
            return gc.isenabled()

    gc.disable()
    assert asyncio.run(long_batch()) is False
    assert not gc.isenabled()


class CollectorWatchingPublisher:
    """Notes whether the collector was on while the agent awaited a publish (other tasks run then)."""

    def __init__(self) -> None:
        self.collector_on: list[bool] = []

    async def publish(self, records: Iterable[OutboundRecord], *, source_partition: int) -> None:
        self.collector_on.append(gc.isenabled())
        await asyncio.sleep(0)


def test_the_agent_keeps_the_collector_paused_over_the_whole_batch_and_on_after_it(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    publisher = CollectorWatchingPublisher()
    agent = StoriesAgent.of_settings(
        settings, store=MemoryStoryStore(), publisher=publisher, metrics=Metrics(), rules=load_rules()
    )
    seen: list[bool] = []
    decode = stories_module.decode_story_record

    def watching_decode(message: StoryMessage, now: float) -> list[object]:
        seen.append(gc.isenabled())
        return decode(message, now)  # type: ignore[return-value]

    monkeypatch.setattr(stories_module, "decode_story_record", watching_decode)
    message = StoryMessage("story-events", 0, 0, None, None, b"not json")  # a dead letter: something is published
    asyncio.run(agent.handle_batch([message]))
    assert seen == [False]
    # Re-enabled before the publish, the collector traversed the batch's records and states still alive (session 18).
    assert publisher.collector_on == [False]
    assert gc.isenabled()
