"""The clause reading of the scope stage (streams/extraction/clause_scope.py, markers.json "clauses")."""

from __future__ import annotations

import pytest
from support.extraction import deployments_of, events_of
from support.sentences import sentence_table

from streams.extraction.lexicon import load_lexicon


@pytest.mark.parametrize("lang", ["de", "en"])
def test_the_subject_force_rules_name_deployment_rules(lang: str) -> None:
    lexicon = load_lexicon(lang)
    deployments = {rule.id for rule in lexicon.cues.rules if rule.type == "deployment" and rule.requires}
    assert set(lexicon.markers.clauses.subject_force_rules) <= deployments


@sentence_table("text", "actor")
def test_a_state_or_body_taking_a_place_needs_no_force_word(lang: str, text: str, actor: str) -> None:
    assert actor in {a for a, _, _ in deployments_of(text, lang)}


@sentence_table("text")
def test_a_place_taken_by_no_state_or_body_is_no_deployment(lang: str, text: str) -> None:
    assert deployments_of(text, lang) == []


@sentence_table("text", "kind", "actor")
def test_a_subordinate_clause_after_a_demand_states_what_is_done(lang: str, text: str, kind: str, actor: str) -> None:
    assert actor in {e.actor.country for e in events_of(text, lang, kind)}


@sentence_table("text", "kind")
def test_a_demand_still_governs_its_own_clause(lang: str, text: str, kind: str) -> None:
    assert events_of(text, lang, kind) == []


@sentence_table("text")
def test_what_a_deal_or_plan_would_do_is_no_policy_shift(lang: str, text: str) -> None:
    assert events_of(text, lang, "policy_shift") == []


@sentence_table("text", "actor")
def test_a_deal_that_was_made_or_a_planned_deployment_still_counts(lang: str, text: str, actor: str) -> None:
    assert actor in {e.actor.country for e in events_of(text, lang)}


@sentence_table("text", "critic")
def test_a_where_clause_is_guarded_by_the_clause_before(lang: str, text: str, critic: str) -> None:
    # "critical of" in the clause a "where" clause hangs on: the critic does not deploy what it criticises.
    assert critic not in {a for a, _, _ in deployments_of(text, lang)}


@sentence_table("text")
def test_a_condition_is_no_policy_shift(lang: str, text: str) -> None:
    # "falls / sofern" open a condition; a sentence opened by the cue's finite verb and continued by ", dann" is one too.
    assert events_of(text, lang, "policy_shift") == []


@sentence_table("text", "actor")
def test_a_step_with_a_condition_or_a_comma_after_it_stands(lang: str, text: str, actor: str) -> None:
    assert actor in {e.actor.country or e.actor.name for e in events_of(text, lang, "policy_shift")}
