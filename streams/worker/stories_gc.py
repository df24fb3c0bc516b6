"""The cyclic garbage collector paused while the stories agent computes a batch (no await inside).

A backlog's tail reaches the agent as one batch of some 30,000 events, and computing it makes several hundred
thousand container objects that all stay alive to the batch's end: the decoded entries, reports, story states,
views and records. The cyclic collector's young-generation passes traverse each of them again and again as they
are promoted, and as the survivors grow the full passes come too: in memory (`bench.stories_cpu --tail`) that was
some 35-40 % of the agent's CPU for a 30,000-event batch (49 µs per event with the collector on, 29-32 µs with it
off; session 17). The batch's objects are freed by reference counting when it ends; what the collector would have
found (a cycle made during the batch) is found at its next pass after the batch instead.

Only synchronous stretches are paused: an await inside would pause the collector for every other task of the
worker (the pipeline agent) too. A collector that was off already (a caller's choice) stays off.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """gc.disable() for the block, and back on after it if it was on before."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
