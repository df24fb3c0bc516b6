"""People as actors, coordinated actors, place phrases and further cues, on sentences written for these tests."""

from __future__ import annotations

import json

import pytest
from support.extraction import events_of as _events

from streams.extraction.lexicon import DEFAULT_ROOT, available_languages, read_lexicon


def _actors(text: str, lang: str, kind: str) -> set[str | None]:
    return {e.actor.country for e in _events(text, lang, kind)}


def _place(text: str, lang: str):
    [event] = _events(text, lang, "deployment")
    return event.location


# ---------------------------------------------------------------- people and organs


@pytest.mark.parametrize(
    ("lang", "text", "kind", "country"),
    [
        ("en", "President Macron said France would dispatch two frigates to the Gulf of Guinea.", "deployment", "FRA"),
        ("en", "Erdogan ordered 1,500 soldiers to the province of Hatay.", "deployment", "TUR"),
        ("en", "Lavrov dismissed the reports as Western propaganda.", "denial", "RUS"),
        ("de", "Pistorius kündigte an, 300 Soldaten nach Litauen zu verlegen.", "deployment", "DEU"),
        ("de", "Lawrow wies die Vorwürfe als haltlos zurück.", "denial", "RUS"),
        (
            "de",
            "Der polnische Verteidigungsminister ließ zwei Brigaden an die Ostgrenze verlegen.",
            "deployment",
            "POL",
        ),
        (
            "en",
            "The Japanese defence minister said destroyers had been deployed to the East China Sea.",
            "deployment",
            "JPN",
        ),
    ],
)
def test_people_and_titles_act_for_their_state(lang: str, text: str, kind: str, country: str) -> None:
    assert _actors(text, lang, kind) == {country}


def test_an_officeholder_is_a_person_of_a_state() -> None:
    [event] = _events("Sheinbaum denied the reports about cartel payments.", "en", "denial")
    assert (event.actor.name, event.actor.country, event.actor.kind.value) == ("Sheinbaum", "MEX", "person")


@pytest.mark.parametrize("lang", available_languages())
def test_people_files_are_dated_and_name_states(lang: str) -> None:
    people = read_lexicon(DEFAULT_ROOT / lang).people
    assert people.as_of[:4].isdigit() and people.officeholders
    raw = json.loads((DEFAULT_ROOT / lang / "people.json").read_text(encoding="utf-8"))
    assert set(raw) == {"as_of", "officeholders"}


def test_a_person_is_never_a_place() -> None:
    [event] = _events("Belgium sent 200 paratroopers to Starmer's summit venue in London.", "en", "deployment")
    assert event.location is None or event.location.name != "Starmer"


# ---------------------------------------------------------------- coordination


@pytest.mark.parametrize(
    ("lang", "text", "kind", "countries"),
    [
        ("en", "Spain, Portugal and Greece will send warships to the Aegean.", "deployment", {"ESP", "PRT", "GRC"}),
        ("en", "Norway and Denmark rejected the claims as fabricated.", "denial", {"NOR", "DNK"}),
        ("de", "Litauen und Lettland wiesen die Berichte als Fälschung zurück.", "denial", {"LTU", "LVA"}),
        ("de", "Schweden sowie Finnland verlegen Kampfjets nach Island.", "deployment", {"SWE", "FIN"}),
        # An article after the coordinator.
        ("de", "Frankreich und die Niederlande schickten Soldaten nach Rumänien.", "deployment", {"FRA", "NLD"}),
        ("de", "Die Türkei und der Iran wiesen die Berichte zurück.", "denial", {"TUR", "IRN"}),
        ("en", "The US and the UK suspended funding to UNRWA.", "policy_shift", {"USA", "GBR"}),
    ],
)
def test_coordinated_actors_each_get_an_event(lang: str, text: str, kind: str, countries: set[str]) -> None:
    assert _actors(text, lang, kind) == countries


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "Neither Athens nor Ankara denied the report."),
        ("de", "Weder Wien noch Prag dementierten den Bericht."),
    ],
)
def test_neither_nor_negates_every_actor(lang: str, text: str) -> None:
    assert _events(text, lang) == []


def test_a_list_without_coordinator_is_no_coalition() -> None:
    countries = _actors("In Vienna, Austria denied the report.", "en", "denial")
    assert countries == {"AUT"}


def test_names_after_a_preposition_are_not_partners() -> None:
    assert _actors("Talks between Chile and Peru ended as Bolivia moved troops to the border.", "en", "deployment") <= {
        "BOL"
    }


# ---------------------------------------------------------------- places


@pytest.mark.parametrize(
    ("lang", "text", "name", "country"),
    [
        ("en", "Kenya deployed 400 police officers to the restive county of Lamu.", "Lamu", None),
        ("en", "Colombia moved two battalions to the border town of Cucuta.", "Cucuta", None),
        ("en", "Australia sent a frigate to the Strait of Hormuz.", "Strait of Hormuz", None),
        ("en", "Algeria has deployed troops to the south of Mali.", "south of Mali", "MLI"),
        ("de", "Kiew verlegt zwei Brigaden in den Süden der Ukraine.", "Süden der Ukraine", "UKR"),
        ("de", "Die Türkei hat Truppen in den Norden Syriens verlegt.", "Norden Syriens", "SYR"),
        ("de", "Nigeria hat 2.000 Soldaten in den Unruhestaat Borno entsandt.", "Borno", None),
        ("de", "Japan verlegt Zerstörer auf die Koreanische Halbinsel.", "Koreanische Halbinsel", None),
        ("de", "Marokko hat Truppen in die an Algerien grenzende Provinz Figuig verlegt.", "Figuig", None),
        ("de", "Polen schickt Soldaten in die Region um Suwałki nahe der Grenze zu Litauen.", "Suwałki", None),
        ("de", "Chile hat 500 Soldaten an die Nordgrenze geschickt.", "Nordgrenze", None),
    ],
)
def test_place_phrases(lang: str, text: str, name: str, country: str | None) -> None:
    location = _place(text, lang)
    assert location is not None and location.name == name
    if country is not None:
        assert location.country == country


@pytest.mark.parametrize(
    ("lang", "text", "name", "country"),
    [
        ("en", "Greece moved troops to the border with Turkey.", "border with Turkey", "GRC"),
        ("de", "Belarus hat Truppen an die Grenze zu Litauen verlegt.", "Grenze zu Litauen", "BLR"),
        ("de", "Russland hat 10.000 Soldaten an die Grenze zu Finnland verlegt.", "Grenze zu Finnland", "RUS"),
    ],
)
def test_a_border_named_after_the_neighbour_lies_on_the_acting_states_side(
    lang: str, text: str, name: str, country: str
) -> None:
    location = _place(text, lang)
    assert (location.name, location.country) == (name, country)


def test_a_border_named_by_an_adjective_is_not_read_as_a_place_yet() -> None:
    assert _place("Serbia massed troops along the Kosovar border.", "en") is None


def test_us_states_come_from_geonames() -> None:
    location = _place("Washington sent 700 marines to Arizona.", "en")
    assert (location.name, location.country) == ("Arizona", "USA")


# ---------------------------------------------------------------- cues


@pytest.mark.parametrize(
    ("lang", "text", "kind"),
    [
        ("en", "Turkish troops have set up two observation posts in the province of Idlib.", "deployment"),
        ("de", "Russische Soldaten haben einen neuen Stützpunkt in Mali errichtet.", "deployment"),
        ("en", "Jordan reopened its border crossing with Syria.", "policy_shift"),
        ("de", "Ungarn öffnete die Grenze zu Serbien wieder.", "policy_shift"),
        ("en", "Thailand lifted the curfew in three southern provinces.", "policy_shift"),
        ("de", "Georgien hob die Ausgangssperre in Tiflis auf.", "policy_shift"),
        ("en", "Canada halted aid to Haiti.", "policy_shift"),
        ("en", "Ecuador severed diplomatic ties with Mexico.", "policy_shift"),
        ("de", "Macron schließt die Entsendung von Bodentruppen nicht mehr aus.", "policy_shift"),
        ("en", "Washington lifted sanctions against a Chinese shipping company.", "policy_shift"),
        ("en", "Ghana has sent a team of military engineers to Liberia.", "deployment"),
    ],
)
def test_cues(lang: str, text: str, kind: str) -> None:
    assert _events(text, lang, kind), text


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "Exiles urged the president to send peacekeepers to the capital."),
        ("en", "Ruritania signed an agreement on establishing a naval logistics base abroad."),
        ("en", "The league's football team arrived in Madrid for the final."),
    ],
)
def test_no_event(lang: str, text: str) -> None:
    assert _events(text, lang) == []
