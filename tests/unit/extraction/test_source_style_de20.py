"""German as a source without quote marks writes it (10kGNAD's Der Standard), and Austrian and Swiss deployment words:
sentences written for the twentieth session (none from the pool or the corpus), read by the whole extractor."""

from __future__ import annotations

import pytest

from schemas import Article
from streams.extraction import Extractor

# (sentence, the event type that stands or None, its actor's name or code): events and near misses.
ROWS = [
    # An unquoted statement, then a comma, a speech verb and a pronoun for the speaker named before.
    (
        "Der Konzernchef Markus Lindner trat vor die Presse. Die Behauptung, wir hätten Daten verkauft, ist eine Lüge, "
        "betonte er.",
        "denial",
        "Lindner",
    ),
    (
        "Die Sängerin Lea Brandt reagierte auf Instagram. Das Gerücht über eine Trennung ist falsch, schreibt sie.",
        "denial",
        "Brandt",
    ),
    (
        "Bürgermeister Karl Huber meldete sich am Abend zu Wort. Der Vorwurf der Bestechung ist absurd, erklärte er.",
        "denial",
        "Huber",
    ),
    # A colon lead-in whose unquoted statement goes on for a further sentence.
    (
        "Der Kanzler wurde gefragt. Olaf Scholz teilte dazu mit: Der Begriff war nie so gemeint. Der Vorwurf des "
        "Rassismus ist absurd.",
        "denial",
        "DEU",
    ),
    ("Das Bundesheer hat am Mittwoch einen Assistenzeinsatz an der steirischen Grenze begonnen.", "deployment", "AUT"),
    (
        "Die Regierung in Wien beschloss am Dienstag einen Assistenzeinsatz des Bundesheeres an der Südgrenze.",
        "deployment",
        "AUT",
    ),
    ("Der Grenzeinsatz des Bundesheeres wird bis Ende Juni verlängert.", "deployment", "AUT"),
    ("Österreich setzt das Bundesheer zur Grenzsicherung am Brenner ein.", "deployment", "AUT"),
    ("Die Regierung weitet den Assistenzeinsatz des Bundesheeres auf Kärnten aus.", "deployment", "AUT"),
    ("Österreich beginnt mit dem Grenzeinsatz des Bundesheeres im Burgenland.", "deployment", "AUT"),
    ("Die Schweiz schickt 50 Grenzwächter an die Grenze zu Italien.", "deployment", "CHE"),
    # Near misses: no claim judged, a court, a denial not made, a demand, a negation, a question, an end, history.
    (
        "Die Ministerin Eva Gruber war in Graz zu Gast. Die Berichte über geheime Absprachen liegen vor, sagte sie.",
        None,
        None,
    ),
    ("Bürgermeister Karl Huber meldete sich zu Wort. Die Vorwürfe werden geprüft, erklärte er.", None, None),
    ("Das Gericht hat die Berufung abgewiesen, sagte der Richter.", None, None),
    ("Der Minister hat die Vorwürfe nicht bestritten, sagte er.", None, None),
    ("Die FPÖ fordert, den Assistenzeinsatz des Bundesheeres zu verlängern.", None, None),
    ("Der Assistenzeinsatz an der Grenze soll nicht verlängert werden, sagte der Minister.", None, None),
    ("Ob der Grenzeinsatz verlängert wird, ist noch offen.", None, None),
    ("Der Ministerrat beschloss das Ende des Assistenzeinsatzes an der Grenze.", None, None),
    ("Die Regierung hat den Assistenzeinsatz des Bundesheeres beendet.", None, None),
    ("Der Assistenzeinsatz begann 1990 und endete 2011.", None, None),
    ("Die Soldaten kehren aus dem Assistenzeinsatz in die Kasernen zurück.", None, None),
    ("Beim Länderspiel in Wien waren 800 Polizisten im Einsatz.", None, None),
    ("Der Rechnungshof prüft die Kosten des Assistenzeinsatzes.", None, None),
]


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


@pytest.mark.parametrize(("sentence", "type_", "actor"), ROWS)
def test_a_source_style_sentence_is_read_as_its_kind(
    extractor: Extractor, sentence: str, type_: str | None, actor: str | None
) -> None:
    events = extractor.extract(Article(id="unseen", text=sentence, lang="de")).events
    if type_ is None:
        assert events == ()
        return
    assert [(e.type.value, e.actor.country or e.actor.name) for e in events] == [(type_, actor)]


def test_a_parody_slogan_without_quote_marks_names_no_one(extractor: Extractor) -> None:
    text = (
        "Der Abgeordnete Jan Weber steht wegen des Spruchs Alles für die Heimat vor Gericht. "
        "Auch diesmal hält er sich für unschuldig."
    )
    assert [e.actor.name for e in extractor.extract(Article(id="slogan", text=text, lang="de")).events] == ["Weber"]


@pytest.mark.parametrize("quoted", [True, False])
def test_evidence_offsets_slice_the_text_the_extractor_was_given(extractor: Extractor, quoted: bool) -> None:
    statement = "„Der Vorwurf der Bestechung ist absurd“" if quoted else "Der Vorwurf der Bestechung ist absurd"
    text = f"Bürgermeister Karl Huber meldete sich am Abend zu Wort. {statement}, erklärte er. Dann ging er."
    (event,) = extractor.extract(Article(id="offsets", text=text, lang="de")).events
    assert text[event.evidence.start : event.evidence.end] == event.evidence.text
    assert event.evidence.text.startswith(statement)
