"""A German policy step told in an agentless passive acts for the article's state (policy_passives.py; sentences written
for the twenty-fourth session, none from the pool), and the near misses stay silent: the past, reported speech, a
hypothetical, a content clause whose main clause names a party or a court."""

from __future__ import annotations

import pytest

from schemas import Article
from streams.extraction import Extractor

VIENNA = "Wien – Die Regierung in Wien reagiert auf den Andrang an der Grenze. "
BERLIN = "Berlin – Die Bundesregierung in Berlin steht unter Druck. "

STEPS = [
    ("AUT", VIENNA + "Die Grenzkontrollen werden bis Mitte Mai verlängert."),
    ("AUT", VIENNA + "Das Asylrecht wird deutlich verschärft, der Familiennachzug wird eingeschränkt."),
    ("AUT", VIENNA + "Nach dem Beschluss sollen die Kontrollen am Brenner verschärft werden."),
    ("DEU", BERLIN + "Der Familiennachzug für subsidiär Schutzberechtigte wird für zwei Jahre ausgesetzt."),
]

NEAR_MISSES = [
    VIENNA + "Schon 1992 wurde das Asylrecht verschärft.",
    VIENNA + "Die Grünen kritisierten, das Asylrecht werde verschärft.",
    VIENNA + "Die FPÖ will, dass das Asylrecht verschärft wird.",
    VIENNA + "Der Verfassungsgerichtshof entschied, dass die Notverordnung aufgehoben wird.",
    BERLIN + "Wenn das Asylrecht verschärft würde, kämen weniger Menschen.",
    BERLIN + "In Frankreich und in Italien wird das Asylrecht verschärft.",
]


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


def _policy_events(extractor: Extractor, text: str) -> list[tuple[str | None, str]]:
    events = extractor.extract(Article(id="passives24", text=text, lang="de")).events
    return [(e.actor.country, e.evidence.rule) for e in events if e.type == "policy_shift"]


@pytest.mark.parametrize(("state", "text"), STEPS)
def test_an_agentless_policy_passive_acts_for_the_article_s_state(extractor: Extractor, state: str, text: str) -> None:
    events = _policy_events(extractor, text)
    assert any(country == state and rule.endswith("/article_state") for country, rule in events), events


@pytest.mark.parametrize("text", NEAR_MISSES)
def test_a_near_miss_is_no_policy_shift(extractor: Extractor, text: str) -> None:
    assert _policy_events(extractor, text) == []
