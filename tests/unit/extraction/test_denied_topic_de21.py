"""German denials of a report about a refused thing ('Berichte über eine Waffenruhe dementiert'): the report's topic
is what is denied, so a word there that names something refused (a ceasefire, a visa) cancels nothing; sentences
written for the twenty-first session, none from the pool."""

from __future__ import annotations

import pytest

from schemas import Article
from streams.extraction import extract

DENIALS = [
    ("Die Ukraine hat die Berichte über einen Waffenstillstand dementiert.", "UKR"),
    ("Russland hat die Berichte über einen Waffenstillstand dementiert.", "RUS"),
    ("Die Regierung in Kiew hat die Berichte über einen Waffenstillstand dementiert.", "UKR"),
    ("Die Ukraine hat Berichte über eine Waffenruhe zurückgewiesen.", "UKR"),
    ("Die Ukraine hat Berichte über eine Waffenruhe bestritten.", "UKR"),
    ("Die Ukraine dementierte die Berichte über einen Waffenstillstand.", "UKR"),
    ("Ungarn wies Meldungen zurück, wonach Budapest Flüchtlingen die Einreise verweigere.", "HUN"),
]

NOT_DENIALS = [
    "Die Ukraine lehnte den Vorschlag einer Waffenruhe ab.",
    "Russland wies die Forderung nach einer Waffenruhe zurück.",
    "Die Behörde wies den Antrag auf Asyl zurück.",
    "Die Ukraine hat die Berichte über eine Waffenruhe nicht dementiert.",
    "Die Botschaft verweigerte den Journalisten das Visum.",
]


def _denials(text: str) -> list[str | None]:
    return [e.actor.country for e in extract(Article(id="t", text=text, lang="de")).events if e.type.value == "denial"]


@pytest.mark.parametrize(("text", "state"), DENIALS)
def test_a_report_about_a_refused_thing_is_denied(text: str, state: str) -> None:
    assert state in _denials(text)


@pytest.mark.parametrize("text", NOT_DENIALS)
def test_refusals_and_undenied_reports_stay_quiet(text: str) -> None:
    assert _denials(text) == []
