"""Events as the stories agent reads them: the JSON data of an Event, checked without building the model.

The story-events topic carries what the pipeline wrote: `Event.model_dump(mode="json")` of validated events. The
agent validated each entry into an `Event` (pydantic: the model and its four nested models, ~13 µs) only to read a
dozen fields from it, which was the largest single part of its CPU per event on event-dense input.
`canonical_event` accepts exactly that dumped form (every field present, no other, each value of the very type the
dump gives and within the model's constraints): pydantic would accept such data and give back the same values, so
the story key and the report can be read from the data as they are. Anything else (another form pydantic might
still coerce, or an invalid event) is left to `Event.model_validate`, by the caller, as before: an entry is rejected
or accepted exactly as the model decides. tests/unit/test_event_data.py holds this: canonical data validates and
gives the same key and report as the model, and no perturbed entry the check accepts is one pydantic would reject
or read differently.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from schemas import SCHEMA_VERSION, ActorKind, Event, EventType, Modality, QuantityQualifier
from schemas.models import Actor, Evidence, Location, Mention, Quantity

_EVENT_TYPES = frozenset(member.value for member in EventType)
_ACTOR_KINDS = frozenset(member.value for member in ActorKind)
_MODALITIES = frozenset(member.value for member in Modality)
_QUALIFIERS = frozenset(member.value for member in QuantityQualifier)


def _fields(model: type[BaseModel]) -> frozenset[str]:
    """The keys of a model's dump: every field, always written (the dump leaves none out)."""
    return frozenset(model.model_fields)


_EVENT_KEYS, _ACTOR_KEYS, _LOCATION_KEYS = _fields(Event), _fields(Actor), _fields(Location)
_QUANTITY_KEYS, _EVIDENCE_KEYS, _MENTION_KEYS = _fields(Quantity), _fields(Evidence), _fields(Mention)


def _country(value: Any) -> bool:
    """None or an ISO alpha-3 code (CountryCode: three ASCII capitals)."""
    return value is None or (
        type(value) is str and len(value) == 3 and value.isascii() and value.isalpha() and value.isupper()
    )


def _optional_str(value: Any) -> bool:
    return value is None or type(value) is str


def _offset(value: Any) -> bool:
    return type(value) is int and value >= 0


def _evidence(data: Any) -> bool:
    return (
        type(data) is dict
        and data.keys() == _EVIDENCE_KEYS
        and type(data["text"]) is str
        and _offset(data["start"])
        and _offset(data["end"])
        and type(data["rule"]) is str
    )


def _quantity(data: Any) -> bool:
    """None or a Quantity's data."""
    return data is None or (
        type(data) is dict
        and data.keys() == _QUANTITY_KEYS
        and _offset(data["value"])
        and data["qualifier"] in _QUALIFIERS
        and _optional_str(data["unit"])
    )


def _mention(data: Any) -> bool:
    return (
        type(data) is dict
        and data.keys() == _MENTION_KEYS
        and _evidence(data["evidence"])
        and _quantity(data["quantity"])
        and data["modality"] in _MODALITIES
    )


def _actor(data: Any) -> bool:
    return (
        type(data) is dict
        and data.keys() == _ACTOR_KEYS
        and type(data["name"]) is str
        and _country(data["country"])
        and data["kind"] in _ACTOR_KINDS
    )


def _location(data: Any) -> bool:
    return data is None or (
        type(data) is dict and data.keys() == _LOCATION_KEYS and type(data["name"]) is str and _country(data["country"])
    )


def canonical_event(data: Any) -> bool:
    """`data` is an Event exactly as `Event.model_dump(mode="json")` writes it (read back from JSON): pydantic accepts
    it, and every field the stories read has the value the model would hold (enums as their wire values)."""
    if type(data) is not dict or data.keys() != _EVENT_KEYS:
        return False
    try:
        confidence = data["confidence"]
        mentions = data["mentions"]
        return (
            data["schema_version"] == SCHEMA_VERSION
            and type(data["event_id"]) is str
            and type(data["article_id"]) is str
            and data["type"] in _EVENT_TYPES
            and type(data["lang"]) is str
            and _actor(data["actor"])
            and _location(data["location"])
            and _quantity(data["quantity"])
            and _optional_str(data["attribution"])
            and data["modality"] in _MODALITIES
            and _evidence(data["evidence"])
            and type(mentions) is list
            and all(_mention(mention) for mention in mentions)
            and type(confidence) is float
            and 0.0 <= confidence <= 1.0
            and _optional_str(data["published_at"])
            and type(data["extractor_version"]) is str
            and _optional_str(data["article_url"])
            and _optional_str(data["article_title"])
            and _optional_str(data["source"])
        )
    except TypeError:  # an unhashable value looked up among the enum values
        return False
