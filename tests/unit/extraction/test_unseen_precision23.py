"""English deployment near misses written for the twenty-third session's precision check (none from the pool): an
operation noun opened by a time preposition with no place after it ("during the raid") dates another act and is no
deployment (ANNOTATING.md: history used as a date), while a raid or operation named with its place stays one; a
sending named as the subject of what it would cause ("Sending troops ... would be a mistake") is weighed, not done."""

from __future__ import annotations

import pytest

from schemas import Article
from streams.extraction import Extractor

# Each fired a deployment at 2b04f5b: the raid is only when something else happened.
TIME_FRAMES = [
    "US soldiers seized rifles and explosives during the raid, the military said.",
    "Israeli troops destroyed three houses during the raid, residents said.",
    "A cameraman was arrested during a US military raid last week, his family said.",
]

# (sentence, the deployment's country, the rule that reads it): the operation is placed, so it is told.
PLACED = [
    ("US soldiers seized rifles during a raid on a farmhouse near Tikrit.", "USA", "en.deployment.raid"),
    (
        "Israeli troops destroyed three houses during a raid in the Jenin camp, residents said.",
        "ISR",
        "en.deployment.raid",
    ),
    ("US troops detained 30 men during a raid in Samarra on Tuesday.", "USA", "en.deployment.raid"),
    ("US marines launched a raid on a village near Falluja.", "USA", "en.deployment.raid"),
]

# Each fired a deployment at 2b04f5b (the predicted-consequence check read policy shifts only).
PREDICTED = [
    "Sending troops to Sudan would be a mistake, the foreign minister warned.",
    "Deploying Nato troops to Ukraine would lead to war, the Kremlin said.",
    "Sending more British troops to Iraq would only make matters worse, the MP said.",
]

# (sentence, the deployment's country): the sender is the subject, so the consequence is its own step's.
SENT_WITH_CONSEQUENCE = [
    ("Britain will send 650 troops to Iraq, which would put pressure on the US to do the same.", "GBR"),
]


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


def _deployments(extractor: Extractor, text: str) -> list:
    events = extractor.extract(Article(id="u23", text=text, lang="en")).events
    return [e for e in events if e.type.value == "deployment"]


@pytest.mark.parametrize("sentence", TIME_FRAMES)
def test_an_operation_that_only_dates_another_act_is_no_deployment(extractor: Extractor, sentence: str) -> None:
    assert _deployments(extractor, sentence) == []


@pytest.mark.parametrize(("sentence", "country", "rule"), PLACED)
def test_an_operation_named_with_its_place_stays_a_deployment(
    extractor: Extractor, sentence: str, country: str, rule: str
) -> None:
    found = _deployments(extractor, sentence)
    assert [(e.actor.country, e.evidence.rule) for e in found] == [(country, rule)]


@pytest.mark.parametrize("sentence", PREDICTED)
def test_a_sending_named_as_the_subject_of_its_consequence_is_no_deployment(
    extractor: Extractor, sentence: str
) -> None:
    assert _deployments(extractor, sentence) == []


@pytest.mark.parametrize(("sentence", "country"), SENT_WITH_CONSEQUENCE)
def test_a_sender_with_a_consequence_after_still_deploys(extractor: Extractor, sentence: str, country: str) -> None:
    assert [e.actor.country for e in _deployments(extractor, sentence)] == [country]
