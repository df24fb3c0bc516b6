"""Scope stage: a claim framed as untrue ("It is not true that ...") is a denial, and what it frames is no event."""

from __future__ import annotations

import pytest
from support.extraction import events_of


@pytest.mark.parametrize(
    ("lang", "text", "country"),
    [
        ("en", "It is not true that China has stationed warships near Taiwan, Beijing's foreign ministry said.", "CHN"),
        ("en", "The Kremlin said the report was not true.", "RUS"),
        ("en", "Hezbollah has rejected this.", None),
        ("de", "Der Kreml erklärte, die Berichte träfen nicht zu.", "RUS"),
        (
            "de",
            "Das Außenministerium in Moskau erklärte, es sei nicht wahr, dass Russland Truppen verlegt habe.",
            "RUS",
        ),
    ],
)
def test_a_claim_framed_as_untrue_is_a_denial_and_not_the_framed_event(
    lang: str, text: str, country: str | None
) -> None:
    assert events_of(text, lang, "deployment") == []
    [denial] = events_of(text, lang, "denial")
    assert denial.actor.country == country
    assert denial.evidence.rule.endswith(("not_true", "reject_this"))


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("de", "Die Regierung stimmt nicht zu."),  # not agreeing is no denial
        ("de", "Die Produktionsprozesse sind komplett falsch dargestellt."),
        ("en", "Troops were sent to the border, officials said, and the move is not the first."),
    ],
)
def test_disagreement_or_a_false_depiction_is_no_framing_denial(lang: str, text: str) -> None:
    assert events_of(text, lang, "denial") == []
