"""Scoring extracted events against real-news labels: (type, actor) per passage, as the guideline defines it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from schemas import Article, Event, EventType, enum_values

from .labels import GoldEvent, GoldPassage, normalise_name

TYPES = enum_values(EventType)


@dataclass
class Tally:
    """True and false positives and false negatives, with precision, recall and F1 (1.0 when nothing to count)."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def row(self) -> dict[str, float | int]:
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": round(self.precision, 3),
            "recall": round(self.recall, 3),
            "f1": round(self.f1, 3),
        }


@dataclass
class Report:
    """Micro and per-type tallies on (type, actor), type-only tallies, hard negatives, location and quantity."""

    overall: Tally = field(default_factory=Tally)
    by_type: dict[str, Tally] = field(default_factory=lambda: {t: Tally() for t in TYPES})
    type_only: Tally = field(default_factory=Tally)
    passages: int = 0
    hard_negatives: int = 0
    hard_negatives_with_event: int = 0
    location_hits: int = 0
    location_total: int = 0
    quantity_hits: int = 0
    quantity_total: int = 0
    misses: list[tuple[str, str, str]] = field(default_factory=list)  # passage id, type, gold actor
    false_alarms: list[tuple[str, str, str, str]] = field(default_factory=list)  # passage id, type, actor, rule

    def as_dict(self) -> dict:
        ratio = lambda hits, total: round(hits / total, 3) if total else None  # noqa: E731
        return {
            "passages": self.passages,
            "micro": self.overall.row(),
            "by_type": {t: tally.row() for t, tally in self.by_type.items()},
            "type_only": self.type_only.row(),
            "hard_negatives": self.hard_negatives,
            "hard_negatives_with_event": self.hard_negatives_with_event,
            "hard_negative_rate": ratio(self.hard_negatives_with_event, self.hard_negatives),
            "location_accuracy": ratio(self.location_hits, self.location_total),
            "location_scored": self.location_total,
            "quantity_accuracy": ratio(self.quantity_hits, self.quantity_total),
            "quantity_scored": self.quantity_total,
        }


def _names_agree(predicted: str, gold: str) -> bool:
    """Non-state actors match by name; one name's words inside the other's ('Hamas' ~ 'the Hamas group')."""
    a, b = normalise_name(predicted).split(), normalise_name(gold).split()
    if not a or not b:
        return False
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    return any(long[i : i + len(short)] == short for i in range(len(long) - len(short) + 1))


def actor_matches(event: Event, gold: GoldEvent) -> bool:
    if event.type.value != gold.type:
        return False
    if gold.actor_code:
        return event.actor.country == gold.actor_code
    return event.actor.country is None and _names_agree(event.actor.name, gold.actor_name or "")


def passage_article(gold: GoldPassage) -> Article:
    return Article(id=gold.passage.id, text=gold.passage.text, lang=gold.passage.lang)


def align(gold: Iterable[GoldEvent], events: Iterable[Event]) -> tuple[list[Event | None], list[Event]]:
    """Each gold event's match (the first unmatched extracted event of its type and actor, in gold order) and the
    extracted events left unmatched."""
    unmatched = list(events)
    matches: list[Event | None] = []
    for gold_event in gold:
        match = next((e for e in unmatched if actor_matches(e, gold_event)), None)
        if match is not None:
            unmatched.remove(match)
        matches.append(match)
    return matches, unmatched


def score(items: Iterable[tuple[GoldPassage, tuple[Event, ...]]]) -> Report:
    report = Report()
    for gold, events in items:
        report.passages += 1
        if gold.label.hard_negative:
            report.hard_negatives += 1
            report.hard_negatives_with_event += bool(events)
        matches, unmatched = align(gold.events, events)
        for gold_event, match in zip(gold.events, matches, strict=True):
            tally = report.by_type[gold_event.type]
            if match is None:
                tally.fn += 1
                report.overall.fn += 1
                report.misses.append(
                    (gold.passage.id, gold_event.type, gold_event.actor_name or gold_event.actor_code or "")
                )
                continue
            tally.tp += 1
            report.overall.tp += 1
            if gold_event.type == "deployment" and gold_event.location_code:
                report.location_total += 1
                report.location_hits += bool(match.location and match.location.country == gold_event.location_code)
            if gold_event.type == "deployment" and gold_event.quantity:
                report.quantity_total += 1
                report.quantity_hits += bool(match.quantity and match.quantity.value == gold_event.quantity)
        for event in unmatched:
            report.by_type[event.type.value].fp += 1
            report.overall.fp += 1
            report.false_alarms.append((gold.passage.id, event.type.value, event.actor.name, event.evidence.rule))
        # Type-only: does the passage hold each type at all?
        gold_types = {e.type for e in gold.events}
        found_types = {e.type.value for e in events}
        report.type_only.tp += len(gold_types & found_types)
        report.type_only.fp += len(found_types - gold_types)
        report.type_only.fn += len(gold_types - found_types)
    return report
