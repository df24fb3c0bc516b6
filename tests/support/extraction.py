"""Helpers for extraction unit tests: the events a short text yields, whole or summarised."""

from __future__ import annotations

from schemas import Article, Event
from streams.extraction import Extractor, extract
from streams.extraction.context import DominantState


def events_of(text: str, lang: str | None = "de", kind: str | None = None) -> list[Event]:
    return [e for e in extract(Article(id="t", text=text, lang=lang)).events if kind is None or e.type.value == kind]


def one_event(text: str, lang: str | None = "de", kind: str | None = None) -> Event:
    """The one event of a text (of one type, if given); fails naming what was found when there is not exactly one."""
    events = events_of(text, lang, kind)
    assert len(events) == 1, [(e.type.value, e.actor.name) for e in events]
    return events[0]


def named_actors_of(text: str, lang: str, kind: str) -> list[tuple[str, str | None]]:
    """(name, state code or None) of the actor of each event of one type in the text, in order."""
    return [(e.actor.name, e.actor.country) for e in events_of(text, lang, kind)]


def actors_of(text: str, lang: str, kind: str) -> set[str | None]:
    """Who acts in the text's events of one type: the state's code, or the name of an actor without one."""
    return {e.actor.country or e.actor.name for e in events_of(text, lang, kind)}


def deployments_of(text: str, lang: str) -> list[tuple[str | None, str | None, str | None]]:
    """(actor's state or name, place name, place country) of each deployment in the text."""
    return [
        (
            e.actor.country or e.actor.name,
            e.location.name if e.location else None,
            e.location.country if e.location else None,
        )
        for e in events_of(text, lang, "deployment")
    ]


def summaries_of(text: str, lang: str) -> list[tuple[str, str, str | None]]:
    """(type, actor name, place name) of each event in the text."""
    return [(e.type.value, e.actor.name, e.location.name if e.location else None) for e in events_of(text, lang)]


def english_deployment_verdict(text: str, anchor_word: str) -> str:
    """How the English reader decides a deployment proposal the model would make at anchor_word (probability 0.9): its
    verdict when it drops the proposal, else "event for <actor key>"."""
    reader = Extractor().reader("en")
    assert reader is not None
    sentence = reader.engine.segmenter.sentences(text)[0]
    start = text.index(anchor_word) - sentence.start
    dominant = DominantState(reader.engine.gazetteer, text)
    candidate, verdict = reader.read(
        text=text,
        sentence=sentence,
        type_="deployment",
        probability=0.9,
        anchor=(start, start + len(anchor_word)),
        dominant=dominant,
    )
    return verdict if candidate is None else f"event for {candidate.actor.entity.key}"
