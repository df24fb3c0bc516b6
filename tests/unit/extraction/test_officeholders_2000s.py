"""Officeholders and seats of power of 2000-2025 news act for their state; near misses keep them out."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from support.extraction import deployments_of

from schemas import Article
from streams.extraction import extract

LEXICONS = Path(__file__).resolve().parents[3] / "streams" / "extraction" / "lexicons"

# Sentences written for the twentieth session in the style of 2004-05 and 2015-16 news (none from the pool):
# (language, sentence, the (type, actor state) events it must give).
EVENTS = [
    (
        "en",
        "Defence Secretary Geoff Hoon denied that British troops had been ordered to move north of Basra.",
        "denial",
        "GBR",
    ),
    (
        "en",
        "Rumsfeld on Tuesday denied reports that the Pentagon had approved harsh interrogation methods.",
        "denial",
        "USA",
    ),
    ("en", "Jack Straw rejected claims that Britain had known about the secret flights.", "denial", "GBR"),
    ("en", "Schroeder denied that Germany would send troops to Iraq.", "denial", "DEU"),
    ("en", "Colin Powell denied that Washington had softened its stance on North Korea.", "denial", "USA"),
    ("en", "Musharraf denied that Pakistani troops had crossed into Afghanistan.", "denial", "PAK"),
    ("en", "Abbas rejected reports that the Palestinian Authority had halted security talks.", "denial", "PSE"),
    ("en", "Number 10 denied that the prime minister had been warned about the dossier.", "denial", "GBR"),
    ("en", "The Quai d'Orsay denied that a ransom had been paid for the two journalists.", "denial", "FRA"),
    ("de", "Faymann wies Berichte zurück, wonach Österreich die Grenze zu Ungarn schließen wolle.", "denial", "AUT"),
    (
        "de",
        "Kanzlerin Merkel wies den Vorwurf zurück, ihre Regierung habe die Grenzen zu spät geschlossen.",
        "denial",
        "DEU",
    ),
    (
        "de",
        "Außenminister Kurz bestritt, dass Wien die Westbalkanroute im Alleingang schließen wolle.",
        "denial",
        "AUT",
    ),
    ("de", "Obama kündigte an, die USA würden 250 weitere Soldaten nach Syrien schicken.", "deployment", "USA"),
    ("de", "Davutoğlu wies den Vorwurf zurück, die Türkei unterstütze den IS.", "denial", "TUR"),
    ("de", "Sobotka wies die Kritik des UNHCR an den Zäunen als unbegründet zurück.", "denial", "AUT"),
    ("de", "Der Ballhausplatz wies die Berichte über einen Koalitionsstreit zurück.", "denial", "AUT"),
    # Austria's chancellor bears the title of Germany's: the named officeholder decides the state.
    ("de", "Bundeskanzler Werner Faymann wies die Berichte über einen Grenzzaun zurück.", "denial", "AUT"),
    ("de", "Bundeskanzler Christian Kern wies die Kritik aus Brüssel an den Grenzkontrollen zurück.", "denial", "AUT"),
    ("de", "Bundeskanzler Olaf Scholz wies die Berichte über einen Koalitionsbruch zurück.", "denial", "DEU"),
    ("de", "Das Militärkommando Kärnten schickt 200 Soldaten an die Grenze zu Slowenien.", "deployment", "AUT"),
    ("de", "Das Grenzwachtkorps verlegt 100 Grenzwächter an die Grenze zu Italien.", "deployment", "CHE"),
    ("de", "Cerar wies den Vorwurf zurück, Slowenien lasse Flüchtlinge unkontrolliert passieren.", "denial", "SVN"),
]

# Near misses: (language, sentence, a state none of its events may be given).
NEAR_MISSES = [
    ("en", "The court rejected Rumsfeld's appeal against the ruling.", "USA"),
    ("en", "Blair did not deny that the talks had been difficult.", "GBR"),
    ("en", "Rice prices rose sharply in Asia on Tuesday.", "USA"),
    ("en", "Police in Baghdad said the market had been closed for the holiday.", "IRQ"),
    ("en", "Former president Bill Clinton underwent heart surgery in New York.", "USA"),
    ("en", "Straw polls suggest the plan remains popular.", "GBR"),
    ("en", "The new stadium in The Hague denied entry to fans without tickets.", "GBR"),
    ("de", "Kurz darauf wies die Polizei Berichte über Ausschreitungen beim Fußballspiel zurück.", "AUT"),
    ("de", "Im Kern bleibt die Regierung bei ihrem Plan, das Asylrecht nicht zu ändern.", "AUT"),
    ("de", "Die Polizei war beim Fußballspiel in Wien mit 500 Beamten im Einsatz.", "AUT"),
    ("de", "Faymann erinnerte an den Einmarsch der Wehrmacht im Jahr 1938.", "AUT"),
    ("de", "Die Altkanzlerin Merkel wies in ihrem Buch die Kritik an ihrer Russlandpolitik zurück.", "DEU"),
]


def _events(lang: str, text: str) -> set[tuple[str, str | None]]:
    return {(e.type.value, e.actor.country) for e in extract(Article(id="t", text=text, lang=lang)).events}


@pytest.mark.parametrize(("lang", "text", "kind", "country"), EVENTS)
def test_an_officeholder_of_the_2000s_acts_for_the_state(lang: str, text: str, kind: str, country: str) -> None:
    assert (kind, country) in _events(lang, text)


@pytest.mark.parametrize(("lang", "text", "country"), NEAR_MISSES)
def test_a_near_miss_gives_the_named_state_no_event(lang: str, text: str, country: str) -> None:
    assert country not in {state for _, state in _events(lang, text)}


@pytest.mark.parametrize(
    ("text", "place", "country"),
    [
        ("Das Bundesheer schickt 500 Soldaten nach Spielfeld.", "Spielfeld", "AUT"),
        ("Ungarn verlegt weitere 300 Soldaten nach Röszke an die Grenze zu Serbien.", "Röszke", "HUN"),
    ],
)
def test_a_border_crossing_of_2015_is_the_deployment_s_place(text: str, place: str, country: str) -> None:
    assert [(p, c) for _, p, c in deployments_of(text, "de")] == [(place, country)]


_YEARS = re.compile(r"\d{4}")


@pytest.mark.parametrize("lang", ["en", "de", "fr", "uk"])
def test_a_former_officeholder_states_the_years_of_the_office(lang: str) -> None:
    """An analyst sees why a former officeholder's name stands for a state: the office says when it was held."""
    people = json.loads((LEXICONS / lang / "people.json").read_text(encoding="utf-8"))["officeholders"]
    undated = [p["names"][0] for p in people if "former" in p["office"] and not _YEARS.search(p["office"])]
    assert undated == []
