"""Cues as realistic articles phrase them (softened bans, naval forces, past-perfect background) and their near misses."""

from __future__ import annotations

import pytest

from schemas import Article
from streams.extraction import extract


def _events(lang: str, text: str) -> list[tuple[str, str, str | None]]:
    result = extract(Article(id="gap", lang=lang, text=text))
    return [(e.type.value, e.actor.name, e.location.name if e.location else None) for e in result.events]


@pytest.mark.parametrize(
    ("text", "actor"),
    [
        ("Die Bundesregierung will das Verbot von Werbung für Glücksspiel aufweichen.", "Bundesregierung"),
        ("Italien will künftig wieder Exporte von Kampfjets nach Saudi-Arabien erlauben.", "Italien"),
        ("Die Schweiz will künftig auch Lieferungen von Munition an die Ukraine zulassen.", "Schweiz"),
        ("Polen hat die Pläne für eine neue Grenzmauer auf Eis gelegt.", "Polen"),
        ("Ungarn kippt den Plan für eine Steuer auf Importe.", "Ungarn"),
        ("Die Regierung in Rom hat den Plan zur Schließung der Häfen gestoppt.", "Rom"),
    ],
)
def test_german_softened_bans_and_halted_plans_are_policy_shifts(text: str, actor: str) -> None:
    assert _events("de", text) == [("policy_shift", actor, None)]


@pytest.mark.parametrize(
    ("text", "actor", "place"),
    [
        ("Japan sent three coast guard ships to Okinawa.", "Japan", "Okinawa"),
        ("China has dispatched navy vessels to the Philippine coast.", "China", "Philippine coast"),
        ("The Pentagon ordered 700 more National Guard troops to Los Angeles.", "Pentagon", "Los Angeles"),
        ("The Pentagon said it had sent additional troops to Poland.", "Pentagon", "Poland"),
    ],
)
def test_english_naval_forces_and_speaker_actors_are_deployments(text: str, actor: str, place: str) -> None:
    assert _events("en", text) == [("deployment", actor, place)]


def test_german_speaker_of_man_habe_is_the_actor() -> None:
    text = "Frankreich teilte am Montag mit, man habe 300 Soldaten nach Estland geschickt."
    assert _events("de", text) == [("deployment", "Frankreich", "Estland")]


@pytest.mark.parametrize(
    "text",
    [
        "About 1,500 French soldiers had been stationed in the country before the 2023 coup.",
        "French troops had been stationed in Niger until the coup last year.",
        "Some 800 Belgian soldiers had been deployed in Mali before the junta took power.",
    ],
)
def test_background_past_perfect_stationing_is_no_deployment(text: str) -> None:
    assert _events("en", text) == []


def test_news_in_the_past_perfect_still_counts() -> None:
    assert _events("en", "Britain said it had deployed 200 extra troops to Estonia.") == [
        ("deployment", "Britain", "Estonia")
    ]
