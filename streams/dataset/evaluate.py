"""Real-news figures: the extractor on labelled train-pool passages of one split (test by default)."""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from itertools import takewhile

from streams.extraction import Extractor, extract

from .labels import GoldPassage, load_gold
from .pool import parse_passage_id
from .scoring import Report, passage_article, score
from .splits import split_of
from .styles import STYLES, restyle_gold


def gold_split(lang: str, split: str, style: str = "original") -> list[GoldPassage]:
    """The split's labelled passages, rewritten as the style's source writes them (streams/dataset/styles.py)."""
    chosen = (g for g in load_gold(lang) if split == "all" or split_of(g.passage.record_id) == split)
    return [restyle_gold(g, style) for g in chosen]


def evaluate(lang: str, split: str, extractor=extract, style: str = "original") -> Report:
    items = gold_split(lang, split, style)
    return score((gold, extractor(passage_article(gold)).events) for gold in items)


def source_of(passage_id: str) -> str:
    """The source and kind of a passage: its record id's words before the first number ('guardian-ru' headlines,
    'bbcgaza-lf' live posts, 'bbcgaza-article' articles, 'trends' German articles); quality differs by source."""
    parts = parse_passage_id(passage_id)[0].split("-")
    return "-".join(takewhile(lambda part: not part[:1].isdigit(), parts))


def evaluate_by_source(lang: str, split: str, extractor=extract, style: str = "original") -> dict[str, Report]:
    by_source: dict[str, list[GoldPassage]] = {}
    for gold in gold_split(lang, split, style):
        by_source.setdefault(source_of(gold.passage.id), []).append(gold)
    return {
        source: score((gold, extractor(passage_article(gold)).events) for gold in items)
        for source, items in sorted(by_source.items())
    }


def _evidence_of(lang: str, miss: tuple[str, str, str], style: str = "original") -> str:
    """The labelled evidence sentence of a miss (read from the pool, for the terminal only), as the style has it."""
    for labelled in load_gold(lang):
        if labelled.passage.id == miss[0]:
            gold = restyle_gold(labelled, style)
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
    parser.add_argument("--rules-only", action="store_true", help="the learned stage off")
    parser.add_argument("--by-source", action="store_true", help="one report per source (headlines, live, articles)")
    parser.add_argument(
        "--style", default="original", choices=sorted(STYLES), help="the passages as another source writes them"
    )
    args = parser.parse_args(argv)
    if args.split == "test" and args.errors:
        parser.error("the test split is scored, never inspected: list errors on dev or train")
    extractor = Extractor(model_root=None).extract if args.rules_only else extract
    for lang in args.lang or ["de", "en"]:
        if args.by_source:
            for source, part in evaluate_by_source(lang, args.split, extractor, args.style).items():
                print(
                    json.dumps(
                        {"lang": lang, "split": args.split, "style": args.style, "source": source, **part.as_dict()}
                    )
                )
        report = evaluate(lang, args.split, extractor, args.style)
        row = {"lang": lang, "split": args.split, "style": args.style, **report.as_dict()}
        print(json.dumps(row, ensure_ascii=False))
        if args.errors:
            print("misses by type:", dict(Counter(t for _, t, _ in report.misses)))
            for miss in report.misses[: args.errors]:
                print("  MISS", *miss, "|", _evidence_of(lang, miss, args.style))
            for alarm in report.false_alarms[: args.errors]:
                print("  FALSE", *alarm)
    return 0


if __name__ == "__main__":
    sys.exit(main())
