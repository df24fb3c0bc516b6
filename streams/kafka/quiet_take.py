"""faust's `noack_take` whose batch also closes once its input has gone quiet.

`Stream.noack_take(max_, within)` yields a batch when `max_` values are buffered or when `within` seconds passed
since it started waiting, whatever arrived meanwhile. The stories agent takes a second's worth (at most 2,000
records) so that a story's reports within it become one version and a batch's two broker round trips are spread
over many events. When the records stop coming (a backlog's story-events delivered at once after the pipeline
finished it, or a feed pausing) the rest of that second is spent asleep with the records in hand: on the generated
story articles the stories agent's tail after the last outcome was mostly such waits.

`quiet_take` yields exactly what `noack_take` yields, from the same buffer, with the same manual acks, except that
a non-empty batch is also yielded once no value arrived for `quiet` seconds. Values arriving closer together than
that (a live feed's pipeline batches, a fetch's records) still fill one batch of up to `within` seconds.
Implementation: a processor added before noack_take's own one counts the values and notes when the last arrived,
and the stream's `wait_for_stopped` (which noack_take calls with its buffer-full event and `within`) is replaced,
for this stream and while the generator runs, by a wait in steps of at most `quiet` seconds that also ends when
values are pending and the last is `quiet` seconds old. If such an early end finds noack_take's buffer empty (a
value counted but not yet in the buffer), the next wait is a full one, so the loop never spins.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from typing import Any


class _Arrivals:
    """Values counted by the processor and not yet yielded in a batch, and when the last one arrived."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.pending = 0
        self.last = 0.0
        self.ended_early = False  # the last wait ended for quiet; cleared when a batch is yielded

    async def note(self, value: Any) -> Any:
        self.pending += 1
        self.last = self.loop.time()
        return value


async def quiet_take(stream: Any, max_: int, within: float, *, quiet: float) -> AsyncIterator[Sequence[Any]]:
    """stream.noack_take(max_, within), each batch also closing after `quiet` seconds without a new value."""
    loop = asyncio.get_running_loop()
    arrivals = _Arrivals(loop)
    original_wait = stream.wait_for_stopped

    async def wait_for_stopped(*coros: Any, timeout: Any = None) -> bool:
        if len(coros) != 1 or not isinstance(coros[0], asyncio.Event) or timeout != within or arrivals.ended_early:
            arrivals.ended_early = False
            return bool(await original_wait(*coros, timeout=timeout))
        event = coros[0]
        deadline = loop.time() + within
        while True:
            now = loop.time()
            if arrivals.pending and now - arrivals.last >= quiet:
                arrivals.ended_early = True
                return False
            if now >= deadline:
                return False
            step = min(deadline - now, quiet - (now - arrivals.last) if arrivals.pending else quiet)
            if await original_wait(event, timeout=step):
                return True
            if event.is_set():
                return False

    stream.add_processor(arrivals.note)
    stream.wait_for_stopped = wait_for_stopped
    try:
        async for batch in stream.noack_take(max_, within=within):
            arrivals.pending -= len(batch)
            arrivals.ended_early = False
            yield batch
    finally:
        del stream.wait_for_stopped  # the class's method again
        stream._processors.remove(arrivals.note)
