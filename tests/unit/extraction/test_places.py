"""The places stage (streams/extraction/places.py): where a deployment goes."""

from __future__ import annotations

from support.extraction import deployments_of, events_of, one_event
from support.sentences import sentence_table
from support.stages import cue_context, engine, reading

from schemas import Location


def _place(sentence: str, lang: str) -> tuple[str, str | None, str] | None:
    ctx = cue_context(sentence, lang, "deployment")
    sentence_reading = reading(ctx, lang)
    place = engine(lang).places.location(ctx, sentence_reading.mentions, sentence_reading.attributions)
    return None if place is None else (place.name, place.country, place.key)


def _deployment_place(text: str, lang: str) -> Location | None:
    [event] = events_of(text, lang, "deployment")
    return event.location


@sentence_table("sentence", "expected")
def test_the_destination(lang: str, sentence: str, expected: list[str | None]) -> None:
    assert _place(sentence, lang) == tuple(expected)


@sentence_table("sentence")
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


def test_location_with_region_noun_and_demonym() -> None:
    event = one_event(
        "Die ersten nordkoreanischen Soldaten sollen in der russischen Grenzregion Kursk angekommen sein."
    )
    assert (event.location.name, event.location.country) == ("Kursk", "RUS")
    event = one_event("Russland hat Truppen in Russland zusammengezogen.")
    assert event.location is None or event.location.country == "RUS"


def test_a_person_is_never_a_place() -> None:
    [event] = events_of("Belgium sent 200 paratroopers to Starmer's summit venue in London.", "en", "deployment")
    assert event.location is None or event.location.name != "Starmer"


@sentence_table("text", "name", "country")
def test_place_phrases(lang: str, text: str, name: str, country: str | None) -> None:
    location = _deployment_place(text, lang)
    assert location is not None and location.name == name
    if country is not None:
        assert location.country == country


@sentence_table("text", "name", "country")
def test_a_border_named_after_the_neighbour_lies_on_the_acting_states_side(
    lang: str, text: str, name: str, country: str
) -> None:
    location = _deployment_place(text, lang)
    assert (location.name, location.country) == (name, country)


def test_a_border_named_by_an_adjective_is_not_read_as_a_place_yet() -> None:
    assert _deployment_place("Serbia massed troops along the Kosovar border.", "en") is None


def test_us_states_come_from_geonames() -> None:
    location = _deployment_place("Washington sent 700 marines to Arizona.", "en")
    assert (location.name, location.country) == ("Arizona", "USA")


def test_a_dateline_state_is_no_destination() -> None:
    [event] = events_of("Paris – Frankreich schickt 400 Soldaten.", "de", "deployment")
    assert event.actor.country == "FRA" and event.location is None


@sentence_table("text", "place")
def test_a_destination_is_the_name_after_its_premodified_place_noun(lang: str, text: str, place: str) -> None:
    assert place in {name for _, name, _ in deployments_of(text, lang)}


@sentence_table("text", "place", "country")
def test_provinces_and_regions_take_their_country_from_iso_3166_2(
    lang: str, text: str, place: str, country: str
) -> None:
    assert (place, country) in {(name, code) for _, name, code in deployments_of(text, lang)}


def test_a_border_named_after_a_neighbour_is_the_acting_states_side_of_it() -> None:
    # The place is the border as the text names it; the troops go to Poland's side, not into Belarus.
    expected_de = [("POL", "Grenze zu Belarus", "POL")]
    assert deployments_of("Polen schickt 500 Soldaten an die Grenze zu Belarus.", "de") == expected_de
    expected_en = [("POL", "border with Belarus", "POL")]
    assert deployments_of("Poland sent 500 troops to the border with Belarus.", "en") == expected_en
    # Whose side is unknown when no state acts: the border keeps its name, without a country.
    assert deployments_of("NATO sent troops to the border with Russia.", "en") == [("NATO", "border with Russia", None)]


def test_a_province_known_only_from_iso_3166_2_makes_no_forces_foreign_on_its_own() -> None:
    # A base "in" a province is where it stands, not a deployment; a state named in the text still is.
    assert deployments_of("Gunmen stormed a Rwandan army base in Cabo Delgado overnight.", "en") == []
    assert "UGA" in {a for a, _, _ in deployments_of("Ugandan soldiers in Somalia guard the airport.", "en")}


def test_a_premodifier_does_not_reach_across_another_preposition() -> None:
    # "to missions in X and South Sudan": "South" there is part of a name behind a second preposition.
    events = deployments_of("Kenyan police officers later returned to duties in Haiti and South Sudan.", "en")
    assert all(code != "SSD" for _, _, code in events)


def test_a_place_named_without_a_preposition_does_not_part_an_actors_events() -> None:
    # The second sentence names Zeitoun only as a premodifier: it locates the event but does not part it from the
    # first sentence's deployment of the same actor.
    text = "Chilean troops were deployed on Monday. The Zeitoun deployment of Chilean troops grew on Tuesday."
    [event] = events_of(text, "en", "deployment")
    assert event.location is not None and event.location.country == "PSE"
    assert len(event.mentions) == 1
