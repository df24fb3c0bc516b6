"""The stories agent reads events as data: canonical_event accepts only what the Event model accepts and reads alike,
and the key and report built from the data are those built from the model."""

from __future__ import annotations

import copy
from typing import Any

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError
from support.story_reference import reference_report

from schemas import Actor, ActorKind, Event, EventType, Evidence, Location, Modality, Quantity, QuantityQualifier
from streams.stories.event_data import canonical_event
from streams.stories.keys import story_key, story_key_of
from streams.stories.state import report_of, report_of_data

T0 = 1_741_590_000.0
names = st.text(max_size=12) | st.sampled_from(["Deutschland", "die NATO", "  ", "Kursk", "Ünïcødé"])
countries = st.none() | st.sampled_from(["DEU", "LTU", "USA", "PRK"])
optional_text = st.none() | st.text(max_size=20)


@st.composite
def quantities(draw: st.DrawFn) -> dict[str, Any] | None:
    if draw(st.booleans()):
        return None
    qualifier = draw(st.sampled_from([member.value for member in QuantityQualifier]))
    return {"value": draw(st.integers(0, 10**6)), "qualifier": qualifier, "unit": draw(optional_text)}


@st.composite
def evidences(draw: st.DrawFn) -> dict[str, Any]:
    return {
        "text": draw(st.text(max_size=30)),
        "start": draw(st.integers(0, 500)),
        "end": draw(st.integers(0, 500)),
        "rule": draw(st.sampled_from(["de.deployment.move", "en.denial.deny"])),
    }


@st.composite
def events(draw: st.DrawFn) -> Event:
    """Any valid event: every type, actor kind, modality, with and without place, quantity, mentions and outlet."""
    modalities = st.sampled_from([member.value for member in Modality])
    return Event.model_validate(
        {
            "event_id": draw(st.text(min_size=1, max_size=12)),
            "article_id": draw(st.text(min_size=1, max_size=12)),
            "type": draw(st.sampled_from([member.value for member in EventType])),
            "lang": draw(st.sampled_from(["de", "en"])),
            "actor": {
                "name": draw(names),
                "country": draw(countries),
                "kind": draw(st.sampled_from([member.value for member in ActorKind])),
            },
            "location": draw(st.none() | st.fixed_dictionaries({"name": names, "country": countries})),
            "quantity": draw(quantities()),
            "attribution": draw(optional_text),
            "modality": draw(modalities),
            "evidence": draw(evidences()),
            "mentions": draw(
                st.lists(
                    st.fixed_dictionaries({"evidence": evidences(), "quantity": quantities(), "modality": modalities}),
                    max_size=3,
                )
            ),
            "confidence": draw(st.floats(0, 1)),
            "published_at": draw(st.none() | st.sampled_from(["2025-03-10T07:00:00Z", "2025-03-10", "yesterday"])),
            "extractor_version": "test",
            "article_url": draw(st.none() | st.sampled_from(["https://www.example.org/a", "not a url", ""])),
            "article_title": draw(optional_text),
            "source": draw(st.none() | names),
        }
    )


def as_read(event: Event) -> dict[str, Any]:
    """The event's data as the stories agent reads it from a story-events record."""
    data: dict[str, Any] = orjson.loads(orjson.dumps(event.model_dump(mode="json")))
    return data


@settings(max_examples=300, deadline=None)
@given(events(), st.floats(T0 - 1e6, T0 + 1e6))
def test_canonical_data_is_accepted_and_gives_the_models_key_and_report(event: Event, ingest_time: float) -> None:
    data = as_read(event)
    assert canonical_event(data)
    assert Event.model_validate(data) == event
    assert story_key_of(data) == story_key(event)
    assert report_of_data(data, ingest_time) == reference_report(event, ingest_time) == report_of(event, ingest_time)


def _paths(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place in the data a value sits (the whole included)."""
    found = [path]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _paths(item, (*path, index))
    return found


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-3, 3)
    | st.floats(-2, 2)
    | st.text(max_size=4)
    | st.sampled_from(["DEU", "deu", "DE", "DEU\n", "ÄBC", "2", "exact", "state", "deployment", "asserted", 1.0, 2]),
    lambda inner: st.lists(inner, max_size=2) | st.dictionaries(st.text(max_size=4), inner, max_size=2),
    max_leaves=4,
)


@settings(max_examples=1500, deadline=None)
@given(events(), st.data())
def test_data_the_check_accepts_is_valid_and_read_as_the_model_reads_it(event: Event, draw: st.DataObject) -> None:
    """Replace, remove or add one value anywhere: whatever the check still accepts, the model accepts too and
    dumps back unchanged (so the key and the report are the model's)."""
    data = as_read(event)
    path = draw.draw(st.sampled_from(_paths(data)[1:]))
    *parent_path, last = path
    parent: Any = data
    for step in parent_path:
        parent = parent[step]
    action = draw.draw(st.sampled_from(["replace", "remove", "add"]))
    if action == "replace":
        parent[last] = draw.draw(json_values)
    elif action == "remove":
        del parent[last]
    elif isinstance(parent, dict):
        parent[draw.draw(st.text(max_size=6))] = draw.draw(json_values)
    else:
        parent.append(draw.draw(json_values))
    if not canonical_event(data):
        return
    before = copy.deepcopy(data)
    validated = Event.model_validate(data)  # raises if the check accepted an invalid event
    assert as_read(validated) == before
    assert story_key_of(data) == story_key(validated)
    assert report_of_data(data, T0) == reference_report(validated, T0)


def _example() -> dict[str, Any]:
    """A deployment with a quantity, as the pipeline writes it (built from the models, every default left out)."""
    text = "Norway sent 300 soldiers to Estonia."
    event = Event(
        event_id="e1",
        article_id="a1",
        type=EventType.deployment,
        lang="en",
        actor=Actor(name="Norway", country="NOR", kind=ActorKind.state),
        location=Location(name="Estonia", country="EST"),
        quantity=Quantity(value=300, qualifier=QuantityQualifier.exact),
        modality=Modality.asserted,
        evidence=Evidence(text=text, start=0, end=len(text), rule="en.deployment.send"),
        confidence=0.75,
        extractor_version="test",
    )
    return as_read(event)


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("confidence",), 1),  # a whole number: the model makes it the float 1.0
        (("actor", "country"), "nor"),  # invalid
        (("actor", "country"), "NOR\n"),  # invalid: the pattern's $ is the end of the text
        (("evidence", "start"), True),  # a bool where an int is due
        (("evidence", "start"), 1.0),  # a float where an int is due (the model accepts it)
        (("mentions",), ()),  # not as read from JSON
        (("quantity", "value"), -1),  # invalid
        (("schema_version",), "3"),  # invalid
        (("type",), "Deployment"),  # invalid
    ],
)
def test_other_forms_are_left_to_the_model(path: tuple[str, ...], value: Any) -> None:
    data = _example()
    assert canonical_event(data)
    target = data
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    assert not canonical_event(data)


def test_missing_and_extra_fields_are_left_to_the_model() -> None:
    for change in ("drop unit", "drop attribution", "extra field", "extra actor field"):
        data = _example()
        if change == "drop unit":
            del data["quantity"]["unit"]  # valid: the model's default
            assert Event.model_validate(data).quantity is not None
        elif change == "drop attribution":
            del data["attribution"]
        elif change == "extra field":
            data["note"] = "x"  # invalid: extra fields are forbidden
            with pytest.raises(ValidationError):
                Event.model_validate(data)
        else:
            data["actor"]["alias"] = "x"
        assert not canonical_event(data), change
