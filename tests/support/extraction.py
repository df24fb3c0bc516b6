"""One helper for extraction unit tests: the events a short text yields, optionally of one type."""

from __future__ import annotations

from schemas import Article, Event
from streams.extraction import extract


def events_of(text: str, lang: str | None = "de", kind: str | None = None) -> list[Event]:
    return [e for e in extract(Article(id="t", text=text, lang=lang)).events if kind is None or e.type.value == kind]
