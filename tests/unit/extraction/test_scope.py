"""The scope stage (streams/extraction/scope.py): whether a cue states an event, and how firmly."""

from __future__ import annotations

from support.extraction import actors_of, deployments_of, events_of, one_event, summaries_of
from support.sentences import sentence_table
from support.stages import cue_context, engine, reading


def _rejects(sentence: str, lang: str = "en", kind: str = "deployment") -> bool:
    return engine(lang).scope.rejects(cue_context(sentence, lang, kind))


@sentence_table("sentence")
def test_a_plain_report_states_an_event(lang: str, sentence: str) -> None:
    assert not _rejects(sentence, lang)


@sentence_table("sentence")
def test_negated_dated_or_asked_for_deployments_are_rejected(lang: str, sentence: str) -> None:
    assert _rejects(sentence, lang)


def test_a_number_of_forces_is_no_historic_year() -> None:
    assert not _rejects("Britain sent 1800 additional troops to Estonia.")


def test_a_restated_policy_is_no_shift() -> None:
    assert _rejects("Germany reaffirmed its decision to lift the arms embargo.", kind="policy_shift")


def test_a_demand_before_a_speakers_own_statement_does_not_govern_its_policy_cue() -> None:
    # "under pressure from X" or "urged" before the speech verb: the speaker announces its own step.
    assert not _rejects("Under pressure from Paris, Rabat said it would open a second crossing.", kind="policy_shift")
    assert _rejects("Paris urged Rabat to open a second crossing.", kind="policy_shift")
    assert _rejects("Under pressure from Paris, Rabat will open a second crossing.", kind="policy_shift")


def test_a_denial_in_the_sentence_is_found_once_asked() -> None:
    scope = engine("en").scope
    assert scope.denies(cue_context("Russia denied sending troops to Syria.", "en", "deployment"))
    assert not scope.denies(cue_context("Russia sent troops to Syria.", "en", "deployment"))


def test_negated_reads_the_cue_in_its_clause() -> None:
    ctx = cue_context("Russia did not send troops to Syria.", "en", "deployment")
    assert engine("en").scope.negated(ctx.text, ctx.clauses, ctx.clause_index, ctx.rule, ctx.cue)


@sentence_table("sentence", "modality")
def test_modality(lang: str, sentence: str, modality: str) -> None:
    ctx = cue_context(sentence, lang, "deployment")
    stages = engine(lang)
    sentence_reading = reading(ctx, lang)
    actor = stages.actors.actor(ctx, sentence_reading)
    governing = stages.attributions.governing(ctx, sentence_reading.attributions)
    assert stages.scope.modality(ctx, actor, governing[0] if governing else None) == modality


@sentence_table("text")
def test_no_event(text: str, lang: str) -> None:
    assert events_of(text, lang) == []


def test_a_denied_deployment_is_a_denial_only() -> None:
    [event] = events_of("Russia denied sending troops to Belarus.", "en")
    assert (event.type.value, event.actor.country) == ("denial", "RUS")


@sentence_table("text", "modality")
def test_an_event_has_the_modality_of_its_sentence(text: str, lang: str, modality: str) -> None:
    assert one_event(text, lang).modality.value == modality


@sentence_table("text")
def test_neither_nor_negates_every_actor(lang: str, text: str) -> None:
    assert events_of(text, lang) == []


@sentence_table("text")
def test_a_past_century_year_before_the_cue_dates_the_sentence(lang: str, text: str) -> None:
    assert not events_of(text, lang, "deployment")


@sentence_table("text")
def test_background_presence_training_and_departures_are_no_deployments(lang: str, text: str) -> None:
    assert deployments_of(text, lang) == []


@sentence_table("text", "actor")
def test_recent_deployments_near_those_words_still_count(lang: str, text: str, actor: str) -> None:
    assert actor in {a for a, _, _ in deployments_of(text, lang)}


@sentence_table("text")
def test_a_german_clause_ending_in_its_negator_negates_the_denial(lang: str, text: str) -> None:
    assert events_of(text, lang, "denial") == []


@sentence_table("text")
def test_a_negator_closing_another_clause_leaves_the_denial_standing(lang: str, text: str) -> None:
    assert events_of(text, lang, "denial") != []


@sentence_table("text", "kind")
def test_a_negator_inside_a_separable_cue_negates_it(lang: str, text: str, kind: str) -> None:
    assert actors_of(text, lang, kind) == set()


@sentence_table("text", "kind", "country")
def test_negators_the_cue_spells_or_that_negate_a_noun_keep_it(lang: str, text: str, kind: str, country: str) -> None:
    assert actors_of(text, lang, kind) == {country}


@sentence_table("text")
def test_background_past_perfect_stationing_is_no_deployment(lang: str, text: str) -> None:
    assert summaries_of(text, lang) == []


def test_news_in_the_past_perfect_still_counts() -> None:
    assert summaries_of("Britain said it had deployed 200 extra troops to Estonia.", "en") == [
        ("deployment", "Britain", "Estonia")
    ]


@sentence_table("text", "country")
def test_a_claim_framed_as_untrue_is_a_denial_and_not_the_framed_event(
    lang: str, text: str, country: str | None
) -> None:
    assert events_of(text, lang, "deployment") == []
    [denial] = events_of(text, lang, "denial")
    assert denial.actor.country == country
    assert denial.evidence.rule.endswith(("not_true", "reject_this"))


@sentence_table("text")
def test_disagreement_or_a_false_depiction_is_no_framing_denial(lang: str, text: str) -> None:
    assert events_of(text, lang, "denial") == []


def test_a_long_separable_denial_covers_the_deployment_it_denies() -> None:
    text = "Teheran wies nach Angaben des staatlichen Rundfunks IRIB Berichte über eine Mobilmachung der eigenen Streitkräfte zurück."
    assert [e.type.value for e in events_of(text, "de")] == ["denial"]


@sentence_table("text")
def test_a_movement_cue_whose_subject_is_no_force_moves_no_forces(lang: str, text: str) -> None:
    assert deployments_of(text, lang) == []


@sentence_table("text", "country")
def test_a_denial_beside_a_demand_is_still_made(text: str, lang: str, country: str) -> None:
    event = one_event(text, lang)
    assert (event.type.value, event.actor.country) == ("denial", country)
