"""The real-news training pool (../shared/train-pool): records read at run time and cut into annotation passages."""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
# The pool is read where it lies (never copied into the project); labels point into it by id and offsets.
POOL_DIR = Path(os.environ.get("NEWSEVENTS_TRAIN_POOL_DIR", REPO_ROOT.parent / "shared" / "train-pool"))
POOL_FILES = {"de": ("de-trends.jsonl",), "en": ("en-bbc-gaza.jsonl", "en-guardian-ru-headlines.jsonl")}

# Passages are paragraphs (German articles), runs of whole sentences (BBC's one-line texts) or headlines: short
# enough for an annotator to read in one go, long enough to hold an event with its actor.
MIN_PASSAGE_CHARS = 40
MAX_PASSAGE_CHARS = 700
_SENTENCE_GAP = re.compile(r"(?<=[.!?])[\"”’']?\s+(?=[\"“‘(]?[A-ZÄÖÜ0-9])")


@dataclass(frozen=True)
class Record:
    id: str
    lang: str
    source_file: str
    text: str
    title: str | None
    category: str | None
    published_at: str | None


@dataclass(frozen=True)
class Passage:
    record_id: str
    lang: str
    source_file: str
    start: int
    end: int
    text: str

    @property
    def id(self) -> str:
        return passage_id(self.record_id, self.start, self.end)

    @property
    def sha(self) -> str:
        return text_hash(self.text)


def passage_id(record_id: str, start: int, end: int) -> str:
    return f"{record_id}:{start}-{end}"


def parse_passage_id(pid: str) -> tuple[str, int, int]:
    record_id, _, span = pid.rpartition(":")
    start, _, end = span.partition("-")
    return record_id, int(start), int(end)


def text_hash(text: str) -> str:
    """Short SHA-256 of a passage: a label whose passage text changed under it is detected, not misread."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def read_records(lang: str, pool_dir: Path = POOL_DIR) -> Iterator[Record]:
    for name in POOL_FILES[lang]:
        with open(pool_dir / name, encoding="utf-8") as handle:
            for line in handle:
                raw = json.loads(line)
                yield Record(
                    id=raw["id"],
                    lang=raw["lang"],
                    source_file=name,
                    text=raw["text"],
                    title=raw.get("title"),
                    category=raw.get("category"),
                    published_at=raw.get("published_at"),
                )


@lru_cache(maxsize=4)
def records_by_id(lang: str, pool_dir: Path = POOL_DIR) -> dict[str, Record]:
    return {record.id: record for record in read_records(lang, pool_dir)}


def _sentence_runs(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Split [start, end) at sentence gaps into runs of at most MAX_PASSAGE_CHARS (a longer sentence stands alone)."""
    cuts = [start] + [m.end() for m in _SENTENCE_GAP.finditer(text, start, end)] + [end]
    run_start = start
    previous = start
    for cut in cuts[1:]:
        if cut - run_start > MAX_PASSAGE_CHARS and previous > run_start:
            yield run_start, previous
            run_start = previous
        previous = cut
    if end > run_start:
        yield run_start, end


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def passages(record: Record) -> Iterator[Passage]:
    """Paragraphs (split at line breaks), each cut into sentence runs of bounded length."""
    text = record.text
    for paragraph in re.finditer(r"[^\n]+", text):
        for run_start, run_end in _sentence_runs(text, paragraph.start(), paragraph.end()):
            start, end = _trimmed(text, run_start, run_end)
            if end - start >= MIN_PASSAGE_CHARS or record.source_file.startswith("en-guardian"):
                if end > start:
                    yield Passage(record.id, record.lang, record.source_file, start, end, text[start:end])


def passage_by_id(pid: str, lang: str, pool_dir: Path = POOL_DIR) -> Passage:
    record_id, start, end = parse_passage_id(pid)
    record = records_by_id(lang, pool_dir)[record_id]
    return Passage(record.id, record.lang, record.source_file, start, end, record.text[start:end])
