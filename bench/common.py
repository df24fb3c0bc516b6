"""Shared by every benchmark: the corpus (read from ../shared/corpus at run time), machine facts, reports, tables."""

from __future__ import annotations

import os
import platform
import re
import statistics
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import orjson

PROJECT_ROOT = Path(__file__).resolve().parents[1]
REPORTS_DIR = PROJECT_ROOT / "bench" / "reports"
# The workload is real news that must not be copied into the project: it is read from here on every run.
CORPUS_DIR = Path(os.environ.get("NEWSEVENTS_BENCH_CORPUS", PROJECT_ROOT.parent / "shared" / "corpus"))
# Files with article bodies; en-headlines has titles only (used where small articles are wanted).
BODY_FILES = ("de-10kgnad", "en-bbc", "en-agnews")
HEADLINE_FILE = "en-headlines"
KAFKA_LIBS = PROJECT_ROOT / "deploy" / "kafka-local" / "libs"


@dataclass(frozen=True, slots=True)
class CorpusArticle:
    """One corpus record as the pipeline's input object (text falls back to the title for headline-only rows)."""

    file: str
    id: str
    lang: str
    title: str | None
    text: str

    def as_input(self, id_suffix: str = "") -> dict[str, Any]:
        record: dict[str, Any] = {"id": self.id + id_suffix, "lang": self.lang, "text": self.text}
        if self.title:
            record["title"] = self.title
        return record


def read_corpus(name: str) -> list[CorpusArticle]:
    """All records of one corpus file (e.g. 'de-10kgnad'); rows without any text are skipped."""
    path = CORPUS_DIR / f"{name}.jsonl"
    if not path.is_file():
        raise SystemExit(f"corpus file {path} not found (set NEWSEVENTS_BENCH_CORPUS to the corpus folder)")
    articles = []
    with path.open("rb") as handle:
        for line in handle:
            row = orjson.loads(line)
            text = row.get("text") or row.get("title") or ""
            if text.strip():
                articles.append(CorpusArticle(name, row["id"], row["lang"], row.get("title"), text))
    return articles


def interleaved(names: Sequence[str]) -> list[CorpusArticle]:
    """Several corpus files mixed evenly: each file's articles spread over the whole result in proportion to its size.

    So every stretch of the result, not only a prefix, has every language and length in the same shares. (A plain
    round-robin until the shorter files run out put all long German and BBC articles into the first fifth of each
    cycle: a feed at a fixed rate then met bursts of seconds of only long articles, then only headlines.)
    """
    lists = [read_corpus(name) for name in names]
    # Article i of a file with n articles sits at position (i + 0.5) / n of the cycle; a stable sort merges them.
    placed = [
        ((index + 0.5) / len(items), order, article)
        for order, items in enumerate(lists)
        for index, article in enumerate(items)
    ]
    placed.sort(key=lambda entry: (entry[0], entry[1]))
    return [article for _, _, article in placed]


def input_messages(articles: Sequence[CorpusArticle], count: int) -> Iterator[tuple[bytes, bytes]]:
    """`count` (key, value) input messages cycling over articles; each cycle gets fresh ids (distinct events)."""
    for n in range(count):
        cycle, index = divmod(n, len(articles))
        article = articles[index].as_input(f"~{cycle}" if cycle else "")
        yield article["id"].encode(), orjson.dumps(article)


# ------------------------------------------------------------------------------------------- statistics


def percentile(values: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile of unsorted values (0 <= fraction <= 1)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(fraction * len(ordered) + 0.5) - 1))
    return ordered[rank]


def summary_ms(seconds: Sequence[float]) -> dict[str, float]:
    """p50/p95/p99/max/mean of durations given in seconds, in milliseconds."""
    return {
        "p50_ms": round(percentile(seconds, 0.50) * 1000, 3),
        "p95_ms": round(percentile(seconds, 0.95) * 1000, 3),
        "p99_ms": round(percentile(seconds, 0.99) * 1000, 3),
        "max_ms": round(max(seconds) * 1000, 3),
        "mean_ms": round(statistics.fmean(seconds) * 1000, 3),
    }


# ----------------------------------------------------------------------------------------------- machine


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def memory_total_gib() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024**2, 1)
    except OSError:
        pass
    return None


def kafka_version() -> str | None:
    """Version of the broker jar the local broker runs (kafka_2.13-<version>.jar)."""
    for jar in sorted(KAFKA_LIBS.glob("kafka_2.13-*.jar")):
        match = re.fullmatch(r"kafka_2\.13-(.+)\.jar", jar.name)
        if match:
            return match.group(1)
    return None


def _version(distribution: str) -> str | None:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return None


def load_average() -> list[float]:
    """1, 5 and 15 minute load: other work on the machine skews every figure, so each report records it."""
    return [round(value, 2) for value in os.getloadavg()]


def machine() -> dict[str, Any]:
    return {
        "load_average_at_end": load_average(),
        "cpu_model": cpu_model(),
        "cores": os.cpu_count(),
        "memory_gib": memory_total_gib(),
        "kernel": platform.release(),
        "python": sys.version.split()[0],
        "kafka": kafka_version(),
        "faust_streaming": _version("faust-streaming"),
        "aiokafka": _version("aiokafka"),
        "orjson": _version("orjson"),
        "pydantic": _version("pydantic"),
    }


def extractor_version() -> str:
    from streams.extraction import EXTRACTOR_VERSION

    return EXTRACTOR_VERSION


# ------------------------------------------------------------------------------------- reports, tables


def write_report(name: str, figures: dict[str, Any], *, started: float) -> Path:
    """bench/reports/<name>.json (latest) with the machine, versions and the figures."""
    report = {
        "benchmark": name,
        "finished_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "duration_seconds": round(time.time() - started, 1),
        "machine": machine(),
        "extractor_version": extractor_version(),
        **figures,
    }
    REPORTS_DIR.mkdir(parents=True, exist_ok=True)
    path = REPORTS_DIR / f"{name}.json"
    path.write_bytes(orjson.dumps(report, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS) + b"\n")
    return path


def table(title: str, header: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """A plain-text table (right-aligned numbers) for the terminal."""
    cells = [[_cell(value) for value in row] for row in rows]
    widths = [max(len(str(h)), *(len(row[i]) for row in cells)) if cells else len(str(h)) for i, h in enumerate(header)]
    lines = [
        title,
        "  ".join(str(h).rjust(w) for h, w in zip(header, widths, strict=True)),
        "  ".join("-" * w for w in widths),
    ]
    lines += ["  ".join(c.rjust(w) for c, w in zip(row, widths, strict=True)) for row in cells]
    return "\n".join(lines)


def _cell(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:,.1f}" if abs(value) >= 100 else f"{value:,.3g}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)


def verdict(measured: float, target: float, *, at_most: bool = False) -> str:
    met = measured <= target if at_most else measured >= target
    return "met" if met else "NOT met"
