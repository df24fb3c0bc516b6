"""Benchmark 1: the pure extractor on one pinned core over the real corpus: articles/s, MB/s, p50/p99, hot spots."""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import os
import pstats
import time
from collections.abc import Sequence
from typing import Any

from bench.common import BODY_FILES, HEADLINE_FILE, CorpusArticle, percentile, read_corpus, table, verdict, write_report
from schemas import Article

TARGET_ARTICLES_PER_SECOND = 2000
# A file is timed in whole passes until at least this long, so short files still give stable rates.
MIN_SECONDS_PER_FILE = 2.0
PROFILE_ARTICLES_PER_FILE = 500
PROFILE_TOP = 15
LANGUAGES = {"de": ("de-10kgnad",), "en": ("en-bbc", "en-agnews")}


def pin_to_one_core() -> int:
    """Run this process on one core only (the last one allowed), so the figure is a one-core figure."""
    core = max(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {core})
    return core


def to_articles(rows: Sequence[CorpusArticle]) -> list[Article]:
    # Decoding is the pipeline's cost, not the extractor's: articles are built before the clock starts.
    return [Article(id=row.id, lang=row.lang, title=row.title, text=row.text) for row in rows]


def time_file(articles: list[Article]) -> dict[str, Any]:
    """Rates over CPU time of this process (the machine may be shared: wall time would count other work's turns)."""
    from streams.extraction import extract

    text_bytes = sum(len(article.text.encode()) for article in articles)
    durations: list[float] = []
    events = 0
    passes = 0
    cpu_clock = time.process_time
    gc.collect()
    wall_started = time.perf_counter()
    cpu_started = cpu_clock()
    while True:
        for article in articles:
            before = cpu_clock()
            result = extract(article)
            durations.append(cpu_clock() - before)
            events += len(result.events)
        passes += 1
        if cpu_clock() - cpu_started >= MIN_SECONDS_PER_FILE:
            break
    cpu_seconds = cpu_clock() - cpu_started
    wall_seconds = time.perf_counter() - wall_started
    processed = len(articles) * passes
    return {
        "articles": len(articles),
        "passes": passes,
        "text_bytes": text_bytes,
        "mean_article_bytes": round(text_bytes / len(articles)),
        "cpu_seconds": round(cpu_seconds, 3),
        "wall_seconds": round(wall_seconds, 3),
        "articles_per_second": round(processed / cpu_seconds, 1),
        "articles_per_wall_second": round(processed / wall_seconds, 1),
        "mb_per_second": round(text_bytes * passes / cpu_seconds / 1e6, 3),
        "p50_ms": round(percentile(durations, 0.50) * 1000, 3),
        "p99_ms": round(percentile(durations, 0.99) * 1000, 3),
        "max_ms": round(max(durations) * 1000, 3),
        "events_per_pass": events // passes,
        "_durations": durations,
        "_extract_seconds": sum(durations),
    }


def language_totals(per_file: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Per language: every article of its files counted once per pass, rates over the summed extraction time."""
    totals = {}
    for lang, files in LANGUAGES.items():
        runs = [per_file[name] for name in files]
        processed = sum(r["articles"] * r["passes"] for r in runs)
        seconds = sum(r["_extract_seconds"] for r in runs)
        text_bytes = sum(r["text_bytes"] * r["passes"] for r in runs)
        durations = [d for r in runs for d in r["_durations"]]
        rate = processed / seconds
        totals[lang] = {
            "files": list(files),
            "articles_per_second": round(rate, 1),
            "mb_per_second": round(text_bytes / seconds / 1e6, 3),
            "p50_ms": round(percentile(durations, 0.50) * 1000, 3),
            "p99_ms": round(percentile(durations, 0.99) * 1000, 3),
            "target_articles_per_second": TARGET_ARTICLES_PER_SECOND,
            "target": verdict(rate, TARGET_ARTICLES_PER_SECOND),
        }
    return totals


def hot_spots(articles: list[Article]) -> list[dict[str, Any]]:
    """cProfile's top functions by own time over a sample (profiling slows everything; rates come from time_file)."""
    from streams.extraction import extract

    profiler = cProfile.Profile()
    profiler.enable()
    for article in articles:
        extract(article)
    profiler.disable()
    stats = pstats.Stats(profiler, stream=io.StringIO())
    total = stats.total_tt or 1.0
    rows = []
    for (filename, line, function), (_, calls, own, cumulative, _) in stats.stats.items():
        rows.append(
            {
                "function": f"{_short(filename)}:{line}({function})",
                "calls": calls,
                "own_seconds": round(own, 4),
                "own_share": round(own / total, 3),
                "cumulative_seconds": round(cumulative, 4),
            }
        )
    rows.sort(key=lambda row: row["own_seconds"], reverse=True)
    return rows[:PROFILE_TOP]


def _short(filename: str) -> str:
    marker = "/streams/"
    return "streams/" + filename.split(marker, 1)[1] if marker in filename else filename.rsplit("/", 1)[-1]


def run(*, profile: bool = True) -> dict[str, Any]:
    started_wall = time.time()
    core = pin_to_one_core()
    from streams.extraction import extract, prepare

    corpora = {name: to_articles(read_corpus(name)) for name in (*BODY_FILES, HEADLINE_FILE)}
    prepare()  # as the worker does at start-up: every regex compiled before the clock starts
    for articles in corpora.values():
        extract(articles[0])
    per_file = {name: time_file(articles) for name, articles in corpora.items()}
    languages = language_totals(per_file)
    profiles = {}
    if profile:
        for lang, files in LANGUAGES.items():
            sample = [a for name in files for a in corpora[name][:PROFILE_ARTICLES_PER_FILE]]
            profiles[lang] = hot_spots(sample)
    figures = {
        "pinned_core": core,
        "method": "extract() per article, Article objects built beforehand, one process pinned to one core; "
        f"each file timed in whole passes for at least {MIN_SECONDS_PER_FILE} CPU s; rates and percentiles over the "
        "process's CPU time (time.process_time), so other work on a shared machine does not count",
        "languages": languages,
        "files": {name: {k: v for k, v in r.items() if not k.startswith("_")} for name, r in per_file.items()},
        "profile_top_own_time": profiles,
    }
    path = write_report("extractor", figures, started=started_wall)
    print(render(figures))
    print(f"report: {path.relative_to(path.parents[2])}")
    return figures


def render(figures: dict[str, Any]) -> str:
    rows = [
        [
            name,
            r["articles"],
            r["mean_article_bytes"],
            r["articles_per_second"],
            r["mb_per_second"],
            r["p50_ms"],
            r["p99_ms"],
        ]
        for name, r in figures["files"].items()
    ]
    rows += [
        [f"[{lang}]", "", "", r["articles_per_second"], r["mb_per_second"], r["p50_ms"], r["p99_ms"]]
        for lang, r in figures["languages"].items()
    ]
    out = [table("Extractor, one core", ["corpus", "articles", "bytes/art", "art/s", "MB/s", "p50 ms", "p99 ms"], rows)]
    for lang, r in figures["languages"].items():
        out.append(f"target {lang}: >= {TARGET_ARTICLES_PER_SECOND} articles/s -> {r['target']}")
    for lang, spots in figures["profile_top_own_time"].items():
        out.append(
            table(
                f"Hot spots ({lang}, own time)",
                ["function", "calls", "own s", "share"],
                [[s["function"], s["calls"], s["own_seconds"], s["own_share"]] for s in spots[:8]],
            )
        )
    return "\n".join(out)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--no-profile", action="store_true", help="skip the cProfile pass")
    args = parser.parse_args(argv)
    run(profile=not args.no_profile)


if __name__ == "__main__":
    main()
