"""German denial sentences written for the twenty-second session's check (none from the pool, most in the style of
Austrian politics of 2015-16): the denier stands after the verb of a clause opened by its object ('Dem widersprach
Hofer', 'Vorwürfe der Grünen wies Strache zurück'), is the source of a claim called false ('laut Strache'), or has a
lawyer named with the client ('Grassers Anwalt Manfred Ainedter'); beside the near misses that must stay quiet (a
role noun after the verb that names someone new, a source of another's denial, 'bestritt nicht')."""

from __future__ import annotations

import pytest
from support.extraction import actors_of

# (sentence, who denies): each failed on the base of the session (6cdd170).
DENIALS = [
    # A lone pronoun object before the verb, the cue holding it or not (names._inverted_subject).
    ("Norbert Hofer hat am Sonntag ein Interview gegeben. Dem widersprach Hofer am Montag.", {"Hofer"}),
    ("Norbert Hofer hatte im Wahlkampf mit einem Öxit gedroht. Das bestritt Hofer am Sonntag im Fernsehen.", {"Hofer"}),
    # A bare plural claim opens the clause as its object (names._inverted_subject, inverted_subjects.InvertedSubjects).
    (
        "Angela Merkel war am Wochenende in Wien. Berichte über einen Streit mit Faymann wies Merkel als haltlos zurück.",
        {"Merkel"},
    ),
    (
        "Heinz-Christian Strache gab am Montag eine Pressekonferenz. Vorwürfe der Grünen wies Strache als "
        "Wahlkampfgetöse zurück.",
        {"Strache"},
    ),
    (
        "Innenministerin Johanna Mikl-Leitner besuchte am Montag das Lager in Traiskirchen. Berichte über Zelte für "
        "Kinder wies die Ministerin entschieden zurück.",
        # Session 24: the office noun repeats her title, so she denies in office and acts for her state
        # (ANNOTATING.md, officeholders); the session-22 reading named her without a state.
        {"AUT"},
    ),
    # An unlisted source of a claim called false, named in full before (named_sources.NamedSources).
    (
        "Heinz-Christian Strache gab am Montag eine Pressekonferenz. Die Vorwürfe sind laut Strache frei erfunden.",
        {"Strache"},
    ),
    (
        "Norbert Hofer trat am Montag in Graz auf. Die Gerüchte über einen Rücktritt entbehren laut Hofer jeder "
        "Grundlage.",
        {"Hofer"},
    ),
    # The lawyer named with the client denies for the client (referents.principal).
    (
        "Gegen Karl-Heinz Grasser wird wegen der Buwog-Privatisierung ermittelt. Grassers Anwalt Manfred Ainedter wies "
        "die Vorwürfe am Montag als haltlos zurück.",
        {"Grasser"},
    ),
]

NEAR_MISSES = [
    # A role noun after the verb: another party's spokesman, someone new beside a person named once.
    "Gegen den Unternehmer Thomas Huber wurden Vorwürfe laut. Am Montag wies der Sprecher der Staatsanwaltschaft "
    "die Berichte zurück.",
    "Der Journalist Florian Klenk hatte über das Lager berichtet. Nach der Sitzung wies der Beamte die Kritik zurück.",
    "Gegen den Arzt Hans Weber wurden Vorwürfe erhoben. Am Montag wies die Charité die Anschuldigungen zurück.",
    # A pronoun object before a verb that denies nothing, a denial not made, a predicate inside the cue.
    "Norbert Hofer gab am Sonntag ein Interview. Dem stimmte Strache am Montag zu.",
    "Norbert Hofer gab ein Interview. Das bestritt Hofer nicht.",
    # A source reporting another's denial, or a claim not called false.
    "Norbert Hofer trat am Montag in Graz auf. Laut Hofer wies die Regierung die Vorwürfe zurück.",
    "Norbert Hofer trat am Montag in Graz auf. Die Vorwürfe sind laut Hofer nicht frei erfunden.",
    # A court, a refusal, no comment, history, a hypothetical.
    "Der Oberste Gerichtshof wies die Berufung des früheren Hypo-Managers zurück.",
    "Das Innenministerium wies den Asylantrag des Mannes im Dezember zurück.",
    "Kickl wollte die Zahlen am Montag nicht bestätigen.",
    "Im Jahr 1956 hatte Österreich tausende Flüchtlinge aus Ungarn aufgenommen.",
    "Sollte Strache die Vorwürfe zurückweisen, wäre das eine Überraschung.",
]


@pytest.mark.parametrize(("text", "actors"), DENIALS)
def test_an_unseen_german_denial_is_found_with_its_denier(text: str, actors: set[str]) -> None:
    assert actors_of(text, "de", "denial") == actors


@pytest.mark.parametrize("text", NEAR_MISSES)
def test_an_unseen_german_near_miss_is_no_denial(text: str) -> None:
    assert actors_of(text, "de", "denial") == set()
