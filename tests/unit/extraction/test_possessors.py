"""Possessors of nominal cues (possessors.py): 'Spain's decision to recognise ...' is Spain's act, whoever speaks; the agent
of a deployment noun's participle ('die von Belarus angekündigte Truppenverstärkung', nominal_agents.py) acts too."""

from __future__ import annotations

from support.sentences import sentence_table

from schemas import Article
from streams.extraction import Extractor

RULES_ONLY = Extractor(model_root=None)


@sentence_table("text", "kind", "country")
def test_the_possessor_of_an_act_noun_acts_not_the_subject(lang: str, text: str, kind: str, country: str) -> None:
    events = RULES_ONLY.extract(Article(id="a", text=text, lang=lang)).events
    assert {e.actor.country for e in events if e.type.value == kind} == {country}


@sentence_table("text", "kind")
def test_a_change_noun_without_a_state_owner_is_no_event(lang: str, text: str, kind: str) -> None:
    """Change nouns of sport and business ('Schalkes Kurswechsel', 'Arsenal's U-turn') and figurative manoeuvres."""
    events = RULES_ONLY.extract(Article(id="a", text=text, lang=lang)).events
    assert not [e for e in events if e.type.value == kind]
