"""The source view's pre-check (source_view.py, session 21): searching a text only for the signs its substring checks
find reads the same view, and the same events, as searching every text for every sign; German reads no debris."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from schemas import Article
from streams.extraction import COMPILED, Extractor
from streams.extraction.lexicon import load_lexicon
from streams.extraction.source_view import SourceView, _word_first

DEBRIS = load_lexicon("en").text.source_debris
ENGLISH_VIEW = SourceView(DEBRIS)
# Every sign the English view knows, in the order of its pattern's alternatives: what the full path searches for.
ALL_SIGNS = ("entity", *(f"{word} " for word in DEBRIS.currency_words), "mojibake")

# The view as session 20 read it: every kind of sign searched in every text, the currency words after "\b".
_ENTITIES = "|".join(map(re.escape, sorted(DEBRIS.entities, key=len, reverse=True)))
_CURRENCY = "|".join(map(re.escape, DEBRIS.currency_words))
_EVERY_SIGN = re.compile(
    rf"[ &](?P<entity>{_ENTITIES})|\b(?P<currency>{_CURRENCY}) (?=\d)|(?P<mojibake>[\xc2-\xf4][\x80-\xbf]{{1,3}})"
)
_TAG = re.compile(r"&lt;/?[A-Za-z][^&\n]{0,80}?&gt;")


def _full_view(text: str) -> str:
    view = text.translate(str.maketrans(DEBRIS.line_marks, " " * len(DEBRIS.line_marks)))
    view = _TAG.sub(lambda tag: " " * len(tag.group()), view)
    view = ENGLISH_VIEW._signs_read(view, _EVERY_SIGN)
    return text if view == text else view


# Pieces of older sources' text, written for this test: clean words, every kind of debris, and near misses of each
# (a currency word before no amount or inside a word, an entity name without its space, lone lead bytes).
_PIECES = [
    "The army",
    " sent",
    " 300 troops",
    " to Chad",
    ".",
    ",",
    " ",
    "Peru #39;s",
    " quot;no quot;",
    " &amp; ",
    "x#39;",
    "pounds 5m",
    " pounds 12",
    "dollars 3bn",
    " euros 40",
    " 10 pounds heavier",
    "kilopounds 5",
    "_euros 7",
    "édollars 8",
    "pounds\\9",
    "\\",
    "&lt;b&gt;",
    "&lt;/i&gt; ",
    "Israel\xe2\x80\x99s",
    "caf\xc3\xa9",
    "\xc2",
    "’",
    "café",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), min_size=1, max_size=12))
def test_the_pre_check_reads_the_view_that_searching_for_every_sign_reads(pieces: list[str]) -> None:
    text = "".join(pieces)
    view = ENGLISH_VIEW.read(text)
    assert view == _full_view(text)
    assert (view is text) == (view == text)  # an unchanged text is its own view (extract then tidies no names)


_CURRENCY_WORDS = ("pounds", "dollars", "euros", "$us")  # the lexicon's, and one that opens with no word character


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["", " ", "x", "é", "_", "-", "£", "5"]),
            st.sampled_from(_CURRENCY_WORDS),
            st.sampled_from([" 5", " x", "5", " "]),
        ),
        min_size=1,
        max_size=5,
    )
)
def test_a_word_first_pattern_finds_what_a_boundary_before_the_word_finds(pieces: list[tuple[str, str, str]]) -> None:
    text = "".join(before + word + after for before, word, after in pieces)
    for word in _CURRENCY_WORDS:
        boundary = re.compile(rf"\b(?:{re.escape(word)}) (?=\d)")
        word_first = re.compile(rf"(?:{_word_first(word)}) (?=\d)")
        assert [m.span() for m in word_first.finditer(text)] == [m.span() for m in boundary.finditer(text)]


def test_a_language_without_debris_reads_no_text() -> None:
    german = Extractor().engine("de").source_view
    text = "Peru #39;s Armee\\schickte pounds 5 Soldaten\xc3\xa9 &lt;b&gt;"
    assert german.read(text) is text
    assert not german._patterns  # no pattern compiled, no sign looked for


# Sentences written for this test, each in clean text and laden with debris.
_SENTENCES = [
    "Britain #39;s defence ministry said it would send 500 troops to Estonia, at a cost of pounds 20m.",
    "The Kremlin denied that Russian soldiers were fighting in eastern Ukraine.\\Officials said dollars 5bn was spent.",
    "Japan\xe2\x80\x99s government lifted its ban on arms exports to allies on Tuesday.",
    "Canada said it would suspend its pounds 20m aid programme;  quot;we will review it quot;, a minister said.",
    "Poland's army moved 10,000 troops to its border with Belarus.",
    "&lt;b&gt;France&lt;/b&gt; announced that 2,000 soldiers would be sent to Mali, 10 pounds heavier each.",
]


@pytest.mark.skipif(COMPILED, reason="patches the view's class, which a compiled build does not allow")
def test_the_pre_check_gives_the_events_of_the_full_search(monkeypatch: pytest.MonkeyPatch) -> None:
    articles = [Article(id=f"s{n}", text=text, lang="en") for n, text in enumerate(_SENTENCES)]

    def events() -> list[list[dict[str, object]]]:
        extractor = Extractor()
        return [[e.model_dump(mode="json") for e in extractor.extract(a).events] for a in articles]

    checked = events()
    monkeypatch.setattr(SourceView, "_signs_in", lambda self, text: ALL_SIGNS)
    assert events() == checked
    assert sum(map(len, checked)) >= 4  # the sentences hold events: the comparison is not of empty lists
