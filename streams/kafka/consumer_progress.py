"""How far a faust agent's stream is behind the ends of its partitions, from faust's public consumer API.

quiet_take (streams/kafka/quiet_take.py) asks two things of it:
- as each value reaches the stream, how many records its partition holds behind it (`behind`): the highwater of the
  consumer's last fetch of that partition minus the value's offset, minus one. That is the consumer's own lag,
  counted in records and independent of any clock; a live feed's values come a few at a time and find few records
  behind them, a backlog's first values find the whole backlog behind them;
- whether the stream has caught up (`caught_up`): every assigned partition of its topics has given the stream the
  records up to that highwater.

What it reads, all public: the offsets of the values the stream took (`stream.current_event.message`: `tp`,
`offset`), and of the consumer `assignment()`, `highwater(tp)` (the last stable offset under exactly-once) and the
coroutine `position(tp)` (aiokafka's position: the next offset it hands faust, moved past commit markers, aborted and
compacted records). Session 16 read faust's private `_read_offset` instead; after a seek it holds the offset sought
to (the next one to read), after a delivery the offset delivered, so a partition one record short of its highwater
right after an assignment read as caught up.

A partition has caught up when:
- its highwater is 0 (an empty partition), or
- the stream took the record just before its highwater (exact, and the usual case: a backlog's every partition
  delivers up to its end), or
- the stream took no value of it since it was assigned, or the last value it took is at most `slack` offsets short
  of the highwater (trailing commit markers: one per transactional writer at most), and the consumer's position has
  reached the highwater in two findings in a row between which the stream took no value. This covers what the
  offsets of taken values cannot: a partition that delivered nothing since it was assigned (its committed offset at
  its end), and the commit marker that ends an exactly-once topic's every transaction. The position alone would not
  do: records aiokafka handed to faust but faust has not yet delivered to the stream are past it, and faust's fetch
  loop can be held for longer than two looks (a full queue of another agent, an inline commit). Hence the slack: a
  partition further short than that waits for its records (or the quiet interval), so an early close can leave at
  most `slack` offsets per partition to the next batch, never lose them.

A partition's taken offset is forgotten when a look finds it no longer assigned, and all of them when the consumer's
generation changes (a rebalance, even one that gave the same partitions back: faust then seeks back to the committed
offset and delivers those records again).

Only where a batch ends depends on this, never what is delivered or acked. A position query runs as its own task:
the caller's wait never waits for it (faust's consumer thread answers it beside its fetches, on its second
method-queue worker). `close()` ends it (quiet_take calls it as each batch is yielded and when it ends): a result is
never read in a later wait, and a failed query is never left unread. An error reads as "not caught up" (the quiet
interval then ends the batch, as before session 16); one that is not a rebalance's is logged at warning level once
per exception type, since it means faust or aiokafka moved the API read here.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from aiokafka.errors import IllegalStateError

log = logging.getLogger(__name__)

# Trailing offsets past a partition's last taken value that may be commit markers rather than records: a
# transactional writer ends each transaction with one, so a few writers leave a few (the stall watchdog's slack is
# the partition count plus one; the pipeline's topics have 4 partitions by default).
MARKER_SLACK = 8


class ConsumerProgress:
    """The stream's progress through its partitions (see the module's doc)."""

    def __init__(self, stream: Any, *, slack: int = MARKER_SLACK) -> None:
        self._stream = stream
        self._consumer = stream.app.consumer
        self._topics = frozenset(getattr(stream.channel, "topics", ()))
        self._slack = slack
        self._taken: dict[Any, int] = {}  # partition -> offset of the last value the stream took from it
        self._taken_count = 0  # values the stream took
        self._generation = self._generation_now()  # the consumer generation `_taken` belongs to
        self._positions: asyncio.Task[dict[Any, int | None]] | None = None  # a position query under way
        # When the positions were last found at the highwaters: `_taken_count` then, and those highwaters.
        self._ended_at: tuple[int, frozenset[tuple[Any, int]]] | None = None
        self._warned: set[type[BaseException]] = set()

    def behind(self) -> int | None:
        """For the value the stream is taking: the records its partition held after it at the consumer's last fetch
        (None if unknown). Also notes the value's offset."""
        message = getattr(getattr(self._stream, "current_event", None), "message", None)
        if message is None:
            return None  # no value being taken (a test, or a stream without events): nothing to note
        try:
            tp, offset = message.tp, int(message.offset)
            self._forget_on_rebalance()
            self._taken[tp] = offset
            self._taken_count += 1
            highwater = self._highwater(tp)
        except IllegalStateError:
            return None
        except Exception as exc:
            self._fail(exc)
            return None
        return None if highwater is None else int(highwater) - offset - 1

    async def caught_up(self) -> bool:
        """Whether every assigned partition of the stream's topics gave it the records up to its highwater."""
        try:
            return await self._caught_up()
        except IllegalStateError as exc:
            log.debug("caught-up check skipped during a rebalance: %r", exc)
        except Exception as exc:
            self._fail(exc)
        self._ended_at = None
        return False

    def close(self) -> None:
        """Ends the position query under way, if any, and drops the last finding: the next look starts afresh.
        (A `position()` call already running on the consumer thread still finishes there; its answer is dropped.)"""
        query, self._positions = self._positions, None
        self._ended_at = None
        if query is not None:
            query.cancel()

    def _generation_now(self) -> Any:
        return getattr(getattr(self._stream, "app", None), "consumer_generation_id", None)

    def _forget_on_rebalance(self) -> None:
        generation = self._generation_now()
        if generation != self._generation:  # assigned anew: faust seeks back to the committed offsets
            self._generation = generation
            self._taken.clear()
            self.close()

    def _highwater(self, tp: Any) -> int | None:
        try:
            highwater: int | None = self._consumer.highwater(tp)
        except AssertionError:  # aiokafka asserts the partition is assigned: a rebalance took it meanwhile
            if tp in self._consumer.assignment():
                raise
            raise IllegalStateError(f"{tp} is no longer assigned") from None
        return highwater

    async def _caught_up(self) -> bool:
        consumer = self._consumer
        self._forget_on_rebalance()
        partitions = [tp for tp in consumer.assignment() if tp.topic in self._topics]
        for tp in set(self._taken) - set(partitions):
            del self._taken[tp]  # revoked: if it comes back, its offsets start afresh
        short: dict[Any, int] = {}  # partitions whose taken values do not reach the highwater, and the highwater
        for tp in partitions:
            highwater = self._highwater(tp)
            if highwater is None:
                self._ended_at = None
                return False  # never fetched: unknown
            taken = self._taken.get(tp)
            if highwater > 0 and (taken is None or taken + 1 < highwater):
                if taken is not None and highwater - taken - 1 > self._slack:
                    self._ended_at = None
                    return False  # its records are on their way (or faust's fetch loop is held): wait for them
                short[tp] = int(highwater)
        if not short:
            self._ended_at = None
            return bool(partitions)
        positions = await self._positions_of(list(short))
        if positions is None:
            return False  # still being asked: look again at the next step
        if any((positions.get(tp) or 0) < highwater for tp, highwater in short.items()):  # None: unknown
            self._ended_at = None
            return False
        ended_at = (self._taken_count, frozenset(short.items()))
        if self._ended_at == ended_at:
            return True  # at the same ends twice, with no value taken in between
        self._ended_at = ended_at
        return False

    async def _positions_of(self, partitions: list[Any]) -> dict[Any, int | None] | None:
        """The consumer's positions of the partitions, or None while a query is under way (one at a time; the result
        of a query for other partitions is dropped)."""
        if self._positions is None:
            self._positions = asyncio.ensure_future(self._ask_positions(partitions))
            self._positions.add_done_callback(_read_error)
        query = self._positions
        await asyncio.wait({query}, timeout=0)  # lets a query answered meanwhile be read now
        if query.cancelled() or not query.done():  # cancelled: closed meanwhile (a rebalance seen by behind())
            return None
        self._positions = None
        positions = query.result()  # raises the query's error
        return positions if set(positions) >= set(partitions) else None

    async def _ask_positions(self, partitions: list[Any]) -> dict[Any, int | None]:
        return {tp: await self._consumer.position(tp) for tp in partitions}

    def _fail(self, exc: Exception) -> None:
        if type(exc) not in self._warned:
            self._warned.add(type(exc))
            log.warning(
                "could not tell whether the stories agent's consumer caught up (%r): faust's or aiokafka's consumer "
                "API did not answer as expected; such a look reads as not caught up, so a backlog batch ends after "
                "the quiet interval instead",
                exc,
            )


def _read_error(query: asyncio.Task[Any]) -> None:
    """Marks a finished query's error as read: one closed or dropped unread is not logged as "Task exception was never
    retrieved" (its error, if it is read at all, is handled where the result is read)."""
    if not query.cancelled():
        query.exception()
