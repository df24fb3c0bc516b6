"""German denials written for the twenty-third session's check (none from the pool, in the style of Der Standard
2015-16): a claim called false by a source phrase that opens with 'von' or names an opinion ('nach Angaben von
Faymann', 'nach Ansicht von Huber', 'aus Sicht des Innenministeriums', an organ in the genitive) or by a lawyer in
a relative clause who speaks for the client ('Grassers Anwalt, der die Vorwürfe bestreitet'), beside near misses
that must stay quiet (the same source phrases before facts, opinions on plans, another's denial, 'bestritt nicht',
a court, a claim called right)."""

from __future__ import annotations

import pytest
from support.extraction import actors_of

# (sentence, who denies): each failed on the base of the session (2b04f5b).
DENIALS = [
    (
        "Österreich will die Grenzkontrollen verschärfen. Berichte über eine Schließung des Brenners sind "
        "nach Angaben des Innenministeriums frei erfunden.",
        {"AUT"},
    ),
    (
        "Nach Ansicht von Mikl-Leitner sind die Vorwürfe der Grünen haltlos.",
        {"AUT"},
    ),
    (
        "Die Gerüchte über einen Rücktritt sind nach Angaben von Faymann frei erfunden.",
        {"AUT"},
    ),
    (
        "Russland steht in der Kritik. Nach Angaben des Außenministeriums sind die Berichte über russische "
        "Soldaten in der Ostukraine eine Lüge.",
        {"RUS"},
    ),
    (
        "Die Türkei steht in der Kritik. Aus Sicht der Regierung sind die Vorwürfe über Öllieferungen des IS absurd.",
        {"TUR"},
    ),
    (
        "Ungarn hat die Grenze zu Serbien geschlossen. Nach Ansicht der Regierung sind die Berichte über "
        "Gewalt gegen Flüchtlinge haltlos.",
        {"HUN"},
    ),
    (
        "Gegen den Unternehmer Rudolf Fischer wird ermittelt. Die Vorwürfe sind nach Ansicht von Fischer "
        "frei erfunden.",
        {"Fischer"},
    ),
    (
        "Deutschland will die Grenzkontrollen verlängern. Die Berichte über eine Obergrenze sind nach "
        "Angaben des Innenministeriums falsch.",
        {"DEU"},
    ),
    (
        "Nach Meinung von Erdoğan sind die Vorwürfe gegen seine Regierung eine Verleumdung.",
        {"TUR"},
    ),
    (
        "Russland schweigt zu den Vorwürfen. Die Berichte entbehren nach Angaben des "
        "Verteidigungsministeriums jeder Grundlage.",
        {"RUS"},
    ),
    (
        "Gegen den Bürgermeister Franz Huber wird wegen Untreue ermittelt. Nach Ansicht von Huber sind die "
        "Anschuldigungen haltlos.",
        {"Huber"},
    ),
    (
        "Österreich plant einen Zaun in Spielfeld. Aus Sicht des Innenministeriums sind die Berichte über "
        "eine Grenzschließung Unsinn.",
        {"AUT"},
    ),
]

# A relative clause on a representative: the client denies (relative_subjects, ANNOTATING.md lawyer or client).
CLIENT_DENIALS = [
    (
        "Gegen Karl-Heinz Grasser wird ermittelt. Der Standard sprach am Freitag mit Grassers Anwalt, der alle "
        "Vorwürfe bestreitet.",
        {"Grasser"},
    ),
    (
        "Gegen Karl-Heinz Grasser wird ermittelt. Die Zeitung zitiert Grassers Anwalt, der die Vorwürfe als haltlos "
        "zurückweist.",
        {"Grasser"},
    ),
    (
        "Gegen Uwe Scheuch wird ermittelt. Am Montag meldete sich der Anwalt von Uwe Scheuch, der die Anschuldigungen "
        "zurückweist, zu Wort.",
        {"Uwe Scheuch"},
    ),
    # Was a near miss of the fifteenth session (names.jsonl: "the name qualifies the lawyer"); under the twentieth
    # session's convention the lawyer's denial is the client's, whichever noun the clause belongs to.
    ("Die Anwältin von Tom Berger, die die Vorwürfe bestreitet, wurde vernommen.", {"Tom Berger"}),
]

NEAR_MISSES = [
    "Österreich will die Grenzkontrollen verschärfen. Nach Angaben des Innenministeriums sind im "
    "September 200.000 Flüchtlinge über die Grenze gekommen.",
    "Nach Ansicht von Mikl-Leitner ist eine Obergrenze für Asylwerber notwendig.",
    "Norbert Hofer trat am Montag in Graz auf. Laut Hofer wies die Regierung die Vorwürfe zurück.",
    "Nach Angaben der Polizei bestritt der Verdächtige die Vorwürfe nicht.",
    "Der Verfassungsgerichtshof wies die Beschwerde nach Angaben des Gerichts zurück.",
    "Nach Ansicht der Grünen sind die Vorwürfe gegen Strache berechtigt.",
    "Nach Angaben des Innenministeriums ermittelt die Polizei wegen Schlepperei gegen drei Männer.",
    "Aus Sicht der Opposition sind die Pläne der Regierung für eine Obergrenze falsch.",
    "Nach Angaben des Verteidigungsministeriums wurden 500 Soldaten an die Grenze zu Slowenien verlegt.",
    "Nach Meinung von Experten könnte die Regierung die Obergrenze im Frühjahr wieder aufheben.",
    "Nach Angaben des Innenministeriums hat das Gericht den Antrag auf Asyl abgelehnt.",
    "Nach Ansicht von Faymann sind die Berichte über die Lage in Traiskirchen zutreffend.",
    "Aus Sicht Moskaus sind die Sanktionen der EU ein Fehler.",
    "Nach Angaben von Beobachtern sollen russische Soldaten in der Ostukraine gesehen worden sein.",
    # A representative's relative clause that denies nothing, or denies it not; a court rejecting his request.
    "Gegen Karl-Heinz Grasser wird ermittelt. Grassers Anwalt, der die Vorwürfe nicht bestreitet, will einen Vergleich.",
    "Gegen Karl-Heinz Grasser wird ermittelt. Grassers Anwalt, der die Klage eingebracht hat, äußerte sich nicht.",
    "Das Gericht wies die Beschwerde von Grassers Anwalt, der eine Befangenheit geltend machte, zurück.",
    "Der Anwalt von Uwe Scheuch, der seit Jahren in Klagenfurt arbeitet, wollte die Vorwürfe nicht kommentieren.",
]


@pytest.mark.parametrize(("text", "actors"), DENIALS + CLIENT_DENIALS)
def test_an_unseen_german_denial_by_a_source_phrase_is_found(text: str, actors: set[str]) -> None:
    assert actors_of(text, "de", "denial") == actors


@pytest.mark.parametrize("text", NEAR_MISSES)
def test_an_unseen_german_source_phrase_near_miss_is_no_denial(text: str) -> None:
    assert actors_of(text, "de", "denial") == set()
