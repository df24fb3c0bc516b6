"""Cue phrasings of each event type, each beside its near miss, on sentences written for these tests."""

from __future__ import annotations

import pytest
from support.extraction import events_of


def _actors(text: str, lang: str, kind: str) -> set[str | None]:
    return {e.actor.country or e.actor.name for e in events_of(text, lang, kind)}


# ---------------------------------------------------------------- denial


@pytest.mark.parametrize(
    ("lang", "text", "country"),
    [
        ("en", "The Kremlin described the allegations as a fabrication.", "RUS"),
        ("en", "Tehran dismissed the story as a politically motivated smear.", "IRN"),
        ("en", "Beijing said the accusations were groundless.", "CHN"),
        ("en", 'Peskov said the reports were "absolutely untrue".', "RUS"),
        ("en", "Zakharova called the claims a hoax.", "RUS"),
        ("de", "Peskow sagte, die Berichte seien frei erfunden.", "RUS"),
        ("de", "Sacharowa nannte die Vorwürfe erlogen.", "RUS"),
        ("de", "Das Außenministerium in Teheran erklärte, die Anschuldigungen seien völlig haltlos.", "IRN"),
    ],
)
def test_falsehood_predicates_and_spokespeople_are_denials(lang: str, text: str, country: str) -> None:
    assert _actors(text, lang, "denial") == {country}


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "Beijing said the accusations were not groundless."),
        ("en", "The minister described the bridge as a fabrication of steel and glass."),
        ("de", "Peskow sagte, die Berichte seien nicht frei erfunden."),
        ("de", "Der Sprecher sagte, die Berichte würden geprüft."),
    ],
)
def test_negated_or_objectless_falsehoods_are_no_denials(lang: str, text: str) -> None:
    assert _actors(text, lang, "denial") == set()


# ---------------------------------------------------------------- deployment


@pytest.mark.parametrize(
    ("lang", "text", "country"),
    [
        ("en", "Turkish warships headed to the eastern Mediterranean on Monday.", "TUR"),
        ("en", "India rushed paramilitary police to Manipur after the clashes.", "IND"),
        ("en", "NATO deployed additional battlegroups to Slovakia and Hungary.", "NATO"),
        ("en", "Moscow moved two more divisions to the front line near Zaporizhzhia.", "RUS"),
        ("de", "Die Bundeswehr schickt vier Eurofighter nach Rumänien.", "DEU"),
        ("de", "Paris schickte 1500 Gendarmen nach Neukaledonien.", "FRA"),
        ("de", "Nordkoreanische Soldaten wurden an die Front in Kursk gebracht.", "PRK"),
    ],
)
def test_force_movements_without_a_send_verb_are_deployments(lang: str, text: str, country: str) -> None:
    assert _actors(text, lang, "deployment") == {country}


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "In 1994, France sent troops to Rwanda."),
        ("en", "The US scaled back its forces in Iraq."),
        ("de", "Zwei französische Soldaten wurden in Mali verletzt."),
        ("de", "Israelische Soldaten töteten im Westjordanland zwei Bewaffnete."),
        ("de", "Die USA reduzierten ihre Truppen in Syrien auf 900 Soldaten."),
    ],
)
def test_casualties_drawdowns_and_travelling_officers_are_no_deployments(lang: str, text: str) -> None:
    assert _actors(text, lang, "deployment") == set()


@pytest.mark.parametrize(
    ("lang", "text", "country"),
    [
        ("de", "Paris schickte 1500 Gendarmen nach Neukaledonien.", "FRA"),
        ("en", "Kenya sent 1800 more police officers to Haiti.", "KEN"),
    ],
)
def test_a_year_like_number_counting_forces_is_a_quantity(lang: str, text: str, country: str) -> None:
    [event] = events_of(text, lang, "deployment")
    assert (event.actor.country, event.quantity.value if event.quantity else None) == (country, int(text.split()[2]))


# ---------------------------------------------------------------- negation inside a cue


@pytest.mark.parametrize(
    ("lang", "text", "kind"),
    [
        ("de", "Ungarn wies die Berichte nicht zurück.", "denial"),
        ("de", "Die Slowakei hob die Sanktionen gegen Belarus nicht auf.", "policy_shift"),
        ("de", "Ungarn gibt seinen Widerstand gegen den Nato-Beitritt Schwedens nicht auf.", "policy_shift"),
        ("en", "Chile has not lifted the ban on lithium exports.", "policy_shift"),
        ("en", "Seoul never relaxed its restrictions on imports from Japan.", "policy_shift"),
    ],
)
def test_a_negator_inside_a_separable_cue_negates_it(lang: str, text: str, kind: str) -> None:
    assert _actors(text, lang, kind) == set()


@pytest.mark.parametrize(
    ("lang", "text", "kind", "country"),
    [
        ("de", "Polen schließt die Entsendung von Soldaten nicht mehr aus.", "policy_shift", "POL"),
        ("de", "Litauen wies die Berichte ohne Umschweife zurück.", "denial", "LTU"),
        ("de", "Tokio könnte seine Politik, keine Waffen zu exportieren, überdenken.", "policy_shift", "JPN"),
        ("en", "Oslo relaxed its no-fly restrictions over the capital.", "policy_shift", "NOR"),
        (
            "de",
            "Die Slowakei hob die Sanktionen nicht nur auf, sondern lockerte auch die Visaregeln.",
            "policy_shift",
            "SVK",
        ),
    ],
)
def test_negators_the_cue_spells_or_that_negate_a_noun_keep_it(lang: str, text: str, kind: str, country: str) -> None:
    assert _actors(text, lang, kind) == {country}


# ---------------------------------------------------------------- policy_shift


@pytest.mark.parametrize(
    ("lang", "text", "country"),
    [
        ("en", "Moscow suspended its participation in the grain deal.", "RUS"),
        ("en", "Latvia abolished conscription in 2007 and reinstated it last year.", "LVA"),
        ("de", "Ungarn gibt seinen Widerstand gegen den Nato-Beitritt Schwedens auf.", "HUN"),
        ("de", "Die Niederlande beenden ihren Exportstopp für Rüstungsgüter nach Saudi-Arabien.", "NLD"),
        ("de", "Frankreich kippt das geplante Verbot von Einwegplastik.", "FRA"),
        ("de", "Großbritannien verzichtet künftig auf die Visumpflicht für Kolumbianer.", "GBR"),
        ("de", "Tokio will seine Exportregeln für Waffen überdenken.", "JPN"),
    ],
)
def test_abandoned_positions_and_ended_restrictions_are_policy_shifts(lang: str, text: str, country: str) -> None:
    assert _actors(text, lang, "policy_shift") == {country}


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "Britain will no longer host the summit, organisers said."),
        ("de", "Die Opposition forderte die Regierung auf, den Exportstopp zu beenden."),
        ("de", "Der Verein kippt die Sperre gegen den Stürmer."),
    ],
)
def test_kept_demanded_or_sporting_positions_are_no_policy_shifts(lang: str, text: str) -> None:
    assert _actors(text, lang, "policy_shift") == set()
