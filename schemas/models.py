"""Frozen pydantic models for articles, events, outcome records, dead letters, stories and alerts (schema version 2)."""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Final, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

# Bump when a field is removed or changes meaning, or when a field is added to a record (the JSON Schemas forbid
# unknown properties, so a validating consumer of the old version would reject the new records).
# 2: events carry their article's url, title and outlet (article_url, article_title, source).
SCHEMA_VERSION: Final = "2"

CountryCode = Annotated[
    str,
    Field(pattern=r"^[A-Z]{3}$", description="ISO 3166-1 alpha-3 country code, e.g. PRK, RUS, DEU"),
]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class EventType(str, Enum):
    deployment = "deployment"
    denial = "denial"
    policy_shift = "policy_shift"


class ActorKind(str, Enum):
    state = "state"
    organization = "organization"
    armed_group = "armed_group"
    person = "person"


class Modality(str, Enum):
    asserted = "asserted"
    reported = "reported"
    possible = "possible"


class QuantityQualifier(str, Enum):
    exact = "exact"
    at_least = "at_least"
    around = "around"
    up_to = "up_to"


class DeadLetterReason(str, Enum):
    not_utf8 = "not_utf8"
    not_json = "not_json"
    not_an_object = "not_an_object"
    invalid_fields = "invalid_fields"
    empty_text = "empty_text"
    too_large = "too_large"
    timeout = "timeout"
    internal_error = "internal_error"


class OutcomeStatus(str, Enum):
    ok = "ok"
    dead_letter = "dead_letter"


def enum_values(enum: type[Enum]) -> tuple[str, ...]:
    """The wire spelling of every member, in declaration order: what other layers derive their lists from."""
    return tuple(member.value for member in enum)


def one_of(enum: type[Enum]) -> str:
    """Field description listing the allowed values ("deployment | denial | policy_shift")."""
    return " | ".join(enum_values(enum))


class Article(_Frozen):
    """A raw news article as it arrives on the input topic (after decoding and validation)."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    id: str = Field(min_length=1, max_length=512, description="Producer-assigned article id, unique per source")
    text: str = Field(min_length=1, description="Article body (the input may call it `text` or `body`)")
    title: str | None = Field(default=None, description="Headline, if any")
    lang: str | None = Field(default=None, description="ISO 639-1 language code; detected when absent")
    url: str | None = Field(default=None, description="Canonical URL of the article")
    source: str | None = Field(default=None, description="Publisher or feed name")
    published_at: str | None = Field(default=None, description="Publication time as given by the producer (ISO 8601)")

    @model_validator(mode="before")
    @classmethod
    def _body_is_text(cls, data: object) -> object:
        # Producers use either `text` or `body`; `text` wins when both are present.
        if isinstance(data, dict) and "text" not in data and "body" in data:
            data = {**data, "text": data["body"]}
        return data


class Actor(_Frozen):
    name: str = Field(description="The actor as named in the text, e.g. 'nordkoreanische Soldaten'")
    country: CountryCode | None = Field(
        default=None, description="ISO alpha-3 code when the actor is a state or a state organ, else null"
    )
    kind: ActorKind = Field(description=one_of(ActorKind))


class Location(_Frozen):
    name: str = Field(description="The place as named in the text, e.g. 'Kursk'")
    country: CountryCode | None = Field(
        default=None, description="ISO alpha-3 code of the country the place is in, if known"
    )


class Quantity(_Frozen):
    value: int = Field(ge=0, description="Number of troops/units as an integer")
    qualifier: QuantityQualifier = Field(description=one_of(QuantityQualifier))
    unit: str | None = Field(default=None, description="What is counted as in the text, e.g. 'Soldaten', 'battalions'")


class Evidence(_Frozen):
    text: str = Field(description="The exact sentence from the article text")
    start: int = Field(ge=0, description="Start offset (Unicode code points) into the article text")
    end: int = Field(ge=0, description="End offset; article_text[start:end] == text")
    rule: str = Field(description="Id of the extraction rule that fired, e.g. 'de.deployment.arrive'")


class Mention(_Frozen):
    """A further sentence supporting an already emitted (type, actor, location) event."""

    evidence: Evidence
    quantity: Quantity | None = None
    modality: Modality


class Event(_Frozen):
    """One extracted event. Deterministic: the same article always yields the same events and ids."""

    schema_version: Literal["2"] = Field(default=SCHEMA_VERSION, description="Version of this schema")
    event_id: str = Field(description="Deterministic id: hash of article id, type, actor and location")
    article_id: str = Field(description="Id of the article the event was extracted from")
    type: EventType = Field(description=one_of(EventType))
    lang: str = Field(description="Language the extraction rules ran in (ISO 639-1)")
    actor: Actor
    location: Location | None = Field(default=None, description="Deployments: where to; null otherwise or when unknown")
    quantity: Quantity | None = Field(default=None, description="Deployments: how many, when the text says")
    attribution: str | None = Field(default=None, description="Who says so, when the text names a source")
    modality: Modality = Field(description=one_of(Modality))
    evidence: Evidence = Field(description="The first sentence that supports the event")
    mentions: tuple[Mention, ...] = Field(default=(), description="Further supporting sentences of the same event")
    confidence: float = Field(ge=0.0, le=1.0, description="Rule-based confidence in 0..1")
    published_at: str | None = Field(
        default=None,
        description="Copied from the article when it is ISO 8601 (an unreadable value is dropped, and counted)",
    )
    extractor_version: str = Field(description="Version of the extractor and its lexicons")
    article_url: str | None = Field(default=None, description="The article's URL, when the producer gave one")
    article_title: str | None = Field(default=None, description="The article's headline, when the producer gave one")
    source: str | None = Field(
        default=None, description="The outlet (publisher or feed name) the article came from, when given"
    )


class Outcome(_Frozen):
    """Exactly one per consumed input message: the audit trail that proves nothing was lost."""

    schema_version: Literal["2"] = Field(default=SCHEMA_VERSION)
    article_id: str | None = Field(description="Article id, or null when the message could not be decoded far enough")
    status: OutcomeStatus = Field(description=one_of(OutcomeStatus))
    events: int = Field(ge=0, description="Number of events emitted for the article")
    lang: str | None = Field(default=None, description="Language used, 'und' when undetermined")
    extractor_version: str
    latency_seconds: float = Field(ge=0.0, description="Processing latency: ingest timestamp to outcome")
    source_partition: int = Field(ge=0)
    source_offset: int = Field(ge=0)
    reason: DeadLetterReason | None = Field(default=None, description="Dead-letter reason when status is dead_letter")


class DeadLetter(_Frozen):
    schema_version: Literal["2"] = Field(default=SCHEMA_VERSION)
    reason: DeadLetterReason = Field(description="Machine-readable reason code")
    detail: str = Field(description="Human-readable explanation, bounded in length")
    original_b64: str = Field(
        description="The original message value, base64-encoded (may be truncated, see original_size)"
    )
    original_size: int = Field(ge=0, description="Size in bytes of the original message value")
    article_id: str | None = Field(default=None, description="Article id when it could be read")
    source_topic: str
    source_partition: int = Field(ge=0)
    source_offset: int = Field(ge=0)


class StoryActor(_Frozen):
    """Who a story is about: the actor key events are grouped by, and every name the reports used."""

    key: str = Field(description="Grouping key: the ISO alpha-3 code of a state actor, else the normalised name")
    country: CountryCode | None = Field(default=None, description="ISO alpha-3 code when the actor is a state")
    kind: ActorKind = Field(description="state | organization | armed_group | person")
    names: tuple[str, ...] = Field(description="The actor as the reports named it, sorted, distinct")


class StoryPlace(_Frozen):
    """Where a deployment story happens: the country events are grouped by and the place names reported."""

    key: str = Field(description="Grouping key: the ISO alpha-3 code, else the normalised place name")
    country: CountryCode | None = Field(default=None, description="ISO alpha-3 code of the place, if known")
    names: tuple[str, ...] = Field(description="The place as the reports named it, sorted, distinct")


class QuantityRange(_Frozen):
    minimum: int = Field(ge=0, description="Smallest number of troops/units any report gave")
    maximum: int = Field(ge=0, description="Largest number of troops/units any report gave")


class StoryEvidence(_Frozen):
    """The strongest sentence of a story: highest modality, then confidence (ties: smallest article id)."""

    article_id: str = Field(description="Article the sentence is from")
    event_id: str = Field(description="Event the sentence supports")
    source: str | None = Field(default=None, description="Outlet (or domain) of the article, when known")
    lang: str = Field(description="Language of the article (ISO 639-1)")
    text: str = Field(description="The exact sentence from the article text")
    start: int = Field(ge=0, description="Start offset (Unicode code points) into the article text")
    end: int = Field(ge=0, description="End offset; article_text[start:end] == text")
    modality: Modality
    confidence: float = Field(ge=0.0, le=1.0, description="The event's confidence")


class StoryReport(_Frozen):
    """One article's contribution to a story."""

    article_id: str
    event_id: str
    source: str | None = Field(default=None, description="Outlet (or domain) of the article, when known")
    lang: str
    modality: Modality
    confidence: float = Field(ge=0.0, le=1.0)
    seen_at: str = Field(description="Publication time, else ingest time (RFC 3339 UTC): the time the window uses")
    url: str | None = None
    title: str | None = None


class Story(_Frozen):
    """One real-world happening, built from the events of every article that reported it (topic `stories`, key =
    story_id, compacted: each update replaces the previous value)."""

    schema_version: Literal["2"] = Field(default=SCHEMA_VERSION, description="Version of this schema")
    story_id: str = Field(description="Deterministic id: hash of the story key and the event that opened the story")
    story_key: str = Field(description="type|actor|place: what events must share to join the story")
    type: EventType = Field(description="deployment | denial | policy_shift")
    actor: StoryActor
    place: StoryPlace | None = Field(default=None, description="Deployments: where to; null for other types")
    first_seen: str = Field(description="Earliest report (publication time, else ingest time), RFC 3339 UTC")
    last_seen: str = Field(description="Latest report, RFC 3339 UTC")
    window_ends: str = Field(description="No report after this time joins the story (first_seen + window)")
    article_ids: tuple[str, ...] = Field(description="Every article that reported it, sorted")
    sources: tuple[str, ...] = Field(description="Distinct outlets (or domains) that reported it, sorted")
    languages: tuple[str, ...] = Field(description="Languages of the reports, sorted")
    modality: Modality = Field(description="Strongest modality of any report: asserted > reported > possible")
    quantity: QuantityRange | None = Field(default=None, description="Range of the numbers reported, if any")
    best_evidence: StoryEvidence
    reports: tuple[StoryReport, ...] = Field(description="One entry per event, ordered by article id")
    corroboration: int = Field(ge=0, description="Number of distinct outlets that reported it")
    confidence: float = Field(
        ge=0.0, le=1.0, description="1 - product over outlets of (1 - the outlet's best event confidence)"
    )
    alert_id: str | None = Field(default=None, description="Id of the story's alert once one was raised")
    alert_rule: str | None = Field(default=None, description="Id of the rule that raised the alert")


class Alert(_Frozen):
    """Raised once per story, when the story first meets an alert rule (topic `alerts`, key = story_id)."""

    schema_version: Literal["2"] = Field(default=SCHEMA_VERSION, description="Version of this schema")
    alert_id: str = Field(description="Deterministic id (a hash of the story id): deduplicate on it")
    story_id: str = Field(description="The story that met the rule")
    rule: str = Field(description="Id of the alert rule that fired")
    rule_description: str = Field(description="What the rule asks for, in words")
    type: EventType
    actor: StoryActor
    place: StoryPlace | None = None
    first_seen: str = Field(description="Earliest report of the story, RFC 3339 UTC")
    raised_at_seen: str = Field(description="last_seen of the story when the rule was met (event time, RFC 3339 UTC)")
    sources: tuple[str, ...] = Field(description="Distinct outlets that had reported it when the rule was met")
    article_ids: tuple[str, ...] = Field(description="Articles of the story when the rule was met")
    modality: Modality
    corroboration: int = Field(ge=0)
    confidence: float = Field(ge=0.0, le=1.0)
    best_evidence: StoryEvidence
