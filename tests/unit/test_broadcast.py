"""The live page's broadcaster: every client gets every update in order; a client that falls behind is dropped (its
queue never grows past its bound); closing ends every stream; the client gauge and the drop counter follow."""

from __future__ import annotations

import asyncio

import pytest

from streams.worker.broadcast import StoryBroadcaster


class Counts:
    def __init__(self) -> None:
        self.clients: list[int] = []
        self.dropped = 0

    def broadcaster(self, queue_size: int) -> StoryBroadcaster:
        def dropped() -> None:
            self.dropped += 1

        return StoryBroadcaster(queue_size=queue_size, on_clients=self.clients.append, on_dropped=dropped)


async def drain(subscription, count: int) -> list[bytes | None]:
    return [await asyncio.wait_for(subscription.next(), 1) for _ in range(count)]


def test_every_client_gets_every_update_in_order() -> None:
    async def scenario() -> None:
        counts = Counts()
        broadcaster = counts.broadcaster(queue_size=10)
        first, second = broadcaster.subscribe(), broadcaster.subscribe()
        for number in range(5):
            broadcaster.publish(b"story-%d" % number)
        expected = [b"story-%d" % number for number in range(5)]
        assert await drain(first, 5) == expected and await drain(second, 5) == expected
        assert broadcaster.clients == 2 and counts.clients == [1, 2] and counts.dropped == 0

    asyncio.run(scenario())


def test_a_client_that_falls_behind_is_dropped_and_the_others_go_on() -> None:
    async def scenario() -> None:
        counts = Counts()
        broadcaster = counts.broadcaster(queue_size=3)
        slow, fast = broadcaster.subscribe(), broadcaster.subscribe()
        received = []
        for number in range(10):
            broadcaster.publish(b"%d" % number)
            received.append(await asyncio.wait_for(fast.next(), 1))  # the fast client keeps up
        assert received == [b"%d" % number for number in range(10)]
        # The slow one held 3 and the 4th update did not fit: dropped, its queue emptied, its stream ended.
        assert slow.dropped and slow.ended and not fast.dropped
        assert slow._queue.qsize() <= 1  # only the end marker: nothing kept for a client that is gone
        assert await asyncio.wait_for(slow.next(), 1) is None
        assert await asyncio.wait_for(slow.next(), 1) is None  # and stays ended
        assert counts.dropped == 1 and broadcaster.clients == 1 and counts.clients[-1] == 1

    asyncio.run(scenario())


def test_a_queue_never_holds_more_than_its_bound() -> None:
    async def scenario() -> None:
        broadcaster = StoryBroadcaster(queue_size=5)
        subscription = broadcaster.subscribe()
        for number in range(5):
            broadcaster.publish(b"%d" % number)
        assert subscription._queue.qsize() == 5 and not subscription.dropped
        broadcaster.publish(b"one too many")
        assert subscription.dropped and subscription._queue.qsize() == 1

    asyncio.run(scenario())


def test_closing_ends_every_stream_and_later_subscriptions_end_at_once() -> None:
    async def scenario() -> None:
        counts = Counts()
        broadcaster = counts.broadcaster(queue_size=4)
        waiting = broadcaster.subscribe()
        pending = asyncio.ensure_future(waiting.next())
        await asyncio.sleep(0.01)
        assert not pending.done()
        broadcaster.close()
        assert await asyncio.wait_for(pending, 1) is None  # a handler waiting for an update wakes up and ends
        assert broadcaster.clients == 0 and counts.clients[-1] == 0 and counts.dropped == 0
        late = broadcaster.subscribe()
        assert await asyncio.wait_for(late.next(), 1) is None and broadcaster.clients == 0
        broadcaster.publish(b"after close")  # nobody left: nothing happens

    asyncio.run(scenario())


def test_a_client_that_leaves_is_no_longer_counted() -> None:
    async def scenario() -> None:
        counts = Counts()
        broadcaster = counts.broadcaster(queue_size=2)
        with broadcaster.subscribe() as subscription:
            broadcaster.publish(b"x")
            assert await drain(subscription, 1) == [b"x"]
        assert broadcaster.clients == 0 and counts.clients == [1, 0]
        broadcaster.publish(b"y")
        assert counts.dropped == 0

    asyncio.run(scenario())


def test_the_queue_size_must_be_positive() -> None:
    with pytest.raises(ValueError):
        StoryBroadcaster(queue_size=0)
