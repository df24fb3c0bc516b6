"""Expiry of the stories agent's table: stories no event can join any more, found through a heap of first-seen times."""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Iterator, Mapping

from streams.stories.core import expired
from streams.stories.state import StoryState, StoryWindow
from streams.worker.metrics import Metrics
from streams.worker.stories_table import StoredStory, StoryStore

# Expired stories are looked for when a partition's watermark moved this far (event time) since the last look: a
# sweep reads every table entry's header, so it runs rarely; a story outlives its expiry by at most this long.
EXPIRY_SWEEP_EVERY_SECONDS = 600.0


class StoryExpiry:
    """Per partition, the sweeps that stage the removal of expired stories (bounded memory)."""

    def __init__(self, store: StoryStore, window: StoryWindow, metrics: Metrics) -> None:
        self.store = store
        self.window = window
        self.metrics = metrics
        self._swept_at: dict[int, float] = {}  # partition -> watermark at its last expiry sweep (this process)
        # Per partition, a min-heap of (first_seen, table key) of the stories in the table: a sweep pops what has
        # expired instead of reading every entry. Built from the table at the first sweep after a (re)assignment.
        self._expiry_heaps: dict[int, list[tuple[float, bytes]]] | None = None
        self._indexed: dict[bytes, float] = {}  # table key -> the first_seen it has in a heap

    def stage(
        self, partition: int, watermark: float | None, staged: dict[bytes, tuple[int, StoryState | None]]
    ) -> None:
        """Stage the removal of the partition's stories that no event can join any more (bounded memory)."""
        if watermark is None:
            return
        last = self._swept_at.get(partition)
        if last is not None and watermark - last < EXPIRY_SWEEP_EVERY_SECONDS:
            return
        self._swept_at[partition] = watermark
        for key, type_, state in self._candidates(partition, watermark, staged):
            if expired(state, watermark, self.window):
                staged[key] = (partition, None)
                self.metrics.stories_expired.labels(type=type_).inc()

    def _candidates(
        self, partition: int, watermark: float, staged: Mapping[bytes, tuple[int, StoryState | None]]
    ) -> Iterator[tuple[bytes, str, StoryState]]:
        """The partition's stories first seen before the expiry horizon, from the heap of first-seen times.

        A full scan of the table per sweep cost as much as the table is large (12,000 stories in the soak), and when
        event time runs faster than the clock (a backlog, a replay) sweeps come every batch: the stories agent fell
        to ~200 events/s. Popping the heap costs only what has expired."""
        horizon = watermark - self.window.window_seconds - self.window.lateness_seconds
        heap = self._heap(partition)
        while heap and heap[0][0] < horizon:
            first_seen, key = heapq.heappop(heap)
            if self._indexed.get(key) == first_seen:
                del self._indexed[key]
            if key in staged:
                continue  # this batch's version: looked at below
            value = self.store.get(key)
            if value is None:
                continue
            stored = StoredStory.decode(value)
            if stored.partition == partition and stored.first_seen == first_seen:  # else replaced: pushed again
                yield key, stored.type, stored.state()
        for key, (owner, state) in list(staged.items()):  # the batch's stories, not in the heap yet
            if owner == partition and state is not None and state.first_seen < horizon:
                yield key, state.key.type, state

    def _heap(self, partition: int) -> list[tuple[float, bytes]]:
        if self._expiry_heaps is None:
            self._expiry_heaps = defaultdict(list)
            self._indexed = {}
            for key, value in list(self.store.items()):
                stored = StoredStory.decode(value)
                self._expiry_heaps[stored.partition].append((stored.first_seen, key))
                self._indexed[key] = stored.first_seen
            for heap in self._expiry_heaps.values():
                heapq.heapify(heap)
        return self._expiry_heaps[partition]

    def index(self, partition: int, key: bytes, state: StoryState) -> None:
        """Keep the heap in step with a story written to the table (a new story, or one whose first_seen moved)."""
        if self._expiry_heaps is not None and self._indexed.get(key) != state.first_seen:
            heapq.heappush(self._expiry_heaps[partition], (state.first_seen, key))
            self._indexed[key] = state.first_seen

    def forget(self) -> None:
        """The table changed under the agent: the heaps are rebuilt at the next sweep."""
        self._expiry_heaps = None
        self._indexed = {}
