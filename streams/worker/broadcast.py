"""In-process fan-out of story updates to the live page's clients: one bounded queue per client, slow clients dropped."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

# Updates a client may have waiting before it counts as too slow and is dropped. A browser takes an update in
# milliseconds; a client that falls this far behind is not reading, and its queue must not grow with the news.
CLIENT_QUEUE_SIZE = 100


class Subscription:
    """One client's queue of updates (serialized stories). `next()` returns None once the subscription has ended:
    the client was too slow (`dropped`), it left, or the broadcaster closed (the server is stopping)."""

    def __init__(self, broadcaster: StoryBroadcaster, queue_size: int) -> None:
        self._broadcaster = broadcaster
        # One slot beyond queue_size keeps room for the end marker whatever the queue holds.
        self._queue: asyncio.Queue[bytes | None] = asyncio.Queue(queue_size + 1)
        self._queue_size = queue_size
        self.ended = False
        self.dropped = False

    async def next(self) -> bytes | None:
        if self.ended and self._queue.empty():
            return None
        return await self._queue.get()

    def offer(self, payload: bytes) -> bool:
        """Queue an update; False (nothing queued) when the client already has queue_size updates waiting."""
        if self.ended or self._queue.qsize() >= self._queue_size:
            return False
        self._queue.put_nowait(payload)
        return True

    def end(self) -> None:
        """No more updates: what is still queued is discarded (a dropped client reloads the list when it
        reconnects) and a waiting next() returns None."""
        if self.ended:
            return
        self.ended = True
        while not self._queue.empty():
            self._queue.get_nowait()
        self._queue.put_nowait(None)

    def close(self) -> None:
        """The client left: end the subscription and stop counting it."""
        self.end()
        self._broadcaster.unsubscribe(self)

    def __enter__(self) -> Subscription:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class StoryBroadcaster:
    """Hands every story update to every subscribed client without ever waiting for one. Runs on the worker's
    event loop (the stories agent publishes, the web server's handlers subscribe), so it needs no locks."""

    def __init__(
        self,
        *,
        queue_size: int = CLIENT_QUEUE_SIZE,
        on_clients: Callable[[int], None] = lambda count: None,
        on_dropped: Callable[[], None] = lambda: None,
    ) -> None:
        if queue_size < 1:
            raise ValueError("queue_size must be at least 1")
        self._queue_size = queue_size
        self._subscriptions: list[Subscription] = []
        self._on_clients = on_clients
        self._on_dropped = on_dropped
        self.closed = False

    @property
    def clients(self) -> int:
        return len(self._subscriptions)

    def subscribe(self) -> Subscription:
        subscription = Subscription(self, self._queue_size)
        if self.closed:
            subscription.end()
            return subscription
        self._subscriptions.append(subscription)
        self._on_clients(self.clients)
        return subscription

    def unsubscribe(self, subscription: Subscription) -> None:
        if subscription in self._subscriptions:
            self._subscriptions.remove(subscription)
            self._on_clients(self.clients)

    def publish(self, payload: bytes) -> None:
        """Queue the update for every client; a client whose queue is full is dropped (its stream ends)."""
        for subscription in list(self._subscriptions):
            if not subscription.offer(payload):
                subscription.dropped = True
                subscription.close()
                self._on_dropped()

    def close(self) -> None:
        """End every client's stream (the web server is stopping and waits for its handlers to return)."""
        self.closed = True
        for subscription in list(self._subscriptions):
            subscription.close()
