"""The public Story and Alert views of a story's state, as models and as JSON data, and a reader's choice of them."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from enum import Enum
from functools import lru_cache
from typing import Any

from schemas import (
    SCHEMA_VERSION,
    ActorKind,
    Alert,
    EventType,
    Modality,
    QuantityRange,
    Story,
    StoryActor,
    StoryEvidence,
    StoryPlace,
    StoryReport,
)
from streams.stories.keys import actor_keys_for, alert_id_for, parse_time
from streams.stories.rules import MODALITY_RANK, AlertRule
from streams.stories.state import _RANK_OF_MODALITY, Report, StoryState, StoryWindow, noisy_or
from streams.stories.times import rfc3339_seconds

# Wire values of the enums a story's view names: a table value is checked against them (a corrupt one fails, as
# making the member did) without making a member per view (enum calls were ~5 % of the agent's CPU).
_EVENT_TYPES = frozenset(member.value for member in EventType)
_ACTOR_KINDS = frozenset(member.value for member in ActorKind)


def _checked(value: str, values: frozenset[str], enum: type[Enum]) -> str:
    """`value` when it is one of the enum's wire values; else ValueError, as enum(value) raises."""
    if value not in values:
        raise ValueError(f"{value!r} is not a valid {enum.__name__}")
    return value


def checked_event_type(value: str) -> str:
    """`value` when it is an EventType's wire value; else ValueError, as EventType(value) raises."""
    return _checked(value, _EVENT_TYPES, EventType)


# The times a story view can render (rfc3339: years 1 to 9999 in UTC). A publication time before year 1 in UTC
# (year 1 at +01:00) parses, and rendering its story failed the whole batch, at every retry: the stories agent
# dead-letters its event.
RENDERABLE_FROM = datetime(1, 1, 1, tzinfo=UTC).timestamp()
RENDERABLE_TO = datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC).timestamp()


@lru_cache(maxsize=65_536)
def rfc3339(seconds: float) -> str:
    # Cached: a story's view renders every report's time again at each of its versions. Formatted by hand, not by
    # strftime (through the time module, ~60 % of a miss, and a miss is every new report's time; its %Y wrote years
    # before 1000 with fewer than four digits).
    return rfc3339_seconds(datetime.fromtimestamp(seconds, UTC))


def _best(state: StoryState) -> Report:
    return min(state.reports, key=Report.rank)


def _evidence(report: Report) -> StoryEvidence:
    return StoryEvidence(
        article_id=report.article_id,
        event_id=report.event_id,
        source=report.source,
        lang=report.lang,
        text=report.evidence_text,
        start=report.evidence_start,
        end=report.evidence_end,
        modality=Modality(report.modality),
        confidence=report.confidence,
    )


def _actor(state: StoryState) -> StoryActor:
    return StoryActor(
        key=state.key.actor_key,
        country=state.key.actor_country,
        kind=ActorKind(_best(state).actor_kind),
        names=tuple(sorted({report.actor_name for report in state.reports})),
    )


def _place(state: StoryState) -> StoryPlace | None:
    if state.key.place_key is None:
        return None
    names = {report.place_name for report in state.reports if report.place_name}
    return StoryPlace(key=state.key.place_key, country=state.key.place_country, names=tuple(sorted(names)))


def _strongest_modality(state: StoryState) -> Modality:
    return max((Modality(report.modality) for report in state.reports), key=MODALITY_RANK.__getitem__)


def to_story(state: StoryState, window: StoryWindow) -> Story:
    """The public view of a story (the `stories` topic's value)."""
    quantities = [value for report in state.reports for value in report.quantities]
    sources = sorted(state.outlet_modalities())
    return Story(
        story_id=state.story_id,
        story_key=state.key.text,
        type=EventType(state.key.type),
        actor=_actor(state),
        place=_place(state),
        first_seen=rfc3339(state.first_seen),
        last_seen=rfc3339(state.last_seen),
        window_ends=rfc3339(state.first_seen + window.window_seconds),
        article_ids=tuple(sorted({report.article_id for report in state.reports})),
        sources=tuple(sources),
        languages=tuple(sorted({report.lang for report in state.reports})),
        modality=_strongest_modality(state),
        quantity=QuantityRange(minimum=min(quantities), maximum=max(quantities)) if quantities else None,
        best_evidence=_evidence(_best(state)),
        reports=tuple(
            StoryReport(
                article_id=report.article_id,
                event_id=report.event_id,
                source=report.source,
                lang=report.lang,
                modality=Modality(report.modality),
                confidence=report.confidence,
                seen_at=rfc3339(report.seen_at),
                url=report.url,
                title=report.title,
            )
            for report in state.reports
        ),
        corroboration=len(sources),
        confidence=state.confidence(),
        alert_id=state.alert_id,
        alert_rule=state.alert_rule,
    )


def story_view(state: StoryState, window: StoryWindow) -> dict[str, Any]:
    """to_story(state, window) as JSON data, built without the pydantic models: the same keys in the same order
    and the same values, so orjson.dumps of it is byte for byte the record to_story's JSON would be.

    The stories agent publishes the view of every story a batch changed; building and validating the nested
    models, then dumping them again, was half of the stage's CPU. The inputs are validated already (every report
    comes from a validated Event), and tests/unit/test_story_view.py holds this to to_story and to the schema."""
    # One pass over the reports for every aggregate (a story is usually a handful of reports, so the fixed cost of a
    # pass per aggregate, a dozen of them, was most of the view's cost).
    reports = state.reports
    key = state.key
    best = reports[0]
    best_rank = best.rank()
    first_seen = last_seen = best.seen_at
    modality = best.modality
    modality_rank = _RANK_OF_MODALITY[modality]
    outlets: dict[str, int] = {}  # outlet -> its strongest modality's rank
    outlet_confidence: dict[str | None, float] = {}  # as StoryState.confidence
    actor_names: set[str] = set()
    place_names: set[str] = set()
    article_ids: set[str] = set()
    languages: set[str] = set()
    quantities: list[int] = []
    report_views = []
    for report in reports:
        rank = _RANK_OF_MODALITY[report.modality]
        if report is not best:
            report_rank = report.rank()
            if report_rank < best_rank:
                best, best_rank = report, report_rank
            seen = report.seen_at
            if seen < first_seen:
                first_seen = seen
            elif seen > last_seen:
                last_seen = seen
            if rank > modality_rank:
                modality, modality_rank = report.modality, rank
        if report.source is not None and rank > outlets.get(report.source, 0):
            outlets[report.source] = rank
        outlet_confidence[report.source] = max(outlet_confidence.get(report.source, 0.0), report.confidence)
        actor_names.add(report.actor_name)
        if report.place_name:
            place_names.add(report.place_name)
        article_ids.add(report.article_id)
        languages.add(report.lang)
        quantities += report.quantities
        report_views.append(
            {
                "article_id": report.article_id,
                "event_id": report.event_id,
                "source": report.source,
                "lang": report.lang,
                "modality": report.modality,
                "confidence": float(report.confidence),
                "seen_at": rfc3339(report.seen_at),
                "url": report.url,
                "title": report.title,
            }
        )
    sources = sorted(outlets)
    place = None
    if key.place_key is not None:
        place = {"key": key.place_key, "country": key.place_country, "names": sorted(place_names)}
    return {
        "schema_version": SCHEMA_VERSION,
        "story_id": state.story_id,
        "story_key": key.text,
        "type": _checked(key.type, _EVENT_TYPES, EventType),
        "actor": {
            "key": key.actor_key,
            "country": key.actor_country,
            "kind": _checked(best.actor_kind, _ACTOR_KINDS, ActorKind),
            "names": sorted(actor_names),
        },
        "place": place,
        "first_seen": rfc3339(first_seen),
        "last_seen": rfc3339(last_seen),
        "window_ends": rfc3339(first_seen + window.window_seconds),
        "article_ids": sorted(article_ids),
        "sources": sources,
        "languages": sorted(languages),
        "modality": modality,
        "quantity": {"minimum": min(quantities), "maximum": max(quantities)} if quantities else None,
        "best_evidence": {
            "article_id": best.article_id,
            "event_id": best.event_id,
            "source": best.source,
            "lang": best.lang,
            "text": best.evidence_text,
            "start": best.evidence_start,
            "end": best.evidence_end,
            "modality": best.modality,
            "confidence": float(best.confidence),
        },
        "reports": report_views,
        "corroboration": len(sources),
        "confidence": noisy_or(outlet_confidence.values()),
        "alert_id": state.alert_id,
        "alert_rule": state.alert_rule,
    }


def alert_view(
    state: StoryState, rule: AlertRule, story: dict[str, Any], *, alert_id: str | None = None
) -> dict[str, Any]:
    """The story's alert as JSON data, from `story` (story_view(state, ...)): its view's fields as they were when the
    rule was met, the same keys in the same order and the same values as the Alert model's JSON (as story_view is to
    the Story model's; tests/unit/test_story_view.py holds both). Not validated: the view's inputs are validated
    already, and building, validating and dumping the Alert model was most of an alert's cost. `alert_id`: the
    story's alert id (alert_id_for(state.story_id)) when the caller has it already, else it is computed."""
    return {
        "schema_version": SCHEMA_VERSION,
        "alert_id": alert_id_for(state.story_id) if alert_id is None else alert_id,
        "story_id": state.story_id,
        "rule": rule.id,
        "rule_description": rule.description,
        "type": story["type"],
        "actor": story["actor"],
        "place": story["place"],
        "first_seen": story["first_seen"],
        "raised_at_seen": story["last_seen"],
        "sources": story["sources"],
        "article_ids": story["article_ids"],
        "modality": story["modality"],
        "corroboration": story["corroboration"],
        "confidence": story["confidence"],
        "best_evidence": story["best_evidence"],
    }


def alert_of(state: StoryState, rule: AlertRule, window: StoryWindow) -> Alert:
    """The story's alert, validated into the Alert model (alert_view's data)."""
    return Alert.model_validate(alert_view(state, rule, story_view(state, window)))


def select_stories(
    states: Iterable[StoryState],
    window: StoryWindow,
    *,
    event_type: str | None = None,
    actor: str | None = None,
    since: float | None = None,
    limit: int | None = None,
) -> list[Story]:
    """Stories of the given type, actor (ISO code or name, matched on the story's actor key) and last seen at or
    after `since`, newest first, at most `limit`: what a reader of the table (HTTP, live page) lists."""
    actor_keys = None if actor is None else actor_keys_for(actor)
    chosen = [
        state
        for state in states
        if (event_type is None or state.key.type == event_type)
        and (actor_keys is None or state.key.actor_key in actor_keys)
        and (since is None or state.last_seen >= since)
    ]
    chosen.sort(key=lambda state: (-state.last_seen, state.story_id))
    return [to_story(state, window) for state in chosen[:limit]]


def select_story_views(
    stories: Iterable[Story],
    *,
    event_type: str | None = None,
    actor: str | None = None,
    since: float | None = None,
) -> list[Story]:
    """select_stories for public views (the `stories` topic's values, as the CLI reads them): the same filters and
    the same order, newest first."""
    actor_keys = None if actor is None else actor_keys_for(actor)

    def last_seen(story: Story) -> float:
        return parse_time(story.last_seen) or 0.0

    chosen = [
        story
        for story in stories
        if (event_type is None or story.type.value == event_type)
        and (actor_keys is None or story.actor.key in actor_keys)
        and (since is None or last_seen(story) >= since)
    ]
    chosen.sort(key=lambda story: (-last_seen(story), story.story_id))
    return chosen
