"""What identifies a story: its key (what events share), its outlet, its event time, and its alert's id."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Mapping
from datetime import UTC
from typing import Any, NamedTuple
from urllib.parse import urlsplit

from schemas import Event, EventType
from streams.stories.times import parse_iso8601

HOUR = 3600.0
# A publication time further ahead of the ingest time than this is a producer's clock or typo, not news from the
# future: it would drag the partition's watermark ahead and expire every open story, so the ingest time is used.
MAX_PUBLICATION_AHEAD_SECONDS = HOUR
NO_PLACE = "-"
_ARTICLES = {"the", "die", "der", "das", "den", "dem", "des"}
_NOT_WORD = re.compile(r"[^\w]+")


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
    """Seconds since the epoch of an ISO 8601 time (a date alone is midnight UTC; no offset means UTC: a story needs
    a time for every report, and a producer's local time is the best guess there is)."""
    parsed = parse_iso8601(value)
    if parsed is None:
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


def alert_id_for(story_id: str) -> str:
    """One alert per story, so its id is a function of the story id alone: the same after any reprocessing."""
    return "alert-" + short_hash(story_id, "alert")


def actor_keys_for(actor: str) -> frozenset[str]:
    """The story actor keys a reader's actor filter may mean: a three-letter word is an ISO code (`deu` -> DEU) or
    a non-state actor's name (`IDF` -> idf); anything else is a name, normalised like story keys ('Die NATO')."""
    keys = {normalise_name(actor)}
    if re.fullmatch(r"[A-Za-z]{3}", actor.strip()):
        keys.add(actor.strip().upper())
    return frozenset(keys)
