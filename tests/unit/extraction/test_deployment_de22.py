"""German deployments of the twenty-second session: a border named by an adjective, a place a clause points back to,
and forces supporting a security body; sentences written for this session (none from the pool or the corpus),
read by the whole extractor."""

from __future__ import annotations

import pytest

from schemas import Article
from streams.extraction import Extractor

# (sentence, the deployment's actor code, its place as written, the place's country): each must yield exactly that.
EVENTS = [
    # "an die syrische Grenze" is the border with Syria, on the actor's side, as "an die Grenze zu Syrien" is.
    ("Die Türkei hat weitere Panzer an die syrische Grenze verlegt.", "TUR", "syrische Grenze", "TUR"),
    ("Ungarn schickt Soldaten an die serbische Grenze.", "HUN", "serbische Grenze", "HUN"),
    (
        "Das Bundesheer hat 200 zusätzliche Soldaten an die slowenische Grenze geschickt.",
        "AUT",
        "slowenische Grenze",
        "AUT",
    ),
    # The actor is the state the border is named after: still its own side.
    ("Russland hat an der russischen Grenze weitere Truppen zusammengezogen.", "RUS", "russischen Grenze", "RUS"),
    # A place the cue's clause points back to: a "wo" clause, a place phrase fronted before a relative clause.
    ("In Syrien liegt der Flugplatz Hmeimim, wo russische Kampfjets stationiert sind.", "RUS", "Syrien", "SYR"),
    (
        "In Estland, das an Russland grenzt, sind seit dem Frühjahr 800 britische Soldaten stationiert.",
        "GBR",
        "Estland",
        "EST",
    ),
    ("In Mali, wo Islamisten den Norden bedrohen, sind 650 Soldaten der Bundeswehr im Einsatz.", "DEU", "Mali", "MLI"),
    # Forces supporting a security body ("Assistenzeinsatz").
    ("Rund 500 Soldaten des Bundesheeres unterstützen die Polizei in Spielfeld.", "AUT", "Spielfeld", "AUT"),
    (
        "Ungarische Soldaten unterstützen seit Dienstag die Polizei an der Grenze zu Serbien.",
        "HUN",
        "Grenze zu Serbien",
        "HUN",
    ),
]

# Near misses of the support rule: an attribute, a patient passive, forces as the object, a cause supported.
NO_EVENT = [
    "Ukrainische Soldaten kämpfen gegen die von Russland unterstützten Separatisten.",
    "Kurdische Kämpfer werden von den USA mit Waffen unterstützt.",
    "Der Minister versprach, die Soldaten in Mali zu unterstützen.",
    "Polizisten unterstützen die Kampagne gegen Gewalt an Schulen.",
    "An der serbischen Grenze stauten sich am Montag die Lastwagen.",
]


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


def _deployments(extractor: Extractor, sentence: str) -> list[tuple[str | None, str | None, str | None]]:
    events = extractor.extract(Article(id="unseen-de22", text=sentence, lang="de")).events
    return [
        (
            e.actor.country or e.actor.name,
            e.location.name if e.location else None,
            e.location.country if e.location else None,
        )
        for e in events
        if e.type.value == "deployment"
    ]


@pytest.mark.parametrize(("sentence", "actor", "place", "country"), EVENTS)
def test_a_deployment_is_read_with_its_place(
    extractor: Extractor, sentence: str, actor: str, place: str, country: str
) -> None:
    assert _deployments(extractor, sentence) == [(actor, place, country)]


@pytest.mark.parametrize("sentence", NO_EVENT)
def test_a_near_miss_is_no_event_for_the_rules(sentence: str) -> None:
    # The rules alone: the learned German deployment stage (on again since the twenty-second release's retrain, at
    # threshold 0.1) reads one of these as a deployment; see the strict expected failure below.
    rules = Extractor(model_root=None)
    assert rules.extract(Article(id="unseen-de22", text=sentence, lang="de")).events == ()


def test_a_promise_to_support_soldiers_is_no_learned_deployment(extractor: Extractor) -> None:
    promise = "Der Minister versprach, die Soldaten in Mali zu unterstützen."
    assert extractor.extract(Article(id="unseen-de22", text=promise, lang="de")).events == ()
