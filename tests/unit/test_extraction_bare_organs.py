"""Bare organs ('Die Regierung', 'the interim government') act for the state the article is about; names an organ
form recognises merge with their bare name. Sentences written for these tests."""

from __future__ import annotations

import pytest
from support.extraction import events_of


@pytest.mark.parametrize(
    ("lang", "text", "country"),
    [
        (
            "de",
            "Asunción (dpa) – In Paraguay kam es zu Protesten. Die Regierung wies Berichte über Festnahmen als falsch zurück.",
            "PRY",
        ),
        (
            "de",
            "Lomé (AFP) – Togo hat die Grenze zu Burkina Faso geschlossen. Togo erwartet Regen. "
            "Die neue Regierung von Premier Max Muster bestritt die Vorwürfe.",
            "TGO",
        ),
        (
            "en",
            "QUITO (Reuters) - Ecuador closed its ports on Monday. The interim government rejected the reports as false.",
            "ECU",
        ),
    ],
)
def test_a_bare_organ_denies_for_the_state_the_article_is_about(lang: str, text: str, country: str) -> None:
    assert {e.actor.country for e in events_of(text, lang, "denial")} == {country}


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("de", "Die Regierung wies Berichte über Festnahmen als falsch zurück."),  # no state in the article
        ("en", "The government rejected the reports as false."),
    ],
)
def test_a_bare_organ_without_any_state_in_the_article_acts_for_nobody(lang: str, text: str) -> None:
    assert events_of(text, lang, "denial") == []


def test_an_organ_sent_to_the_state_the_article_names_most_is_not_that_state() -> None:
    text = (
        "Luftwaffe verlegt Kampfjets nach Litauen\n\nVilnius (dpa) – Litauen hatte um Hilfe gebeten. "
        "Litauen liegt an der Ostsee."
    )
    assert all(e.actor.country != "LTU" for e in events_of(text, "de", "deployment"))


def test_an_organ_keeps_a_domestic_destination() -> None:
    text = "BOGOTA (Reuters) - Colombia faces unrest. The army sent 900 soldiers to the province of Cauca on Sunday."
    events = events_of(text, "en", "deployment")
    assert [(e.actor.country, e.location.name if e.location else None) for e in events] == [("COL", "Cauca")]


def test_an_organisation_named_with_its_head_noun_merges_with_its_bare_name() -> None:
    text = (
        "Die bewaffnete Gruppe ADF soll 300 Kämpfer in die Provinz Ituri verlegt haben. "
        "ADF soll die Kämpfer nach Ituri verlegt haben."
    )
    actors = {e.actor.name for e in events_of(text, "de", "deployment")}
    assert len(actors) == 1


def test_a_statement_after_a_dash_keeps_its_own_unlisted_subject() -> None:
    text = "Kairo öffnet die Grenze zu Gaza – Milizen bestreiten Beschuss eines Konvois"
    # The denial is the militias' own (named as the text names them), never Cairo's.
    assert [(e.actor.name, e.actor.country) for e in events_of(text, "de", "denial")] == [("Milizen", None)]


def test_a_noun_phrase_after_a_dash_comments_on_the_statement_before_it() -> None:
    text = "Kairo hebt das Exportverbot für Dünger auf – eine Kehrtwende nach zwei Jahren."
    assert {e.actor.country for e in events_of(text, "de", "policy_shift")} == {"EGY"}


@pytest.mark.parametrize(
    ("text", "country"),
    [
        ("Foreign minister Lima Barreto said Brazil would soften its stance on arms exports.", "BRA"),
        ("Editors at the Moscow Times said Kazakhstan had lifted its ban on the paper.", "KAZ"),
    ],
)
def test_a_capital_beginning_a_longer_english_name_is_not_its_state(text: str, country: str) -> None:
    assert {e.actor.country for e in events_of(text, "en", "policy_shift")} == {country}


@pytest.mark.parametrize(
    ("lang", "text", "country"),
    [
        ("en", "Kyiv Monday denied the reports.", "UKR"),
        ("de", "Warum schickt Berlin Truppen nach Litauen? Berlin dementierte die Berichte.", "DEU"),
    ],
)
def test_a_capital_before_a_weekday_or_a_german_noun_still_stands_for_its_state(
    lang: str, text: str, country: str
) -> None:
    assert {e.actor.country for e in events_of(text, lang, "denial")} == {country}


def test_a_bare_organ_keeps_its_whole_name() -> None:
    text = (
        "HANOI (Reuters) - Vietnam faces a dispute at sea. Vietnam has protested. "
        "The prime minister's office denied reports that talks had stalled."
    )
    assert [(e.actor.name, e.actor.country) for e in events_of(text, "en", "denial")] == [
        ("prime minister's office", "VNM")
    ]


@pytest.mark.parametrize(
    ("lang", "text", "country"),
    [
        ("de", "Die Taliban-Regierung in Kabul wies Vorwürfe aus Islamabad zurück.", "AFG"),
        ("de", "Die Übergangsregierung in Bamako bestritt die Berichte.", "MLI"),
        ("en", "The military government in Niamey rejected the reports as false.", "NER"),
    ],
)
def test_an_organ_with_its_seat_acts_for_the_seat_state(lang: str, text: str, country: str) -> None:
    assert {e.actor.country for e in events_of(text, lang, "denial")} == {country}


def test_an_organ_before_a_place_that_is_no_seat_is_not_resolved_by_it() -> None:
    # "in Reaktion auf ..." is no seat; a state named later in the clause is what is denied, not who denies.
    assert events_of("Die Regierung in Reaktion auf Berichte aus Kenia bestritt alles.", "de", "denial") == []
