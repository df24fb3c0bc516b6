"""Precision of learned deployment proposals on unseen war reporting: reactors named before another state (session 19)."""

from __future__ import annotations

import pytest
from support.extraction import english_deployment_verdict


@pytest.mark.parametrize(
    ("text", "anchor"),
    [
        (
            "Norway's prime minister will phone Erdogan amid Russia's growing military presence in the Black Sea.",
            "presence",
        ),
        (
            "Chile's foreign minister praised the freeing of three Peruvian hostages in a police operation near Lima.",
            "operation",
        ),
        ("Brazil and Chile reach out to Maduro as troops gather near the Guyana border", "troops"),
        ("Seoul said Moscow had shipped missile parts to North Korea in exchange for troops.", "troops"),
    ],
)
def test_a_reactor_named_before_another_state_is_no_learned_deployment_actor(text: str, anchor: str) -> None:
    # A speaker or subject who only reacts (calls, praises, reaches out) to what another state's forces do: the name
    # nearest before the anchor is that other state's, so the subject does not own the forces (out of fold on train:
    # a phone call amid a third state's presence, a welcomed rescue, a glued link list; in sample 5 false alarms).
    assert english_deployment_verdict(text, anchor) == "third party"


@pytest.mark.parametrize(
    ("text", "anchor", "key"),
    [
        ("Norway will keep its military presence in the Black Sea, the prime minister said.", "presence", "NOR"),
        ("Kenya's president spoke to the army chief about the Somalia deployment on Tuesday.", "deployment", "KEN"),
        ("Kenya's president travelled to Moscow while troops stayed on in Somalia.", "troops", "KEN"),
    ],
)
def test_a_subject_with_no_other_state_nearer_the_anchor_stays_the_actor(text: str, anchor: str, key: str) -> None:
    # Its own forces; a place name right before the anchor ("the Somalia deployment") qualifies it, and a capital
    # stands for its city ("travelled to Moscow"), not for a state that owns the forces.
    assert english_deployment_verdict(text, anchor) == f"event for {key}"
