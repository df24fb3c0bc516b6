"""The coordination stage (streams/extraction/coordination.py): the names that act together with a cue's actor, one
event each, and the lists whose names do not act together."""

from __future__ import annotations

from support.extraction import events_of
from support.sentences import sentence_table
from support.stages import engine

from streams.extraction.coordination import Coordination


def _countries(text: str, lang: str, kind: str) -> set[str | None]:
    return {e.actor.country for e in events_of(text, lang, kind)}


@sentence_table("text", "kind", "countries")
def test_every_listed_actor_gets_its_event(lang: str, text: str, kind: str, countries: list[str]) -> None:
    assert _countries(text, lang, kind) == set(countries)


@sentence_table("text", "kind", "countries")
def test_names_that_do_not_act_together_get_no_event(lang: str, text: str, kind: str, countries: list[str]) -> None:
    # The listed countries are the only actors the sentence may yield (none at all is fine).
    assert _countries(text, lang, kind) <= set(countries)


def test_the_list_words_are_language_data() -> None:
    coordination = Coordination(engine("en").lexicon, engine("en").vocabulary)
    assert coordination.opened(["decisions", "by"])
    assert coordination.opened(["states", "such", "as"])
    assert not coordination.opened(["talks", "between"])
