"""The places stage (streams/extraction/places.py): where a deployment goes."""

from __future__ import annotations

import pytest
from support.stages import cue_context, engine, reading


def _place(sentence: str, lang: str) -> tuple[str, str | None, str] | None:
    ctx = cue_context(sentence, lang, "deployment")
    sentence_reading = reading(ctx, lang)
    place = engine(lang).places.location(ctx, sentence_reading.mentions, sentence_reading.attributions)
    return None if place is None else (place.name, place.country, place.key)


@pytest.mark.parametrize(
    ("lang", "sentence", "expected"),
    [
        ("en", "Russia sent troops to Syria.", ("Syria", "SYR", "SYR")),
        ("en", "The United States will deploy about 600 troops to Saudi Arabia.", ("Saudi Arabia", "SAU", "SAU")),
        ("de", "Nordkorea hat weitere 3.000 Soldaten nach Russland geschickt.", ("Russland", "RUS", "RUS")),
        # a part of a country
        ("de", "Russland verlegt Truppen in den Osten der Ukraine.", ("Osten der Ukraine", "UKR", "osten der ukraine")),
        # a place after a participle attribute that names its neighbour
        (
            "de",
            "Finnland verlegt Soldaten in die an Russland grenzende Region Karelien.",
            ("Karelien", "RUS", "karelien"),
        ),
    ],
)
def test_the_destination(lang: str, sentence: str, expected: tuple[str, str | None, str]) -> None:
    assert _place(sentence, lang) == expected


@pytest.mark.parametrize(
    ("lang", "sentence"),
    [
        ("en", "Russia sent troops."),
    ],
)
def test_no_named_destination(lang: str, sentence: str) -> None:
    assert _place(sentence, lang) is None


def test_a_border_named_after_the_neighbour_keeps_its_name_and_leaves_the_side_to_the_actor() -> None:
    ctx = cue_context("Die Bundeswehr verlegt Soldaten an die Grenze zu Polen.", "de", "deployment")
    sentence_reading = reading(ctx, "de")
    place = engine("de").places.location(ctx, sentence_reading.mentions, sentence_reading.attributions)
    assert (place.name, place.country, place.neighbour) == ("Grenze zu Polen", None, "POL")


def test_the_preposition_is_recorded() -> None:
    sentence = "Russia sent troops to Syria."
    ctx = cue_context(sentence, "en", "deployment")
    sentence_reading = reading(ctx, "en")
    place = engine("en").places.location(ctx, sentence_reading.mentions, sentence_reading.attributions)
    assert place.preposition_start == sentence.index(" to ") + 1
