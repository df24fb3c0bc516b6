"""faust's `noack_take` whose batch also closes once its input has gone quiet, with its window counted from its first
value.

`Stream.noack_take(max_, within)` yields a batch when `max_` values are buffered or when `within` seconds passed
since it started waiting, whatever arrived meanwhile. The stories agent takes a second's worth (at most
`STORY_BATCH_MAX_MESSAGES` records) so that a story's reports within it become one version and a batch's two broker
round trips are spread over many events. When the records stop coming (a backlog's story-events delivered at once
after the pipeline finished it, or a feed pausing) the rest of that second is spent asleep with the records in hand.

`quiet_take` yields from the same buffer, with the same manual acks, the same values in the same order; only where a
batch ends moves. A non-empty batch ends at whichever comes first:
- `max_` values buffered (noack_take's own signal);
- no value arrived for `quiet` seconds (values closer together than that, a live feed's pipeline batches, still fill
  one batch);
- `within` seconds after its *first* value arrived, once the values already delivered to the stream are in the buffer
  (waiting for that at most `quiet` seconds more);
- with a `cap` (WeightCap), at the first value that brings the batch's weight to the cap's limit (the stories agent
  weighs a record by the events it holds: a backlog's batches of 5,000 records held ~85,000 events, and the worker
  kept that peak's memory, session 18); a value is never split, and the next one waits for the batch to be yielded;
- when one of its values found `backlog_records` or more records behind it on its partition as it reached the stream
  (`behind`: the consumer's own lag, streams/kafka/consumer_progress.py), as soon as the consumer has caught up
  (`caught_up`: every record the broker held at the last fetch of the stream's partitions was taken, or, for a
  partition at most a few markers short, handed to faust with none taken for two looks) and the channel is drained. A
  backlog's records are all there already: waiting out the quiet interval only delays them (session 16: ~0.2 s of
  every backlog tail). A live feed's values come a few at a time, with few records behind them, so its batches still
  fill the window. The lag is counted in records, not by the clock: session 16 compared a record's timestamp with the
  consumer's clock, so a consumer clock running a second ahead of the producer's made every live batch close at the
  end of each fetch, and so did a batch handled for more than a second.
  The highwater is the broker's at the consumer's last fetch: while the producer is still writing, "caught up" can
  hold between two fetches, and a backlog batch then ends at a fetch boundary (the rest is the next batch).

The third rule (the window counted from the first value) is what a batch handled for longer than `within` needs: while
the agent handles a batch, noack_take holds the next value in its processor (counted by quiet_take when it arrived)
and the rest queue in the stream's channel. Counted from when the wait starts, as noack_take counts, the next window
would make them wait a whole `within` more; measured on the generated story articles (session 14), that was a second
asleep with ~400 story-events records in hand, once per backlog tail. Counted from the held value's arrival the window
has already passed, so the batch takes what the channel holds (its queue drained into the buffer) and goes.

Implementation: a processor added before noack_take's own one counts the values and notes when the first and the
last arrived, and the stream's `wait_for_stopped` (which noack_take calls with its buffer-full event and `within`) is
replaced, for this stream while the generator runs, by a wait in steps that checks the rules above. mode's wait
reports a timed-out step as "stopped", so a step's end is told apart by the event and the stream's own stop flag.
Every call awaits at least one step, and after an end that found noack_take's buffer empty (a value counted but not
yet buffered) the next call's first step is `quiet` long: the loop polls, it never spins.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

# While values are still queued in the stream's channel (being delivered into the buffer), look again this soon.
DRAIN_STEP_SECONDS = 0.005
# While a backlog batch waits for the consumer to catch up, look again this soon.
CAUGHT_UP_STEP_SECONDS = 0.01
# A value that reaches the stream with this many records or more behind it on its partition belongs to a backlog. A
# live feed's records come a few per partition at a time (the pipeline writes about one story-events record per
# partition a batch, and the consumer fetches what is there); the stories' 30,000-article tail has some 450 records a
# partition behind its first values. A live feed behind by this much is a backlog too: the consumer lags.
BACKLOG_RECORDS = 50
# What closed a batch, as `quiet_take(closed=...)` reports it (a metric label: a fixed, small set): `max_` records
# buffered, the cap's weight reached, `quiet` seconds without a value, the window from the first value over (its
# channel drained, or the drain's cap reached), a backlog's consumer caught up, the stream stopping.
BATCH_CLOSES = ("records", "weight", "quiet", "window", "caught_up", "stop")


@dataclass(frozen=True, slots=True)
class WeightCap:
    """A batch also closes once its values weigh `limit` or more (`weigh(value)` each, e.g. the events a record
    holds); a value is never split, so a batch weighs at most `limit` plus its last value's weight."""

    weigh: Callable[[Any], int]
    limit: int


class _Arrivals:
    """Values counted by the processor and not yet yielded in a batch, when the first and the last of them arrived."""

    def __init__(
        self,
        loop: asyncio.AbstractEventLoop,
        behind: Callable[[], int | None] | None,
        backlog_records: int,
        cap: WeightCap | None,
    ) -> None:
        self.loop = loop
        self.behind = behind
        self.backlog_records = backlog_records
        self.cap = cap
        self.weight = 0  # of the pending values (with a cap)
        self.heavy = asyncio.Event()  # set while the pending values weigh the cap or more: the batch closes
        self.room = asyncio.Event()  # cleared while they do: the next value waits for the batch to be yielded
        self.room.set()
        self.pending = 0
        self.first = 0.0
        self.last = 0.0
        self.ended_without_batch = False  # the last wait ended early and no batch was yielded since
        self.backlog = False  # a pending value had `backlog_records` or more records behind it when it arrived
        self.backlog_began = asyncio.Event()  # set when `backlog` turns true: a waiting step ends at once
        self.closed_by = "records"  # why the wait that ends the pending batch ended (one of BATCH_CLOSES)

    async def note(self, value: Any) -> Any:
        if self.cap is not None:
            # Held here, before noack_take's own processor buffers it, as add_to_buffer holds a value past `max_`.
            while not self.room.is_set():
                await self.room.wait()
            self.weight += self.cap.weigh(value)
            if self.weight >= self.cap.limit:
                self.heavy.set()
                self.room.clear()
        now = self.loop.time()
        if not self.pending:
            self.first = now
        self.pending += 1
        self.last = now
        if self.behind is not None:
            behind = self.behind()  # asked of every value: the progress notes its offset
            if not self.backlog and behind is not None and behind >= self.backlog_records:
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
        else:
            self.weight = 0
        self.heavy.clear()
        self.room.set()
        self.closed_by = "records"


def _why_closed(*, heavy: bool, quiet: bool, window: bool) -> str | None:
    """Which rule ends a pending batch's wait (the cap's weight first: it is why a backlog's batch stays small)."""
    if heavy:
        return "weight"
    if quiet:
        return "quiet"
    return "window" if window else None


async def _first_of(*events: asyncio.Event) -> None:
    """Until one of the events is set (mode's wait takes a single awaitable)."""
    waits = [asyncio.ensure_future(event.wait()) for event in events]
    try:
        await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for wait in waits:
            wait.cancel()


def _closer_of(caught_up: Callable[[], Awaitable[bool]] | None) -> Callable[[], None]:
    """What ends the caught-up check's looks between waits: the `close()` of the object `caught_up` is a method of
    (ConsumerProgress.close: it cancels a position query still under way), else nothing."""
    close = getattr(getattr(caught_up, "__self__", None), "close", None)
    return close if callable(close) else (lambda: None)


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
    behind: Callable[[], int | None] | None = None,
    caught_up: Callable[[], Awaitable[bool]] | None = None,
    backlog_records: int = BACKLOG_RECORDS,
    cap: WeightCap | None = None,
    closed: Callable[[str], None] | None = None,
) -> AsyncIterator[Sequence[Any]]:
    """stream.noack_take(max_, within), each batch also closing after `quiet` seconds without a new value, `within`
    seconds after its first value, and, holding a value that had `backlog_records` or more records behind it, once
    the consumer caught up (see the module's doc). `behind()` is called as each value arrives: the records its
    partition holds after it, or None (streams.kafka.consumer_progress.ConsumerProgress.behind); `caught_up()` is
    awaited while such a batch waits (ConsumerProgress.caught_up). With a `cap` a batch also closes at the first value
    that brings its weight to the cap's limit, and the next value waits for that batch to be yielded. `closed(why)` is
    called as each batch is yielded, `why` one of BATCH_CLOSES."""
    loop = asyncio.get_running_loop()
    arrivals = _Arrivals(loop, behind if caught_up is not None else None, backlog_records, cap)
    end_looks = _closer_of(caught_up)
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
                # A step also ends when a backlog's first value arrives (once per batch; a live feed's values never
                # end it), so the consumer's catching up is looked at from then on, and when the batch reaches the cap.
                ends = [arrivals.heavy] if cap is not None else []
                if caught_up is not None and not arrivals.backlog:
                    ends.append(arrivals.backlog_began)
                await original_wait(_first_of(event, *ends) if ends else event, timeout=step)
                if event.is_set():
                    arrivals.closed_by = "records"
                    return False  # buffer full
                if getattr(stream, "should_stop", False):
                    arrivals.closed_by = "stop"
                    return True
            now = loop.time()
            if arrivals.pending:
                quiet_at = max(arrivals.last, opened) + quiet
                due_at = arrivals.first + within
                # The drain's cap counts from the later of the window's end and this wait's start: a batch handled for
                # longer than the window must not leave the next one a single step to take what the channel holds.
                drain_cap = max(due_at, opened) + quiet
                why = _why_closed(
                    heavy=arrivals.heavy.is_set(),
                    quiet=now >= quiet_at,
                    window=(now >= due_at and not draining()) or now >= drain_cap,
                )
                if step > 0 and why is None and arrivals.backlog and caught_up is not None and not draining():
                    why = "caught_up" if await caught_up() else None
                if step > 0 and why is not None:
                    arrivals.closed_by = why
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
            if closed is not None:
                closed(arrivals.closed_by)
            arrivals.yielded(len(batch))
            end_looks()  # the wait is over: a position query begun in it is not read in the next one
            yield batch
    finally:
        end_looks()
        arrivals.room.set()  # a value held at the cap is not left waiting for a batch that will never be yielded
        del stream.wait_for_stopped  # the class's method again
        stream._processors.remove(arrivals.note)
