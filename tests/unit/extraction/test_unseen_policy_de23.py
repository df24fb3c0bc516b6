"""German policy shifts written for the twenty-third session's check (none from the pool), in the style of Austrian
news of 2015-16: a state closing its border (the mirror of the reopening rule), controls brought back with 'wieder'
before the object ('führt ... wieder Kontrollen ein'), an import ban imposed; with the near misses that must stay
silent (a border described as closed, a party's demand, a court, a conditional, a ruled-out opening, the police)."""

from __future__ import annotations

import pytest

from schemas import Article
from streams.extraction import Extractor

# (the actor's state, the rule that must find it, text)
STEPS = [
    ("HUN", "close_border", "Ungarn schloss in der Nacht auf Dienstag seine Grenze zu Serbien."),
    ("SVN", "close_border", "Slowenien hat seine Grenze zu Kroatien für Flüchtlinge geschlossen."),
    ("MKD", "close_border", "Mazedonien macht die Grenze zu Griechenland für Wirtschaftsflüchtlinge dicht."),
    ("TUR", "close_border", "Die Türkei schloss ihre Grenze zu Syrien für Flüchtlinge aus Aleppo."),
    ("BGR", "close_border", "Bulgarien kündigte an, seine Grenze zur Türkei zu schließen."),
    ("AUT", "tighten", "Österreich führt an der Grenze zu Slowenien wieder Kontrollen ein."),
    ("DNK", "tighten", "Dänemark führte an der Grenze zu Deutschland vorübergehend wieder Kontrollen ein."),
    ("RUS", "impose_measure", "Russland verhängte ein Importverbot für Obst und Gemüse aus der Türkei."),
    ("UKR", "impose_measure", "Die Ukraine verhängte einen Importstopp für russische Lebensmittel."),
]

NEAR_MISSES = [
    "Die Grenze zwischen Ungarn und Serbien ist seit September geschlossen.",
    "Die Grünen fordern, die Grenzen für Flüchtlinge offen zu halten.",
    "Die FPÖ verlangt, die Grenze zu Slowenien sofort zu schließen.",
    "Die Polizei schloss am Montag die Grenzübergangsstelle wegen eines Bombenalarms.",
    "Die Polizei ermittelt gegen Schlepper an der Grenze zu Ungarn.",
    "Der Verfassungsgerichtshof hob das Importverbot für Rohmilch auf.",
    "Die Opposition forderte ein Importverbot für Waren aus den Siedlungen.",
    "Die Handelskammer warnt vor einem Importverbot für Soja.",
    "Wenn Österreich die Grenze schließt, droht ein Rückstau auf dem Balkan.",
    "Die Regierung hält an den Kontrollen an der Grenze zu Ungarn fest.",
    "Der Fußballverband führte wieder strengere Regeln ein.",
    "Orban schließt eine Öffnung der Grenze zu Kroatien kategorisch aus.",
]


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


def _policy_events(extractor: Extractor, text: str) -> list[tuple[str | None, str]]:
    events = extractor.extract(Article(id="unseen23", text=text, lang="de")).events
    return [(e.actor.country, e.evidence.rule) for e in events if e.type == "policy_shift"]


@pytest.mark.parametrize(("state", "rule", "text"), STEPS)
def test_a_state_s_step_is_a_policy_shift_of_that_state(extractor: Extractor, state: str, rule: str, text: str) -> None:
    events = _policy_events(extractor, text)
    assert any(country == state and found.startswith(f"de.policy_shift.{rule}") for country, found in events), events


@pytest.mark.parametrize("text", NEAR_MISSES)
def test_a_near_miss_is_no_policy_shift(extractor: Extractor, text: str) -> None:
    assert _policy_events(extractor, text) == []
