"""Producers' ISO 8601 times, read one way by every reader, and the RFC 3339 UTC times written from them."""

from __future__ import annotations

import pytest

from streams.stories.keys import parse_time
from streams.worker.decode import is_iso8601
from streams.worker.records import rfc3339_utc

ACCEPTED = [
    "2024-10-25T09:36:00Z",
    "2024-10-25T11:36:00+02:00",
    " 2024-10-25T09:36:00z ",  # decode accepts spaces and a lowercase z: the other readers read the same time
    "2024-10-25",
    "2024-10-25T09:36:00.250Z",
    "0999-05-01T10:00:00Z",
]
REFUSED = ["", "yesterday", "25.10.2024", "2024-13-01T00:00:00Z"]


@pytest.mark.parametrize("value", ACCEPTED + REFUSED)
def test_what_decode_accepts_as_published_at_is_what_the_stories_read(value: str) -> None:
    # Each side against the list, not only against each other: a parser that refused everything would agree with itself.
    assert is_iso8601(value) is (value in ACCEPTED)
    assert (parse_time(value) is not None) is (value in ACCEPTED)


def test_the_event_record_s_time_is_rfc3339_utc_with_a_four_digit_year() -> None:
    assert rfc3339_utc("2024-10-25T11:36:00+02:00") == "2024-10-25T09:36:00Z"
    assert rfc3339_utc(" 2024-10-25T09:36:00z ") == "2024-10-25T09:36:00Z"
    assert rfc3339_utc("0999-05-01T10:00:00Z") == "0999-05-01T10:00:00Z"  # strftime's %Y wrote "999-05-01..."
    assert rfc3339_utc("0001-01-01T00:30:00+01:00") is None  # before year 1 in UTC: no RFC 3339 time (it raised)


def test_a_time_without_offset_is_utc_for_a_story_but_no_time_for_a_header() -> None:
    # The two contracts that stay apart: a story needs a time for every report and reads a local time as UTC; a
    # CloudEvents header must not state an absolute time the producer did not give.
    assert parse_time("2024-10-25T09:36:00") == parse_time("2024-10-25T09:36:00Z") == 1729848960.0
    assert rfc3339_utc("2024-10-25T09:36:00") is None
    assert rfc3339_utc("yesterday") is None and rfc3339_utc(None) is None and parse_time(None) is None
