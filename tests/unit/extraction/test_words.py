"""The language's word classes (streams/extraction/words.py): word windows, articles, bystander prepositions, genitive
endings and whole words."""

from __future__ import annotations

from support.stages import engine

from streams.extraction.words import WORD, whole_word, words_after, words_before


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


def test_genitive_stems_longest_ending_first_and_a_minimum_stem() -> None:
    english = engine("en").vocabulary
    assert english.without_genitive("Ukraine's") == "Ukraine"
    assert english.without_genitive("Ukraine’s") == "Ukraine"
    assert english.without_genitive("Reynolds'") == "Reynolds"
    assert english.without_genitive("Ukraine") == "Ukraine"
    german = engine("de").vocabulary
    assert german.without_genitive("Frankreichs") == "Frankreich"
    assert list(german.genitive_stems("Abs", min_stem=2)) == []  # too short a stem to be a name
    assert german.without_genitive("Abs", min_stem=2) == "Abs"
    assert list(german.genitive_stems("Jonas", min_stem=2)) == ["Jona"]


def test_whole_word_needs_no_letter_digit_or_hyphen_joined_to_it() -> None:
    text = "Keller said; Kellermann and Ost-Keller did not, Keller2 neither, but (Keller) did."
    assert [m.start() for m in whole_word("Keller").finditer(text)] == [0, text.index("(Keller)") + 1]
    assert whole_word("Keller") is whole_word("Keller")  # compiled once
    assert whole_word("a.b").search("axb") is None  # the word is taken literally


def test_whole_word_finds_what_the_lookbehind_first_regex_finds() -> None:
    # whole_word puts the word before its boundary check so that the regex engine can skip to the word: the matches
    # must stay those of the plain form, also from and up to a position and for words that are no plain word.
    import re

    text = (
        "Keller-Keller Keller_ Keller, xKeller Keller\nKeller. aKeller-Bauer Bauer Bauer-Bauer Über über Über2 .. a.b"
    )
    for word in ("Keller", "Bauer", "Über", "über", ".", "..", "a.b", "Keller Keller", "-Bauer", "Keller-"):
        plain = re.compile(rf"(?<![\w-]){re.escape(word)}(?![\w-])")
        for start, end in [(0, len(text)), (7, 40), (14, 21), (54, 61), (60, len(text) - 1)]:
            expected = [m.span() for m in plain.finditer(text, start, end)]
            assert [m.span() for m in whole_word(word).finditer(text, start, end)] == expected, (word, start, end)
            found = whole_word(word).search(text, start, end)
            assert (found and found.span()) == (expected[0] if expected else None)
