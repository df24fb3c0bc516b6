"""The language's word classes (streams/extraction/words.py): word windows, articles and bystander prepositions."""

from __future__ import annotations

from support.stages import engine

from streams.extraction.words import WORD, words_after, words_before


def test_word_windows() -> None:
    text = "one two three four five"
    assert text[slice(*words_before(WORD, text, 0, len("one two three"), 2))] == "two three"
    assert text[slice(*words_after(WORD, text, len("one two"), len(text), 2))] == " three four"
    assert words_before(WORD, text, 0, 7, 0) == (7, 7)
    assert WORD.findall("U.S.-led forces' base") == ["U.S.-led", "forces", "base"]


def test_after_bystander_preposition() -> None:
    vocabulary = engine("de").vocabulary
    text = "Verletzungen durch die russischen Kampfjets"
    assert vocabulary.after_bystander_preposition(text, text.index("russischen"), 0)
    assert not vocabulary.after_bystander_preposition("Die russischen Kampfjets", 4, 0)


def test_strip_articles() -> None:
    vocabulary = engine("de").vocabulary
    assert vocabulary.strip_articles(["zwischen", "russland", "und", "der"]) == ["zwischen", "russland", "und"]
    assert vocabulary.strip_articles(["durch", "die"]) == ["durch"]
    assert vocabulary.strip_articles(["die"]) == []
    assert vocabulary.strip_articles(["nach", "angaben", "und", "die"], also=("und",)) == ["nach", "angaben"]
    assert engine("en").vocabulary.strip_articles(["and", "the"]) == ["and"]
