"""The straightforward builds the stories stage's fast paths are checked against."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime

from schemas import Alert, Event
from streams.stories.keys import alert_id_for, outlet, seen_at
from streams.stories.rules import RANK_OF_MODALITY, AlertRule, AlertRules
from streams.stories.state import Report, StoryState, StoryWindow
from streams.stories.views import to_story


def reference_rfc3339(seconds: float) -> str:
    """The UTC second of `seconds` as RFC 3339, by the standard library (isoformat writes four-digit years)."""
    return datetime.fromtimestamp(seconds, UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def reference_alert(state: StoryState, rule: AlertRule, window: StoryWindow) -> Alert:
    """The alert as it was built before the fast view: copied field by field from the validated Story model."""
    story = to_story(state, window)
    return Alert(
        alert_id=alert_id_for(state.story_id),
        story_id=state.story_id,
        rule=rule.id,
        rule_description=rule.description,
        type=story.type,
        actor=story.actor,
        place=story.place,
        first_seen=story.first_seen,
        raised_at_seen=story.last_seen,
        sources=story.sources,
        article_ids=story.article_ids,
        modality=story.modality,
        corroboration=story.corroboration,
        confidence=story.confidence,
        best_evidence=story.best_evidence,
    )


def reference_report(event: Event, ingest_time: float) -> Report:
    """The report as it was built before the agent read events as data: field by field from the validated Event."""
    quantities = {event.quantity.value} if event.quantity else set()
    quantities |= {mention.quantity.value for mention in event.mentions if mention.quantity}
    return Report(
        event_id=event.event_id,
        article_id=event.article_id,
        source=outlet(event),
        lang=event.lang,
        modality=event.modality.value,
        confidence=event.confidence,
        seen_at=seen_at(event, ingest_time),
        actor_name=event.actor.name,
        actor_kind=event.actor.kind.value,
        place_name=event.location.name if event.location is not None else None,
        quantities=tuple(sorted(quantities)),
        evidence_text=event.evidence.text,
        evidence_start=event.evidence.start,
        evidence_end=event.evidence.end,
        url=event.article_url,
        title=event.article_title,
    )


def reference_first_rule_met(
    rules: AlertRules, *, event_type: str, outlet_modalities: Mapping[str, str], confidence: float
) -> AlertRule | None:
    """The first rule met, read from the pydantic rules as before they were compiled."""
    for rule in rules.rules:
        if event_type not in rule.types or confidence < rule.min_confidence:
            continue
        floor = RANK_OF_MODALITY[rule.min_modality]
        counted = sum(
            1
            for outlet, modality in outlet_modalities.items()
            if RANK_OF_MODALITY[modality] >= floor and rule.outlet_counts(outlet)
        )
        if counted >= rule.min_sources:
            return rule
    return None
