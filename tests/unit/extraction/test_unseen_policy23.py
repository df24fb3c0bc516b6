"""English policy shifts of session 23 (my own sentences): "imposes/slaps <restriction>" and openness ("hints at", "weighs")."""

from __future__ import annotations

import pytest

from schemas import Article
from streams.extraction import Extractor

# (text, the actor: a country code or an organisation's name, the rule that reads it)
ROWS = [
    # "imposes <restriction>" and the headline verb "slaps ... on" (present tense: news, not background).
    ("EU slaps quotas on Chinese textile imports after surge", "EU", "en.policy_shift.sanction"),
    ("US slaps anti-dumping tariffs on Chinese furniture", "USA", "en.policy_shift.sanction"),
    ("China imposes curbs on coal exports to ease shortages at home", "CHN", "en.policy_shift.sanction"),
    ("EU slaps tariffs on Chinese electric cars", "EU", "en.policy_shift.sanction"),
    # Sanctions keep the existing forms: "imposed/has imposed sanctions" fired on sanction items an external set files under coercion.
    ("Washington has imposed sanctions on two Syrian officials over the border.", "USA", "en.policy_shift.sanction"),
    # Openness: a hint, a suggestion or a weighing of a change.
    ("Gordon Brown hints at cut in fuel duty as oil prices soar", "GBR", "en.policy_shift.consider"),
    ("Beijing is weighing an end to the yuan's peg to the dollar, officials said.", "CHN", "en.policy_shift.consider"),
    ("Poland suggests hosting US nuclear weapons", "POL", "en.policy_shift.consider"),
    ("Germany weighs supplying Taurus missiles to Ukraine", "DEU", "en.policy_shift.consider"),
]

NEAR_MISSES = [
    "G7 finance ministers urged China to drop the yuan's peg to the dollar.",
    "G8 summit opens at Gleneagles amid tight security",
    "The sanctions imposed on Iraq in 1990 were lifted years later.",
    "Polls suggest growing support for ID cards in Britain.",
    "Analysts hint at a rise in oil prices this winter.",
    "A court in Moscow upheld the ruling against Yukos on Tuesday.",
    "Blunkett denied that the asylum rules had been relaxed.",
    "Unions suggest scrapping the pay cap for nurses",
    "The club imposed a ban on fans who invaded the pitch.",
    "Police are investigating the theft of oil from a pipeline in Basra.",
    "Opposition hints at U-turn on ID cards if it wins power",
    "Ireland said sanctions on Israel were off the table.",
    "Tesla slaps price cut on Model 3",
    "When Iraq invaded Kuwait in 1990, the UN imposed sanctions on Baghdad.",
    "Macron faces backlash after suggesting sending troops to the region",
    # A hypothetical of analysts, not a step the EU signals.
    "If the talks fail, the EU could impose quotas, analysts said.",
]


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


def _policy(extractor: Extractor, text: str) -> list:
    return [e for e in extractor.extract(Article(id="unseen", text=text, lang="en")).events if e.type == "policy_shift"]


@pytest.mark.parametrize(("text", "actor", "rule"), ROWS)
def test_an_imposed_restriction_or_openness_is_a_policy_shift(
    extractor: Extractor, text: str, actor: str, rule: str
) -> None:
    events = [e for e in _policy(extractor, text) if actor in {e.actor.country, e.actor.name}]
    assert events
    assert rule in {e.evidence.rule for e in events}


def test_openness_is_possible(extractor: Extractor) -> None:
    events = _policy(extractor, "Poland suggests hosting US nuclear weapons")
    assert {e.modality.value for e in events} == {"possible"}


@pytest.mark.parametrize("text", NEAR_MISSES)
def test_outsiders_history_and_companies_stay_quiet(extractor: Extractor, text: str) -> None:
    assert not _policy(extractor, text)
