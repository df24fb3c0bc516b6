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
        # the headline itself is a near miss (a court rejecting an appeal) and must give nothing
        (
            "Yukos appeal rejected by courtThe Kremlin denied any role in the auction of the oil firm's main unit.",
            "Kremlin",
        ),
        ("Hostage video releasedIran denied supplying weapons to insurgents in Iraq.", "Iran"),
    ],
)
def test_a_denial_after_a_glued_headline_is_found_with_its_actor(text: str, actor: str) -> None:
    events = extract(Article(id="glued", text=text, lang="en")).events
    assert [(event.type.value, event.actor.name) for event in events] == [("denial", actor)]


def test_a_deployment_after_a_glued_headline_takes_its_actor_from_its_own_sentence() -> None:
    # Read as one sentence, the headline's "Iraq" was the actor of the US deployment.
    text = "Iraq vote turnout disputedThe US is to send 3,000 more troops to Baghdad ahead of the election."
    events = extract(Article(id="glued", text=text, lang="en")).events
    assert [(event.type.value, event.actor.name) for event in events] == [("deployment", "US")]


@pytest.mark.parametrize(
    "text",
    [
        "She posted the clip on TikTok and WhatsApp after the talks.",
        "General MacArthur's troops landed at Inchon in 1950.",
        "DaimlerChrysler and GlaxoSmithKline both cut jobs in Europe last year.",
        "Tom DeLay did not deny that he had met the lobbyist.",
        "If LaGuardia airport closes, JetBlue could move flights to Newark.",
    ],
)
def test_camel_case_names_raise_no_event(text: str) -> None:
    assert extract(Article(id="camel", text=text, lang="en")).events == ()
