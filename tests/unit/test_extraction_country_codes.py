"""Country codes the gazetteer gives: only today's ISO 3166-1 states, never historic ones."""

from __future__ import annotations

import pycountry
import pytest
from support.extraction import events_of

from streams.extraction.gazetteer import Gazetteer, capitals, city_index
from streams.extraction.lexicon import available_languages, load_lexicon

_CURRENT = {country.alpha_3 for country in pycountry.countries}
_HISTORIC = {"SCG", "YUG", "CSK", "SUN", "DDR", "ANT", "XKX"}


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


@pytest.mark.parametrize(
    ("lang", "text", "kind", "country"),
    [
        ("en", "Belgrade rejected the accusations as baseless.", "denial", "SRB"),
        ("en", "Belgrade moved 1,000 soldiers to the border with Bosnia.", "deployment", "SRB"),
        ("de", "Belgrad wies die Berichte als falsch zurück.", "denial", "SRB"),
        ("en", "Prague denied the reports.", "denial", "CZE"),
        ("en", "Moscow denied the reports.", "denial", "RUS"),
        ("en", "Berlin dismissed the reports as false.", "denial", "DEU"),
    ],
)
def test_capitals_of_successor_states(lang: str, text: str, kind: str, country: str) -> None:
    assert {e.actor.country for e in events_of(text, lang, kind)} == {country}
