"""English link headlines glued to the next sentence ('stallBritain'): the sentence after the headline is read alone."""

from __future__ import annotations

import pytest

from schemas import Article
from streams.extraction import extract


@pytest.mark.parametrize(
    ("text", "actor"),
    [
        ("Markets fall on oil fearsRussia denied sending troops into eastern Ukraine.", "Russia"),
        ("Aid convoy reaches Darfur campsSudan rejected claims that its army attacked villages.", "Sudan"),
        ("Yukos shares plunge againMoscow denies plans to seize the oil company.", "Moscow"),
    ],
)
def test_a_denial_after_a_glued_headline_is_found_with_its_actor(text: str, actor: str) -> None:
    events = extract(Article(id="glued", text=text, lang="en")).events
    assert [(event.type.value, event.actor.name) for event in events] == [("denial", actor)]


@pytest.mark.parametrize(
    "text",
    [
        "She posted the clip on TikTok and WhatsApp after the talks.",
        "General MacArthur's troops landed at Inchon in 1950.",
    ],
)
def test_camel_case_names_raise_no_event(text: str) -> None:
    assert extract(Article(id="camel", text=text, lang="en")).events == ()
