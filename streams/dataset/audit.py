"""Precision audit: a seeded random sample of the events the extractor finds in train-pool articles, for judging.

Dev and train hold too few false alarms to show their kinds. This runs the extractor over whole articles of the
train and dev splits (test-split records are left out, so nothing seen here can be a test item), as the worker
would, and prints a random sample of the predicted events for a person to judge against the annotation guideline.
Each event says whether its sentence lies in a labelled passage and, if so, whether a label agrees (type and
actor); events in unlabelled passages are the fresh ones. Pool text goes to the terminal (or a file the caller
names outside the repository), never into the project.

    python -m streams.dataset.audit --lang de --sample 250 --seed 1 [--unlabelled-only] [--jsonl /tmp/out.jsonl]
    python -m streams.dataset.audit --seed 2 --exclude /tmp/out.jsonl   # a fresh sample after changes
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from schemas import Article, Event
from streams.extraction import extract

from .labels import GoldPassage, load_gold
from .pool import Record, read_records
from .scoring import actor_matches
from .splits import split_of


@dataclass(frozen=True)
class AuditedEvent:
    record_id: str
    event: Event
    gold: GoldPassage | None  # the labelled passage holding the evidence sentence, if any

    @property
    def verdict(self) -> str:
        """'unlabelled', or what the labels say: 'gold-agrees' / 'gold-disagrees'."""
        if self.gold is None:
            return "unlabelled"
        return "gold-agrees" if any(actor_matches(self.event, g) for g in self.gold.events) else "gold-disagrees"


def _labelled_passage_of(record_gold: list[GoldPassage], event: Event) -> GoldPassage | None:
    return next(
        (g for g in record_gold if g.passage.start <= event.evidence.start and event.evidence.end <= g.passage.end),
        None,
    )


def audited_events(lang: str) -> Iterator[AuditedEvent]:
    """Every event the extractor finds in the language's train and dev pool articles."""
    return audit_records(read_records(lang), load_gold(lang))


def audit_records(records: Iterable[Record], gold: Iterable[GoldPassage]) -> Iterator[AuditedEvent]:
    """The events of the records outside the test split, each with the labelled passage that holds it, if any."""
    gold_by_record: dict[str, list[GoldPassage]] = {}
    for passage in gold:
        gold_by_record.setdefault(passage.passage.record_id, []).append(passage)
    for record in records:
        if split_of(record.id) == "test":
            continue
        article = Article(id=record.id, text=record.text, lang=record.lang)
        record_gold = gold_by_record.get(record.id, [])
        for event in extract(article).events:
            yield AuditedEvent(record.id, event, _labelled_passage_of(record_gold, event))


def _row(number: int, audited: AuditedEvent) -> dict[str, str | int | None]:
    event = audited.event
    return {
        "n": number,
        "record": audited.record_id,
        "type": event.type.value,
        "actor": event.actor.name,
        "country": event.actor.country,
        "rule": event.evidence.rule,
        "modality": event.modality.value,
        "verdict": audited.verdict,
        "evidence": event.evidence.text,
    }


def _identity(row: dict[str, str | int | None]) -> tuple[object, ...]:
    """An event as a judge saw it: the same sentence, type and actor is the same judgement."""
    return row["record"], row["type"], row["actor"], row["country"], row["evidence"]


def _read_rows(path: str) -> list[dict[str, str | int | None]]:
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m streams.dataset.audit", description=__doc__)
    parser.add_argument("--lang", default="de", choices=["de", "en"])
    parser.add_argument("--sample", type=int, default=250, help="how many predicted events to print")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--unlabelled-only", action="store_true", help="only events outside every labelled passage")
    parser.add_argument("--jsonl", help="also write the sample as JSON lines here (outside the repository)")
    parser.add_argument(
        "--exclude",
        action="append",
        default=[],
        help="a sample written before (--jsonl): its events are not drawn again",
    )
    args = parser.parse_args(argv)
    judged = {_identity(row) for path in args.exclude for row in _read_rows(path)}
    found = [
        a
        for a in audited_events(args.lang)
        if (not args.unlabelled_only or a.gold is None) and _identity(_row(0, a)) not in judged
    ]
    print(
        f"{len(found)} events; by type {dict(Counter(a.event.type.value for a in found))}; "
        f"by verdict {dict(Counter(a.verdict for a in found))}",
        file=sys.stderr,
    )
    sample = random.Random(args.seed).sample(found, min(args.sample, len(found)))
    rows = []
    for number, audited in enumerate(sample, 1):
        row = _row(number, audited)
        rows.append(row)
        print(f"#{number} {row['type']} | {row['actor']} [{row['country']}] | {row['rule']} | {row['verdict']}")
        print(f"    {row['evidence']}")
    if args.jsonl:
        with open(args.jsonl, "w", encoding="utf-8") as handle:
            handle.writelines(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
