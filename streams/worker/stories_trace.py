"""A debug trace of the stories agent's batches: what each batch awaited, with timestamps (off unless configured).

With the setting `stories_trace_file` (NEWSEVENTS_STORIES_TRACE_FILE) the agent appends one JSON line per batch:
when it was taken, how long the agent had been idle before (since the previous batch was acked), its records'
count and the span of their timestamps (the pipeline's send times, so `taken - newest_record` is how long the last
of them took to reach the agent), and the seconds from taking it to each step: `locked` (the message lock, which
offset commits also take), `computed` (stories joined, versions built), `published` (story versions, alerts and dead
letters acknowledged by the broker), `written` (table changes made), `changelogged` (their changelog records
acknowledged) and `acked`. Session 14 found the backlog tail's sleep this way (docs/performance.md, section 6).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Sequence
from pathlib import Path
from typing import Any, TextIO

import orjson


class BatchTrace:
    """Steps of the current batch, written as one JSON line when it ends (acked, or left unfinished)."""

    def __init__(self, file: TextIO, clock: Any = time.time) -> None:
        self._file = file
        self._clock = clock
        self._batch: dict[str, Any] | None = None
        self._previous_end: float | None = None

    @classmethod
    def open(cls, path: Path) -> BatchTrace:
        # Line-buffered: each batch's line is on disk when end() returns, so the worker keeps the file open for its
        # life (a SIGKILL loses nothing) and writes one short line per batch on the loop (a debug aid, off by default).
        return cls(path.open("a", buffering=1, encoding="utf-8"))

    def close(self) -> None:
        self._file.close()

    def start(self, timestamps: Sequence[float | None]) -> None:
        now = self._clock()
        known = [t for t in timestamps if t is not None]
        self._batch = {
            "taken": round(now, 4),
            "idle_before": None if self._previous_end is None else round(now - self._previous_end, 4),
            "records": len(timestamps),
            "oldest_record": min(known, default=None),
            "newest_record": max(known, default=None),
        }

    def mark(self, step: str, **info: Any) -> None:
        if self._batch is not None:
            self._batch[step] = round(self._clock() - self._batch["taken"], 4)
            self._batch.update(info)

    def end(self) -> None:
        if self._batch is None:
            return
        self._previous_end = self._clock()
        self._file.write(orjson.dumps(self._batch).decode() + "\n")
        self._batch = None


@contextlib.asynccontextmanager
async def traced_lock(
    lock: asyncio.Lock, trace: BatchTrace | None, timestamps: Sequence[float | None]
) -> AsyncIterator[None]:
    """The lock, held while a batch is handled; with the batch's trace (if any) started before it is awaited and
    written after it is released, also for a batch left unfinished (shutdown)."""
    if trace is not None:
        trace.start(timestamps)
    try:
        async with lock:
            if trace is not None:
                trace.mark("locked")
            yield
    finally:
        if trace is not None:
            trace.end()
