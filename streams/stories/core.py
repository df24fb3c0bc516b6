"""Story logic as pure functions: story keys, event time, joining an event into a story, expiry, alerts, and
the public Story/Alert views of a story's state. No Kafka, Faust or metrics here: the worker's stories agent
(streams/worker/stories.py) keeps the states in a Faust table and publishes what these functions return.

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
import hashlib
import operator
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import Enum
from functools import lru_cache
from typing import Any, NamedTuple
from urllib.parse import urlsplit

from schemas import (
    SCHEMA_VERSION,
    ActorKind,
    Alert,
    Event,
    EventType,
    Modality,
    QuantityRange,
    Story,
    StoryActor,
    StoryEvidence,
    StoryPlace,
    StoryReport,
)
from streams.stories.rules import MODALITY_RANK, RANK_OF_MODALITY, AlertRule, AlertRules, first_rule_met

HOUR = 3600.0
# A publication time further ahead of the ingest time than this is a producer's clock or typo, not news from the
# future: it would drag the partition's watermark ahead and expire every open story, so the ingest time is used.
MAX_PUBLICATION_AHEAD_SECONDS = HOUR
# A story keeps at most this many reports (its record must stay below the broker's 1 MB message limit); later
# events of a full story are counted as `full` and do not change it.
MAX_REPORTS = 1500
NO_PLACE = "-"
_ARTICLES = {"the", "die", "der", "das", "den", "dem", "des"}
_NOT_WORD = re.compile(r"[^\w]+")
# Modality ranks by wire value: reports keep modalities as strings, and making an enum member of each to look its
# rank up took some 5 % of the stories agent's CPU (every rank, best-evidence and outlet comparison, every update).
_RANK_OF_MODALITY = RANK_OF_MODALITY
# Wire values of the enums a story's view names: a table value is checked against them (a corrupt one fails, as
# making the member did) without making a member per view (enum calls were ~5 % of the agent's CPU).
_EVENT_TYPES = frozenset(member.value for member in EventType)
_ACTOR_KINDS = frozenset(member.value for member in ActorKind)


def _checked(value: str, values: frozenset[str], enum: type[Enum]) -> str:
    """`value` when it is one of the enum's wire values; else ValueError, as enum(value) raises."""
    if value not in values:
        raise ValueError(f"{value!r} is not a valid {enum.__name__}")
    return value


@dataclass(frozen=True, slots=True)
class StoryWindow:
    window_seconds: float = 72 * HOUR
    lateness_seconds: float = 24 * HOUR

    def __post_init__(self) -> None:
        if not 0 < self.window_seconds or not 0 <= self.lateness_seconds < self.window_seconds:
            raise ValueError("need 0 < window and 0 <= lateness < window")


class StoryKey(NamedTuple):
    """What events must share to describe the same happening.

    A named tuple, as Report: one is made per event and per table value decoded, and a frozen dataclass (each field
    set through object.__setattr__) cost about twice as much."""

    type: str
    actor_key: str
    actor_country: str | None
    place_key: str | None  # deployments only
    place_country: str | None

    @property
    def text(self) -> str:
        return f"{self.type}|{self.actor_key}|{self.place_key or NO_PLACE}"


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
        return _noisy_or(best.values())


def _noisy_or(outlet_confidences: Iterable[float]) -> float:
    disbelief = 1.0
    for value in sorted(outlet_confidences):  # sorted: the float product must not depend on arrival order
        disbelief *= 1.0 - value
    return round(1.0 - disbelief, 6)


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


def short_hash(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:24]


def normalise_name(name: str) -> str:
    """Case-, accent- and punctuation-insensitive name without a leading article: 'Die NATO' -> 'nato'."""
    folded = unicodedata.normalize("NFKD", name.casefold())
    words = _NOT_WORD.sub(" ", "".join(c for c in folded if not unicodedata.combining(c))).split()
    while len(words) > 1 and words[0] in _ARTICLES:
        words = words[1:]
    return " ".join(words)


def story_key(event: Event) -> StoryKey:
    """Type, actor (ISO code, else normalised name) and, for deployments, place (country, else normalised name)."""
    location = None if event.location is None else (event.location.name, event.location.country)
    return _story_key(event.type.value, event.actor.name, event.actor.country, location)


def story_key_of(data: Mapping[str, Any]) -> StoryKey:
    """story_key of an event's JSON data (`Event.model_dump(mode="json")`)."""
    actor, location = data["actor"], data["location"]
    place = None if location is None else (location["name"], location["country"])
    return _story_key(data["type"], actor["name"], actor["country"], place)


def _story_key(
    type_: str, actor_name: str, actor_country: str | None, location: tuple[str, str | None] | None
) -> StoryKey:
    actor_key = actor_country or normalise_name(actor_name) or "?"
    place_key = place_country = None
    if type_ == EventType.deployment.value:
        if location is not None:
            place_country = location[1]
            place_key = place_country or normalise_name(location[0]) or None
        place_key = place_key or NO_PLACE
    return StoryKey(type_, actor_key, actor_country, place_key, place_country)


def outlet(event: Event) -> str | None:
    """The outlet that published the event's article: its source, else the domain of its URL."""
    return outlet_of(event.source, event.article_url)


def outlet_of(source: str | None, article_url: str | None) -> str | None:
    """The outlet named by an article's source, else by its URL's domain (None when neither names one)."""
    if source and source.strip():
        return source.strip()
    if article_url:
        host = (urlsplit(article_url).hostname or "").removeprefix("www.")
        return host or None
    return None


def parse_time(value: str | None) -> float | None:
    """Seconds since the epoch of an ISO 8601 time (a date alone is midnight UTC; no offset means UTC)."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.timestamp()


def seen_at(event: Event, ingest_time: float) -> float:
    """The time the window uses: publication time, else (or when it is implausibly ahead) the ingest time."""
    return seen_at_of(event.published_at, ingest_time)


def seen_at_of(published_at: str | None, ingest_time: float) -> float:
    """The window's time from a publication time as text and the ingest time (see `seen_at`)."""
    published = parse_time(published_at)
    if published is None or published > ingest_time + MAX_PUBLICATION_AHEAD_SECONDS:
        return ingest_time
    return published


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


def alert_id_for(story_id: str) -> str:
    """One alert per story, so its id is a function of the story id alone: the same after any reprocessing."""
    return "alert-" + short_hash(story_id, "alert")


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
        event_type=_checked(state.key.type, _EVENT_TYPES, EventType),  # a corrupt table value fails here
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


@lru_cache(maxsize=65_536)
def rfc3339(seconds: float) -> str:
    # Cached: a story's view renders every report's time again at each of its versions. Formatted by hand for the
    # years %Y writes with four digits (strftime, through the time module, was ~60 % of a miss and a miss is every
    # new report's time); other years as strftime writes them (glibc's %Y does not pad year 1 to 0001).
    when = datetime.fromtimestamp(seconds, UTC)
    if when.year < 1000:
        return when.strftime("%Y-%m-%dT%H:%M:%SZ")
    # %-formatting: an f-string with format specs took ~1.6 times as long (timeit).
    return "%04d-%02d-%02dT%02d:%02d:%02dZ" % (  # noqa: UP031
        when.year,
        when.month,
        when.day,
        when.hour,
        when.minute,
        when.second,
    )


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
        "confidence": _noisy_or(outlet_confidence.values()),
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


def actor_keys_for(actor: str) -> frozenset[str]:
    """The story actor keys a reader's actor filter may mean: a three-letter word is an ISO code (`deu` -> DEU) or
    a non-state actor's name (`IDF` -> idf); anything else is a name, normalised like story keys ('Die NATO')."""
    keys = {normalise_name(actor)}
    if re.fullmatch(r"[A-Za-z]{3}", actor.strip()):
        keys.add(actor.strip().upper())
    return frozenset(keys)


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
