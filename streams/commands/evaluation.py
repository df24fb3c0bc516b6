"""`make eval`: precision/recall/F1 of the extractor on real news (the labelled train-pool test split) first, then on
the sets written for the project (golden) and the external labelled sets."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from schemas import Article, Event
from streams.dataset.scoring import TYPES, Tally
from streams.extraction import EXTRACTOR_VERSION, ExtractionResult, extract

REPO_ROOT = Path(__file__).resolve().parents[2]
GOLDEN_DIR = REPO_ROOT / "tests" / "sets" / "golden"
# The external sets are read where they are at run time (never copied into the project).
EXTERNAL_DIR = Path(os.environ.get("NEWSEVENTS_EXTERNAL_EVAL_DIR", REPO_ROOT.parent / "shared" / "eval" / "external"))
# Scored together (the PLOVER GSR was built from the CAMEO manual, so it is scored on its own).
EXTERNAL_FILES = ("cameo_manual_examples.jsonl", "zsp_plv_test.jsonl", "case2021_task2.jsonl", "plover_gsr.jsonl")


@dataclass(frozen=True)
class GoldEvent:
    type: str
    actor_name: str
    actor_country: str | None
    location_name: str | None
    location_country: str | None
    quantity: int | None
    modality: str | None


@dataclass(frozen=True)
class GoldItem:
    id: str
    lang: str
    text: str
    title: str | None
    hard_negative: bool
    events: tuple[GoldEvent, ...]


class Counts(Tally):
    def as_dict(self) -> dict[str, float | int]:
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
        }


@dataclass
class Ratio:
    hits: int = 0
    total: int = 0

    def add(self, ok: bool) -> None:
        self.hits += int(ok)
        self.total += 1

    @property
    def value(self) -> float | None:
        return self.hits / self.total if self.total else None

    def as_dict(self) -> dict[str, float | int | None]:
        return {"hits": self.hits, "total": self.total, "value": None if self.value is None else round(self.value, 4)}


@dataclass
class GoldenReport:
    lang: str
    items: int = 0
    per_type: dict[str, Counts] = field(default_factory=lambda: {t: Counts() for t in TYPES})
    location: Ratio = field(default_factory=Ratio)
    actor_country: Ratio = field(default_factory=Ratio)
    quantity: Ratio = field(default_factory=Ratio)
    modality: Ratio = field(default_factory=Ratio)
    hard_negatives: Ratio = field(default_factory=Ratio)  # hits = negatives with a false alarm
    errors: list[str] = field(default_factory=list)

    @property
    def error_count(self) -> int:
        """Spurious and missed events over every type."""
        return sum(c.fp + c.fn for c in self.per_type.values())

    def as_dict(self) -> dict[str, object]:
        return {
            "lang": self.lang,
            "items": self.items,
            "per_type": {t: c.as_dict() for t, c in self.per_type.items()},
            "location_accuracy": self.location.as_dict(),
            "actor_country_accuracy": self.actor_country.as_dict(),
            "quantity_accuracy": self.quantity.as_dict(),
            "modality_accuracy": self.modality.as_dict(),
            "hard_negative_false_alarm_rate": self.hard_negatives.as_dict(),
        }


def load_golden(lang_dir: Path) -> list[GoldItem]:
    items = []
    for path in sorted(lang_dir.glob("*.jsonl")):
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                if not line.strip():
                    continue
                raw = json.loads(line)
                events = tuple(
                    GoldEvent(
                        e["type"],
                        e.get("actor_name") or "",
                        e.get("actor_country"),
                        e.get("location_name"),
                        e.get("location_country"),
                        e.get("quantity"),
                        e.get("modality"),
                    )
                    for e in raw.get("events", [])
                )
                items.append(
                    GoldItem(
                        raw["id"],
                        raw.get("lang") or lang_dir.name,
                        raw["text"],
                        raw.get("title"),
                        bool(raw.get("hard_negative")),
                        events,
                    )
                )
    return items


def actor_matches(gold: GoldEvent, event: Event) -> bool:
    """The guideline's rule: the actor code agrees, or for non-states the name (case-insensitive contains)."""
    if gold.actor_country:
        return event.actor.country == gold.actor_country
    gold_name, name = gold.actor_name.lower(), event.actor.name.lower()
    return bool(gold_name) and (gold_name in name or name in gold_name)


def location_matches(gold: GoldEvent, event: Event) -> bool:
    if gold.location_name is None and gold.location_country is None:
        return event.location is None
    if event.location is None:
        return False
    if gold.location_name and event.location.name:
        gold_name, name = gold.location_name.lower(), event.location.name.lower()
        if gold_name in name or name in gold_name:
            return True
    return gold.location_country is not None and event.location.country == gold.location_country


def _align(
    gold: list[GoldEvent], predicted: list[Event]
) -> tuple[list[tuple[GoldEvent, Event]], list[GoldEvent], list[Event]]:
    """Greedy one-to-one alignment of one type's events within an item, actor matches first."""
    matched, free_gold, free_pred = [], list(gold), list(predicted)
    for g in list(free_gold):
        hit = next((p for p in free_pred if actor_matches(g, p)), None)
        if hit is not None:
            matched.append((g, hit))
            free_gold.remove(g)
            free_pred.remove(hit)
    return matched, free_gold, free_pred


def score_golden(
    items: Iterable[GoldItem], lang: str, extractor: Callable[[Article], ExtractionResult] = extract
) -> GoldenReport:
    """The extractor (the shared default unless given, e.g. a trial model's) over a golden set."""
    report = GoldenReport(lang=lang)
    for item in items:
        report.items += 1
        article = Article(id=item.id, text=item.text, title=item.title, lang=item.lang)
        events = list(extractor(article).events)
        if item.hard_negative:
            report.hard_negatives.add(bool(events))
        for kind in TYPES:
            gold = [g for g in item.events if g.type == kind]
            predicted = [e for e in events if e.type.value == kind]
            matched, missed, spurious = _align(gold, predicted)
            counts = report.per_type[kind]
            counts.tp += len(matched)
            counts.fn += len(missed)
            counts.fp += len(spurious)
            for g, e in matched:
                report.modality.add(e.modality.value == g.modality)
                if kind == "deployment":
                    report.location.add(location_matches(g, e))
                    if g.quantity is not None:
                        report.quantity.add(e.quantity is not None and e.quantity.value == g.quantity)
            # Actor country on type-aligned pairs: of the events we found for a gold state event, how many name the right state.
            for g in gold:
                if g.actor_country and predicted:
                    report.actor_country.add(any(e.actor.country == g.actor_country for e in predicted))
            for g in missed:
                report.errors.append(f"{item.id}: missed {kind} {g.actor_country or g.actor_name}")
            for e in spurious:
                report.errors.append(
                    f"{item.id}: spurious {kind} {e.actor.country or e.actor.name} ({e.evidence.rule})"
                )
    return report


@dataclass
class ExternalReport:
    file: str
    items: int = 0
    strict_recall: dict[str, Ratio] = field(default_factory=lambda: {t: Ratio() for t in TYPES})
    lenient_recall: dict[str, Ratio] = field(default_factory=lambda: {t: Ratio() for t in TYPES})
    false_alarms: Ratio = field(default_factory=Ratio)  # on `none` items
    false_alarms_by_type: dict[str, Ratio] = field(default_factory=lambda: {t: Ratio() for t in TYPES})
    errors: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "items": self.items,
            "strict_recall": {t: r.as_dict() for t, r in self.strict_recall.items()},
            "lenient_recall": {t: r.as_dict() for t, r in self.lenient_recall.items()},
            "false_alarm_rate_on_none": self.false_alarms.as_dict(),
            "false_alarm_rate_on_none_by_type": {t: r.as_dict() for t, r in self.false_alarms_by_type.items()},
        }


def score_external(path: Path) -> ExternalReport:
    report = ExternalReport(file=path.name)
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if not line.strip():
                continue
            raw = json.loads(line)
            report.items += 1
            article = Article(id=raw["id"], text=raw["text"], lang=raw.get("lang"))
            found = {e.type.value for e in extract(article).events}
            tier = raw.get("map_tier")
            gold = set(raw.get("gold_types") or [])
            if tier == "none":
                report.false_alarms.add(bool(found))
                for kind in TYPES:
                    report.false_alarms_by_type[kind].add(kind in found)
                if found:
                    report.errors.append(f"{raw['id']}: false alarm {sorted(found)} [{raw.get('gold_code')}]")
                continue
            for kind in gold & set(TYPES):
                if tier == "strict":
                    report.strict_recall[kind].add(kind in found)
                report.lenient_recall[kind].add(kind in found)
                if tier == "strict" and kind not in found:
                    report.errors.append(f"{raw['id']}: missed strict {kind} [{raw.get('gold_code')}]")
    return report


def _fmt(value: float | None) -> str:
    return "  n/a" if value is None else f"{value:5.2f}"


def print_golden(report: GoldenReport, out) -> None:
    out.write(f"\n== golden {report.lang}: {report.items} items\n")
    out.write(f"{'type':<14}{'P':>6}{'R':>6}{'F1':>6}{'tp':>5}{'fp':>5}{'fn':>5}\n")
    for kind, c in report.per_type.items():
        out.write(f"{kind:<14}{c.precision:6.2f}{c.recall:6.2f}{c.f1:6.2f}{c.tp:5}{c.fp:5}{c.fn:5}\n")
    out.write(
        f"location accuracy (matched deployments): {_fmt(report.location.value)} ({report.location.hits}/{report.location.total})\n"
    )
    out.write(
        f"actor country accuracy (type-aligned):   {_fmt(report.actor_country.value)} ({report.actor_country.hits}/{report.actor_country.total})\n"
    )
    out.write(
        f"quantity accuracy (matched, stated):     {_fmt(report.quantity.value)} ({report.quantity.hits}/{report.quantity.total})\n"
    )
    out.write(
        f"modality accuracy (matched):             {_fmt(report.modality.value)} ({report.modality.hits}/{report.modality.total})\n"
    )
    out.write(
        f"false-alarm rate on hard negatives:      {_fmt(report.hard_negatives.value)} ({report.hard_negatives.hits}/{report.hard_negatives.total})\n"
    )


def print_external(report: ExternalReport, out) -> None:
    out.write(f"\n== external {report.file}: {report.items} items\n")
    for kind in TYPES:
        strict, lenient = report.strict_recall[kind], report.lenient_recall[kind]
        out.write(
            f"{kind:<14} strict recall {_fmt(strict.value)} ({strict.hits}/{strict.total})"
            f"   lenient recall {_fmt(lenient.value)} ({lenient.hits}/{lenient.total})"
            f"   false alarms {report.false_alarms_by_type[kind].hits}\n"
        )
    fa = report.false_alarms
    out.write(f"false-alarm rate on `none` items: {_fmt(fa.value)} ({fa.hits}/{fa.total})\n")


def print_real_news(out) -> dict[str, object]:
    """The labelled real-news test split (scored once per release, never tuned on), per language and type."""
    from streams.dataset.evaluate import evaluate
    from streams.dataset.pool import POOL_DIR

    if not POOL_DIR.is_dir():
        out.write(f"\n(real-news pool not found at {POOL_DIR}; skipped)\n")
        return {}
    result = {}
    for lang in ("de", "en"):
        report = evaluate(lang, "test")
        row = report.as_dict()
        result[lang] = row
        out.write(f"\n== real news {lang}: train-pool test split, {report.passages} passages\n")
        out.write(f"{'type':<14}{'P':>6}{'R':>6}{'F1':>6}{'tp':>5}{'fp':>5}{'fn':>5}\n")
        for kind, tally in [("micro", report.overall), *report.by_type.items()]:
            out.write(
                f"{kind:<14}{tally.precision:6.2f}{tally.recall:6.2f}{tally.f1:6.2f}{tally.tp:5}{tally.fp:5}{tally.fn:5}\n"
            )
        out.write(f"type only (is the type in the passage): F1 {report.type_only.f1:.2f}\n")
        out.write(
            f"hard negatives with an event:  {_fmt(row['hard_negative_rate'])} "
            f"({report.hard_negatives_with_event}/{report.hard_negatives})\n"
        )
        out.write(
            f"location accuracy (matched):   {_fmt(row['location_accuracy'])} ({report.location_hits}/{report.location_total})\n"
        )
        out.write(
            f"quantity accuracy (matched):   {_fmt(row['quantity_accuracy'])} ({report.quantity_hits}/{report.quantity_total})\n"
        )
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m streams.commands.evaluation", description=__doc__)
    parser.add_argument("--golden", type=Path, default=GOLDEN_DIR, help="folder with <lang>/*.jsonl golden sets")
    parser.add_argument("--external", type=Path, default=EXTERNAL_DIR, help="folder with the external *.jsonl sets")
    parser.add_argument("--json", type=Path, default=None, metavar="OUT", help="also write a machine-readable report")
    parser.add_argument("--errors", action="store_true", help="list every miss and false alarm")
    parser.add_argument("--no-real-news", action="store_true", help="skip the real-news test split")
    args = parser.parse_args(argv)
    out = sys.stdout
    out.write(f"extractor {EXTRACTOR_VERSION}\n")
    result: dict[str, object] = {"extractor_version": EXTRACTOR_VERSION, "real_news": {}, "golden": {}, "external": {}}
    if not args.no_real_news:
        result["real_news"] = print_real_news(out)
    out.write("\n-- sets written for the project (regression tests, not estimates of quality) --\n")
    for lang_dir in sorted(p for p in args.golden.iterdir() if p.is_dir()) if args.golden.is_dir() else []:
        items = load_golden(lang_dir)
        if not items:
            continue
        report = score_golden(items, lang_dir.name)
        print_golden(report, out)
        if args.errors:
            out.writelines(f"   {e}\n" for e in report.errors)
        result["golden"][lang_dir.name] = report.as_dict()
    if args.external.is_dir():
        for name in EXTERNAL_FILES:
            path = args.external / name
            if path.is_file():
                report = score_external(path)
                print_external(report, out)
                if args.errors:
                    out.writelines(f"   {e}\n" for e in report.errors)
                result["external"][name] = report.as_dict()
    else:
        out.write(f"\n(external sets not found at {args.external}; skipped)\n")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
