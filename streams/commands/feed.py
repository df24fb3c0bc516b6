"""Read articles from JSON Lines, JSON or plain-text files and produce them to the raw topic."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import orjson

FORMATS = ("auto", "jsonl", "json", "text")
_JSONL_SUFFIXES = {".jsonl", ".ndjson"}
_JSON_SUFFIXES = {".json"}


@dataclass(frozen=True, slots=True)
class FeedRecord:
    """One message for the raw topic: key = article id when readable, value = the bytes to send."""

    key: bytes | None
    value: bytes


def _article_key(value: bytes) -> bytes | None:
    try:
        data = orjson.loads(value)
    except orjson.JSONDecodeError:
        return None
    article_id = data.get("id") if isinstance(data, dict) else None
    return article_id.encode() if isinstance(article_id, str) else None


def detect_format(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in _JSONL_SUFFIXES:
        return "jsonl"
    if suffix in _JSON_SUFFIXES:
        return "json"
    return "text"


def read_records(path: Path, fmt: str = "auto", *, stdin: IO[bytes] | None = None) -> list[FeedRecord]:
    """Records of one file ('-' = stdin, read as JSON Lines). JSON Lines lines are sent as they are, so
    malformed lines still reach the pipeline (which dead-letters them): feeding must not be a validator."""
    if str(path) == "-":
        data = (stdin or sys.stdin.buffer).read()
        fmt = "jsonl" if fmt == "auto" else fmt
    else:
        data = path.read_bytes()
        fmt = detect_format(path) if fmt == "auto" else fmt
    if fmt == "jsonl":
        lines = (line.rstrip(b"\r") for line in data.split(b"\n"))
        return [FeedRecord(_article_key(line), line) for line in lines if line.strip()]
    if fmt == "json":
        parsed = orjson.loads(data)
        items = parsed if isinstance(parsed, list) else [parsed]
        values = [orjson.dumps(item) for item in items]
        return [FeedRecord(_article_key(value), value) for value in values]
    if fmt == "text":
        article_id = path.stem if str(path) != "-" else "stdin"
        value = orjson.dumps({"id": article_id, "text": data.decode("utf-8", errors="replace")})
        return [FeedRecord(article_id.encode(), value)]
    raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")


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
    return FeedRecord(data["id"].encode(), orjson.dumps(data))


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


def produce(producer, topic: str, records: Iterable[FeedRecord], *, total: int, rate: float | None = None) -> int:
    """Send records with a kafka-python producer; waits for every delivery. Returns the count sent."""
    progress = Progress(total)
    limiter = RateLimiter(rate)
    futures = []
    sent = 0
    for record in records:
        limiter.wait()
        futures.append(producer.send(topic, key=record.key, value=record.value))
        sent += 1
        progress.update(sent)
        if len(futures) >= 10_000:  # bound memory on large feeds
            for future in futures:
                future.get()
            futures.clear()
    producer.flush()
    for future in futures:
        future.get()  # raises if a delivery failed
    progress.close(sent)
    return sent
