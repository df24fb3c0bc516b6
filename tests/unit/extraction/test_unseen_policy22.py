"""English policy shifts written for the twenty-second session's check (none from the pool): a member state calling on
the EU to impose or lift a measure proposes a step of its own (ANNOTATING.md, Sanctions), and the near misses that
must stay silent (an outsider's call on the EU, a call on another state, the EU's own members asked by outsiders)."""

from __future__ import annotations

import pytest

from schemas import Article
from streams.extraction import Extractor

# (sentence, the countries of its policy shifts, the rule that reads it, its modality); an empty set: none stands.
ROWS = [
    ("France and Germany urged the EU to lift its arms embargo on China.", {"FRA", "DEU"}, "en.policy_shift.lift"),
    ("Chirac called on the European Union to lift the arms embargo on China.", {"FRA"}, "en.policy_shift.lift"),
    (
        "Spain's foreign minister is calling on the European Union to impose new sanctions on Belarus.",
        {"ESP"},
        "en.policy_shift.lift",
    ),
    (
        "The Dutch government said it would press its EU partners to tighten the sanctions on Zimbabwe.",
        {"NLD"},
        "en.policy_shift.lift",
    ),
]

NEAR_MISSES = [
    "The US urged the EU to lift its arms embargo on China.",
    "Washington called on the European Union not to lift the arms embargo on China.",
    "France urged Iran to suspend its uranium enrichment programme.",
    "Human rights groups called on the EU to impose sanctions on Sudan.",
    "Germany called on Russia to lift its ban on Polish meat imports.",
    "Norway urged the EU to ease the restrictions on its salmon exports.",
]


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


def _policy(extractor: Extractor, text: str) -> list:
    return [e for e in extractor.extract(Article(id="unseen", text=text, lang="en")).events if e.type == "policy_shift"]


@pytest.mark.parametrize(("text", "actors", "rule"), ROWS)
def test_a_member_state_calling_on_its_union_proposes_a_shift(
    extractor: Extractor, text: str, actors: set[str | None], rule: str
) -> None:
    events = _policy(extractor, text)
    assert {e.actor.country for e in events} == actors
    assert rule in {e.evidence.rule for e in events}
    assert {e.modality.value for e in events} == {"possible"}


@pytest.mark.parametrize("text", NEAR_MISSES)
def test_an_outsider_s_call_is_no_policy_shift(extractor: Extractor, text: str) -> None:
    assert not _policy(extractor, text)
