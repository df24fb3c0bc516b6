"""`newsevents extract`: run the extractor over articles (JSON Lines, JSON, plain text, stdin), without Kafka."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import BinaryIO, TextIO

import orjson

from schemas import Article
from streams.commands.inputs import STDIN, InputProblem, read_inputs
from streams.extraction import ExtractionTimeout, extract
from streams.settings import Settings, get_settings
from streams.worker.decode import Rejected, decode_article, without_invalid_published_at
from streams.worker.records import standalone_event

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


def _articles(
    paths: list[str], fmt: str, max_bytes: int, stdin: BinaryIO, stats: ExtractStats, stderr: TextIO
) -> Iterator[Article]:
    """Articles by the input rules `feed` uses (streams.commands.inputs); each one that cannot be read is reported and skipped."""
    for path in paths or [STDIN]:
        for item in read_inputs(path, fmt, max_bytes=max_bytes, stdin=stdin):
            if isinstance(item, InputProblem):
                if item.reason == "unreadable":
                    stats.unreadable += 1
                    stderr.write(f"{item.origin}: {item.detail}\n")
                else:
                    stats.bad_lines += 1
                    stderr.write(f"{item}\n")
                continue
            decoded = decode_article(item.value, max_bytes=max_bytes)
            if isinstance(decoded, Rejected):
                stats.bad_lines += 1
                stderr.write(f"{item.origin}: skipped ({decoded.reason.value}): {decoded.detail}\n")
                continue
            article, dropped = without_invalid_published_at(decoded)
            if dropped is not None:
                stderr.write(f"{item.origin}: published_at {dropped[:60]!r} is not ISO 8601; the events have none\n")
            yield article


def _warm_up(first: Article) -> None:
    """Load lexicons and name data (and the language detector, when the first article names no language) outside
    the first article's time budget, as the worker does, so a cold start on a slow or busy machine does not time
    out the first article. An article that names its language never loads the detector (that takes a second)."""
    from streams.worker.processing import warm_up_articles

    for article in warm_up_articles():
        if first.lang is None or article.lang == first.lang:
            extract(article, time_budget_seconds=None)


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
    fmt: str = "auto",
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
        for article in _articles(
            paths, "text" if plain_text else fmt, settings.max_message_bytes, stdin, stats, stderr
        ):
            if stats.articles == 0:
                _warm_up(article)
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
                for event in (standalone_event(e, article) for e in result.events):
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
