"""Deployment and denial sentences written for the nineteenth session's learned-stage check (none from the pool):
the whole extractor (rules and the committed models) finds the events and leaves the near misses alone."""

from __future__ import annotations

import pytest

from schemas import Article
from streams.extraction import Extractor

# (language, type, whether an event of the type stands, sentence): half events, half near misses (a match, history,
# a demand, a hypothetical, a court, a denial not made, an announcement).
ROWS = [
    (
        "de",
        "deployment",
        True,
        "Die Bundeswehr verlegt weitere 300 Fallschirmjäger nach Litauen, teilte das Verteidigungsministerium am Dienstag mit.",
    ),
    ("de", "deployment", True, "Frankreich entsendet zwei Fregatten ins Rote Meer, um Handelsschiffe zu schützen."),
    (
        "de",
        "deployment",
        True,
        "Rund 1.200 Polizisten sind beim Gipfeltreffen in Hamburg im Einsatz, teilte die Polizei mit.",
    ),
    (
        "de",
        "deployment",
        False,
        "Beim Derby zwischen Schalke und Dortmund sorgten am Samstag Hunderte Polizisten für Ordnung im Stadion.",
    ),
    ("de", "deployment", False, "Im Jahr 1999 hatte die Nato Truppen in den Kosovo entsandt."),
    ("de", "deployment", False, "Die Opposition fordert, die Regierung solle Soldaten an die Grenze schicken."),
    (
        "de",
        "denial",
        True,
        "Das Außenministerium in Moskau wies die Berichte über einen geplanten Angriff als haltlos zurück.",
    ),
    ("de", "denial", True, "Die Regierung in Teheran dementierte, Drohnen an Russland geliefert zu haben."),
    ("de", "denial", False, "Das Gericht wies die Berufung des Angeklagten am Montag zurück."),
    ("de", "denial", False, "Der Minister hat die Vorwürfe nicht bestritten."),
    ("de", "denial", False, "Die Regierung kündigte an, das Gesetz im Herbst vorzulegen."),
    ("en", "deployment", True, "Britain is sending 500 more troops to Estonia, the defence secretary said on Monday."),
    ("en", "deployment", True, "Japan dispatched two destroyers to the waters off Somalia to escort merchant ships."),
    (
        "en",
        "deployment",
        True,
        "The Pentagon has deployed an aircraft carrier strike group to the eastern Mediterranean.",
    ),
    ("en", "deployment", False, "Hundreds of police officers were on duty at the cup final at Wembley on Saturday."),
    ("en", "deployment", False, "Lawmakers urged the government to send troops to the border."),
    ("en", "denial", True, "The Kremlin denied reports that it had moved nuclear weapons to Belarus."),
    ("en", "denial", False, "The Supreme Court rejected the appeal on Thursday."),
    ("en", "denial", False, "The minister did not deny that talks had taken place."),
]


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


@pytest.mark.parametrize(("lang", "type_", "stands", "sentence"), ROWS)
def test_an_unseen_sentence_is_read_as_its_kind(
    extractor: Extractor, lang: str, type_: str, stands: bool, sentence: str
) -> None:
    events = extractor.extract(Article(id="unseen", text=sentence, lang=lang)).events
    assert any(e.type == type_ for e in events) is stands
