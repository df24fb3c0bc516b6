"""German deployments of the session-20 conventions (ground forces fighting or operating in a named place, a state's
bases, standing presence since a year) and their place and number: sentences written for the twenty-first session
(none from the pool or the corpus), read by the whole extractor."""

from __future__ import annotations

import pytest

from schemas import Article
from streams.extraction import Extractor

# (sentence, the deployment's actor code, its place as written, its number): each must yield exactly that event.
EVENTS = [
    # An offensive or military operation owned by an adjective or a genitive, in a named place.
    ("Die türkische Militäroffensive in Nordsyrien geht in die zweite Woche.", "TUR", "Nordsyrien", None),
    ("Die russische Offensive im Osten der Ukraine kommt nur langsam voran.", "RUS", "Osten der Ukraine", None),
    # Ground forces fighting or operating in a place ("kämpfen" only where it cannot be the noun's dative plural).
    ("Ukrainische Truppen kämpfen seit Tagen in der Stadt Bachmut.", "UKR", "Bachmut", None),
    ("Die irakische Armee kämpft seit Wochen in Ramadi gegen den IS.", "IRQ", "Ramadi", None),
    ("Französische Spezialeinheiten operieren im Norden Malis.", "FRA", "Norden Malis", None),
    # A state that maintains a base somewhere.
    ("Russland unterhält einen Marinestützpunkt in der syrischen Hafenstadt Tartus.", "RUS", "Tartus", None),
    ("Die USA unterhalten in Katar eine große Luftwaffenbasis.", "USA", "Katar", None),
    # Force nouns: reconnaissance jets, police Hundertschaften, armour moved.
    ("Die Bundeswehr schickt sechs Tornado-Aufklärungsjets nach Syrien.", "DEU", "Syrien", None),
    ("Deutschland verlegt Aufklärungsflugzeuge in die Türkei.", "DEU", "Türkei", None),
    ("Die Bundespolizei schickt Hundertschaften nach Passau.", "DEU", "Passau", None),
    ("Die Türkei hat Panzer an die syrische Grenze verlegt.", "TUR", "syrische Grenze", None),
    # Standing presence since a year is no history; an ordinal is no number; a range counts from its first number.
    # (The first two were no-deployment rows of test_scope until session 20 adjudicated old presence a deployment.)
    ("Seit mehr als 60 Jahren sind britische Soldaten auf Zypern stationiert.", "GBR", "Zypern", None),
    ("Seit Jahrzehnten sind italienische Truppen im Libanon stationiert.", "ITA", "Libanon", None),
    ("Das Bundesheer ist seit 1999 im Kosovo im Einsatz.", "AUT", "Kosovo", None),
    ("Seit 1945 sind amerikanische Soldaten in Deutschland stationiert.", "USA", "Deutschland", None),
    (
        "In Abchasien sind seit den 1990er Jahren russische Einheiten mit 3000 bis 4000 Soldaten stationiert.",
        "RUS",
        "Abchasien",
        3000,
    ),
    ("Die 82. amerikanische Luftlandedivision wurde nach Polen verlegt.", "USA", "Polen", None),
]

# Near misses: casualties and withdrawals after fighting, the noun "Kämpfen", sport, surgery, a campaign called an
# offensive, an offensive only warned of, history dated by a year, a company's base.
NO_EVENT = [
    "Bei den Kämpfen in Aleppo wurden 20 Soldaten getötet.",
    "Nach heftigen Kämpfen in der Stadt zogen sich die Truppen zurück.",
    "Die Spieler kämpften in der zweiten Halbzeit um den Ausgleich.",
    "Der Chirurg operiert im Krankenhaus in Graz seit zwanzig Jahren.",
    "Die Regierung startet eine Bildungsoffensive in den Schulen.",
    "Die Mannschaft zeigte in der Offensive im zweiten Durchgang mehr Mut.",
    "Biden warnte vor einer möglichen Offensive in Rafah.",
    "Im Jahr 1999 schickte das Bundesheer Soldaten in den Kosovo.",
    "1956 marschierten sowjetische Truppen in Ungarn ein.",
    "Ryanair unterhält in Wien einen Stützpunkt.",
    "Beim Derby in Graz waren 600 Polizisten im Einsatz.",
    "Deutschland liefert weitere Panzer an die Ukraine.",
]


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


def _deployments(extractor: Extractor, sentence: str) -> list[tuple[str | None, str | None, int | None]]:
    events = extractor.extract(Article(id="unseen-de21", text=sentence, lang="de")).events
    return [
        (
            e.actor.country or e.actor.name,
            e.location.name if e.location else None,
            e.quantity.value if e.quantity else None,
        )
        for e in events
        if e.type.value == "deployment"
    ]


@pytest.mark.parametrize(("sentence", "actor", "place", "number"), EVENTS)
def test_a_stated_deployment_is_read_with_its_place_and_number(
    extractor: Extractor, sentence: str, actor: str, place: str | None, number: int | None
) -> None:
    assert _deployments(extractor, sentence) == [(actor, place, number)]


@pytest.mark.parametrize("sentence", NO_EVENT)
def test_a_near_miss_is_no_event(extractor: Extractor, sentence: str) -> None:
    assert extractor.extract(Article(id="unseen-de21", text=sentence, lang="de")).events == ()


def test_an_amount_opening_the_sentence_names_no_actor(extractor: Extractor) -> None:
    text = "Mehr als 2.000 Soldaten wurden an die Grenze zu Finnland verlegt."
    events = extractor.extract(Article(id="unseen-de21", text=text, lang="de")).events
    assert all(e.actor.name != "Mehr" for e in events)
