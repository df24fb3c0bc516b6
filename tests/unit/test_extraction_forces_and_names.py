"""Force words, movement verbs and names the lists lacked: armed contractors, forces flown into a place, armed
groups named '<Name> Clan', Kazakhstan's capital under its current name. Sentences written for these tests."""

from __future__ import annotations

import pytest
from support.extraction import events_of


@pytest.mark.parametrize(
    ("text", "actor"),
    [
        ("Ankara has sent 60 armed contractors to guard the port of Tripoli.", "TUR"),
        ("Some 300 Chadian soldiers were flown into the northern town of Faya overnight.", "TCD"),
        ("Astana will send 200 peacekeepers to Lebanon, the ministry said.", "KAZ"),
    ],
)
def test_contractors_flights_and_current_capitals_are_read(text: str, actor: str) -> None:
    assert actor in {e.actor.country for e in events_of(text, "en", "deployment")}


def test_an_armed_group_named_as_a_clan_owns_the_fighters_it_moves() -> None:
    events = events_of("The Sierra Clan moved dozens of fighters into the port of Buenaventura.", "en", "deployment")
    assert [e.actor.name for e in events] == ["Sierra Clan"]


@pytest.mark.parametrize(
    "text",
    [
        "Germany delivered 40 armoured vehicles to Ukraine as military aid.",
        "The contractors flew into Lagos for a conference on pipeline safety.",
        "The clan elders met in Mogadishu on Tuesday.",
    ],
)
def test_vehicles_delivered_and_civilians_travelling_are_no_deployments(text: str) -> None:
    assert events_of(text, "en", "deployment") == []


@pytest.mark.parametrize(
    ("text", "actor"),
    [
        ("Chile is now open to joining the pact, softening years of official reluctance.", "CHL"),
        ("Peru reinstated border checks with Bolivia on Tuesday.", "PER"),
        ("Austria ended a visa exemption for holders of Serbian service passports.", "AUT"),
        ("Norway proposed to soften its rules on arms exports to Ukraine.", "NOR"),
        ("Ghana announced it was ending years of refusal to extradite suspects.", "GHA"),
    ],
)
def test_english_policy_phrasings_of_reinstating_ending_and_opening(text: str, actor: str) -> None:
    assert actor in {e.actor.country for e in events_of(text, "en", "policy_shift")}


@pytest.mark.parametrize(
    "text",
    [
        "Peru did not reinstate border checks.",
        "The opposition demanded that the government reinstate border checks.",
        "Police carried out checks on cars in Lima.",
    ],
)
def test_negated_demanded_or_routine_checks_are_no_policy_shift(text: str) -> None:
    assert events_of(text, "en", "policy_shift") == []
