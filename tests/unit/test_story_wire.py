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
from streams.stories import wire
from streams.stories.keys import MAX_PUBLICATION_AHEAD_SECONDS, story_key
from streams.stories.state import report_of
from streams.stories.wire import EntryReport, entry_of_data, read_entry

NOW = T0 + 2e6  # the clock's time: every ingest time drawn below is before it


def entry_read_back(event: Event, ingest_time: float | None) -> Any:
    """The event's compact entry as the stories agent reads it from a story-events record."""
    return orjson.loads(orjson.dumps(entry_of_data(event.model_dump(mode="json"), story_key(event), ingest_time)))


@settings(max_examples=300, deadline=None)
@given(events(), st.none() | st.floats(T0 - 1e6, T0 + 1e6), st.floats(T0 - 1e6, T0 + 1e6))
def test_an_entry_gives_the_story_key_and_report_of_its_event(
    event: Event, ingest_time: float | None, record_time: float
) -> None:
    read = read_entry(entry_read_back(event, ingest_time), NOW)
    if event.evidence.end < event.evidence.start:  # the model allows it; no extractor writes it
        assert read == "has an evidence end (position 20) before its evidence start"
        return
    assert isinstance(read, EntryReport)
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
    if index == 6:  # the ingest time: a plausible time (the replacements 1 and 1.5 are), or null
        return replacement is None or type(replacement) in (int, float)
    if index in (3, 5):  # a country code, or null
        return replacement is None
    return False  # the place key (4) included: text for deployments, else null, so never of another type


@settings(max_examples=300, deadline=None)
@given(events(), st.data())
def test_an_entry_with_one_value_replaced_by_another_type_is_not_read(event: Event, draw: st.DataObject) -> None:
    entry = entry_read_back(event, T0)
    valid = isinstance(read_entry(entry, NOW), EntryReport)
    index = draw.draw(st.integers(0, len(entry) - 1))
    value = entry[index]
    others = [1, 1.5, True, "x", None, [1], {"a": 1}]
    replacement = draw.draw(st.sampled_from([other for other in others if type(other) is not type(value)]))
    if _acceptable(index, value, replacement):
        return
    entry[index] = replacement
    reason = read_entry(entry, NOW)
    assert isinstance(reason, str)
    if valid:  # else an earlier position may be the first invalid one
        assert f"(position {index})" in reason


def _deployment() -> Event:
    return Event.model_validate(
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


@pytest.mark.parametrize(
    ("index", "value", "reason"),
    [
        (0, 2, "has an invalid form (position 0)"),  # another form
        (1, "rumour", "has an invalid type (position 1)"),  # not an event type
        (1, ["deployment"], "has an invalid type (position 1)"),  # unhashable: no TypeError
        (2, "", "has an invalid actor_key (position 2)"),  # an empty actor key
        (3, "deu", "has an invalid actor_country (position 3)"),  # not an ISO alpha-3 code
        (12, "NOR\n", "has an invalid modality (position 12)"),  # not a modality
        (13, 1, "has an invalid confidence (position 13)"),  # a whole number: the pipeline writes a float
        (13, 1.5, "has an invalid confidence (position 13)"),  # above 1
        (17, [3, 3], "has an invalid quantities (position 17)"),  # quantities not distinct
        (17, [5, 3], "has an invalid quantities (position 17)"),  # not ascending
        (17, [True], "has an invalid quantities (position 17)"),  # a bool for a count
        (19, -1, "has an invalid evidence_start (position 19)"),  # a negative offset
        (19, 38, "has an evidence end (position 20) before its evidence start"),  # start after the end (37)
    ],
)
def test_named_bad_values_are_not_read_and_the_reason_names_the_position(index: int, value: Any, reason: str) -> None:
    entry = entry_read_back(_deployment(), T0)
    assert isinstance(read_entry(entry, NOW), EntryReport)
    entry[index] = value
    assert read_entry(entry, NOW) == reason
    assert read_entry(entry[:-1], NOW) == read_entry([*entry, None], NOW) == "is not an array of 23 values"
    assert read_entry({"0": 1}, NOW) == "is not an array of 23 values"


@pytest.mark.parametrize(
    "ingest_time",
    [
        1e300,  # renders no date: OverflowError in every view of its story
        NOW + 1e11,  # would move the watermark past every open story
        NOW + MAX_PUBLICATION_AHEAD_SECONDS + 1,
        -1.0,
        float("inf"),
        float("nan"),
        2**70,  # an integer beyond 64 bits (orjson reads one as a float; Python's json as an int)
        True,
    ],
)
def test_an_ingest_time_that_is_no_plausible_time_is_not_read(ingest_time: Any) -> None:
    entry = entry_read_back(_deployment(), T0)
    entry[6] = ingest_time
    assert (
        read_entry(entry, NOW)
        == "has an ingest time (position 6) that is not a time from the epoch to an hour from now"
    )


@pytest.mark.parametrize("ingest_time", [0, 0.0, T0, NOW, NOW + MAX_PUBLICATION_AHEAD_SECONDS, None])
def test_a_plausible_ingest_time_is_read(ingest_time: Any) -> None:
    entry = entry_read_back(_deployment(), T0)
    entry[6] = ingest_time
    read = read_entry(entry, NOW)
    assert isinstance(read, EntryReport)
    assert read.ingest_time == (None if ingest_time is None else float(ingest_time))


_REPLACEMENTS = [
    None,
    0,
    1,
    -1,
    1.5,
    0.0,
    2.0,
    True,
    "",
    "x",
    "DEU",
    "deployment",
    "asserted",
    "state",
    [],
    [1],
    [2, 1],
]


@settings(max_examples=400, deadline=None)
@given(events(), st.data())
def test_the_one_chain_check_accepts_exactly_what_the_position_check_accepts(event: Event, draw: st.DataObject) -> None:
    # wire._valid is the agent's per-entry check; _first_invalid names the position. For an entry with up to three
    # values replaced by values of any kind (of the right kind, too), both must agree.
    entry = entry_read_back(event, draw.draw(st.none() | st.floats(T0 - 1e6, T0 + 1e6)))
    for _ in range(draw.draw(st.integers(0, 3))):
        entry[draw.draw(st.integers(0, len(entry) - 1))] = draw.draw(st.sampled_from(_REPLACEMENTS))
    assert wire._valid(entry, NOW) == (wire._first_invalid(entry, NOW) is None)
    assert isinstance(read_entry(entry, NOW), EntryReport) == wire._valid(entry, NOW)
