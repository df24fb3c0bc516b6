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
from streams.extraction import extract

TRAIN_POOL_DIR = CORPUS_DIR.parent / "train-pool"


def file_digest(path: Path, *, with_version: bool = True) -> tuple[str, int, int]:
    """(hex digest, articles, events) of one JSON-lines file; rows without text are skipped, as bench.common does."""
    left_out = set() if with_version else {"extractor_version"}
    digest = hashlib.sha256()
    articles = events = 0
    with path.open("rb") as handle:
        for line in handle:
            row = orjson.loads(line)
            text = row.get("text") or row.get("title") or ""
            if not text.strip():
                continue
            result = extract(Article(id=str(row["id"]), text=text, lang=row.get("lang"), title=row.get("title")))
            articles += 1
            events += len(result.events)
            digest.update(
                orjson.dumps(
                    [
                        result.lang,
                        result.supported,
                        [e.model_dump(mode="json", exclude=left_out) for e in result.events],
                    ]
                )
            )
    return digest.hexdigest(), articles, events


def main() -> None:
    parser = argparse.ArgumentParser(description="A digest of the extractor's events over the corpus and train pool")
    parser.add_argument("--no-version", action="store_true", help="leave each event's extractor_version out")
    with_version = not parser.parse_args().no_version
    paths = sorted(CORPUS_DIR.glob("*.jsonl")) + sorted(TRAIN_POOL_DIR.glob("*.jsonl"))
    total = hashlib.sha256()
    articles = events = 0
    started = time.process_time()
    for path in paths:
        digest, file_articles, file_events = file_digest(path, with_version=with_version)
        print(f"{path.parent.name}/{path.name} {digest[:16]} ({file_articles:,} articles, {file_events:,} events)")
        total.update(bytes.fromhex(digest))
        articles += file_articles
        events += file_events
    print(
        f"all: {total.hexdigest()} ({articles:,} articles, {events:,} events, {time.process_time() - started:.1f} CPU s)"
    )


if __name__ == "__main__":
    main()
