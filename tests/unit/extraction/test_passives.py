"""Passive clauses (passives.py, grammar.json "passive"): the agent after 'by'/'von'/'vom' acts, not the clause's
subject; a name that only looks like an agent phrase ('von der Leyen', 'durch Polen', 'von X nach Y') does not."""

from __future__ import annotations

from support.extraction import events_of
from support.sentences import sentence_table


@sentence_table("text", "kind", "actor")
def test_the_agent_of_a_passive_acts(lang: str, text: str, kind: str, actor: str) -> None:
    assert [e.actor.country or e.actor.name for e in events_of(text, lang, kind)] == [actor]


@sentence_table("text", "kind", "not_actor")
def test_a_name_that_is_no_agent_does_not_act(lang: str, text: str, kind: str, not_actor: str) -> None:
    assert not_actor not in [e.actor.country or e.actor.name for e in events_of(text, lang, kind)]
