"""A digest of the extractor's events over every corpus and train-pool article: a speed change must not move it.

`python -m bench.events_digest` prints one SHA-256 per file and one over all; run it before and after a change that
should keep the output byte-identical (the events as `newsevents extract` would give them, without the edge fields).
The events carry the extractor version, which hashes the lexicon files: a change that rewrites the lexicon data but
must keep the events (moving keys, say) is checked with --no-version on both sides.
"""

from __future__ import annotations

import argparse
import hashlib
import time
from pathlib import Path

import orjson

from bench.common import CORPUS_DIR
from schemas import Article
from streams.extraction import ExtractionResult, extract, extract_batch

TRAIN_POOL_DIR = CORPUS_DIR.parent / "train-pool"


def file_digest(path: Path, *, with_version: bool = True, batch: int = 0) -> tuple[str, int, int]:
    """(hex digest, articles, events) of one JSON-lines file; rows without text are skipped, as bench.common does.
    batch > 0: the articles go through `extract_batch` that many at a time (the worker's path), else `extract`."""
    left_out = set() if with_version else {"extractor_version"}
    digest = hashlib.sha256()
    articles: list[Article] = []
    counts = [0, 0]  # articles, events

    def take(results: list[ExtractionResult]) -> None:
        for result in results:
            counts[0] += 1
            counts[1] += len(result.events)
            events = [e.model_dump(mode="json", exclude=left_out) for e in result.events]
            digest.update(orjson.dumps([result.lang, result.supported, events]))

    with path.open("rb") as handle:
        for line in handle:
            row = orjson.loads(line)
            text = row.get("text") or row.get("title") or ""
            if not text.strip():
                continue
            article = Article(id=str(row["id"]), text=text, lang=row.get("lang"), title=row.get("title"))
            if batch <= 0:
                take([extract(article)])
                continue
            articles.append(article)
            if len(articles) == batch:
                take(_batch_results(articles))
                articles.clear()
    take(_batch_results(articles))
    return digest.hexdigest(), counts[0], counts[1]


def _batch_results(articles: list[Article]) -> list[ExtractionResult]:
    works, steps = extract_batch(articles)
    for _ in steps:
        pass
    return [work.outcome() for work in works]


def main() -> None:
    parser = argparse.ArgumentParser(description="A digest of the extractor's events over the corpus and train pool")
    parser.add_argument("--no-version", action="store_true", help="leave each event's extractor_version out")
    parser.add_argument(
        "--batch", type=int, default=0, help="extract N articles at a time with extract_batch, as the worker does"
    )
    arguments = parser.parse_args()
    with_version = not arguments.no_version
    paths = sorted(CORPUS_DIR.glob("*.jsonl")) + sorted(TRAIN_POOL_DIR.glob("*.jsonl"))
    total = hashlib.sha256()
    articles = events = 0
    started = time.process_time()
    for path in paths:
        digest, file_articles, file_events = file_digest(path, with_version=with_version, batch=arguments.batch)
        print(f"{path.parent.name}/{path.name} {digest[:16]} ({file_articles:,} articles, {file_events:,} events)")
        total.update(bytes.fromhex(digest))
        articles += file_articles
        events += file_events
    print(
        f"all: {total.hexdigest()} ({articles:,} articles, {events:,} events, {time.process_time() - started:.1f} CPU s)"
    )


if __name__ == "__main__":
    main()
