"""Background presence, training, departures, verb-final negation and destinations behind premodifiers or in
provinces: sentences written for these tests, each general reading with a near miss beside it."""

from __future__ import annotations

import pytest
from support.extraction import events_of


def _deployments(text: str, lang: str) -> list[tuple[str | None, str | None, str | None]]:
    return [
        (
            e.actor.country or e.actor.name,
            e.location.name if e.location else None,
            e.location.country if e.location else None,
        )
        for e in events_of(text, lang, "deployment")
    ]


# ---------------------------------------------------------------- not a new deployment


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "British troops have been stationed on the island since 1974, a ministry official said."),
        ("en", "Some 900 Italian soldiers, stationed there since 2009, guard the airport."),
        ("en", "Georgian officers were trained in Germany on the new air-defence system last year."),
        ("en", "The last 40 Belgian soldiers stationed at the camp left the country on Tuesday."),
        ("en", "Portugal handed over the base to the Angolan army after its 60 troops departed."),
        ("en", "Chadian forces have been in the border town for a decade."),
        ("de", "Seit mehr als 60 Jahren sind britische Soldaten auf Zypern stationiert."),
        ("de", "Seit Jahrzehnten sind italienische Truppen im Libanon stationiert."),
        ("de", "Polnische Soldaten waren zuvor in Frankreich an dem Panzer ausgebildet worden."),
        ("de", "Die letzten 50 belgischen Soldaten verließen am Freitag das Land."),
        ("de", "Frankreich hat den Stützpunkt an die Armee von Tschad übergeben."),
    ],
)
def test_background_presence_training_and_departures_are_no_deployments(lang: str, text: str) -> None:
    assert _deployments(text, lang) == []


@pytest.mark.parametrize(
    ("lang", "text", "actor"),
    [
        ("en", "Italy has stationed 300 soldiers in Niger since March, the ministry said.", "ITA"),
        ("en", "Chad sent 500 troops to train soldiers in the border town of Abeche.", "TCD"),
        ("de", "Seit Montag verlegt Italien 300 Soldaten nach Niger.", "ITA"),
        ("de", "Polen schickt 200 Soldaten nach Litauen, um dort ukrainische Rekruten auszubilden.", "POL"),
    ],
)
def test_recent_deployments_near_those_words_still_count(lang: str, text: str, actor: str) -> None:
    assert actor in {a for a, _, _ in _deployments(text, lang)}


def test_a_noun_of_reinforcements_welcomed_is_no_act_but_the_verb_is() -> None:
    assert _deployments("The mayor of Tromsø welcomed the reinforcements but asked for more housing.", "en") == []
    assert "NOR" in {a for a, _, _ in _deployments("Norway reinforced its garrison in Tromsø with 200 soldiers.", "en")}


# ---------------------------------------------------------------- German negation at the end of the clause


@pytest.mark.parametrize(
    "text",
    [
        "Peking dementiert Berichte über einen Militärhafen in Kambodscha nicht",
        "Das Außenministerium in Ankara bestritt die Angaben über einen neuen Stützpunkt in Libyen zunächst nicht.",
    ],
)
def test_a_german_clause_ending_in_its_negator_negates_the_denial(text: str) -> None:
    assert events_of(text, "de", "denial") == []


@pytest.mark.parametrize(
    "text",
    [
        "Peking wies die Berichte zurück, die Lage am Hafen sei nicht angespannt.",
        "Ankara dementierte den Bericht über einen Stützpunkt in Libyen, räumte aber nicht ein, dass es Gespräche gebe.",
    ],
)
def test_a_negator_closing_another_clause_leaves_the_denial_standing(text: str) -> None:
    assert events_of(text, "de", "denial") != []


# ---------------------------------------------------------------- destinations


@pytest.mark.parametrize(
    ("lang", "text", "place"),
    [
        ("de", "Niger hat 400 Soldaten in die seit Wochen umkämpfte Stadt Tillabéri verlegt.", "Tillabéri"),
        (
            "de",
            "Kenia soll 200 Soldaten in die zwischen Kenia und Somalia umstrittene Region Ras Kamboni verlegen.",
            "Ras Kamboni",
        ),
        ("de", "China hat Soldaten auf das künstlich aufgeschüttete Subi-Riff verlegt.", "Subi-Riff"),
        ("en", "Ecuador sent 600 troops into the cocaine-smuggling province of Esmeraldas.", "Esmeraldas"),
        ("en", "Chad moved 300 soldiers to the remote desert town of Bardai.", "Bardai"),
        ("en", "Ethiopia sent troops into the northern outskirts of Gondar.", "Gondar"),
    ],
)
def test_a_destination_is_the_name_after_its_premodified_place_noun(lang: str, text: str, place: str) -> None:
    assert place in {name for _, name, _ in _deployments(text, lang)}


@pytest.mark.parametrize(
    ("lang", "text", "place", "country"),
    [
        ("de", "Kanada verlegt 120 Soldaten in die Provinz Nunavut.", "Nunavut", "CAN"),
        ("de", "Mosambik schickt 300 Polizisten und Soldaten in die Provinz Niassa.", "Niassa", "MOZ"),
        ("en", "Colombia sent 1,000 soldiers to the department of Antioquia.", "Antioquia", "COL"),
        ("en", "Pakistan deployed 2,000 troops in Balochistan.", "Balochistan", "PAK"),
    ],
)
def test_provinces_and_regions_take_their_country_from_iso_3166_2(
    lang: str, text: str, place: str, country: str
) -> None:
    assert (place, country) in {(name, code) for _, name, code in _deployments(text, lang)}


def test_a_border_named_after_a_neighbour_is_the_acting_states_side_of_it() -> None:
    # The place is the border as the text names it; the troops go to Poland's side, not into Belarus.
    expected_de = [("POL", "Grenze zu Belarus", "POL")]
    assert _deployments("Polen schickt 500 Soldaten an die Grenze zu Belarus.", "de") == expected_de
    expected_en = [("POL", "border with Belarus", "POL")]
    assert _deployments("Poland sent 500 troops to the border with Belarus.", "en") == expected_en
    # Whose side is unknown when no state acts: the border keeps its name, without a country.
    assert _deployments("NATO sent troops to the border with Russia.", "en") == [("NATO", "border with Russia", None)]


def test_a_province_known_only_from_iso_3166_2_makes_no_forces_foreign_on_its_own() -> None:
    # A base "in" a province is where it stands, not a deployment; a state named in the text still is.
    assert _deployments("Gunmen stormed a Rwandan army base in Cabo Delgado overnight.", "en") == []
    assert "UGA" in {a for a, _, _ in _deployments("Ugandan soldiers in Somalia guard the airport.", "en")}


def test_a_premodifier_does_not_reach_across_another_preposition() -> None:
    # "to missions in X and South Sudan": "South" there is part of a name behind a second preposition.
    events = _deployments("Kenyan police officers later returned to duties in Haiti and South Sudan.", "en")
    assert all(code != "SSD" for _, _, code in events)
