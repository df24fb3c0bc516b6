"""The screen study's filters (streams.dataset.screen_study): which held-out proposals each screen keeps."""

from __future__ import annotations

import pytest

from streams.dataset.screen_study import CueScreen, _or_cue, _weighs


@pytest.fixture(scope="module")
def english() -> CueScreen:
    return CueScreen("en")


def test_the_cue_screen_names_the_types_whose_rules_may_anchor_in_a_sentence(english: CueScreen) -> None:
    assert "denial" in english.types("the ministry flatly denied the reports on tuesday.")
    assert "deployment" in english.types("the navy deployed two frigates to the strait.")
    assert english.types("the weather stayed mild over the long weekend.") == set()


def test_a_german_denial_stem_opens_the_cue_screen_for_denials() -> None:
    assert "denial" in CueScreen("de").types("der minister bestritt die vorwürfe am montag.")


def test_the_anchor_minimum_keeps_exactly_the_proposals_whose_word_weighs_it() -> None:
    keep = _weighs(1.5)
    assert keep("deployment", 1.5, "any sentence")
    assert keep("deployment", 2.3, "any sentence")
    assert not keep("deployment", 1.49, "any sentence")


def test_a_cue_stem_lets_a_weaker_anchor_stand_only_for_its_own_type(english: CueScreen) -> None:
    keep = _or_cue(english, 2.0, 0.5)
    denial_sentence = "the ministry flatly denied the reports on tuesday."
    assert keep("denial", 2.1, "the weather stayed mild.")  # strong enough without a cue
    assert keep("denial", 0.7, denial_sentence)  # weak, but a denial rule may anchor there
    assert not keep("denial", 0.7, "the weather stayed mild.")  # weak and no cue
    assert not keep("denial", 0.3, denial_sentence)  # under the low minimum
