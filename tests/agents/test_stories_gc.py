"""The cyclic collector is paused only while the stories agent computes (streams/worker/stories_gc.py)."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Iterable, Iterator

import pytest
from support.agents import stories_agent

from streams.settings import Settings
from streams.worker import stories as stories_module
from streams.worker.records import OutboundRecord
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


class CollectorWatchingPublisher:
    """Notes whether the collector was on while the agent awaited a publish (other tasks run then)."""

    def __init__(self) -> None:
        self.collector_on: list[bool] = []

    async def publish(self, records: Iterable[OutboundRecord], *, source_partition: int) -> None:
        self.collector_on.append(gc.isenabled())
        await asyncio.sleep(0)


def test_the_agent_computes_with_the_collector_paused_and_awaits_with_it_on(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    publisher = CollectorWatchingPublisher()
    agent = stories_agent(settings, publisher=publisher)
    seen: list[bool] = []
    decode = stories_module.decode_story_record

    def watching_decode(message: StoryMessage, now: float) -> list[object]:
        seen.append(gc.isenabled())
        return decode(message, now)  # type: ignore[return-value]

    monkeypatch.setattr(stories_module, "decode_story_record", watching_decode)
    message = StoryMessage("story-events", 0, 0, None, None, b"not json")  # a dead letter: something is published
    asyncio.run(agent.handle_batch([message]))
    assert seen == [False]
    assert publisher.collector_on == [True]
    assert gc.isenabled()
