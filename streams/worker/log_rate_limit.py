"""Rate-limit repeated warnings and errors in the worker's log: with the broker down, aiokafka and faust report
the same failure dozens of times a second, burying everything else. The first line of a kind in each interval is
kept, the repeats are counted and the count is appended to the next line of that kind that gets through."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

DEFAULT_INTERVAL_SECONDS = 10.0


class RepeatFilter(logging.Filter):
    """Per (logger, level, message template): at most one record per interval; INFO and below pass untouched."""

    def __init__(self, interval: float = DEFAULT_INTERVAL_SECONDS, clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__()
        self.interval = interval
        self.clock = clock
        self._lock = threading.Lock()
        self._kinds: dict[tuple[str, int, str], list[float | int]] = {}  # kind -> [last shown at, suppressed since]

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno < logging.WARNING:
            return True
        kind = (record.name, record.levelno, str(record.msg))
        now = self.clock()
        with self._lock:
            state = self._kinds.get(kind)
            if state is not None and now - state[0] < self.interval:
                state[1] += 1
                return False
            suppressed = int(state[1]) if state is not None else 0
            self._kinds[kind] = [now, 0]
            if len(self._kinds) > 10_000:  # bounded: forget the oldest kinds
                for old in sorted(self._kinds, key=lambda k: self._kinds[k][0])[:5_000]:
                    del self._kinds[old]
        if suppressed:
            record.msg = (
                f"{record.getMessage()} ({suppressed} more like this in the last {now - float(state[0]):.0f} s)"  # type: ignore[index]
            )
            record.args = ()  # not None: faust's formatter would turn it into (None,) and format again
        return True


def rate_limit_handlers(logger: logging.Logger, interval: float = DEFAULT_INTERVAL_SECONDS) -> RepeatFilter:
    """Attach one RepeatFilter to every handler of the logger (the root logger: all records pass its handlers)."""
    repeat_filter = RepeatFilter(interval)
    for handler in logger.handlers:
        handler.addFilter(repeat_filter)
    return repeat_filter
