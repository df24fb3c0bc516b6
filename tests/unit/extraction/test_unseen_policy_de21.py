"""German policy shifts written for the twenty-first session's check (none from the pool), in the style of Austrian
news of 2015-16: a noun that names the change with an organ's decision ('beschloss die Aussetzung des
Familiennachzugs'), a retreat from a plan ('verzichtet auf die Erhöhung', 'sagte die Reform ab'), and the federal
organs Germany and Austria name alike ('Bundesregierung', 'Bundeskanzleramt'), whose state the article's seats and
officeholders decide; with the near misses that must stay silent (a demand, a court, a company, a party's own
decision, a reaffirmation, a hypothetical)."""

from __future__ import annotations

import pytest

from schemas import Article
from streams.extraction import Extractor

# An opening sentence that names the seat of Austria's government, as a Vienna paper's dateline does.
VIENNA = "Wien – In der Flüchtlingsfrage gibt es Bewegung. "
# One that names Austria's chancellor and vice-chancellor, but not the country.
LEADERS = "Wien – Kanzler Werner Faymann (SPÖ) und Vizekanzler Reinhold Mitterlehner (ÖVP) traten gemeinsam auf. "

# (the actor's state, or None where no policy shift stands, text)
ROWS = [
    ("AUT", LEADERS + "Die Bundesregierung verständigte sich auf eine Obergrenze für Asylanträge."),
    ("AUT", VIENNA + "Die Regierung verzichtet auf die umstrittene Erhöhung der Mehrwertsteuer."),
    (
        "AUT",
        VIENNA + "Die Landesregierung einigte sich auf eine Einschränkung der Mindestsicherung für Asylberechtigte.",
    ),
    ("AUT", LEADERS + "Das Bundeskanzleramt kündigte die Aussetzung des Familiennachzugs an."),
    ("SWE", "Die Aussetzung des Schengen-Abkommens wurde von der schwedischen Regierung am Mittwoch verkündet."),
    ("DEU", "Berlin – Die Bundesregierung sagte die geplante Reform des Staatsbürgerschaftsrechts ab."),
    ("HUN", "Ungarn hat sich auf eine Ausweitung der Grenzkontrollen ab Jänner verständigt."),
    ("DEU", "Deutschland verkündete einen Aufnahmestopp für Flüchtlinge aus Syrien."),
    (None, "Die Opposition fordert eine Obergrenze für Asylanträge."),
    (None, "Die Grünen verlangen die Aussetzung der Abschiebungen nach Afghanistan."),
    (None, "Der Verfassungsgerichtshof wies die Beschwerde gegen das verschärfte Asylgesetz ab."),
    (None, "Mikl-Leitner bekräftigte, an der bisherigen Asylpolitik festzuhalten."),
    (None, VIENNA + "Die Regierung hält an der Obergrenze für Asylanträge fest."),
    (None, "Die FPÖ verlangt in ihrem neuen Parteiprogramm ein Ende der Zuwanderung."),
    (None, "Hilfsorganisationen fordern das Ende der Grenzkontrollen am Brenner."),
    (None, "Die Deutsche Bank kündigte eine Kürzung der Boni für ihre Manager an."),
    (None, "Der Autobauer hat einen Einstellungsstopp in seinen Werken beschlossen."),
    (None, "Der Autohersteller verzichtet auf die Einführung eines neuen Modells."),
    (None, "Die Grünen haben auf ihrem Parteitag die Abschaffung der Studiengebühren beschlossen."),
]


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


def _policy_states(extractor: Extractor, text: str) -> set[str | None]:
    events = extractor.extract(Article(id="unseen21", text=text, lang="de")).events
    return {e.actor.country for e in events if e.type == "policy_shift"}


@pytest.mark.parametrize(("state", "text"), ROWS)
def test_an_unseen_sentence_is_read_as_its_kind(extractor: Extractor, state: str | None, text: str) -> None:
    states = _policy_states(extractor, text)
    assert (state in states) if state else not states


@pytest.mark.parametrize(
    ("text", "state"),
    [
        # Austria's seat or officeholders named: the shared organ is Austria's.
        (VIENNA + "Die Bundesregierung hat Grenzkontrollen an der Grenze zu Slowenien wieder eingeführt.", "AUT"),
        (LEADERS + "Das Bundeskanzleramt setzt den Familiennachzug aus.", "AUT"),
        # Nothing named, or Germany's seat: the data's default.
        ("Die Bundesregierung hat am Dienstag Grenzkontrollen wieder eingeführt.", "DEU"),
        ("Berlin – Die Debatte dauert an. Die Bundesregierung hat Grenzkontrollen wieder eingeführt.", "DEU"),
        # A country named only as a neighbour is no evidence: Austria's border is where Germany controls.
        (
            "Österreich und Tschechien sind betroffen. Österreich protestiert. "
            "Die Bundesregierung hat Grenzkontrollen wieder eingeführt.",
            "DEU",
        ),
    ],
)
def test_a_federal_organ_both_states_name_acts_for_the_article_s_state(
    extractor: Extractor, text: str, state: str
) -> None:
    assert _policy_states(extractor, text) == {state}


def test_the_shared_organ_makes_a_bare_organ_austrian_too(extractor: Extractor) -> None:
    """'Bundeskanzler' in an Austrian article counted for Germany and made a bare 'Regierung' German."""
    text = (
        "Bundeskanzler Werner Faymann und Bundeskanzler-Sprecher äußerten sich. Der Bundeskanzler sprach von Ordnung. "
        "Wien bleibt bei seiner Linie. Die Regierung setzt den Familiennachzug aus."
    )
    assert _policy_states(extractor, text) == {"AUT"}
