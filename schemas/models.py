"""Frozen pydantic models for articles, events, outcome records and dead letters (schema version 2)."""

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
