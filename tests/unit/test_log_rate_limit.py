"""Repeated warnings and errors are rate-limited with a count; other records pass."""

from __future__ import annotations

import logging

from streams.worker.log_rate_limit import RepeatFilter


def _record(msg: str, *args: object, level: int = logging.ERROR, name: str = "aiokafka.conn") -> logging.LogRecord:
    return logging.LogRecord(name, level, __file__, 1, msg, args, None)


def test_repeats_are_suppressed_and_counted() -> None:
    now = [0.0]
    repeat = RepeatFilter(interval=10.0, clock=lambda: now[0])
    passed = []
    for second in range(25):  # 42 errors a second for 25 seconds
        now[0] = float(second)
        for _ in range(42):
            record = _record("Unable connect to node with id %s: %s", 1, "refused")
            if repeat.filter(record):
                passed.append(record.getMessage())
    assert len(passed) == 3  # t = 0, 10, 20
    assert passed[0] == "Unable connect to node with id 1: refused"
    assert passed[1] == "Unable connect to node with id 1: refused (419 more like this in the last 10 s)"


def test_other_kinds_and_info_pass() -> None:
    repeat = RepeatFilter(interval=10.0, clock=lambda: 0.0)
    assert repeat.filter(_record("a %s", 1)) and repeat.filter(_record("b %s", 1))
    assert not repeat.filter(_record("a %s", 2))
    assert repeat.filter(_record("a %s", 1, level=logging.WARNING))  # another level is another kind
    assert all(repeat.filter(_record("processed %s", n, level=logging.INFO)) for n in range(100))


def test_a_counted_record_still_formats_with_faust_s_formatter() -> None:
    from mode.utils.logging import ExtensionFormatter

    now = [0.0]
    repeat = RepeatFilter(interval=10.0, clock=lambda: now[0])
    repeat.filter(_record("Unable to update metadata from %s", [1]))
    repeat.filter(_record("Unable to update metadata from %s", [1]))
    now[0] = 11.0
    record = _record("Unable to update metadata from %s", [1])
    assert repeat.filter(record)
    text = ExtensionFormatter(fmt="%(message)s").format(record)
    assert text.endswith("Unable to update metadata from [1] (1 more like this in the last 11 s)")
