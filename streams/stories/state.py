"""A story's state as the table keeps it: its window, its reports (one per event), and the state as table data."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from schemas import Event, Modality
from streams.stories.keys import HOUR, StoryKey, outlet_of, seen_at_of
from streams.stories.rules import RANK_OF_MODALITY

# Modality ranks by wire value: reports keep modalities as strings, and making an enum member of each to look its
# rank up took some 5 % of the stories agent's CPU (every rank, best-evidence and outlet comparison, every update).
_RANK_OF_MODALITY = RANK_OF_MODALITY


@dataclass(frozen=True, slots=True)
class StoryWindow:
    window_seconds: float = 72 * HOUR
    lateness_seconds: float = 24 * HOUR

    def __post_init__(self) -> None:
        if not 0 < self.window_seconds or not 0 <= self.lateness_seconds < self.window_seconds:
            raise ValueError("need 0 < window and 0 <= lateness < window")


class Report(NamedTuple):
    """One event's contribution to a story, with what the story's public view and its rules need.

    A named tuple, not a frozen dataclass: a frozen dataclass sets each of its 16 fields through object.__setattr__,
    and making one (per event, and per report of every table value decoded) cost ~7 µs, several % of the agent."""

    event_id: str
    article_id: str
    source: str | None
    lang: str
    modality: str
    confidence: float
    seen_at: float
    actor_name: str
    actor_kind: str
    place_name: str | None
    quantities: tuple[int, ...]
    evidence_text: str
    evidence_start: int
    evidence_end: int
    url: str | None = None
    title: str | None = None

    def rank(self) -> tuple[int, float, str, str]:
        """Total order for the best evidence (smallest first): strongest modality, highest confidence, then the
        smallest (article, event) id, so the best evidence does not depend on the order events arrived in."""
        return (-_RANK_OF_MODALITY[self.modality], -self.confidence, self.article_id, self.event_id)


@dataclass(frozen=True, slots=True)
class StoryState:
    """What the table keeps per story key: the open story's identity, its reports (sorted) and its alert."""

    story_id: str
    key: StoryKey
    reports: tuple[Report, ...]
    alert_id: str | None = None
    alert_rule: str | None = None
    # The earliest and latest report times, computed once per state: joining, expiry, the heap and the table value
    # read them several times per event (a min/max over the reports each time was ~3 % of the agent's CPU).
    first_seen: float = field(init=False, compare=False, repr=False)
    last_seen: float = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        times = [report.seen_at for report in self.reports]
        object.__setattr__(self, "first_seen", min(times))
        object.__setattr__(self, "last_seen", max(times))

    @property
    def event_ids(self) -> frozenset[str]:
        return frozenset(report.event_id for report in self.reports)

    def outlet_modalities(self) -> dict[str, Modality]:
        """Each named outlet with the strongest modality it reported the story with."""
        return {source: Modality(value) for source, value in self._outlet_modality_values().items()}

    def _outlet_modality_values(self) -> dict[str, str]:
        """outlet_modalities with the modalities' wire values, in the same order."""
        strongest: dict[str, str] = {}
        for report in self.reports:
            if report.source is None:
                continue
            if (
                report.source not in strongest
                or _RANK_OF_MODALITY[report.modality] > _RANK_OF_MODALITY[strongest[report.source]]
            ):
                strongest[report.source] = report.modality
        return strongest

    def confidence(self) -> float:
        """Noisy-or over outlets of each outlet's best confidence (articles without an outlet count as one outlet):
        independent outlets corroborate, one outlet repeating itself does not."""
        best: dict[str | None, float] = {}
        for report in self.reports:
            best[report.source] = max(best.get(report.source, 0.0), report.confidence)
        return noisy_or(best.values())


def noisy_or(outlet_confidences: Iterable[float]) -> float:
    disbelief = 1.0
    for value in sorted(outlet_confidences):  # sorted: the float product must not depend on arrival order
        disbelief *= 1.0 - value
    return round(1.0 - disbelief, 6)


def report_of(event: Event, ingest_time: float) -> Report:
    return report_of_data(event.model_dump(mode="json"), ingest_time)


def report_of_data(data: Mapping[str, Any], ingest_time: float) -> Report:
    """report_of of an event's JSON data (`Event.model_dump(mode="json")`: enums as their wire values): the stories
    agent reads its events as data (streams/stories/event_data.py) and builds no Event."""
    quantity, evidence, actor, location = data["quantity"], data["evidence"], data["actor"], data["location"]
    quantities = {quantity["value"]} if quantity is not None else set()
    quantities.update(mention["quantity"]["value"] for mention in data["mentions"] if mention["quantity"] is not None)
    return Report(
        event_id=data["event_id"],
        article_id=data["article_id"],
        source=outlet_of(data["source"], data["article_url"]),
        lang=data["lang"],
        modality=data["modality"],
        confidence=data["confidence"],
        seen_at=seen_at_of(data["published_at"], ingest_time),
        actor_name=actor["name"],
        actor_kind=actor["kind"],
        place_name=location["name"] if location is not None else None,
        quantities=tuple(sorted(quantities)),
        evidence_text=evidence["text"],
        evidence_start=evidence["start"],
        evidence_end=evidence["end"],
        url=data["article_url"],
        title=data["article_title"],
    )


def state_to_dict(state: StoryState) -> dict[str, Any]:
    return {
        "story_id": state.story_id,
        "key": [
            state.key.type,
            state.key.actor_key,
            state.key.actor_country,
            state.key.place_key,
            state.key.place_country,
        ],
        "reports": [list(report) for report in state.reports],  # positional: the value stays small
        "alert_id": state.alert_id,
        "alert_rule": state.alert_rule,
    }


_QUANTITIES = Report._fields.index("quantities")


def state_from_dict(data: dict[str, Any]) -> StoryState:
    reports = []
    for values in data["reports"]:
        if len(values) != len(Report._fields):
            dict(zip(Report._fields, values, strict=True))  # a corrupt value: zip names the mismatch, as it did
        values = list(values)
        values[_QUANTITIES] = tuple(values[_QUANTITIES])
        reports.append(Report(*values))
    return StoryState(
        story_id=data["story_id"],
        key=StoryKey(*data["key"]),
        reports=tuple(reports),
        alert_id=data["alert_id"],
        alert_rule=data["alert_rule"],
    )
