"""The screen study's filters (streams.dataset.screen_study): which held-out proposals each screen keeps; its nested
estimate: each fold scored at the setting chosen on the others."""

from __future__ import annotations

import pytest

from streams.dataset.crossval import MIN_GAIN
from streams.dataset.scoring import Tally
from streams.dataset.screen_study import RULES_ALONE, CueScreen, _or_cue, _weighs, nested


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


def _folds(*rows: tuple[int, int, int]) -> list[Tally]:
    return [Tally(*row) for row in rows]


def test_each_fold_is_scored_at_the_setting_chosen_on_the_other_folds_alone() -> None:
    # The low threshold owes its pooled lead to one fold's windfall: chosen wherever that fold is among the folds
    # chosen on, it then scores the other folds at the rules' level; the fold itself is scored at the steady setting.
    low, steady = (1.5, 0.2), (1.5, 0.6)
    tallies = {
        RULES_ALONE: _folds(*[(5, 1, 5)] * 5),
        low: _folds(*[(5, 1, 5)] * 4, (20, 0, 0)),
        steady: _folds(*[(6, 1, 4)] * 5),
    }
    out = nested(tallies, [low, steady], gain=0.0)
    assert out["chosen"] == [low, low, low, low, steady]
    assert (out["tp"], out["fp"], out["fn"]) == (26, 5, 24)


def test_a_setting_stands_in_a_fold_only_where_the_other_folds_find_it_beats_the_rules_by_the_gain() -> None:
    slight = (2.0, 0.3)
    tallies = {
        RULES_ALONE: _folds(*[(10, 2, 10)] * 5),
        slight: _folds(*[(10, 2, 10)] * 4, (11, 2, 9)),  # one more event, in the last fold only
    }
    out = nested(tallies, [slight], gain=MIN_GAIN)
    # Chosen without the last fold, it ties with the rules there: the rules alone score that fold. Chosen with it (for
    # the other folds), it beats them by 0.011: it stands, and scores those folds as the rules do.
    assert out["chosen"] == [slight, slight, slight, slight, RULES_ALONE]
    assert (out["tp"], out["fp"], out["fn"]) == (50, 10, 50)
    assert nested(tallies, [slight], gain=0.02)["chosen"] == [RULES_ALONE] * 5
