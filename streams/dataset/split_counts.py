"""Counts per split, type and language of the real-news labels: `python -m streams.dataset.split_counts [--markdown]`."""

from __future__ import annotations

import argparse
import json
from collections import Counter
from collections.abc import Iterable, Sequence

from schemas import EventType

from .labels import GoldPassage, load_gold
from .splits import Split, split_of

SPLITS: tuple[Split, ...] = ("train", "dev", "test")
LANGS = ("de", "en")


def split_counts(gold: Iterable[GoldPassage]) -> dict[str, dict[str, int]]:
    """Per split: passages, hard negatives and events of each type (a doubly read passage counts once)."""
    counts: dict[str, Counter[str]] = {split: Counter() for split in SPLITS}
    for item in gold:
        split = counts[split_of(item.passage.record_id)]
        split["passages"] += 1
        split["hard_negatives"] += item.label.hard_negative
        split.update(event.type for event in item.events)
    keys = ["passages", "hard_negatives", *(t.value for t in EventType)]
    return {split: {key: counts[split][key] for key in keys} for split in SPLITS}


def markdown_table(by_lang: dict[str, dict[str, dict[str, int]]]) -> str:
    """The docs table: one row per split and a total, passages and deployment / denial / policy_shift per language."""
    types = [t.value for t in EventType]
    langs = list(by_lang)
    header = "| split | " + " | ".join(f"{lang} passages | {lang} {' / '.join(types)}" for lang in langs) + " |"
    lines = [header, "|---|" + "---|---|" * len(langs)]
    for split in (*SPLITS, "total"):
        cells = []
        for lang in langs:
            rows = list(by_lang[lang].values()) if split == "total" else [by_lang[lang][split]]
            cells.append(f"{sum(r['passages'] for r in rows):,}")
            cells.append(" / ".join(f"{sum(r[t] for r in rows):,}" for t in types))
        lines.append(f"| {split} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m streams.dataset.split_counts", description=__doc__)
    parser.add_argument("--markdown", action="store_true", help="the table docs/real-news.md quotes, not JSON")
    args = parser.parse_args(argv)
    by_lang = {lang: split_counts(load_gold(lang)) for lang in LANGS}
    print(markdown_table(by_lang) if args.markdown else json.dumps(by_lang, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
