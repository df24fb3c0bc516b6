"""The cyclic garbage collector paused while the stories agent handles a batch, for at most a bounded time.

A backlog's tail reaches the agent as one batch of some 30,000 events, and computing it makes several hundred
thousand container objects that all stay alive to the batch's end: the decoded entries, reports, story states,
views and records. The cyclic collector's young-generation passes traverse each of them again and again as they
are promoted, and as the survivors grow the full passes come too: in memory (`bench.stories_cpu --tail`) that was
some 35-40 % of the agent's CPU for a 30,000-event batch (49 µs per event with the collector on, 29-32 µs with it
off; session 17). Session 17 paused it only while the batch computed, not over its publish and changelog awaits:
re-enabled there, with the batch's records and states still alive, its first passes traversed all of them once
more (0.2-0.4 s of a 30,000-event batch's 1.4 s, session 18). Paused over the whole batch, what the batch made is
freed by reference counting when it ends, before the collector is back on; what the collector would have found (a
cycle made during the batch, by the agent or by another task while the batch awaited) is found at its next pass.

The other tasks of the worker (the pipeline agent) run with the collector paused while a batch awaits its round
trips (milliseconds on a live feed, a few seconds on a loaded machine's backlog tail); so that a broker that does not
answer cannot hold it off for long, an awaiting block turns it back on after `limit` seconds. A collector that was
off already (a caller's choice) stays off.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
from collections.abc import Iterator

# The longest a batch pauses the collector: far above a batch's usual round trips, short enough that the cyclic
# garbage other tasks make meanwhile stays small.
BATCH_PAUSE_LIMIT_SECONDS = 30.0


@contextlib.contextmanager
def collector_paused(limit: float | None = None) -> Iterator[None]:
    """gc.disable() for the block, and back on after it if it was on before; with `limit` (a block that awaits, in a
    running event loop), back on after `limit` seconds at the latest."""
    was_enabled = gc.isenabled()
    gc.disable()
    timer = asyncio.get_running_loop().call_later(limit, gc.enable) if limit is not None and was_enabled else None
    try:
        yield
    finally:
        if timer is not None:
            timer.cancel()
        if was_enabled:
            gc.enable()
