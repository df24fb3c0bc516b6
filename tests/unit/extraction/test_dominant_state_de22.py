"""The dominant state of a domestic German text that names no state: its home provinces (Länder, Bundesländer) stand
for their state (an officeholder alone still does not); a text naming a state still goes by it. Sentences written for this session
(none from the pool or the corpus), read by the whole extractor."""

from __future__ import annotations

from functools import cache

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from schemas import Article
from streams.extraction import Extractor
from streams.extraction.engine import LanguageEngine

# (text, the event's type, its actor's code): the cue's organ names no state; the sentence before tells it.
EVENTS = [
    (
        "In Tirol wächst der Druck auf die Politik. Die Landesregierung verschärft die Regeln für die Unterbringung von "
        "Asylwerbern.",
        "policy_shift",
        "AUT",
    ),
    (
        "Die Steiermark rechnet mit tausenden Flüchtlingen. Das Innenministerium dementiert, dass die Grenze "
        "geschlossen werde.",
        "denial",
        "AUT",
    ),
    (
        "Der Flüchtlingsstrom nach Bayern reißt nicht ab. Das Innenministerium weist Berichte über geschlossene "
        "Grenzübergänge zurück.",
        "denial",
        "DEU",
    ),
    (
        "In Sachsen und Thüringen wird um Unterkünfte gestritten. Das Innenministerium verschärft die Regeln für "
        "Abschiebungen.",
        "policy_shift",
        "DEU",
    ),
    (
        "Scholz war am Freitag in Hessen zu Gast. Das Verteidigungsministerium schickt 200 Soldaten in die "
        "Hochwassergebiete.",
        "deployment",
        "DEU",
    ),
]

# A state the text names wins over a province or an officeholder it names too.
NAMED_STATE = [
    (
        "Russland hat seine Manöver ausgeweitet. Das Verteidigungsministerium schickt weitere Soldaten in die Region. "
        "In Tirol äußerte man Sorge.",
        "deployment",
        "RUS",
    ),
    (
        "Ungarn hat den Zaun fertiggestellt. Die Regierung verlängert die Grenzkontrollen. Der Landeshauptmann der "
        "Steiermark äußerte Verständnis.",
        "policy_shift",
        "HUN",
    ),
    (
        "Der Kreml weist die Vorwürfe zurück. Das Außenministerium dementiert jede Beteiligung. In der Steiermark wird "
        "weiter ermittelt.",
        "denial",
        "RUS",
    ),
]

# An officeholder alone gives no state (review 17): the organ stays without one, as on the base.
OFFICEHOLDER_ONLY = (
    "Faymann und Mikl-Leitner stellten ihre Pläne vor. Die Regierung führt eine Obergrenze für Asylanträge ein."
)

# Near misses: a province named beside a court ruling, police at a match, history, a denial not made, a demand.
NO_EVENT = [
    "Der Verfassungsgerichtshof wies die Beschwerde des Landes Tirol gegen das Durchgriffsrecht ab.",
    "Die Polizei war beim Derby in Graz mit 300 Beamten im Einsatz. In der Steiermark blieb es ruhig.",
    "Im Jahr 1956 flohen tausende Ungarn ins Burgenland; das Bundesheer schickte damals Soldaten an die Grenze.",
    "Mikl-Leitner bestritt nicht, dass die Kontrollen in Spielfeld lückenhaft seien.",
    "Die Opposition in Niederösterreich fordert eine Verschärfung des Asylrechts. Mikl-Leitner lehnt das ab.",
]


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


def _events(extractor: Extractor, text: str) -> list[tuple[str, str | None]]:
    events = extractor.extract(Article(id="unseen-state-de22", text=text, lang="de")).events
    return [(e.type.value, e.actor.country) for e in events]


@pytest.mark.parametrize(("text", "type_", "actor"), EVENTS)
def test_a_home_province_gives_the_state(extractor: Extractor, text: str, type_: str, actor: str) -> None:
    assert _events(extractor, text) == [(type_, actor)]


@pytest.mark.parametrize(("text", "type_", "actor"), NAMED_STATE)
def test_a_named_state_wins(extractor: Extractor, text: str, type_: str, actor: str) -> None:
    assert _events(extractor, text) == [(type_, actor)]


def test_an_officeholder_alone_gives_no_state(extractor: Extractor) -> None:
    assert all(actor != "AUT" for _, actor in _events(extractor, OFFICEHOLDER_ONLY))


@pytest.mark.parametrize("text", NO_EVENT)
def test_a_near_miss_is_no_event(extractor: Extractor, text: str) -> None:
    assert _events(extractor, text) == []


def test_only_the_home_states_provinces_count() -> None:
    """German press: Austria's and Germany's provinces, in the genitive too; a foreign one and English text: none."""
    german = Extractor().engine("de").gazetteer
    text = "Tirols Landeshauptmann und Bayern, nicht aber Nunavut."
    assert [code for _, code in german.find_home_provinces(text)] == ["AUT", "DEU"]
    assert Extractor().engine("en").gazetteer.find_home_provinces("Israeli tanks entered Gaza and Bavaria.") == []


def _word_by_word(text: str, countries: set[str], suffixes: tuple[str, ...]) -> list[tuple[int, str]]:
    """The plain reading the one-regex scan replaced: every whole capitalised word looked up, then without a genitive
    suffix (a foreign subdivision's own name wins over a home name plus suffix, as the lookup did)."""
    import re

    from streams.extraction.geodata import subdivision_index

    index, found = subdivision_index(), []
    for match in re.finditer(r"(?<![\w-])[A-ZÀ-Þ][A-Za-zÀ-ÿ]+(?:-[A-ZÀ-Þ][A-Za-zÀ-ÿ]+)*(?![\w-])", text):
        word = match.group(0)
        hit = index.get(word) or next(
            (index[word[: -len(s)]] for s in suffixes if word.endswith(s) and word[: -len(s)] in index), None
        )
        if hit is not None and hit[1] in countries:
            found.append((match.start(), hit[1]))
    return found


@cache
def _german_engine() -> LanguageEngine:
    return Extractor().engine("de")


_PIECES = ["Tirol", "Bayern", "Steiermark", "Nordrhein-Westfalen", "Baden-Württemberg", "Kärnten", "Nunavut", "Wien"]


@given(
    st.lists(
        st.one_of(
            st.sampled_from(_PIECES),
            st.sampled_from(["s", "es", "-", " ", ", ", ".", "x", "X", "BAYERN", "Tag"]),
            st.text(max_size=4),
        ),
        max_size=12,
    )
)
@example(["÷", "Tirol"])  # a sign before a capital starts a word (hypothesis found the scan disagreeing)
@example(["Tirol", "÷"])
@settings(max_examples=300, deadline=None)
def test_the_province_scan_reads_what_a_word_by_word_lookup_reads(pieces: list[str]) -> None:
    """One regex scan (geodata.subdivision_pattern) finds the home provinces a lookup of each capitalised word finds,
    in the same places: names glued to letters, hyphens or digits, genitives and foreign names included."""
    german = _german_engine()
    text = "".join(pieces)
    suffixes = tuple(german.lexicon.text.genitive_suffixes)
    assert german.gazetteer.find_home_provinces(text) == _word_by_word(text, {"DEU", "AUT"}, suffixes)
