"""The straightforward builds the stories stage's fast paths are checked against."""

from __future__ import annotations

from schemas import Alert
from streams.stories.core import StoryState, StoryWindow, alert_id_for, to_story
from streams.stories.rules import AlertRule


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
