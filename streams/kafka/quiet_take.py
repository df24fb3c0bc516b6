"""faust's `noack_take` whose batch also closes once its input has gone quiet, with its window counted from its first
value.

`Stream.noack_take(max_, within)` yields a batch when `max_` values are buffered or when `within` seconds passed
since it started waiting, whatever arrived meanwhile. The stories agent takes a second's worth (at most
`STORY_BATCH_MAX_MESSAGES` records) so that a story's reports within it become one version and a batch's two broker
round trips are spread over many events. When the records stop coming (a backlog's story-events delivered at once after the pipeline
finished it, or a feed pausing) the rest of that second is spent asleep with the records in hand.

`quiet_take` yields from the same buffer, with the same manual acks, the same values in the same order; only where a
batch ends moves. A non-empty batch ends at whichever comes first:
- `max_` values buffered (noack_take's own signal);
- no value arrived for `quiet` seconds (values closer together than that, a live feed's pipeline batches, still fill
  one batch);
- `within` seconds after its *first* value arrived, once the values already delivered to the stream are in the buffer
  (waiting for that at most `quiet` seconds more);
- when one of its values reached the stream `within` seconds or more after it was produced (`record_age`: the agent
  is working through a backlog), as soon as the consumer has caught up (`caught_up`: every record the broker held at
  the last fetch of the stream's partitions is delivered) and the channel is drained. A backlog's records are all
  there already: waiting out the quiet interval only delays them (session 16: ~0.2 s of every backlog tail). A live
  feed's records arrive within milliseconds of being produced, so its batches still fill the window.

The last rule is what a batch handled for longer than `within` needs: while the agent handles a batch, noack_take
holds the next value in its processor (counted by quiet_take when it arrived) and the rest queue in the stream's
channel. Counted from when the wait starts, as noack_take counts, the next window would make them wait a whole
`within` more; measured on the generated story articles (session 14), that was a second asleep with ~400
story-events records in hand, once per backlog tail. Counted from the held value's arrival the window has already
passed, so the batch takes what the channel holds (its queue drained into the buffer) and goes.

Implementation: a processor added before noack_take's own one counts the values and notes when the first and the
last arrived, and the stream's `wait_for_stopped` (which noack_take calls with its buffer-full event and `within`) is
replaced, for this stream while the generator runs, by a wait in steps that checks the rules above. mode's wait
reports a timed-out step as "stopped", so a step's end is told apart by the event and the stream's own stop flag.
Every call awaits at least one step, and after an end that found noack_take's buffer empty (a value counted but not
yet buffered) the next call's first step is `quiet` long: the loop polls, it never spins.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Sequence
from typing import Any

# While values are still queued in the stream's channel (being delivered into the buffer), look again this soon.
DRAIN_STEP_SECONDS = 0.005
# While a backlog batch waits for the consumer to catch up, look again this soon.
CAUGHT_UP_STEP_SECONDS = 0.01


class _Arrivals:
    """Values counted by the processor and not yet yielded in a batch, when the first and the last of them arrived."""

    def __init__(
        self, loop: asyncio.AbstractEventLoop, record_age: Callable[[], float | None] | None, backlog_age: float
    ) -> None:
        self.loop = loop
        self.record_age = record_age
        self.backlog_age = backlog_age
        self.pending = 0
        self.first = 0.0
        self.last = 0.0
        self.ended_without_batch = False  # the last wait ended early and no batch was yielded since
        self.backlog = False  # a pending value was `backlog_age` old or older when it arrived
        self.backlog_began = asyncio.Event()  # set when `backlog` turns true: a waiting step ends at once

    async def note(self, value: Any) -> Any:
        now = self.loop.time()
        if not self.pending:
            self.first = now
        self.pending += 1
        self.last = now
        if self.record_age is not None and not self.backlog:
            age = self.record_age()
            if age is not None and age >= self.backlog_age:
                self.backlog = True
                self.backlog_began.set()
        return value

    def yielded(self, count: int) -> None:
        self.pending = max(0, self.pending - count)
        self.ended_without_batch = False
        self.backlog = False
        self.backlog_began.clear()
        if self.pending:  # not expected (noack_take buffers every value it counted before it yields): start afresh
            self.first = self.last = self.loop.time()


async def _first_of(*events: asyncio.Event) -> None:
    """Until one of the events is set (mode's wait takes a single awaitable)."""
    waits = [asyncio.ensure_future(event.wait()) for event in events]
    try:
        await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for wait in waits:
            wait.cancel()


def _channel_queue(stream: Any) -> Any:
    """The queue the stream reads its values from (faust's channel queue), or None if this stream has none."""
    queue = getattr(getattr(stream, "channel", None), "queue", None)
    return queue if callable(getattr(queue, "empty", None)) else None


async def quiet_take(
    stream: Any,
    max_: int,
    within: float,
    *,
    quiet: float,
    record_age: Callable[[], float | None] | None = None,
    caught_up: Callable[[], bool] | None = None,
) -> AsyncIterator[Sequence[Any]]:
    """stream.noack_take(max_, within), each batch also closing after `quiet` seconds without a new value, `within`
    seconds after its first value, and, holding a value that arrived `within` or more after it was produced, once
    the consumer caught up (see the module's doc). `record_age()` is called as a value arrives: its age (arrival
    minus production time) or None; `caught_up()` is asked while such a batch waits."""
    loop = asyncio.get_running_loop()
    arrivals = _Arrivals(loop, record_age if caught_up is not None else None, within)
    original_wait = stream.wait_for_stopped
    queue = _channel_queue(stream)

    def draining() -> bool:
        return queue is not None and not queue.empty()

    async def wait_for_stopped(*coros: Any, timeout: Any = None) -> bool:
        if len(coros) != 1 or not isinstance(coros[0], asyncio.Event) or timeout != within:
            return bool(await original_wait(*coros, timeout=timeout))
        event = coros[0]
        opened = loop.time()
        step: float = quiet if arrivals.ended_without_batch else 0.0
        while True:
            if step > 0:
                if caught_up is not None and not arrivals.backlog:
                    # A step also ends when a backlog's first value arrives (once per batch; a live feed's values
                    # never end it), so the consumer's catching up is looked at from then on.
                    await original_wait(_first_of(event, arrivals.backlog_began), timeout=step)
                else:
                    await original_wait(event, timeout=step)
                if event.is_set():
                    return False  # buffer full
                if getattr(stream, "should_stop", False):
                    return True
            now = loop.time()
            if arrivals.pending:
                quiet_at = max(arrivals.last, opened) + quiet
                due_at = arrivals.first + within
                # The drain's cap counts from the later of the window's end and this wait's start: a batch handled for
                # longer than the window must not leave the next one a single step to take what the channel holds.
                drain_cap = max(due_at, opened) + quiet
                if step > 0 and (
                    now >= quiet_at
                    or (now >= due_at and not draining())
                    or now >= drain_cap
                    or (arrivals.backlog and caught_up is not None and not draining() and caught_up())
                ):
                    arrivals.ended_without_batch = True  # cleared when the batch is yielded
                    return False
                step = DRAIN_STEP_SECONDS if now >= due_at else max(DRAIN_STEP_SECONDS, min(quiet_at, due_at) - now)
                if arrivals.backlog:
                    step = min(step, CAUGHT_UP_STEP_SECONDS)
            else:
                if step > 0 and now >= opened + within:
                    return False  # nothing arrived: noack_take looks at its (empty) buffer and waits again
                step = min(quiet, opened + within - now) if now < opened + within else DRAIN_STEP_SECONDS

    stream.add_processor(arrivals.note)
    stream.wait_for_stopped = wait_for_stopped
    try:
        async for batch in stream.noack_take(max_, within=within):
            arrivals.yielded(len(batch))
            yield batch
    finally:
        del stream.wait_for_stopped  # the class's method again
        stream._processors.remove(arrivals.note)


def consumer_caught_up(stream: Any) -> Callable[[], bool]:
    """For a faust agent's stream: whether every assigned partition of its topics has delivered the records up to
    the highwater of the consumer's last fetch (faust's read offset, the last offset it delivered or the position it
    sought to, against the consumer's highwater; the last stable offset under exactly-once, where commit markers
    keep it past the last record, so a transactional topic never counts as caught up and its batches end by the
    other rules). Only where a batch ends depends on it, never what is delivered or acked: an error reads as "not
    caught up"."""
    consumer = stream.app.consumer
    topics = frozenset(getattr(stream.channel, "topics", ()))

    def caught_up() -> bool:
        try:
            read_offsets = consumer._read_offset
            partitions = [tp for tp in consumer.assignment() if tp.topic in topics]
            for tp in partitions:
                highwater = consumer.highwater(tp)
                read = read_offsets.get(tp)
                if highwater is None or (highwater > 0 and (read is None or read + 1 < highwater)):
                    return False
            return bool(partitions)
        except Exception:  # a faust or aiokafka release that moved these: the quiet interval decides, as before
            return False

    return caught_up


def record_age(stream: Any, clock: Callable[[], float]) -> Callable[[], float | None]:
    """For a faust stream: the age of the value being processed (the clock minus its record's timestamp, seconds)."""

    def age() -> float | None:
        event = getattr(stream, "current_event", None)
        timestamp = getattr(getattr(event, "message", None), "timestamp", None)
        return None if timestamp is None else clock() - float(timestamp)

    return age
