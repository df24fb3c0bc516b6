"""German deployments of the twenty-third session: weapons and aircraft stationed or moved, counted forces with no place
serving the state the article is about, and forces as the object of support; sentences written for this session (none
from the pool or the corpus), read by the whole extractor."""

from __future__ import annotations

import pytest

from schemas import Article
from streams.extraction import Extractor

# (article, the deployment's actor code, its place as written): each must yield exactly that one deployment.
EVENTS = [
    # Weapons and aircraft stationed or moved ("stationiert", "Stationierung von", "verlegt").
    ("Seit dem Herbst hat Russland Kampfbomber und Hubschrauber in Latakia stationiert.", "RUS", "Latakia"),
    ("Die USA haben die Stationierung von Raketen in Deutschland angekündigt.", "USA", "Deutschland"),
    ("Russland hat Iskander-Raketen nach Kaliningrad verlegt.", "RUS", "Kaliningrad"),
    ("Die Nato kündigte die Verlegung von Abwehrsystemen in die Türkei an.", "Nato", "Türkei"),
    ("Moskau hat zusätzliche Raketensysteme auf die Krim verlegt.", "RUS", "Krim"),
    ("Russland will Iskander-Raketen in Kaliningrad stationieren.", "RUS", "Kaliningrad"),
    ("Die Bundesregierung plant die Stationierung von Eurofightern in Litauen.", "DEU", "Litauen"),
    # Counted forces the sentence places nowhere serve the state the rest of the article is about.
    (
        "Frankreich richtet die Spiele aus. Mehr als 30.000 Polizisten und Soldaten sind im Einsatz.",
        "FRA",
        None,
    ),
    # "im Einsatz sein": the verb "sein", not a possessive that would hide an owner.
    (
        "Die Spiele in Paris beginnen heute. 45.000 Polizisten werden heute im Einsatz sein. In Paris gilt Alarm.",
        "FRA",
        None,
    ),
    (
        "Die Türkei wählt am Sonntag ein neues Parlament. Mehr als 380.000 Sicherheitskräfte sollen im Einsatz sein.",
        "TUR",
        None,
    ),
    # Where the sentence names a place, its state owns them, not the state the article is about (the place is then
    # the actor's own and left out, as before).
    ("Die Ukraine wählt. In Wien sind 1.300 Polizisten im Einsatz.", "AUT", None),
]

NO_EVENT = [
    # Weapons fired, seized, or a stationing refused by others.
    "Die Hamas feuerte Raketen auf Israel ab.",
    "Die Polizei stellte bei der Razzia in Wien zahlreiche Waffen sicher.",
    "Die Opposition lehnt die Stationierung von Atomwaffen in Deutschland ab.",
    "Die Separatisten in der Ostukraine erhielten nach Angaben Kiews Raketen aus Russland.",
    # Counted forces with no place in an article that names two states alike: no owner is guessed.
    "Frankreich und Belgien spielen heute. Mehr als 3.000 Polizisten sind im Einsatz. Belgien und Frankreich hoffen.",
    # A promise or offer to support or help forces sends none (the learned stage proposed these).
    "Der Minister versprach, die Soldaten in Mali zu unterstützen.",
    "Die Kanzlerin sagte zu, die Truppen in Afghanistan mit Geld zu unterstützen.",
    "Der Minister bot an, den Soldaten in Mali zu helfen.",
]


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


def _deployments(extractor: Extractor, text: str) -> list[tuple[str | None, str | None]]:
    events = extractor.extract(Article(id="unseen-de23", text=text, lang="de")).events
    return [
        (e.actor.country or e.actor.name, e.location.name if e.location else None)
        for e in events
        if e.type.value == "deployment"
    ]


@pytest.mark.parametrize(("text", "actor", "place"), EVENTS)
def test_a_deployment_is_read_with_its_owner_and_place(
    extractor: Extractor, text: str, actor: str, place: str | None
) -> None:
    assert _deployments(extractor, text) == [(actor, place)]


@pytest.mark.parametrize("text", NO_EVENT)
def test_a_near_miss_is_no_deployment(extractor: Extractor, text: str) -> None:
    assert _deployments(extractor, text) == []


def test_a_force_the_supported_are_is_still_sent() -> None:
    """The support disqualifier reads forces as the object of "zu unterstützen"; a sending clause before it stands."""
    sentence = "Das Bundesheer schickt 200 Soldaten nach Spielfeld, um die Polizei zu unterstützen."
    events = Extractor(model_root=None).extract(Article(id="unseen-de23", text=sentence, lang="de")).events
    assert [(e.actor.country, e.evidence.rule) for e in events] == [("AUT", "de.deployment.send")]
