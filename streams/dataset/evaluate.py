"""Real-news figures: the extractor on labelled train-pool passages of one split (test by default)."""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter

from streams.extraction import Extractor, extract

from .labels import GoldPassage, load_gold
from .scoring import Report, passage_article, score
from .splits import split_of
from .styles import STYLES, StyleRewrite, restyle


def gold_split(lang: str, split: str) -> list[GoldPassage]:
    return [g for g in load_gold(lang) if split == "all" or split_of(g.passage.record_id) == split]


def styled_split(lang: str, split: str, style: str | None = None) -> list[GoldPassage]:
    """style: the passages rewritten as that source writes (styles.STYLES), labels mapped along."""
    items = gold_split(lang, split)
    if style is None:
        return items
    rewrite = StyleRewrite(style)
    return [restyle(gold, rewrite) for gold in items]


def evaluate(lang: str, split: str, extractor=extract, style: str | None = None) -> Report:
    items = styled_split(lang, split, style)
    return score((gold, extractor(passage_article(gold)).events) for gold in items)


def _evidence_of(items: list[GoldPassage], miss: tuple[str, str, str]) -> str:
    """The labelled evidence sentence of a miss (read from the pool, for the terminal only)."""
    for gold in items:
        if gold.passage.id == miss[0]:
            for event in gold.events:
                if event.type == miss[1]:
                    start = event.evidence_start - gold.passage.start
                    return gold.passage.text[start : event.evidence_end - gold.passage.start]
    return ""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m streams.dataset.evaluate", description=__doc__)
    parser.add_argument("--split", default="test", choices=["train", "dev", "test", "all"])
    parser.add_argument("--lang", choices=["de", "en"], action="append")
    parser.add_argument("--errors", type=int, default=0, help="list this many misses and false alarms")
    parser.add_argument("--style", choices=sorted(STYLES), help="passages rewritten as that source writes")
    parser.add_argument("--rules-only", action="store_true", help="the learned stage off")
    args = parser.parse_args(argv)
    if args.split == "test" and args.errors:
        parser.error("the test split is scored, never inspected: list errors on dev or train")
    extractor = Extractor(model_root=None).extract if args.rules_only else extract
    for lang in args.lang or ["de", "en"]:
        report = evaluate(lang, args.split, extractor, args.style)
        print(
            json.dumps({"lang": lang, "split": args.split, "style": args.style, **report.as_dict()}, ensure_ascii=False)
        )
        if args.errors:
            items = styled_split(lang, args.split, args.style)
            print("misses by type:", dict(Counter(t for _, t, _ in report.misses)))
            for miss in report.misses[: args.errors]:
                print("  MISS", *miss, "|", _evidence_of(items, miss))
            for alarm in report.false_alarms[: args.errors]:
                print("  FALSE", *alarm)
    return 0


if __name__ == "__main__":
    sys.exit(main())
