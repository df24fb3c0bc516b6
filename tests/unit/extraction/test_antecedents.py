"""Anaphoric subjects (antecedents.py): 'It denied ...', 'The group rejects ...' act for who the sentences before name."""

from __future__ import annotations

from support.sentences import sentence_table

from schemas import Article
from streams.extraction import Extractor

RULES_ONLY = Extractor(model_root=None)


def _denials(text: str, lang: str) -> list[tuple[str, str | None]]:
    events = RULES_ONLY.extract(Article(id="a", text=text, lang=lang)).events
    return [(e.actor.name, e.actor.country) for e in events if e.type.value == "denial"]


@sentence_table("text", "name", "country")
def test_an_opening_anaphor_acts_for_the_name_before_it(lang: str, text: str, name: str, country: str | None) -> None:
    assert _denials(text, lang) == [(name, country)]


@sentence_table("text")
def test_an_anaphor_without_a_fitting_name_before_it_names_no_one(lang: str, text: str) -> None:
    assert _denials(text, lang) == []


@sentence_table("text", "kind", "country")
def test_the_possessor_of_an_act_noun_acts_not_the_subject(lang: str, text: str, kind: str, country: str) -> None:
    events = RULES_ONLY.extract(Article(id="a", text=text, lang=lang)).events
    assert {e.actor.country for e in events if e.type.value == kind} == {country}
