"""The coordination stage (streams/extraction/coordination.py): the names that act together with a cue's actor, one
event each, and the lists whose names do not act together."""

from __future__ import annotations

from support.extraction import events_of
from support.sentences import sentence_table
from support.stages import cue_context, engine

from streams.extraction.both_states import BothStates
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


def test_the_pair_read_for_another_rule_type_is_not_reused_for_a_denial() -> None:
    # A deployment cue read first in the same clause span must not hand its "no pair" to the denial (review 18,
    # finding 10): the pair's cache key holds the rule type and the cue.
    compiled = engine("de")
    both = BothStates(compiled.lexicon, compiled.vocabulary, compiled.gazetteer)
    denial = cue_context("Chile und Peru sollen Truppen verlegt haben. Beide Länder bestreiten das.", "de", "denial")
    deployment_rule = next(rule for rule in compiled.rules if rule.type == "deployment")
    assert both.pair(denial._replace(rule=deployment_rule)) is None
    pair = both.pair(denial)
    assert pair is not None and {actor.entity.country for actor in pair} == {"CHL", "PER"}
