"""German actors written for the twenty-fourth session's check (none from the pool, in the style of Der Standard
2015-16): forces counted with no owner and no place in a text whose only state is the one its officeholders hold
('Verteidigungsminister Doskozil ... Rund 1.000 Soldaten sind im Einsatz'), and a bare office noun that repeats the
title of the officeholder named before ('Bundeskanzler Werner Faymann ... sagte der Kanzler'), beside near misses
(two states' officeholders, a place that owns the forces, no forces, no denial, another state's officeholder); and a
state named only beside the story's place ('an der Grenze zu Slowenien', 'östlich von Australien', 'den
Nachbarländern Kolumbien und Brasilien'), which is no evidence of whose forces a text counts."""

from __future__ import annotations

import pytest
from support.extraction import actors_of
from support.stages import engine

from streams.extraction.context import DominantState

# (text, who deploys): each found no deployment on the base of the session (5c48665).
DEPLOYMENTS = [
    (
        "Verteidigungsminister Hans Peter Doskozil sprach von einer angespannten Lage. Rund 1.000 Soldaten sind "
        "seit Montag im Einsatz.",
        {"AUT"},
    ),
    (
        "Präsident Petro Poroschenko ordnete am Abend eine Teilmobilmachung an. Tausende Soldaten sind im Einsatz.",
        {"UKR"},
    ),
    (
        "Bundeskanzler Werner Faymann lud am Sonntag zu einem Krisentreffen. Mehr als 2.000 Polizisten und Soldaten "
        "sind im Einsatz.",
        {"AUT"},
    ),
    (
        "Präsident Recep Tayyip Erdoğan sprach nach dem Anschlag von Terror. Tausende Polizisten sind im Einsatz.",
        {"TUR"},
    ),
    ("Premierminister Keir Starmer besuchte am Dienstag die Flutgebiete. Hunderte Soldaten sind im Einsatz.", {"GBR"}),
]

# (text, who denies): each named another state (the critic's) or only the office on the base.
DENIALS = [
    (
        "Innenministerin Johanna Mikl-Leitner wies die Kritik aus Budapest zurück. „Das ist falsch“, sagte die "
        "Ministerin.",
        {"AUT"},
    ),
    ("Bundeskanzler Werner Faymann reagierte auf Kritik aus Budapest. „Das stimmt nicht“, sagte der Kanzler.", {"AUT"}),
    (
        "Verteidigungsminister Hans Peter Doskozil reagierte auf Berichte aus Slowenien. Der Minister wies die "
        "Darstellung zurück.",
        {"AUT"},
    ),
    # The title keeps its gender: 'Bundeskanzlerin' is not the chancellor 'der Kanzler' repeats.
    (
        "Bundeskanzlerin Angela Merkel traf in Berlin Bundeskanzler Werner Faymann. Berichte aus Budapest seien "
        "falsch, sagte der Kanzler.",
        {"AUT"},
    ),
]

# Right on the base too, kept as guards: the officeholder's state stays the actor's.
KEPT = [
    (
        "Der türkische Präsident Recep Tayyip Erdoğan reagierte auf Vorwürfe aus Moskau. „Das ist eine Lüge“, sagte "
        "der Präsident.",
        "denial",
        {"TUR"},
    ),
    (
        "Kreml-Sprecher Dmitri Peskow äußerte sich zu Berichten aus Kiew. Die Vorwürfe seien absurd, sagte der "
        "Sprecher.",
        "denial",
        {"RUS"},
    ),
    # Another state's officeholder: the adjective names the denier, not the president named before.
    (
        "Präsident Wladimir Putin sprach von Provokationen. Der ukrainische Präsident wies die Vorwürfe zurück.",
        "denial",
        {"UKR"},
    ),
    # The place owns forces with no owner: Kyiv's police, not the Kremlin's.
    (
        "Kreml-Sprecher Dmitri Peskow kommentierte die Proteste. Tausende Polizisten sind in Kiew im Einsatz.",
        "deployment",
        {"UKR"},
    ),
]

NEAR_MISSES = [
    # Two states' officeholders: whose soldiers is not said.
    (
        "Bundeskanzler Werner Faymann traf Viktor Orbán zu einem Gespräch. Tausende Soldaten sind im Einsatz.",
        "deployment",
    ),
    (
        "Innenministerin Johanna Mikl-Leitner widersprach den Berichten. Es seien keine Soldaten im Einsatz.",
        "deployment",
    ),
    ("Premier Alexis Tsipras sprach über die Lage auf den Inseln. Hunderte Freiwillige sind im Einsatz.", "deployment"),
    (
        "Bundeskanzler Werner Faymann reagierte auf Kritik aus Budapest. „Wir prüfen die Vorschläge“, sagte der Kanzler.",
        "denial",
    ),
    (
        "Innenministerin Johanna Mikl-Leitner reagierte auf Berichte aus Slowenien. Die Ministerin bestritt nicht, "
        "dass es Probleme an der Grenze gebe.",
        "denial",
    ),
    (
        "Bundeskanzler Werner Faymann reagierte auf Kritik aus Budapest. Der Kanzler kündigte an, die Kontrollen am "
        "Brenner zu prüfen.",
        "deployment",
    ),
    (
        "Der Verwaltungsgerichtshof wies am Dienstag die Beschwerde von Innenministerin Johanna Mikl-Leitner zurück.",
        "denial",
    ),
]


# (text, who deploys): on the base the neighbour beyond the border owned the forces, or a tie with it left none.
BESIDE_A_PLACE = [
    (
        "Innenministerin Johanna Mikl-Leitner besuchte Spielfeld an der Grenze zu Slowenien. Rund 500 Soldaten sind "
        "seit Montag im Einsatz.",
        {"AUT"},
    ),
    (
        "Bundeskanzler Werner Faymann sprach am Sonntag in Nickelsdorf an der Grenze zu Ungarn. Hunderte Soldaten "
        "sind im Einsatz.",
        {"AUT"},
    ),
    (
        "Bundesinnenminister Thomas de Maizière reiste an die Grenze zu Österreich. Mehr als 1.000 Polizisten sind "
        "im Einsatz.",
        {"DEU"},
    ),
    ("Ungarn hat die Grenze zu Serbien geschlossen. Tausende Polizisten sind im Einsatz.", {"HUN"}),
    # Named only beside the place: whose forces these are is not said (the base named the neighbour).
    ("Die Lage an der Grenze zu Slowenien bleibt angespannt. Rund 500 Soldaten sind seit Montag im Einsatz.", set()),
    ("Tausende Flüchtlinge warten an der slowenischen Grenze. Rund 500 Soldaten sind seit Montag im Einsatz.", set()),
    (
        "Die Grenzübergänge zu den Nachbarländern Kolumbien und Brasilien bleiben geschlossen. Mehr als 300.000 "
        "Sicherheitskräfte sind im Einsatz.",
        set(),
    ),
    (
        "Auf der Inselgruppe östlich von Australien gilt seit Mittwoch der Ausnahmezustand. Soldaten sichern Brücken "
        "und den Flughafen.",
        set(),
    ),
]

# Right on the base too: the state that acts is named, the neighbour only beside it.
BESIDE_KEPT = [
    ("Russland hat Truppen an der Grenze zur Ukraine zusammengezogen. Tausende Soldaten sind im Einsatz.", {"RUS"}),
    (
        "Das Nachbarland Ungarn hat einen Zaun gebaut. Die Regierung in Budapest schickt 1.000 Soldaten an die Grenze.",
        {"HUN"},
    ),
]


@pytest.mark.parametrize(("text", "actors"), BESIDE_A_PLACE + BESIDE_KEPT)
def test_a_state_named_beside_a_place_owns_no_forces(text: str, actors: set[str]) -> None:
    assert actors_of(text, "de", "deployment") == actors


@pytest.mark.parametrize(("text", "actors"), DEPLOYMENTS)
def test_unowned_forces_act_for_the_state_of_the_texts_officeholders(text: str, actors: set[str]) -> None:
    assert actors_of(text, "de", "deployment") == actors


@pytest.mark.parametrize(("text", "actors"), DENIALS)
def test_a_bare_office_noun_repeats_the_titled_officeholder_named_before(text: str, actors: set[str]) -> None:
    assert actors_of(text, "de", "denial") == actors


@pytest.mark.parametrize(("text", "kind", "actors"), KEPT)
def test_an_officeholders_state_is_kept(text: str, kind: str, actors: set[str]) -> None:
    assert actors_of(text, "de", kind) == actors


@pytest.mark.parametrize(("text", "kind"), NEAR_MISSES)
def test_an_unseen_officeholder_near_miss_stays_quiet(text: str, kind: str) -> None:
    assert actors_of(text, "de", kind) == set()


def test_an_office_noun_two_titled_people_share_names_neither() -> None:
    text = "Außenminister Sebastian Kurz traf Außenminister Sergej Lawrow. Der Minister wies die Vorwürfe zurück."
    state = DominantState(engine("de").gazetteer, text)
    assert state.titled("Minister", text.index("Der Minister")) is None
    one = "Außenminister Sergej Lawrow traf Sebastian Kurz. Der Minister wies die Vorwürfe zurück."
    found = DominantState(engine("de").gazetteer, one).titled("Minister", one.index("Der Minister"))
    assert found is not None and found.entity.country == "RUS"


def test_officeholders_of_two_states_give_forces_no_state() -> None:
    gazetteer = engine("de").gazetteer
    assert DominantState(gazetteer, "Faymann traf Orbán. Soldaten sind im Einsatz.").officeholders_sole() is None
    sole = DominantState(gazetteer, "Faymann traf Mikl-Leitner. Soldaten sind im Einsatz.").officeholders_sole()
    assert sole is not None and sole.country == "AUT"
