"""The scope stage (streams/extraction/scope.py): whether a cue states an event, and how firmly."""

from __future__ import annotations

import pytest
from support.stages import cue_context, engine, reading


def _rejects(sentence: str, lang: str = "en", kind: str = "deployment") -> bool:
    return engine(lang).scope.rejects(cue_context(sentence, lang, kind))


@pytest.mark.parametrize(
    ("lang", "sentence"),
    [
        ("en", "Russia sent troops to Syria."),
        ("en", "Russia has sent 1,500 troops to Syria, U.S. officials said."),
        ("en", "Russia will send troops to Syria."),
        ("de", "Nordkorea hat weitere 3.000 Soldaten nach Russland geschickt."),
    ],
)
def test_a_plain_report_states_an_event(lang: str, sentence: str) -> None:
    assert not _rejects(sentence, lang)


@pytest.mark.parametrize(
    ("lang", "sentence"),
    [
        ("en", "Russia did not send troops to Syria."),  # a negator next to the cue
        ("en", "Germany ruled out sending troops to Ukraine."),  # a governing verb
        ("en", "In September 1950, 75,000 troops landed in Korea."),  # dated before the cue
        ("en", "Russia sent troops to Syria in 2015, as in 1991."),  # dated in the cue's clause
        ("en", "Kyiv urged Germany to send troops to Ukraine."),  # asked for
    ],
)
def test_negated_dated_or_asked_for_deployments_are_rejected(lang: str, sentence: str) -> None:
    assert _rejects(sentence, lang)


def test_a_number_of_forces_is_no_historic_year() -> None:
    assert not _rejects("Britain sent 1800 additional troops to Estonia.")


def test_a_restated_policy_is_no_shift() -> None:
    assert _rejects("Germany reaffirmed its decision to lift the arms embargo.", kind="policy_shift")


def test_a_denial_in_the_sentence_is_found_once_asked() -> None:
    scope = engine("en").scope
    assert scope.denies(cue_context("Russia denied sending troops to Syria.", "en", "deployment"))
    assert not scope.denies(cue_context("Russia sent troops to Syria.", "en", "deployment"))


def test_negated_reads_the_cue_in_its_clause() -> None:
    ctx = cue_context("Russia did not send troops to Syria.", "en", "deployment")
    assert engine("en").scope.negated(ctx.text, ctx.clauses, ctx.clause_index, ctx.rule, ctx.cue)


@pytest.mark.parametrize(
    ("sentence", "modality"),
    [
        ("Russia sent troops to Syria.", "asserted"),
        ("Russia will send troops to Syria.", "possible"),  # a plan makes a deployment possible
        ("Officials said Russia sent troops to Syria.", "reported"),  # a third party's claim
    ],
)
def test_modality(sentence: str, modality: str) -> None:
    ctx = cue_context(sentence, "en", "deployment")
    stages = engine("en")
    sentence_reading = reading(ctx, "en")
    actor = stages.actors.actor(ctx, sentence_reading)
    governing = stages.attributions.governing(ctx, sentence_reading.attributions)
    assert stages.scope.modality(ctx, actor, governing[0] if governing else None) == modality
