"""Each shipped language's example sentences (lexicons/<lang>/examples.json) give the events they promise; the
grammar data that a new language sets instead of code (elisions, articles) does what it says."""

from __future__ import annotations

import pytest

from schemas import Article
from streams.extraction import extract
from streams.extraction.lexicon import available_languages, load_lexicon
from streams.extraction.words import UPPER, word_pattern
from streams.worker.processing import warm_up_articles

EXAMPLES = [
    (lang, index, example)
    for lang in available_languages()
    for index, example in enumerate(load_lexicon(lang).examples.sentences)
]


def _found(event) -> tuple:
    location = event.location.country if event.location is not None else None
    quantity = event.quantity.value if event.quantity is not None else None
    return (event.type.value, event.actor.country, location, quantity, event.modality.value)


@pytest.mark.parametrize("lang,index,example", EXAMPLES, ids=[f"{lang}-{index}" for lang, index, _ in EXAMPLES])
def test_example_sentence_gives_its_events(lang: str, index: int, example) -> None:
    events = extract(Article(id=f"example-{lang}-{index}", lang=lang, text=example.text)).events
    expected = [(e.type, e.actor_country, e.location_country, e.quantity, e.modality) for e in example.events]
    assert sorted(map(_found, events), key=repr) == sorted(expected, key=repr)


def test_every_language_is_warmed_up_and_the_detector_too() -> None:
    articles = warm_up_articles()
    assert [a.lang for a in articles] == [*available_languages(), None]
    assert all(a.text.strip() for a in articles)


def test_elided_words_are_split_off_the_word_they_are_written_onto() -> None:
    words = word_pattern(["l'", "d’", "qu'"]).findall("vers l'Ukraine, L’armée d'Allemagne aujourd'hui qu'il")
    assert words == ["vers", "l'", "Ukraine", "L’", "armée", "d'", "Allemagne", "aujourd'hui", "qu'", "il"]


def test_without_elisions_a_word_keeps_its_apostrophe() -> None:
    assert word_pattern([]).findall("Russia's l'Ukraine") == ["Russia's", "l'Ukraine"]


def test_capitals_of_any_script_start_a_name() -> None:
    import re

    capitals = re.compile(UPPER)
    assert all(capitals.fullmatch(ch) for ch in "AÀÞŁЖЇΩ")
    assert not any(capitals.fullmatch(ch) for ch in "aßжї×1-")
