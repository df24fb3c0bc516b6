"""`newsevents extract`: run the extractor over JSON Lines or plain-text files, without Kafka."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import BinaryIO, TextIO

import orjson

from schemas import Article
from streams.extraction import ExtractionTimeout, extract
from streams.settings import Settings, get_settings
from streams.worker.decode import Rejected, decode_article

# Show a progress line only for inputs at least this large, and redraw it at most this often.
_PROGRESS_MIN_BYTES = 1_000_000
_PROGRESS_INTERVAL_SECONDS = 0.5


@dataclass
class ExtractStats:
    articles: int = 0
    events: int = 0
    bad_lines: int = 0
    unreadable: int = 0
    timeouts: int = 0
    unsupported: int = 0
    languages: dict[str, int] = field(default_factory=dict)


class _Progress:
    """A single self-overwriting status line on a terminal's stderr."""

    def __init__(self, stream: TextIO, enabled: bool):
        self._stream = stream
        self._enabled = enabled
        self._started = time.monotonic()
        self._last = 0.0

    def update(self, stats: ExtractStats, force: bool = False) -> None:
        if not self._enabled:
            return
        now = time.monotonic()
        if not force and now - self._last < _PROGRESS_INTERVAL_SECONDS:
            return
        self._last = now
        rate = stats.articles / max(now - self._started, 1e-9)
        self._stream.write(f"\r{stats.articles} articles, {stats.events} events, {rate:,.0f} articles/s ")
        self._stream.flush()

    def close(self, stats: ExtractStats) -> None:
        if self._enabled:
            self.update(stats, force=True)
            self._stream.write("\n")
            self._stream.flush()


def _json_lines(name: str, handle: BinaryIO, max_bytes: int, stats: ExtractStats, stderr: TextIO) -> Iterator[Article]:
    for number, raw in enumerate(handle, start=1):
        line = raw.rstrip(b"\r\n")
        if not line.strip():
            continue
        decoded = decode_article(line, max_bytes=max_bytes)
        if isinstance(decoded, Rejected):
            stats.bad_lines += 1
            stderr.write(f"{name}:{number}: skipped ({decoded.reason.value}): {decoded.detail}\n")
            continue
        yield decoded


def _plain_text(name: str, handle: BinaryIO, stats: ExtractStats, stderr: TextIO) -> Iterator[Article]:
    try:
        text = handle.read().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        stats.bad_lines += 1
        stderr.write(f"{name}: skipped (not_utf8): invalid UTF-8 at byte {exc.start}\n")
        return
    if not text.strip():
        stats.bad_lines += 1
        stderr.write(f"{name}: skipped (empty_text): file is empty\n")
        return
    yield Article(id=os.path.basename(name) or name, text=text)


def _articles(paths: list[str], plain_text: bool, max_bytes: int, stdin: BinaryIO, stats: ExtractStats,
              stderr: TextIO) -> Iterator[Article]:
    sources = paths or ["-"]
    for path in sources:
        name = "<stdin>" if path == "-" else path
        try:
            handle = stdin if path == "-" else open(path, "rb")  # noqa: SIM115 - closed below
        except OSError as exc:
            stats.unreadable += 1
            stderr.write(f"{name}: cannot read: {exc.strerror or exc}\n")
            continue
        try:
            if plain_text:
                yield from _plain_text("stdin" if path == "-" else name, handle, stats, stderr)
            else:
                yield from _json_lines(name, handle, max_bytes, stats, stderr)
        finally:
            if handle is not stdin:
                handle.close()


def _input_size(paths: list[str]) -> int:
    total = 0
    for path in paths:
        try:
            total += os.path.getsize(path)
        except OSError:
            pass
    return total


def run_extract(
    paths: list[str],
    output: str | None = None,
    plain_text: bool = False,
    settings: Settings | None = None,
    *,
    stdin: BinaryIO | None = None,
    stdout: BinaryIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    """Extract events from the given files (stdin when none) as JSON Lines; 0 unless nothing could be read."""
    settings = settings or get_settings()
    stdin = stdin if stdin is not None else sys.stdin.buffer
    stderr = stderr if stderr is not None else sys.stderr
    stats = ExtractStats()
    show_progress = bool(getattr(stderr, "isatty", lambda: False)()) and (
        not paths or _input_size(paths) >= _PROGRESS_MIN_BYTES
    )
    progress = _Progress(stderr, show_progress)
    try:
        sink = open(output, "wb") if output else (stdout if stdout is not None else sys.stdout.buffer)  # noqa: SIM115
    except OSError as exc:
        stderr.write(f"{output}: cannot write: {exc.strerror or exc}\n")
        return 1
    try:
        for article in _articles(paths, plain_text, settings.max_message_bytes, stdin, stats, stderr):
            stats.articles += 1
            try:
                result = extract(article, time_budget_seconds=settings.article_time_budget_seconds)
            except ExtractionTimeout as exc:
                stats.timeouts += 1
                stderr.write(f"{article.id}: skipped (timeout): {exc}\n")
                continue
            stats.languages[result.lang] = stats.languages.get(result.lang, 0) + 1
            stats.unsupported += 0 if result.supported else 1
            try:
                for event in result.events:
                    sink.write(orjson.dumps(event.model_dump(mode="json")) + b"\n")
            except BrokenPipeError:  # the reader went away (`| head`): stop quietly, as Unix tools do
                return 0
            stats.events += len(result.events)
            progress.update(stats)
    finally:
        progress.close(stats)
        try:
            sink.close() if output else sink.flush()
        except BrokenPipeError:
            pass
    problems = stats.bad_lines + stats.unreadable
    return 1 if stats.articles == 0 and problems > 0 else 0
