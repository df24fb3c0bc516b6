"""The stories table's values and stores: a story state as a table value, a cache of decoded ones, the dict store."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Protocol

import orjson

from streams.stories.state import StoryState, state_from_dict, state_to_dict

# Decoded states kept for the stories written (or read) last: a story's next report usually comes while it is among
# them, and decoding its table value again cost some 4 % of the agent's CPU on event-dense input (and grows with
# the story's length). Bounded: a state can hold up to MAX_REPORTS reports.
DECODED_STATES_KEPT = 4096


@dataclass(frozen=True, slots=True)
class StoredStory:
    """A table value: the partition that owns it, when it was first seen and its type (read by expiry sweeps
    without decoding the story), then the story state."""

    partition: int
    first_seen: float
    type: str
    state_json: bytes

    def encode(self) -> bytes:
        return b"%d|%r|%s\n" % (self.partition, self.first_seen, self.type.encode()) + self.state_json

    @classmethod
    def decode(cls, value: bytes) -> StoredStory:
        header, _, state_json = value.partition(b"\n")
        partition, first_seen, type_ = header.split(b"|")
        return cls(int(partition), float(first_seen), type_.decode(), state_json)

    @classmethod
    def of(cls, partition: int, state: StoryState) -> StoredStory:
        return cls(partition, state.first_seen, state.key.type, orjson.dumps(state_to_dict(state)))

    def state(self) -> StoryState:
        return state_from_dict(orjson.loads(self.state_json))


class DecodedStates:
    """The decoded state of recently written or read table values, by table key, with the value it was decoded from:
    a key's state is reused only while the table still holds exactly that value, so a write by anyone else (a
    recovery, another assignment, a removal) is never missed; at most `capacity` entries, the oldest dropped first."""

    def __init__(self, capacity: int = DECODED_STATES_KEPT) -> None:
        self._capacity = capacity
        self._entries: dict[bytes, tuple[bytes, StoryState]] = {}

    def state(self, key: bytes, value: bytes) -> StoryState:
        """The state the table value `value` of `key` holds."""
        entry = self._entries.get(key)
        if entry is not None and entry[0] == value:
            return entry[1]
        state = StoredStory.decode(value).state()
        self.remember(key, value, state)
        return state

    def remember(self, key: bytes, value: bytes, state: StoryState) -> None:
        self._entries.pop(key, None)  # re-inserted last: the most recent stay longest
        self._entries[key] = (value, state)
        if len(self._entries) > self._capacity:
            del self._entries[next(iter(self._entries))]

    def forget(self, key: bytes) -> None:
        self._entries.pop(key, None)

    def clear(self) -> None:
        self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)


class StoryStore(Protocol):
    """The table the agent keeps stories and watermarks in (a Faust table with a changelog; a dict in tests)."""

    def get(self, key: bytes) -> bytes | None: ...

    def watermark(self, partition: int) -> float | None: ...

    def items(self) -> Iterable[tuple[bytes, bytes]]: ...

    def write(self, partition: int, changes: Mapping[bytes, bytes | None], watermark: float | None) -> None: ...

    async def changelog_acknowledged(self) -> None: ...

    def __len__(self) -> int: ...


class DictStoryStore:
    """A StoryStore without a changelog: the stories and the watermarks as dicts (the in-memory benchmark, tests)."""

    def __init__(self) -> None:
        self.stories: dict[bytes, bytes] = {}
        self.watermarks: dict[int, float] = {}

    def get(self, key: bytes) -> bytes | None:
        return self.stories.get(key)

    def watermark(self, partition: int) -> float | None:
        return self.watermarks.get(partition)

    def items(self) -> Iterable[tuple[bytes, bytes]]:
        return self.stories.items()

    def write(self, partition: int, changes: Mapping[bytes, bytes | None], watermark: float | None) -> None:
        for key, value in changes.items():
            if value is None:
                self.stories.pop(key, None)
            else:
                self.stories[key] = value
        if watermark is not None:
            self.watermarks[partition] = watermark

    async def changelog_acknowledged(self) -> None:
        return None

    def __len__(self) -> int:
        return len(self.stories)


def owned_states(store: StoryStore, partitions: Collection[int]) -> Iterator[StoryState]:
    """The stories of these story-events partitions: the ones this worker owns (a table may also hold standby copies
    of other workers' partitions, which their owners update and show)."""
    for _, value in list(store.items()):
        stored = StoredStory.decode(value)
        if stored.partition in partitions:
            yield stored.state()
