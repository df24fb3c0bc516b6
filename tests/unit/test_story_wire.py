"""The compact story-events entry (streams/stories/wire.py): for any event it gives the story key and report the
whole event gives, and only what the pipeline writes is read."""

from __future__ import annotations

from typing import Any

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_event_data import T0, events

from schemas import Event
from streams.stories.core import report_of, story_key
from streams.stories.wire import entry_of_data, read_entry


def entry_read_back(event: Event, ingest_time: float | None) -> Any:
    """The event's compact entry as the stories agent reads it from a story-events record."""
    return orjson.loads(orjson.dumps(entry_of_data(event.model_dump(mode="json"), story_key(event), ingest_time)))


@settings(max_examples=300, deadline=None)
@given(events(), st.none() | st.floats(T0 - 1e6, T0 + 1e6), st.floats(T0 - 1e6, T0 + 1e6))
def test_an_entry_gives_the_story_key_and_report_of_its_event(
    event: Event, ingest_time: float | None, record_time: float
) -> None:
    read = read_entry(entry_read_back(event, ingest_time))
    assert read is not None
    assert read.key == story_key(event)
    assert read.event_id == event.event_id
    assert read.ingest_time == ingest_time
    seen_with = record_time if ingest_time is None else ingest_time  # the agent's fallback: the record's time
    assert read.report(seen_with) == report_of(event, seen_with)
    assert orjson.loads(read.original()) == entry_read_back(event, ingest_time)


def _acceptable(index: int, value: Any, replacement: Any) -> bool:
    """Whether `replacement` is a value of the kind position `index` holds (then the entry may still be read)."""
    if index in (7, 10, 16, 21, 22):  # optional text
        return replacement is None or type(replacement) is str
    if index == 6:  # the ingest time: any number, or null
        return replacement is None or type(replacement) in (int, float)
    if index in (3, 5):  # a country code, or null
        return replacement is None
    if index == 4:  # the place key: text for deployments, else null
        return type(replacement) is type(value)
    return False


@settings(max_examples=300, deadline=None)
@given(events(), st.data())
def test_an_entry_with_one_value_replaced_by_another_type_is_not_read(event: Event, draw: st.DataObject) -> None:
    entry = entry_read_back(event, T0)
    index = draw.draw(st.integers(0, len(entry) - 1))
    value = entry[index]
    others = [1, 1.5, True, "x", None, [1], {"a": 1}]
    replacement = draw.draw(st.sampled_from([other for other in others if type(other) is not type(value)]))
    if _acceptable(index, value, replacement):
        return
    entry[index] = replacement
    assert read_entry(entry) is None


@pytest.mark.parametrize(
    ("index", "value"),
    [
        (0, 2),  # another form
        (1, "rumour"),  # not an event type
        (2, ""),  # an empty actor key
        (3, "deu"),  # not an ISO alpha-3 code
        (12, "NOR\n"),  # not a modality
        (13, 1),  # a whole-number confidence (the pipeline writes a float)
        (13, 1.5),  # above 1
        (17, [3, 3]),  # quantities not distinct
        (17, [5, 3]),  # not ascending
        (17, [True]),  # a bool for a count
        (19, -1),  # a negative offset
    ],
)
def test_named_bad_values_are_not_read(index: int, value: Any) -> None:
    event = Event.model_validate(
        {
            "event_id": "e1",
            "article_id": "a1",
            "type": "deployment",
            "lang": "en",
            "actor": {"name": "Ruritania", "country": "RRT", "kind": "state"},
            "location": {"name": "Elbonia", "country": None},
            "quantity": {"value": 300, "qualifier": "exact", "unit": "troops"},
            "modality": "asserted",
            "evidence": {"text": "Ruritania sent 300 troops to Elbonia.", "start": 0, "end": 37, "rule": "r"},
            "confidence": 0.8,
            "extractor_version": "test",
        }
    )
    entry = entry_read_back(event, T0)
    assert read_entry(entry) is not None
    entry[index] = value
    assert read_entry(entry) is None
    assert read_entry(entry[:-1]) is None and read_entry([*entry, None]) is None and read_entry({"0": 1}) is None
