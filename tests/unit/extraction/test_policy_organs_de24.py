"""German policy shifts by a state's domestic institutions (written for the twenty-fourth session, none from the pool),
half in the style of Austrian news of 2015-16: a chamber of parliament, a Land parliament or all the Länder named
bare act for the state the article is about, as 'Ministerrat' and 'Kabinett' already did; with the near misses that
must stay silent (a party's demand, a court, a debate, a plan not adopted)."""

from __future__ import annotations

import pytest
from support.extraction import events_of

VIENNA = "Wien – Die Regierung in Wien reagiert auf den Andrang an der Grenze. "
BERLIN = "Berlin – Die Bundesregierung in Berlin steht unter Druck. "

# (the state the organ acts for, text)
STEPS = [
    ("AUT", VIENNA + "Der Nationalrat hat das Asylrecht verschärft."),
    ("AUT", VIENNA + "Der Nationalrat hat am Mittwoch die Regeln für den Familiennachzug verschärft."),
    (
        "DEU",
        "München – In Bayern wird über Grenzkontrollen gestritten. Der Landtag hat das Polizeiaufgabengesetz verschärft.",
    ),
    ("DEU", BERLIN + "Die Bundesländer haben die Finanzierung der Sprachkurse für Flüchtlinge gestrichen."),
    ("DEU", BERLIN + "Die Innenministerkonferenz hat die Regeln für Abschiebungen verschärft."),
]

NEAR_MISSES = [
    VIENNA + "Die FPÖ fordert, die Obergrenze auf null zu senken.",
    VIENNA + "Der Verfassungsgerichtshof hob die Notverordnung auf.",
    VIENNA + "Der Nationalrat debattierte am Donnerstag über die Asylgesetz-Novelle.",
    VIENNA + "Der Nationalrat hat die Pläne nicht beschlossen, die Obergrenze bleibt unverändert.",
    BERLIN + "Die Linke will die Schuldenbremse abschaffen.",
    BERLIN + "Der Landtag lehnte eine Verschärfung des Versammlungsrechts ab.",
]


def _policy_events(text: str) -> list[tuple[str | None, str]]:
    return [(e.actor.country, e.actor.name) for e in events_of(text, "de", "policy_shift")]


@pytest.mark.parametrize(("state", "text"), STEPS)
def test_a_domestic_institution_acts_for_the_article_s_state(state: str, text: str) -> None:
    assert any(country == state for country, _ in _policy_events(text)), _policy_events(text)


@pytest.mark.parametrize("text", NEAR_MISSES)
def test_a_near_miss_is_no_policy_shift(text: str) -> None:
    assert _policy_events(text) == []
