"""Read articles from JSON Lines, JSON or plain-text files and produce them to the raw topic."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import orjson

from streams.commands.inputs import FORMATS, InputProblem, article_key, read_inputs  # noqa: F401 - FORMATS re-exported

# kafka-python's default request limit and the broker's default message.max.bytes (1 MB plus batch overhead).
DEFAULT_REQUEST_LIMIT_BYTES = 1_048_576


@dataclass(frozen=True, slots=True)
class FeedRecord:
    """One message for the raw topic: key = article id when readable, value = the bytes to send."""

    key: bytes | None
    value: bytes
    origin: str = field(default="", compare=False)  # where it was read ("file.jsonl:3"), for messages


def _article_key(value: bytes) -> bytes | None:
    return article_key(value)


def read_records(
    path: Path, fmt: str = "auto", *, stdin: IO[bytes] | None = None, max_bytes: int = 1 << 62
) -> list[FeedRecord]:
    """Records of one file ('-' = stdin) by the shared input rules (streams.commands.inputs); ValueError names the first
    problem. JSON Lines lines are sent as they are, so malformed lines still reach the pipeline (which dead-letters
    them): feeding must not be a validator."""
    records = []
    for item in read_inputs(str(path), fmt, max_bytes=max_bytes, stdin=stdin):
        if isinstance(item, InputProblem):
            raise ValueError(str(item))
        records.append(FeedRecord(item.key, item.value, item.origin))
    return records


def repeated(records: list[FeedRecord], repeat: int) -> Iterator[FeedRecord]:
    """The records `repeat` times; from the second round on, object ids get a '~<round>' suffix to stay unique."""
    yield from records
    for round_number in range(1, repeat):
        for record in records:
            yield _with_id_suffix(record, f"~{round_number}")


def _with_id_suffix(record: FeedRecord, suffix: str) -> FeedRecord:
    if record.key is None:
        return record
    data = orjson.loads(record.value)
    data["id"] = data["id"] + suffix
    return FeedRecord(data["id"].encode(), orjson.dumps(data), record.origin)


class Progress:
    """A one-line progress bar on a terminal stream; silent when the stream is not a TTY."""

    def __init__(self, total: int, stream: IO[str] = sys.stderr, *, label: str = "fed") -> None:
        self.total = total
        self.stream = stream
        self.enabled = stream.isatty()
        self.label = label
        self.started = time.monotonic()
        self._last_draw = 0.0

    def update(self, done: int, *, force: bool = False) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if not force and now - self._last_draw < 0.1:
            return
        self._last_draw = now
        width = 30
        filled = int(width * done / self.total) if self.total else width
        rate = done / max(now - self.started, 1e-9)
        self.stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{self.total} {self.label} {rate:,.0f}/s")
        self.stream.flush()

    def close(self, done: int) -> None:
        if self.enabled:
            self.update(done, force=True)
            self.stream.write("\n")
            self.stream.flush()


class RateLimiter:
    """Spaces calls to at most `rate` per second (no limit when rate is None)."""

    def __init__(self, rate: float | None) -> None:
        self.interval = 1.0 / rate if rate else 0.0
        self.next_at = time.monotonic()

    def wait(self) -> None:
        if not self.interval:
            return
        now = time.monotonic()
        if now < self.next_at:
            time.sleep(self.next_at - now)
        self.next_at = max(now, self.next_at) + self.interval


@dataclass(frozen=True, slots=True)
class NotSent:
    """A record feed could not deliver, with the reason as one line."""

    origin: str
    key: bytes | None
    reason: str

    def __str__(self) -> str:
        article = f" (id {self.key.decode('utf-8', errors='replace')})" if self.key else ""
        return f"{self.origin or 'record'}{article}: not sent: {self.reason}"


@dataclass
class FeedResult:
    sent: int = 0
    not_sent: list[NotSent] = field(default_factory=list)
    positions: set[tuple[int, int]] = field(default_factory=set)  # (partition, offset) of every delivered record


def _failure_reason(error: Exception, size: int, request_limit: int) -> str:
    from kafka.errors import MessageSizeTooLargeError

    if (
        isinstance(error, MessageSizeTooLargeError)
        or "RecordTooLarge" in type(error).__name__
        or "TooLarge" in str(error)
    ):
        return (
            f"{size} bytes is above the broker's or producer's message limit ({request_limit} bytes); "
            "split the article (the worker would dead-letter it as too_large anyway)"
        )
    return f"{type(error).__name__}: {error}"


def produce(
    producer,
    topic: str,
    records: Iterable[FeedRecord],
    *,
    total: int,
    rate: float | None = None,
    request_limit: int | None = None,
    result: FeedResult | None = None,
) -> int:
    """Send records with a kafka-python producer; waits for every delivery. Returns the count delivered.

    A record above `request_limit` bytes, or one the broker rejects, is recorded in `result.not_sent` (one line
    each) and the others are still sent; without a `result` such a failure raises as before.
    """
    progress = Progress(total)
    limiter = RateLimiter(rate)
    pending: list[tuple[FeedRecord, object]] = []
    outcome = result if result is not None else FeedResult()
    limit = request_limit or DEFAULT_REQUEST_LIMIT_BYTES
    attempted = 0

    def settle() -> None:
        for record, future in pending:
            try:
                metadata = future.get()  # type: ignore[attr-defined]
            except Exception as error:  # a delivery failure of this record alone
                if result is None:
                    raise
                outcome.not_sent.append(
                    NotSent(record.origin, record.key, _failure_reason(error, len(record.value), limit))
                )
            else:
                outcome.sent += 1
                if metadata is not None:
                    outcome.positions.add((metadata.partition, metadata.offset))
        pending.clear()

    for record in records:
        attempted += 1
        size = len(record.value) + len(record.key or b"")
        if request_limit is not None and size > request_limit and result is not None:
            outcome.not_sent.append(
                NotSent(record.origin, record.key, _failure_reason(ValueError("TooLarge"), size, limit))
            )
            progress.update(attempted)
            continue
        limiter.wait()
        try:
            future = producer.send(topic, key=record.key, value=record.value)
        except Exception as error:
            from kafka.errors import MessageSizeTooLargeError

            if result is None or not isinstance(error, MessageSizeTooLargeError):
                raise
            outcome.not_sent.append(NotSent(record.origin, record.key, _failure_reason(error, size, limit)))
            continue
        pending.append((record, future))
        progress.update(attempted)
        if len(pending) >= 10_000:  # bound memory on large feeds
            settle()
    producer.flush()
    settle()
    progress.close(attempted)
    return outcome.sent
