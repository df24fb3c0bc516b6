"""first_rule_met over compiled rules gives the rule the pydantic rules give, for any rules and stories."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from support.story_reference import reference_first_rule_met

from schemas import EventType, Modality
from streams.stories.rules import AlertRules, first_rule_met, load_rules

OUTLETS = ["Reuters", "reuters ", "dpa", "BBC", "Nordkurier", "Le Monde"]
TYPES = [member.value for member in EventType]
MODALITIES = [member.value for member in Modality]


@st.composite
def rule_sets(draw: st.DrawFn) -> AlertRules:
    rules: list[dict[str, Any]] = []
    for number in range(draw(st.integers(1, 4))):
        rule: dict[str, Any] = {"id": f"rule-{number}", "description": "d", "min_sources": draw(st.integers(1, 3))}
        if draw(st.booleans()):
            rule["types"] = draw(st.lists(st.sampled_from(TYPES), min_size=1, max_size=2))
        if draw(st.booleans()):
            rule["min_modality"] = draw(st.sampled_from(MODALITIES))
        if draw(st.booleans()):
            rule["outlets"] = draw(st.lists(st.sampled_from(OUTLETS), min_size=1, max_size=3))
        if draw(st.booleans()):
            rule["min_confidence"] = draw(st.sampled_from([0.0, 0.5, 0.9]) | st.floats(0, 1))
        rules.append(rule)
    return AlertRules.model_validate({"version": 1, "rules": rules})


@settings(max_examples=500, deadline=None)
@given(
    rule_sets(),
    st.sampled_from(TYPES),
    st.dictionaries(st.sampled_from(OUTLETS), st.sampled_from(MODALITIES), max_size=4),
    st.floats(0, 1),
)
def test_the_compiled_rules_meet_what_the_rules_meet(
    rules: AlertRules, event_type: str, outlets: dict[str, str], confidence: float
) -> None:
    expected = reference_first_rule_met(rules, event_type=event_type, outlet_modalities=outlets, confidence=confidence)
    assert first_rule_met(rules, event_type=event_type, outlet_modalities=outlets, confidence=confidence) == expected
    assert first_rule_met(
        rules, event_type=EventType(event_type), outlet_modalities=outlets, confidence=confidence
    ) == (expected)
    calls = []

    def lazy() -> float:
        calls.append(1)
        return confidence

    assert first_rule_met(rules, event_type=event_type, outlet_modalities=outlets, confidence=lazy) == expected
    assert len(calls) <= 1
    if all(rule.min_confidence == 0.0 for rule in rules.rules):
        assert not calls  # the story's confidence is not computed when no rule asks for one


def test_rules_loaded_again_are_compiled_again() -> None:
    first, second = load_rules(), load_rules()
    outlets = {"dpa": "asserted"}
    assert first_rule_met(first, event_type="deployment", outlet_modalities=outlets, confidence=0.5) is first.rules[0]
    assert first_rule_met(second, event_type="deployment", outlet_modalities=outlets, confidence=0.5) is second.rules[0]
