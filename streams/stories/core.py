"""The join as pure functions: an event opens or joins the story of its key, a story expires, raises its one alert.

Beside it, as pure: keys.py (story keys, outlets, event time, ids), state.py (reports, a story's state, its table
data), views.py (the public Story/Alert views, a reader's choice). No Kafka, Faust or metrics here: the worker's
stories agent (streams/worker/stories.py) keeps the states in a Faust table and publishes what these return.

Window semantics (event time = publication time, else ingest time):
- A story's reports all lie within `window` of each other: an event joins the open story of its key when
  max(last_seen, t) - min(first_seen, t) <= window. An event after first_seen + window opens a new story.
- A partition's watermark is the latest event time it has seen. An event more than `lateness` before the
  watermark is late: it joins no story and opens none (it is counted; the event itself is on events.<type>).
- A story expires (leaves the table) once the watermark passes first_seen + window + lateness: from then on no
  event can join it anyway (joining needs t <= first_seen + window, not late needs t >= watermark - lateness).
"""

from __future__ import annotations

import bisect
import operator
from dataclasses import dataclass
from enum import Enum
from typing import Any

from schemas import Alert
from streams.stories.keys import StoryKey, alert_id_for, short_hash
from streams.stories.rules import AlertRules, first_rule_met
from streams.stories.state import Report, StoryState, StoryWindow
from streams.stories.views import alert_view, checked_event_type, story_view

# A story keeps at most this many reports (its record must stay below the broker's 1 MB message limit); later
# events of a full story are counted as `full` and do not change it.
MAX_REPORTS = 1500


class Change(str, Enum):
    """What an event did to the story of its key."""

    opened = "opened"  # no open story: the event opened one
    joined = "joined"  # the event joined the open story
    reopened = "reopened"  # the event was after the open story's window: it opened a new one in its place
    duplicate = "duplicate"  # the event is already part of the story (a message processed again)
    late = "late"  # more than `lateness` before the partition's watermark: ignored
    full = "full"  # the story has MAX_REPORTS reports already: ignored


@dataclass(frozen=True, slots=True)
class Update:
    change: Change
    state: StoryState | None  # the story after the event; None when the event changed nothing
    closed: StoryState | None = None  # the story a `reopened` event replaced
    # The alert raised by this event (at most once per story) as JSON data (alert_view), and the story view of
    # `state` it was built from: the stories agent publishes both as they are, without a model to build and dump.
    alert_view: dict[str, Any] | None = None
    view: dict[str, Any] | None = None

    @property
    def alert(self) -> Alert | None:
        """The alert raised by this event, validated into the Alert model."""
        return None if self.alert_view is None else Alert.model_validate(self.alert_view)


def open_story(key: StoryKey, report: Report) -> StoryState:
    return StoryState(story_id="story-" + short_hash(key.text, report.event_id), key=key, reports=(report,))


_EVENT_ID = operator.itemgetter(Report._fields.index("event_id"))


def _has_event(state: StoryState, event_id: str) -> bool:
    """event_id in state.event_ids, without making the frozenset of them at every event (it cost more than the scan)."""
    return event_id in map(_EVENT_ID, state.reports)


def _report_order(report: Report) -> tuple[str, str]:
    return (report.article_id, report.event_id)


def with_report(state: StoryState, report: Report) -> StoryState:
    # The reports are sorted already: an insertion keeps them so without sorting the whole story again.
    reports = list(state.reports)
    bisect.insort(reports, report, key=_report_order)
    # Built directly: dataclasses.replace looks every field up by name (~4 % of the agent's CPU with the alert's).
    return StoryState(state.story_id, state.key, tuple(reports), state.alert_id, state.alert_rule)


def apply_event(
    current: StoryState | None,
    key: StoryKey,
    report: Report,
    *,
    watermark: float | None,
    window: StoryWindow,
    rules: AlertRules,
) -> Update:
    """Join one event into the story of its key (the table's `current` value), and raise the story's alert if it
    now meets a rule for the first time. Pure: the same inputs give the same update."""
    if current is not None and _has_event(current, report.event_id):
        return Update(Change.duplicate, None)
    if watermark is not None and report.seen_at < watermark - window.lateness_seconds:
        return Update(Change.late, None)
    closed = None
    if current is None:
        change, state = Change.opened, open_story(key, report)
    elif max(current.last_seen, report.seen_at) - min(current.first_seen, report.seen_at) <= window.window_seconds:
        if len(current.reports) >= MAX_REPORTS:
            return Update(Change.full, None)
        change, state = Change.joined, with_report(current, report)
    elif report.seen_at > current.first_seen + window.window_seconds:
        change, state, closed = Change.reopened, open_story(key, report), current
    else:  # before the open story's window, yet not late: only when lateness >= window, which StoryWindow forbids
        return Update(Change.late, None)
    return raise_alert_once(Update(change, state, closed), rules, window)


def raise_alert_once(update: Update, rules: AlertRules, window: StoryWindow) -> Update:
    """The update with its story marked as alerted, its alert and the story's view, when the story meets a rule and
    has not alerted yet; else unchanged. The mark lives in the state (the table), so a recovered or replacing worker
    never raises it again."""
    state = update.state
    if state is None or state.alert_id is not None:
        return update
    rule = first_rule_met(
        rules,
        event_type=checked_event_type(state.key.type),  # a corrupt table value fails here
        outlet_modalities=state._outlet_modality_values(),
        confidence=state.confidence,  # computed only for a rule with a minimum confidence
    )
    if rule is None:
        return update
    alert_id = alert_id_for(state.story_id)
    alerted = StoryState(state.story_id, state.key, state.reports, alert_id, rule.id)
    view = story_view(alerted, window)
    return Update(update.change, alerted, update.closed, alert_view(alerted, rule, view, alert_id=alert_id), view)


def expired(state: StoryState, watermark: float | None, window: StoryWindow) -> bool:
    """No event can join the story any more: it may leave the table."""
    return watermark is not None and watermark > state.first_seen + window.window_seconds + window.lateness_seconds
