"""German policy shifts told in an agentless passive after the sentence that names the government (written for the
twenty-second session's check, none from the pool; half in the style of Austrian news of 2015-16), and the near
misses the fallback must leave alone: a demand, a hypothetical, history, a record in reported speech, a genitive."""

from __future__ import annotations

import pytest

from schemas import Article
from streams.extraction import Extractor

RULE_SUFFIX = "/government_source"

# (text, the state of its policy shift); the shift's cue stands in an agentless passive of the last sentence.
ROWS = [
    (
        "Innenministerin Johanna Mikl-Leitner trat am Mittwoch vor die Presse. Das Asylrecht soll deutlich verschärft "
        "werden.",
        "AUT",
    ),
    (
        "Bundeskanzler Werner Faymann traf sich am Montag mit den Landeshauptleuten. Die Grenzkontrollen sollen "
        "vorübergehend wieder eingeführt werden.",
        "AUT",
    ),
    (
        "Mikl-Leitner stellte das Paket im Ministerrat vor. Der Familiennachzug für subsidiär Schutzberechtigte soll "
        "ausgesetzt werden.",
        "AUT",
    ),
    (
        "Faymann sprach nach dem Asylgipfel von einem Kompromiss. Die Regeln für das Grenzmanagement in Spielfeld "
        "werden verschärft.",
        "AUT",
    ),
    (
        "Verteidigungsminister Hans Peter Doskozil war am Dienstag in Spielfeld. Die Kontrollen an der Grenze sollen "
        "ab Februar verschärft werden.",
        "AUT",
    ),
    (
        "Kanzlerin Angela Merkel sprach nach dem Treffen von einem Durchbruch. Die Residenzpflicht für Asylbewerber "
        "soll wieder eingeführt werden.",
        "DEU",
    ),
]

NEAR_MISSES = [
    "Die Opposition fordert, dass die Grenzkontrollen verschärft werden.",
    "Faymann erinnerte an das Jahr 1956. Damals wurden die Grenzen für Flüchtlinge aus Ungarn geöffnet.",
    "Der Verfassungsgerichtshof hob die Bestimmung auf. Faymann zeigte sich enttäuscht.",
    "Die FPÖ verlangt, dass die Mindestsicherung für Flüchtlinge gekürzt wird.",
    "Mikl-Leitner besuchte am Montag ein Quartier in Traiskirchen. Die Kontrollen bleiben unverändert bestehen.",
    "Ein Sprecher der Grünen sagte, die Obergrenze müsse sofort abgeschafft werden.",
    "Merkel verteidigte ihre Flüchtlingspolitik. Ob die Kontrollen verschärft werden, sei noch völlig offen.",
    "Mitglieder der Bundesregierung besuchten das Lager. Einige Auflagen wurden im Laufe der Jahre wieder abgeschafft.",
    "Faymann lobte die Polizei. Die Kontrollen seien im Herbst verschärft worden, sagte ein Kritiker.",
    "Faymann gab sich am Abend gelassen. Die Obergrenze würde verschärft, wenn die Zahlen weiter steigen.",
]


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


def _policy_shifts(extractor: Extractor, text: str) -> list:
    return [e for e in extractor.extract(Article(id="unseen", text=text, lang="de")).events if e.type == "policy_shift"]


@pytest.mark.parametrize(("text", "state"), ROWS)
def test_a_passive_policy_step_is_the_government_s_named_before(extractor: Extractor, text: str, state: str) -> None:
    events = _policy_shifts(extractor, text)
    assert {e.actor.country for e in events} == {state}
    assert all(e.evidence.rule.endswith(RULE_SUFFIX) for e in events)


@pytest.mark.parametrize("text", NEAR_MISSES)
def test_a_demand_history_a_record_or_a_hypothetical_is_no_government_step(extractor: Extractor, text: str) -> None:
    assert not [e for e in _policy_shifts(extractor, text) if e.evidence.rule.endswith(RULE_SUFFIX)]
    assert not _policy_shifts(extractor, text)
