"""German policy-shift phrasings and their near-misses, and capitals in their local spellings, on sentences written
for these tests."""

from __future__ import annotations

import pytest
from support.extraction import events_of


@pytest.mark.parametrize(
    ("text", "country", "modality"),
    [
        ("Ungarn kehrt seiner bisherigen Blockadehaltung den Rücken und stimmt dem Beitritt zu.", "HUN", "asserted"),
        ("Die Regierung in Oslo hat der Neutralitätspolitik endgültig den Rücken gekehrt.", "NOR", "asserted"),
        ("Rom rückt nun doch von seinem Veto gegen das Abkommen ab.", "ITA", "asserted"),
        ("Litauen ist aus dem Streumunitionsabkommen ausgetreten.", "LTU", "asserted"),
        ("Mali tritt aus der Staatengemeinschaft aus.", "MLI", "asserted"),
        ("Die Schweiz erwägt, das Waffenexportverbot für Partnerländer aufzuheben.", "CHE", "possible"),
        ("Tokio nahm die Strafmaßnahmen gegen Seoul zurück.", "JPN", "asserted"),
    ],
)
def test_german_policy_shifts(text: str, country: str, modality: str) -> None:
    [event] = events_of(text, "de", "policy_shift")
    assert (event.actor.country, event.modality.value) == (country, modality)


@pytest.mark.parametrize(
    "text",
    [
        "Der Stürmer kehrte dem Verein den Rücken.",  # no government
        "Nordkorea kehrt seinem Atomprogramm nicht den Rücken.",  # negated
        "Die Opposition hat eine Kehrtwende in der Energiepolitik gefordert.",  # a demand (verb after the cue)
        "Die Truppen rückten am Abend von der Stellung ab.",  # troops moving off, no policy
        "Spanien hält am Ausstieg aus der Atomkraft fest.",  # reaffirmed: the marker stands around the cue
    ],
)
def test_german_policy_near_misses(text: str) -> None:
    assert events_of(text, "de", "policy_shift") == []


def test_returning_soldiers_are_no_deployment() -> None:
    assert events_of("Die letzten 80 Soldaten sind nach ihrer Rückkehr in Köln gelandet.", "de", "deployment") == []


def test_a_long_separable_denial_covers_the_deployment_it_denies() -> None:
    text = "Teheran wies nach Angaben des staatlichen Rundfunks IRIB Berichte über eine Mobilmachung der eigenen Streitkräfte zurück."
    assert [e.type.value for e in events_of(text, "de")] == ["denial"]


@pytest.mark.parametrize(
    ("lang", "text", "country"),
    [
        ("de", "Lissabon wies die Berichte als falsch zurück.", "PRT"),
        ("de", "Brasília wies die Vorwürfe als haltlos zurück.", "BRA"),
        ("en", "Brasília rejected the reports as false.", "BRA"),
        ("de", "Kabul bestritt die Angaben.", "AFG"),
    ],
)
def test_capitals_in_local_spellings_stand_for_their_state(lang: str, text: str, country: str) -> None:
    assert {e.actor.country for e in events_of(text, lang, "denial")} == {country}
