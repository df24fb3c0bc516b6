"""The stall report's readers: what each agent holds, what waits for it, and where every task and thread is."""

from __future__ import annotations

import asyncio
import os
import sys
import threading
from collections import Counter
from collections.abc import Mapping
from typing import Any

from aiokafka.errors import IllegalStateError
from faust.exceptions import ConsumerNotStarted

# Frames per task in the stall report.
STACK_FRAMES = 8
# What reading a consumer's offsets can raise while a rebalance revokes a partition (aiokafka), while the loop thread
# changes what is copied, or before faust's consumer thread started: a passing state, not a moved API.
PASSING_ERRORS = (IllegalStateError, AssertionError, RuntimeError, ConsumerNotStarted)


def unacked_by_partition(consumer: Any, topic: str) -> Counter[int]:
    """The consumer's delivered and not yet acked messages of `topic`, counted by partition."""
    unacked = getattr(consumer, "unacked", None) if consumer is not None else None  # faust's Consumer.unacked
    if unacked is None:
        return Counter()
    for _ in range(3):  # a copy of a set changed by the loop thread meanwhile: look again
        try:
            messages = list(unacked)
            break
        except RuntimeError:
            continue
    else:
        return Counter()
    return Counter(message.partition for message in messages if getattr(message, "topic", None) == topic)


def _await_chain(coroutine: Any, frames: int) -> str:
    """Where a coroutine waits: its frame and those of what it awaits, innermost first (at most `frames`)."""
    chain = []
    while coroutine is not None and len(chain) < 64:
        frame = getattr(coroutine, "cr_frame", None) or getattr(coroutine, "gi_frame", None)
        if frame is not None:
            chain.append(f"{frame.f_code.co_name} ({os.path.basename(frame.f_code.co_filename)}:{frame.f_lineno})")
        coroutine = getattr(coroutine, "cr_await", None) or getattr(coroutine, "gi_yieldfrom", None)
    return " <- ".join(reversed(chain[-frames:]))


def by_partition_text(counts: Mapping[int, int]) -> str:
    """Counts by partition as the report prints them, partitions in order."""
    return f"(by partition {dict(sorted(counts.items()))})"


def undelivered_by_partition(consumer: Any, topic: str, slack: int) -> dict[int, int]:
    """Records of `topic` the broker held at the consumer's last fetch beyond those delivered to the stream (faust's
    read offset, else the committed offset), by assigned partition, where more than `slack` (transaction markers
    keep the highwater past the last record under exactly-once, one per transactional writer at most). Raises what
    is not a passing state's (a faust or aiokafka release that moved what it reads)."""
    if consumer is None:
        return {}
    found = {}
    try:
        read_offsets = consumer._read_offset
        committed = consumer._committed_offset
        for tp in list(consumer.assignment()):
            if tp.topic != topic:
                continue
            highwater = consumer.highwater(tp)
            read = read_offsets.get(tp)
            position = read + 1 if read is not None else committed.get(tp)
            if highwater is not None and position is not None and highwater - position > slack:
                found[tp.partition] = highwater - position
    except PASSING_ERRORS:  # a rebalance meanwhile, or not started yet: none seen
        return {}
    return found


def task_stacks(loop: asyncio.AbstractEventLoop | None, frames: int = STACK_FRAMES) -> list[str]:
    """Each task of `loop` (name, then its innermost frames, following its awaits): where every coroutine waits."""
    if loop is None:
        return []
    try:
        tasks = list(asyncio.all_tasks(loop))
    except RuntimeError:  # the set changed while copied
        return ["(tasks changed while listed)"]
    lines = []
    for task in tasks:
        lines.append(f"{task.get_name()}: {_await_chain(task.get_coro(), frames) or '(not started)'}")
    return sorted(lines)


def thread_stacks(frames: int = 2 * STACK_FRAMES) -> list[str]:
    """Each thread's Python stack (name, then its innermost frames): a loop stuck in code that never awaits (a
    spin) shows here, not in its tasks' await chains."""
    names = {thread.ident: thread.name for thread in threading.enumerate()}
    lines = []
    for ident, frame in sys._current_frames().items():
        chain = []
        while frame is not None and len(chain) < frames:
            chain.append(f"{frame.f_code.co_name} ({os.path.basename(frame.f_code.co_filename)}:{frame.f_lineno})")
            frame = frame.f_back
        lines.append(f"thread {names.get(ident, ident)}: {' <- '.join(chain)}")
    return sorted(lines)


def consumer_thread_tasks(app: Any) -> list[str]:
    """The tasks of faust's consumer thread loop (aiokafka's fetcher, heartbeat and metadata tasks, and the calls
    faust sends it), as task_stacks lists them; a line saying so when that loop cannot be read."""
    consumer = getattr(app, "_consumer", None)  # not `.consumer`: that would create one, from this thread
    if consumer is None:
        return ["(no consumer yet)"]
    thread_loop = getattr(getattr(consumer, "_thread", None), "thread_loop", None)
    return task_stacks(thread_loop) if thread_loop is not None else ["(not readable)"]


def channel_queues(app: Any) -> list[str]:
    """Each subscribed channel's queue fill (topic: records/maximum), the fullest first: a full queue holds faust's
    fetch loop (delivering its next record waits for room), and so every agent. Only queues that exist are read."""
    found = []
    try:
        for topic, channels in list(app.topics._topic_name_index.items()):
            for channel in list(channels):
                queue = getattr(channel, "_queue", None)  # not `.queue`: that would create one, from this thread
                if queue is not None:
                    found.append((queue.qsize(), f"{topic}: {queue.qsize()}/{queue.maxsize}"))
    except Exception:  # changed while read, or a faust release that moved it: the rest of the report stands
        return ["(stream queues not readable)"]
    return [line for _, line in sorted(found, key=lambda item: -item[0])]
