"""German denial sentences written for the twenty-first session's check (none from the pool, half in the style of
Austrian and German politics of 2015-16): reported speech that runs on past the sentence naming its speaker, and a
first-person lead-in whose names are only talked about; beside the near misses that must stay quiet (a court, a
refusal, 'bestritt nicht', a demand, history)."""

from __future__ import annotations

import pytest
from support.extraction import actors_of

# (sentence, who denies): each failed on the base of the session (e604f98).
DENIALS = [
    # Konjunktiv I after a speech act: the speaker of the sentence before says it (continued_speech.py).
    (
        "„Wir haben die Lage im Griff“, sagte Innenministerin Johanna Mikl-Leitner. Die Berichte über Chaos an der "
        "Grenze seien frei erfunden.",
        {"AUT"},
    ),
    (
        "„Ungarn hält sich an das europäische Recht“, sagte der ungarische Außenminister Péter Szijjártó. Die Vorwürfe "
        "aus Wien seien absurd.",
        {"HUN"},
    ),
    (
        "Kremlsprecher Dmitri Peskow sagte am Montag, Moskau verfolge die Lage genau. Die Berichte über russische "
        "Soldaten in der Ostukraine seien eine Lüge.",
        {"RUS"},
    ),
    ("„Die Hilfe kommt an“, sagte Anna Berger. Die Gerüchte über gestohlene Spenden seien falsch.", {"Anna Berger"}),
    (
        "„Die Türkei kauft kein Öl vom IS“, sagte Präsident Recep Tayyip Erdoğan. Diese Anschuldigungen seien haltlos.",
        {"TUR"},
    ),
]

NEAR_MISSES = [
    # What the speaker goes on to report is no denial; a charge not called false, or a step called wrong.
    "„Wir haben die Lage im Griff“, sagte Innenministerin Johanna Mikl-Leitner. Die Zahl der Asylanträge sei im "
    "Oktober gestiegen.",
    "Die Polizei teilte am Sonntag mit, die Lage an der Grenze sei ruhig. Es habe keine Zwischenfälle gegeben.",
    "„Wir schaffen das“, sagte Angela Merkel. Die Zahl der Flüchtlinge werde aber sinken müssen.",
    "Es ist nicht falsch, der Regierung vorzuwerfen, sie habe zu spät reagiert, sagte Hans Huber.",
    "Es wäre falsch, jetzt die Grenzen zu schließen, sagte Angela Merkel.",
    "Kritiker halten es für falsch, den Grenzzaun abzubauen.",
    # A first-person lead-in: the names in it are talked about, they deny nothing (the base read Olaf Scholz).
    "Ich kenne Olaf Scholz gut genug: Die Vorwürfe sind falsch.",
    # A court, a refusal, a denial not made, history, a hypothetical.
    "Der Verfassungsgerichtshof wies die Beschwerde der FPÖ gegen die Wahl als unbegründet zurück.",
    "Ungarn verweigerte den Flüchtlingen die Einreise.",
    "Werner Faymann bestritt nicht, dass die Regierung zu spät reagiert habe.",
    "Im Jahr 1956 wies die Sowjetunion alle Berichte über Truppen in Ungarn als Propaganda zurück.",
    "Sollte die Regierung die Berichte zurückweisen, werde die Opposition einen Untersuchungsausschuss fordern.",
]


@pytest.mark.parametrize(("text", "actors"), DENIALS)
def test_an_unseen_german_denial_is_found_with_its_denier(text: str, actors: set[str]) -> None:
    assert actors_of(text, "de", "denial") == actors


@pytest.mark.parametrize("text", NEAR_MISSES)
def test_an_unseen_german_near_miss_is_no_denial(text: str) -> None:
    assert actors_of(text, "de", "denial") == set()
