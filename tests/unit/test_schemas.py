"""The public contract: committed JSON Schema files match the models, models are frozen and strict."""

from __future__ import annotations

import json

import jsonschema
import pytest
from pydantic import ValidationError

from schemas import SCHEMA_VERSION, Article, DeadLetterReason, Event, Outcome
from schemas.export import PUBLIC_MODELS, render, schema_file


@pytest.mark.parametrize("name", sorted(PUBLIC_MODELS))
def test_committed_schema_matches_model(name: str) -> None:
    path = schema_file(name)
    assert path.exists(), f"{path.name} missing: run `python -m schemas.export` and commit it"
    assert path.read_text(encoding="utf-8") == render(PUBLIC_MODELS[name]), (
        f"{path.name} drifted from schemas/models.py: run `python -m schemas.export`, "
        "review the diff, and bump SCHEMA_VERSION if a field was removed or changed meaning"
    )


@pytest.mark.parametrize("name", sorted(PUBLIC_MODELS))
def test_committed_schema_is_valid_json_schema(name: str) -> None:
    schema = json.loads(schema_file(name).read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)


def _event_payload() -> dict:
    return {
        "event_id": "e1",
        "article_id": "a1",
        "type": "deployment",
        "lang": "de",
        "actor": {"name": "nordkoreanische Soldaten", "country": "PRK", "kind": "state"},
        "location": {"name": "Kursk", "country": "RUS"},
        "quantity": {"value": 3000, "qualifier": "at_least", "unit": "Soldaten"},
        "attribution": "HUR",
        "modality": "reported",
        "evidence": {"text": "Satz.", "start": 0, "end": 5, "rule": "de.deployment.arrive"},
        "confidence": 0.8,
        "extractor_version": "test",
    }


def test_event_round_trips_through_its_json_schema() -> None:
    event = Event.model_validate(_event_payload())
    schema = json.loads(schema_file("event").read_text(encoding="utf-8"))
    jsonschema.validate(event.model_dump(mode="json"), schema)
    assert event.schema_version == SCHEMA_VERSION


def test_event_is_frozen_and_rejects_unknown_fields() -> None:
    event = Event.model_validate(_event_payload())
    with pytest.raises(ValidationError):
        event.confidence = 0.1  # type: ignore[misc]
    with pytest.raises(ValidationError):
        Event.model_validate({**_event_payload(), "surprise": 1})


def test_event_rejects_non_iso_country_code() -> None:
    payload = _event_payload()
    payload["actor"] = {"name": "x", "country": "North Korea", "kind": "state"}
    with pytest.raises(ValidationError):
        Event.model_validate(payload)


def test_article_accepts_body_as_text_and_prefers_text() -> None:
    assert Article.model_validate({"id": "a", "body": "B"}).text == "B"
    assert Article.model_validate({"id": "a", "body": "B", "text": "T"}).text == "T"
    with pytest.raises(ValidationError):
        Article.model_validate({"id": "a", "text": ""})


def _outcome_payload(reason: str) -> dict:
    return {
        "article_id": None,
        "status": "dead_letter",
        "events": 0,
        "extractor_version": "test",
        "latency_seconds": 0.0,
        "source_partition": 0,
        "source_offset": 0,
        "reason": reason,
    }


@pytest.mark.parametrize("reason", list(DeadLetterReason))
def test_outcome_reason_is_a_dead_letter_reason_on_the_wire(reason: DeadLetterReason) -> None:
    outcome = Outcome.model_validate(_outcome_payload(reason.value))
    assert outcome.reason is reason
    dumped = outcome.model_dump(mode="json")
    assert dumped["reason"] == reason.value
    jsonschema.validate(dumped, json.loads(schema_file("outcome").read_text(encoding="utf-8")))


def test_outcome_rejects_an_unknown_reason() -> None:
    with pytest.raises(ValidationError, match="reason"):
        Outcome.model_validate(_outcome_payload("bad_weather"))
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(
            _outcome_payload("bad_weather"), json.loads(schema_file("outcome").read_text(encoding="utf-8"))
        )
