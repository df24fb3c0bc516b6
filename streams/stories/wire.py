"""The compact entry of the internal story-events topic: an event as the stories agent needs it, and nothing more.

The pipeline sent each event to the stories agent a second time as its whole JSON (`{"story_key", "ingest_time",
"event": {...}}`, ~1 KB with the evidence of every mention), and the agent parsed it, checked every field of the
Event (event_data.canonical_event) and then read a dozen of them into the story key and the report: about a fifth
of the agent's CPU per event. The pipeline holds the validated Event already, so it now writes those values
(`entry_of_data`, from the event's JSON data the pipeline makes for the event's own record): a JSON array, positional, tagged with its form in the first place:

    [1, type, actor_key, actor_country, place_key, place_country, ingest_time, published_at,
     event_id, article_id, source, lang, modality, confidence, actor_name, actor_kind, place_name, quantities,
     evidence_text, evidence_start, evidence_end, url, title]

(the story key's fields, what the story window needs to place the report in time, then the report's fields in
`Report`'s order without `seen_at`). `read_entry` accepts exactly what `entry_of_data` writes once read back from
JSON, with each value of the type and within the constraints `canonical_event` holds the Event's fields to, and the
story key consistent with its type, the ingest time a plausible one (`plausible_time`: finite, from the epoch to an
hour after the clock's now) and the evidence's end not before its start; anything else is the reason, naming the
first invalid position (the agent dead-letters the entry with it). The topic is internal:
the public topics (events, stories, alerts) and their schemas do not change, and the agent still reads the earlier
forms (an object entry with the whole event, a record holding one event). tests/unit/test_story_wire.py holds it:
for any event the entry gives the story key and report the whole event gives.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import orjson

from schemas import EventType
from streams.stories.event_data import _ACTOR_KINDS, _EVENT_TYPES, _MODALITIES, _country, _offset, _optional_str
from streams.stories.keys import MAX_PUBLICATION_AHEAD_SECONDS, StoryKey, outlet_of, seen_at_of
from streams.stories.state import Report

ENTRY_FORM = 1
_DEPLOYMENT = EventType.deployment.value
_LENGTH = 23


def entry_of_data(data: Mapping[str, Any], key: StoryKey, ingest_time: float | None) -> list[Any]:
    """The compact entry of a validated event's JSON data (`Event.model_dump(mode="json")`, which the pipeline makes
    for the event's own record anyway) joining the story `key` (story_key of the event)."""
    quantity, evidence, actor, location = data["quantity"], data["evidence"], data["actor"], data["location"]
    quantities = {quantity["value"]} if quantity is not None else set()
    quantities.update(mention["quantity"]["value"] for mention in data["mentions"] if mention["quantity"] is not None)
    return [
        ENTRY_FORM,
        *key,
        None if ingest_time is None else float(ingest_time),
        data["published_at"],
        data["event_id"],
        data["article_id"],
        outlet_of(data["source"], data["article_url"]),
        data["lang"],
        data["modality"],
        float(data["confidence"]),
        actor["name"],
        actor["kind"],
        location["name"] if location is not None else None,
        sorted(quantities),
        evidence["text"],
        evidence["start"],
        evidence["end"],
        data["article_url"],
        data["article_title"],
    ]


def _quantities(values: Any) -> bool:
    """Distinct counts in ascending order (what a sorted set of Quantity values gives)."""
    if type(values) is not list:
        return False
    previous = -1
    for value in values:
        if type(value) is not int or value <= previous:
            return False
        previous = value
    return True


_FIELDS = (
    "form",
    "type",
    "actor_key",
    "actor_country",
    "place_key",
    "place_country",
    "ingest_time",
    "published_at",
    "event_id",
    "article_id",
    "source",
    "lang",
    "modality",
    "confidence",
    "actor_name",
    "actor_kind",
    "place_name",
    "quantities",
    "evidence_text",
    "evidence_start",
    "evidence_end",
    "url",
    "title",
)


def plausible_time(value: Any, now: float) -> bool:
    """A time (seconds since the epoch) the stories agent can take as an ingest time: a finite number from the epoch
    to MAX_PUBLICATION_AHEAD_SECONDS after `now` (NaN fails every comparison). A larger one would render no date
    (1e300: OverflowError in every view of its story) or move the partition's watermark past every open story's
    expiry, making every later event late."""
    return (type(value) is float or type(value) is int) and 0.0 <= value <= now + MAX_PUBLICATION_AHEAD_SECONDS


def _valid(entry: list[Any], now: float) -> bool:
    """_first_invalid(entry, now) is None, as one chain of tests that stops at the first failing one: the same tests
    of each value (by position, _FIELDS names them), without a function per value or the tuple of all 23 results.
    The agent runs this at every event; _first_invalid names the position only for an entry found invalid."""
    return (
        type(entry[0]) is int
        and entry[0] == ENTRY_FORM
        and type(entry[1]) is str
        and entry[1] in _EVENT_TYPES
        and type(entry[2]) is str
        and entry[2] != ""
        and (entry[3] is None or _country(entry[3]))
        and (type(entry[4]) is str and entry[4] != "" if entry[1] == _DEPLOYMENT else entry[4] is None)
        and (entry[5] is None or (entry[1] == _DEPLOYMENT and _country(entry[5])))
        and (entry[6] is None or plausible_time(entry[6], now))
        and (entry[7] is None or type(entry[7]) is str)
        and type(entry[8]) is str
        and type(entry[9]) is str
        and (entry[10] is None or type(entry[10]) is str)
        and type(entry[11]) is str
        and type(entry[12]) is str
        and entry[12] in _MODALITIES
        and type(entry[13]) is float
        and 0.0 <= entry[13] <= 1.0
        and type(entry[14]) is str
        and type(entry[15]) is str
        and entry[15] in _ACTOR_KINDS
        and (entry[16] is None or type(entry[16]) is str)
        and _quantities(entry[17])
        and type(entry[18]) is str
        and type(entry[19]) is int
        and entry[19] >= 0
        and type(entry[20]) is int
        and entry[20] >= entry[19]
        and (entry[21] is None or type(entry[21]) is str)
        and (entry[22] is None or type(entry[22]) is str)
    )


def _first_invalid(entry: list[Any], now: float) -> int | None:
    """The position of the entry's first invalid value, or None when every value is valid."""
    (
        form,
        type_,
        actor_key,
        actor_country,
        place_key,
        place_country,
        ingest_time,
        published_at,
        event_id,
        article_id,
        source,
        lang,
        modality,
        confidence,
        actor_name,
        actor_kind,
        place_name,
        quantities,
        evidence_text,
        evidence_start,
        evidence_end,
        url,
        title,
    ) = entry
    checks = (
        type(form) is int and form == ENTRY_FORM,
        type(type_) is str and type_ in _EVENT_TYPES,
        type(actor_key) is str and actor_key != "",
        _country(actor_country),
        type(place_key) is str and place_key != "" if type_ == _DEPLOYMENT else place_key is None,
        _country(place_country) and (place_country is None or type_ == _DEPLOYMENT),
        ingest_time is None or plausible_time(ingest_time, now),
        _optional_str(published_at),
        type(event_id) is str,
        type(article_id) is str,
        _optional_str(source),
        type(lang) is str,
        type(modality) is str and modality in _MODALITIES,
        type(confidence) is float and 0.0 <= confidence <= 1.0,
        type(actor_name) is str,
        type(actor_kind) is str and actor_kind in _ACTOR_KINDS,
        _optional_str(place_name),
        _quantities(quantities),
        type(evidence_text) is str,
        _offset(evidence_start),
        _offset(evidence_end) and (not _offset(evidence_start) or evidence_end >= evidence_start),
        _optional_str(url),
        _optional_str(title),
    )
    return None if all(checks) else checks.index(False)


class EntryReport:
    """A compact entry read: its story key, and its report once the ingest time is known (the entry's, else the
    record's)."""

    __slots__ = ("key", "ingest_time", "_entry")

    def __init__(self, key: StoryKey, ingest_time: float | None, entry: list[Any]) -> None:
        self.key = key
        self.ingest_time = ingest_time
        self._entry = entry

    def original(self) -> bytes:
        """The entry's JSON, as a dead letter of it keeps."""
        return orjson.dumps(self._entry)

    @property
    def event_id(self) -> str:
        return self._entry[8]  # type: ignore[no-any-return]

    def report(self, ingest_time: float) -> Report:
        entry = self._entry
        return Report(
            entry[8],
            entry[9],
            entry[10],
            entry[11],
            entry[12],
            entry[13],
            seen_at_of(entry[7], ingest_time),
            entry[14],
            entry[15],
            entry[16],
            tuple(entry[17]),
            entry[18],
            entry[19],
            entry[20],
            entry[21],
            entry[22],
        )


def read_entry(entry: Any, now: float) -> EntryReport | str:
    """The story key and report of a compact entry (read back from JSON), or why it is not one (naming the first
    invalid position). `now`: the clock's time, bounding the ingest time (plausible_time)."""
    if type(entry) is not list or len(entry) != _LENGTH:
        return f"is not an array of {_LENGTH} values"
    invalid = None if _valid(entry, now) else _first_invalid(entry, now)
    if invalid is not None:
        if invalid == 6:
            return "has an ingest time (position 6) that is not a time from the epoch to an hour from now"
        if invalid == 20 and _offset(entry[20]):
            return "has an evidence end (position 20) before its evidence start"
        return f"has an invalid {_FIELDS[invalid]} (position {invalid})"
    ingest_time = entry[6]
    return EntryReport(
        StoryKey(entry[1], entry[2], entry[3], entry[4], entry[5]),
        None if ingest_time is None else float(ingest_time),
        entry,
    )
