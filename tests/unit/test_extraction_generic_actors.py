"""Organisations and armed groups the entity lists lack, recognised by their form, on sentences written for these tests."""

from __future__ import annotations

import pytest
from support.extraction import events_of


def _actor_names(text: str, lang: str, kind: str) -> list[tuple[str, str | None, str]]:
    return [(e.actor.name, e.actor.country, e.actor.kind) for e in events_of(text, lang, kind)]


@pytest.mark.parametrize(
    ("lang", "text", "kind", "name"),
    [
        # head noun before the name, with or without an organisation prefix
        ("de", "Die Miliz Zaraguma wies die Vorwürfe als Propaganda zurück.", "denial", "Miliz Zaraguma"),
        (
            "de",
            "Die UN-Mission Minutal hat 300 Blauhelme in die Provinz Kasai verlegt.",
            "deployment",
            "UN-Mission Minutal",
        ),
        ("de", "Die Befreiungsbewegung MPLK bestritt die Berichte.", "denial", "Befreiungsbewegung MPLK"),
        # name glued to the head with a hyphen
        ("de", "Die Kodori-Miliz hat Hunderte Kämpfer an den Fluss verlegt.", "deployment", "Kodori-Miliz"),
        # an acronym alone, and an acronym carrying a name
        ("de", "Die FRPK dementierte die Meldungen über einen Angriff.", "denial", "FRPK"),
        ("en", "The FARV denied that its fighters had attacked the convoy.", "denial", "FARV"),
        (
            "en",
            "NAVFOR Sentinel, the naval force, is deploying two frigates to the Gulf of Guinea.",
            "deployment",
            "NAVFOR Sentinel",
        ),
        # name before an armed head noun
        ("en", "The Karenni Army rejected the accusations as baseless.", "denial", "Karenni Army"),
        ("en", "The Red Wolves gang dismissed the reports as lies.", "denial", "Red Wolves gang"),
        (
            "en",
            "The Coastal Stabilisation Force sent 200 troops to the port of Mersa.",
            "deployment",
            "Coastal Stabilisation Force",
        ),
        (
            "en",
            "The Tamarind coalition denied that its members had blocked the highway.",
            "denial",
            "Tamarind coalition",
        ),
        ("en", "Operation Seastar has moved three warships to the Gulf of Aden.", "deployment", "Operation Seastar"),
    ],
)
def test_unlisted_organisations_act_without_a_country(lang: str, text: str, kind: str, name: str) -> None:
    [(actor, country, _)] = _actor_names(text, lang, kind)
    assert actor == name
    assert country is None


def test_armed_heads_make_armed_groups() -> None:
    [(_, _, kind)] = _actor_names("Die Miliz Zaraguma wies die Vorwürfe als Propaganda zurück.", "de", "denial")
    assert kind == "armed_group"


@pytest.mark.parametrize(
    ("lang", "text", "kind", "country"),
    [
        # a common noun after the head is no name: the state stays the actor
        ("de", "Kenia hat der Miliz Vorwürfe gemacht und 500 Soldaten nach Garissa verlegt.", "deployment", "KEN"),
        # a group named after the forces is an ally, not their owner
        ("en", "Uganda has deployed 2,000 troops to Ituri to fight alongside Zenda rebels.", "deployment", "UGA"),
        # a state's own force keeps its state ("the Israeli Army", "the Pakistan Army")
        ("en", "The Pakistan Army moved two brigades to the Kurram valley.", "deployment", "PAK"),
        # the object of a German verb-final clause is no subject
        (
            "de",
            "Die Regierung in Jerewan hat angekündigt, ihre Teilnahme am Bündnis OKRB einzufrieren.",
            "policy_shift",
            "ARM",
        ),
    ],
)
def test_form_recognised_names_do_not_displace_states(lang: str, text: str, kind: str, country: str) -> None:
    assert {c for _, c, _ in _actor_names(text, lang, kind)} == {country}


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        # an abbreviation in parentheses repeats the name before it
        ("en", "The minister said he was prepared to lift the ban on the Popular Unity Front (PUF)."),
        # ship prefixes are capitals but no organisation
        ("en", "The USS Bataan sailed into the harbour."),
    ],
)
def test_abbreviations_and_ship_prefixes_are_no_actors(lang: str, text: str) -> None:
    assert not any(e.actor.name in ("PUF", "USS") for e in events_of(text, lang))


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("The first 300 soldiers of the AU-mandated Lake Guard Force arrived in Bol on Friday.", "Lake Guard Force"),
        ("About 200 troops of the Iran-backed Kataib Brigade arrived in Mayadin.", "Kataib Brigade"),
    ],
)
def test_a_name_glued_to_a_modifier_does_not_own_the_forces(text: str, name: str) -> None:
    assert [e.actor.name for e in events_of(text, "en", "deployment")] == [name]
