"""Inter-annotator agreement on the doubly read batches: event F1 on (type, actor) and Cohen's kappa on types."""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict

from .annotate import write_batch
from .labels import BATCH_DIR, LABEL_DIR, GoldEvent, GoldPassage, label_files, read_labels, resolve
from .scoring import TYPES, Tally, _names_agree


def _same(a: GoldEvent, b: GoldEvent) -> bool:
    if a.type != b.type:
        return False
    if a.actor_code or b.actor_code:
        return a.actor_code == b.actor_code
    return _names_agree(a.actor_name or "", b.actor_name or "")


def pairs(lang: str) -> list[tuple[GoldPassage, GoldPassage]]:
    """(first reading, second reading) of every passage read by two annotators."""
    readings: dict[str, list] = defaultdict(list)
    for label in read_labels(label_files(lang)):
        if label.annotator != "adjudicated":
            readings[label.passage].append(label)
    out = []
    for labels in readings.values():
        if len(labels) >= 2:
            first, second = sorted(labels[:2], key=lambda label: "-dbl-" in label.batch)
            out.append((resolve(first), resolve(second)))
    return out


def cohen_kappa(decisions: list[tuple[bool, bool]]) -> float:
    n = len(decisions)
    if not n:
        return float("nan")
    observed = sum(a == b for a, b in decisions) / n
    p_a = sum(a for a, _ in decisions) / n
    p_b = sum(b for _, b in decisions) / n
    expected = p_a * p_b + (1 - p_a) * (1 - p_b)
    return 1.0 if expected == 1 else (observed - expected) / (1 - expected)


def agreement(lang: str) -> dict:
    both = pairs(lang)
    tally = Tally()
    per_type = {t: Tally() for t in TYPES}
    decisions: list[tuple[bool, bool]] = []
    disagreements = []
    for first, second in both:
        unmatched = list(second.events)
        for event in first.events:
            match = next((e for e in unmatched if _same(event, e)), None)
            if match is None:
                tally.fn += 1
                per_type[event.type].fn += 1
                disagreements.append((first.passage.id, "only first", event.type, event.actor_code or event.actor_name))
            else:
                unmatched.remove(match)
                tally.tp += 1
                per_type[event.type].tp += 1
        for event in unmatched:
            tally.fp += 1
            per_type[event.type].fp += 1
            disagreements.append((first.passage.id, "only second", event.type, event.actor_code or event.actor_name))
        for type_ in TYPES:
            decisions.append((any(e.type == type_ for e in first.events), any(e.type == type_ for e in second.events)))
    return {
        "lang": lang,
        "passages": len(both),
        "event_f1": round(tally.f1, 3),
        "events": tally.row(),
        "by_type_f1": {t: round(per_type[t].f1, 3) for t in TYPES},
        "kappa_types": round(cohen_kappa(decisions), 3),
        "disagreements": disagreements,
    }


def adjudication_batch(lang: str) -> str | None:
    """A batch of the disputed passages no adjudicator has read yet (annotator name "adjudicated"): `<lang>-adj` the
    first time, then `<lang>-adj-2`, `-3`, ... as new double readings bring new disputes."""
    labels = list(read_labels(label_files(lang)))
    adjudicated = {label.passage for label in labels if label.annotator == "adjudicated"}
    disputed = sorted({pid for pid, *_ in agreement(lang)["disagreements"]} - adjudicated)
    if not disputed:
        return None
    readings = {label.passage: label for label in labels if label.passage in disputed}
    name = next(
        n
        for n in (f"{lang}-adj", *(f"{lang}-adj-{k}" for k in range(2, 100)))
        if not (BATCH_DIR / f"{n}.json").exists()
    )
    write_batch(name, lang, [(pid, readings[pid].sha, readings[pid].origin) for pid in disputed], double_of=None)
    return name


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m streams.dataset.agreement", description=__doc__)
    parser.add_argument("--disagreements", action="store_true", help="list every disagreement")
    parser.add_argument(
        "--adjudication-batch", action="store_true", help="write <lang>-adj batches of the disputed passages"
    )
    args = parser.parse_args(argv)
    if args.adjudication_batch:
        for lang in sorted(p.name for p in LABEL_DIR.iterdir() if p.is_dir()):
            print(adjudication_batch(lang) or f"{lang}: nothing disputed")
        return 0
    for lang in sorted(p.name for p in LABEL_DIR.iterdir() if p.is_dir()):
        result = agreement(lang)
        if not args.disagreements:
            result.pop("disagreements")
        print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
