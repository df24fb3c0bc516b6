"""The actors stage (streams/extraction/actors.py): who acts in a cue's clause, and who acts with them."""

from __future__ import annotations

import pytest
from support.stages import cue_context, engine, reading


def _actor(sentence: str, lang: str = "en", kind: str = "deployment", before: str = "") -> tuple[str, str, str] | None:
    ctx = cue_context(sentence, lang, kind, before)
    actor = engine(lang).actors.actor(ctx, reading(ctx, lang))
    return None if actor is None else (actor.name, actor.entity.key, actor.via)


@pytest.mark.parametrize(
    ("lang", "sentence", "expected"),
    [
        (
            "de",
            "Nach Erkenntnissen des ukrainischen Militärgeheimdienstes sollen nordkoreanische Soldaten in Kursk sein.",
            ("nordkoreanische Soldaten", "PRK", "owner"),
        ),
        ("en", "Troops from North Korea were sent to Russia.", ("North Korea", "PRK", "owner")),
        ("de", "Die Bundeswehr verlegt Soldaten an die Grenze zu Polen.", ("Bundeswehr", "DEU", "owner")),
    ],
)
def test_a_deployment_is_done_by_the_owner_of_its_forces(
    lang: str, sentence: str, expected: tuple[str, str, str]
) -> None:
    assert _actor(sentence, lang) == expected


def test_the_subject_acts() -> None:
    assert _actor("Russia sent troops to Syria.") == ("Russia", "RUS", "subject")


def test_a_name_after_a_blocking_preposition_is_no_subject() -> None:
    # "Kyiv" is the subject; Germany is who is urged.
    assert _actor("Kyiv urged Germany to send troops to Ukraine.") == ("Kyiv", "UKR", "subject")


def test_the_speaker_acts_when_the_clause_names_nobody() -> None:
    assert _actor("Australia said it would send 100 troops to the Solomon Islands.") == ("Australia", "AUS", "speaker")


@pytest.mark.parametrize(
    ("lang", "sentence", "before", "name"),
    [
        (
            "en",
            "The government rejected the reports as false.",
            "Serbia and Kosovo talk. Serbia will attend. ",
            "government",
        ),
        ("de", "Die Regierung wies die Berichte zurück.", "Serbien verhandelt. In Serbien wird gewählt. ", "Regierung"),
    ],
)
def test_a_bare_organ_acts_for_the_article_s_state(lang: str, sentence: str, before: str, name: str) -> None:
    assert _actor(sentence, lang, "denial", before) == (name, "SRB", "organ")
    assert _actor(sentence, lang, "denial") is None  # no state named anywhere else


def test_policy_shifts_are_not_made_by_bodies_known_only_by_their_form() -> None:
    assert _actor("Germany decided to lift the arms embargo.", kind="policy_shift") == ("Germany", "DEU", "subject")
    assert _actor("The Arakan Army decided to lift the arms embargo.", kind="policy_shift") is None


def test_coordinated_actors_are_partners() -> None:
    ctx = cue_context("France and Germany will send troops to Romania.", "en", "deployment")
    sentence_reading = reading(ctx, "en")
    actor = engine("en").actors.actor(ctx, sentence_reading)
    assert actor.name == "France"
    assert [(p.name, p.via) for p in engine("en").actors.partners(ctx, actor, sentence_reading)] == [
        ("Germany", "subject")
    ]


@pytest.mark.parametrize(
    ("lang", "sentence", "partners"),
    [
        ("de", "Frankreich und die Niederlande schickten Soldaten nach Rumänien.", ["Niederlande"]),
        (
            "de",
            "Deutschland, Frankreich und die Niederlande schickten Soldaten nach Rumänien.",
            ["Deutschland", "Niederlande"],
        ),
        ("en", "The US and the UK suspended aid.", ["UK"]),
    ],
)
def test_an_article_after_the_coordinator_still_joins_the_names(lang: str, sentence: str, partners: list[str]) -> None:
    kind = "policy_shift" if lang == "en" else "deployment"
    ctx = cue_context(sentence, lang, kind)
    sentence_reading = reading(ctx, lang)
    actor = engine(lang).actors.actor(ctx, sentence_reading)
    assert sorted(p.name for p in engine(lang).actors.partners(ctx, actor, sentence_reading)) == partners


def test_a_name_alone_has_no_partners() -> None:
    ctx = cue_context("Russia sent troops to Syria and Iraq.", "en", "deployment")
    sentence_reading = reading(ctx, "en")
    actor = engine("en").actors.actor(ctx, sentence_reading)
    assert engine("en").actors.partners(ctx, actor, sentence_reading) == []


def test_foreign_forces_stationed_right_after_their_noun() -> None:
    stages = engine("de")
    ctx = cue_context(
        "Nach Erkenntnissen des ukrainischen Militärgeheimdienstes sollen nordkoreanische Soldaten bereits in "
        "Kursk sein.",
        "de",
        "deployment",
    )
    sentence_reading = reading(ctx, "de")
    actor = stages.actors.actor(ctx, sentence_reading)
    place = stages.places.location(ctx, sentence_reading.mentions, sentence_reading.attributions)
    assert stages.actors.stationed_abroad(ctx.text, actor, place)
    assert not stages.actors.stationed_abroad(ctx.text, actor, None)
