"""The gazetteer's tables (gazetteer.py, geodata.py, people.json): today's ISO 3166-1 states, dated officeholders."""

from __future__ import annotations

import json

import pycountry
import pytest
from support.extraction import events_of
from support.sentences import sentence_table

from streams.extraction.gazetteer import Gazetteer, capitals, city_index
from streams.extraction.lexicon import DEFAULT_ROOT, available_languages, load_lexicon, read_lexicon

_CURRENT = {country.alpha_3 for country in pycountry.countries}
_HISTORIC = {"SCG", "YUG", "CSK", "SUN", "DDR", "ANT", "XKX"}


@pytest.mark.parametrize("lang", available_languages())
def test_people_files_are_dated_and_name_states(lang: str) -> None:
    people = read_lexicon(DEFAULT_ROOT / lang).people
    assert people.as_of[:4].isdigit() and people.officeholders
    raw = json.loads((DEFAULT_ROOT / lang / "people.json").read_text(encoding="utf-8"))
    assert set(raw) == {"as_of", "officeholders"}


@pytest.mark.parametrize("lang", available_languages())
def test_every_name_resolves_to_a_current_state(lang: str) -> None:
    gazetteer = Gazetteer(load_lexicon(lang))
    codes = {entity.country for entity in gazetteer._names.values() if entity.country}
    codes |= {entity.country for entity in gazetteer._adjectives.values() if entity.country}
    assert codes <= _CURRENT
    assert not codes & _HISTORIC


def test_capitals_and_cities_use_current_codes() -> None:
    assert set(capitals()) <= _CURRENT
    assert {code for _, code in city_index().values()} <= _CURRENT


@sentence_table("text", "kind", "country")
def test_capitals_of_successor_states(lang: str, text: str, kind: str, country: str) -> None:
    assert {e.actor.country for e in events_of(text, lang, kind)} == {country}


@pytest.mark.parametrize(
    ("text", "name", "country"),
    [
        ("Am Hafen standen Beamte der Guardia Civil.", "Guardia Civil", "ESP"),
        ("Vor dem Palast patrouillierten Carabinieri.", "Carabinieri", "ITA"),
    ],
)
def test_named_national_police_forces_are_state_forces(text: str, name: str, country: str) -> None:
    # "Beamte der Guardia Civil": a force whose owner the lists lacked (eighteenth session).
    [mention] = Gazetteer(load_lexicon("de")).find(text, 0, len(text))
    assert (mention.text, mention.entity.country, mention.entity.is_force) == (name, country, True)


@pytest.mark.parametrize(
    ("text", "countries"),
    [
        # Colombia, Peru, Ecuador and others call their police "Policía Nacional" too: the name is not listed, so
        # the place says whose police moved.
        ("In Kolumbien hat die Policía Nacional 3.000 Polizisten nach Cali verlegt.", {"COL"}),
        # Valencia is a city of Spain and of Venezuela: no listed place forces one (review 18 mends, finding 4), so
        # a text about Venezuela keeps its Valencia Venezuelan, actor included.
        ("Im Westen Venezuelas sind in Valencia 4.000 Soldaten im Einsatz.", {"VEN"}),
    ],
)
def test_a_name_many_states_share_gives_the_state_the_text_means(text: str, countries: set[str]) -> None:
    assert {e.actor.country for e in events_of(text, "de", "deployment")} == countries


@pytest.mark.parametrize("text", ["Die WHO warnte vor Seuchen.", "Die Weltgesundheitsorganisation warnte vor Seuchen."])
def test_a_body_with_no_forces_is_marked_unarmed_in_german_too(text: str) -> None:
    # entities.json "unarmed", as in English: the WHO may deny or shift policy, but it deploys no forces.
    [mention] = Gazetteer(load_lexicon("de")).find(text, 0, len(text))
    assert not mention.entity.may_act_for("deployment")
    assert mention.entity.may_act_for("denial")
