"""Whole articles (headline, dateline, body, background) on texts written for these tests."""

from __future__ import annotations

import pytest
from support.extraction import events_of as _events

# ---------------------------------------------------------------- datelines


@pytest.mark.parametrize(
    ("lang", "text", "kind", "actor"),
    [
        (
            "de",
            "Warschau/Kiew – Der Nato-Rat hat die Entsendung von 200 Soldaten nach Rumänien beschlossen.",
            "deployment",
            "Nato",
        ),
        (
            "de",
            "Dakar – Die Afrikanische Union will 1.000 Soldaten in den Tschad schicken.",
            "deployment",
            "Afrikanische Union",
        ),
        (
            "en",
            "NAIROBI/ADDIS ABABA - The African Union will send 1,000 troops to Somalia.",
            "deployment",
            "African Union",
        ),
        ("en", "CAIRO (AP) - The European Union sent two frigates to the Red Sea.", "deployment", "European Union"),
    ],
)
def test_a_dateline_place_is_never_the_actor(lang: str, text: str, kind: str, actor: str) -> None:
    [event] = _events(text, lang, kind)
    assert event.actor.country is None and actor in event.actor.name


def test_a_dateline_state_is_no_destination() -> None:
    [event] = _events("Paris – Frankreich schickt 400 Soldaten.", "de", "deployment")
    assert event.actor.country == "FRA" and event.location is None


def test_a_capitalised_article_after_a_dash_opens_a_new_clause_not_a_relative_one() -> None:
    # "Die" after a dash is an article: the clause before it ("Brüssel") must not join the cue clause.
    [event] = _events("Rom – Die Eurogruppe und die Nato schicken 300 Soldaten nach Moldau.", "de", "deployment")
    assert event.actor.country is None


# ---------------------------------------------------------------- headlines


def test_a_headline_and_a_body_sentence_about_the_same_act_are_one_event() -> None:
    text = (
        "Spanische Soldaten in Lettland angekommen\n\n"
        "Riga – Rund 250 spanische Soldaten sind am Dienstag auf dem Stützpunkt Adazi angekommen. "
        "Die Regierung in Riga begrüßte die Verstärkung."
    )
    [event] = _events(text, "de", "deployment")
    assert event.actor.country == "ESP" and event.quantity.value == 250
    assert event.evidence.text.startswith("Riga –")  # the body sentence describes the event, the headline is a mention
    assert len(event.mentions) == 1


def test_the_body_sentence_sets_the_modality_over_a_terse_headline() -> None:
    text = (
        "Canada sends frigate to Baltic Sea\n\n"
        "OTTAWA - Canada is sending a frigate to the Baltic Sea, the defence ministry said on Tuesday. "
        "The ship will join a NATO task group."
    )
    [event] = _events(text, "en", "deployment")
    assert event.modality.value == "reported" and event.evidence.text.startswith("OTTAWA")


def test_a_headline_event_the_body_does_not_repeat_stays() -> None:
    text = (
        "Kenya sends 400 police officers and 200 soldiers to Haiti\n\nThe cabinet met on Monday to discuss the budget."
    )
    assert {e.actor.country for e in _events(text, "en", "deployment")} == {"KEN"}


def test_a_first_line_ending_a_sentence_is_no_headline() -> None:
    text = "Chile sent 300 soldiers to the north.\n\nPeru sent 200 soldiers to the south."
    assert {e.actor.country for e in _events(text, "en", "deployment")} == {"CHL", "PER"}


# ---------------------------------------------------------------- who acts


@pytest.mark.parametrize(
    ("text", "country"),
    [
        ("Poland moves tanks to the border as Minsk denies the drone incursion", "BLR"),
        ("Greece sends two frigates to Crete while Ankara denies the airspace violations", "TUR"),
    ],
)
def test_a_subordinate_clause_has_its_own_subject(text: str, country: str) -> None:
    assert {e.actor.country for e in _events(text, "en", "denial")} == {country}


def test_as_many_as_opens_no_clause() -> None:
    [event] = _events("Chad sent as many as 900 soldiers to Niger.", "en", "deployment")
    assert event.actor.country == "TCD"


@pytest.mark.parametrize(
    ("lang", "text", "kind", "actor"),
    [
        ("de", "Die palästinensische Hamas wies die Vorwürfe als Propaganda zurück.", "denial", "Hamas"),
        ("en", "About 300 fighters from Russia's Wagner group arrived in Bamako.", "deployment", "Wagner"),
    ],
)
def test_a_state_qualifying_an_organisation_does_not_act(lang: str, text: str, kind: str, actor: str) -> None:
    [event] = _events(text, lang, kind)
    assert event.actor.country is None and actor in event.actor.name


@pytest.mark.parametrize(
    ("lang", "text", "actor"),
    [
        ("de", "Die EU schickt nach Angriffen durch syrische Milizen 150 Soldaten nach Zypern.", "EU"),
        ("en", "After repeated attacks by Iranian drones, NATO sent four warships to the Gulf.", "NATO"),
    ],
)
def test_forces_after_by_or_through_are_not_the_ones_sent(lang: str, text: str, actor: str) -> None:
    [event] = _events(text, lang, "deployment")
    assert event.actor.name == actor


def test_providing_barracks_for_a_brigade_is_no_deployment() -> None:
    assert not _events("Die estnische Regierung stellt für die Brigade Unterkünfte und Übungsplätze bereit.", "de")


# ---------------------------------------------------------------- background


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "In June 1982, some 8,000 British troops landed on the Falkland Islands."),
        ("de", "Im Oktober 1956 marschierten sowjetische Truppen, unterstützt von Panzern, in Budapest ein."),
    ],
)
def test_a_past_century_year_before_the_cue_dates_the_sentence(lang: str, text: str) -> None:
    assert not _events(text, lang, "deployment")


def test_the_content_of_a_denial_names_no_actor() -> None:
    # The denier is unknown to the gazetteer: the state named inside the denied claim must not stand in for it.
    assert not _events("The regional council denied allegations that Serbia had armed the militia.", "en", "denial")


@pytest.mark.parametrize(
    ("lang", "text", "country"),
    [
        ("en", "President Lula's office dismissed the reports as fabricated.", "BRA"),
        ("de", "Das Büro von Präsident Erdoğan wies die Berichte als falsch zurück.", "TUR"),
    ],
)
def test_a_leaders_office_acts_for_the_state(lang: str, text: str, country: str) -> None:
    assert {e.actor.country for e in _events(text, lang, "denial")} == {country}


def test_a_named_armed_group_denies() -> None:
    [event] = _events("The Syrian Democratic Forces denied Turkish claims about the attack.", "en", "denial")
    assert event.actor.country is None and "Syrian Democratic Forces" in event.actor.name
