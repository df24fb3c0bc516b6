"""The first pass's anchor choice: the rarest required word or class, and never a change in what is found."""

from __future__ import annotations

from functools import cache

import pytest

from streams.commands.evaluation import GOLDEN_DIR, load_golden
from streams.extraction.anchor_schema import load_anchor_counts
from streams.extraction.anchors import AnchorChooser, AnchorScanner
from streams.extraction.engine import LanguageEngine
from streams.extraction.lexicon import DEFAULT_ROOT, available_languages, load_lexicon
from streams.extraction.text import lower_same_length

CLASSES = {"FALSEHOOD": ["lüge*", "unsinn"], "BIG": ["eins", "zwei", "drei", "vier"]}


def test_the_rarest_word_of_a_term_anchors_it() -> None:
    chooser = AnchorChooser(CLASSES, {"ist": 5000.0, "nicht": 900.0, "wahr": 20.0})
    assert chooser.anchors("ist nicht wahr") == ["wahr"]


def test_a_class_anchors_the_term_when_its_words_are_rarer_together() -> None:
    assert AnchorChooser(CLASSES, {"zurück": 200.0, "lüge*": 3.0, "unsinn": 2.0}).anchors("{FALSEHOOD} zurück") == [
        "lüge*",
        "unsinn",
    ]
    assert AnchorChooser(CLASSES, {"zurück": 4.0, "lüge*": 3.0, "unsinn": 2.0}).anchors("{FALSEHOOD} zurück") == [
        "zurück"
    ]


def test_uncounted_words_are_costed_by_their_length() -> None:
    chooser = AnchorChooser(CLASSES, {})
    assert chooser.anchors("im einsatz") == ["einsatz"]  # a two-letter word is never rarer than a long one
    assert chooser.anchors("weis* ... zurück") == ["zurück"]
    assert chooser.anchors("als {BIG}") == ["eins", "zwei", "drei", "vier"]  # four short words beat one tiny one


def test_the_scanner_proposes_the_places_of_the_chosen_anchors() -> None:
    chooser = AnchorChooser(CLASSES, {"ist": 1.0})
    scanner = AnchorScanner(chooser, [["ist nicht wahr"], ["{FALSEHOOD} zurück"]])
    hits = scanner.scan(lower_same_length("Das ist nicht wahr. Er weist Lügen zurück."))
    # "ist" (counted, the rarest) and "zurück" (uncounted and long, so rarer than the class: a short "lüge*" and more)
    assert [start for start, _ in hits] == [4, 35]


@cache
def _engines(lang: str) -> tuple[LanguageEngine, LanguageEngine]:
    lexicon = load_lexicon(lang)
    return LanguageEngine(lexicon, load_anchor_counts(DEFAULT_ROOT / lang)), LanguageEngine(lexicon)


@pytest.mark.parametrize("lang", ["de", "en"])
def test_the_languages_with_a_train_pool_ship_anchor_counts(lang: str) -> None:
    assert len(load_anchor_counts(DEFAULT_ROOT / lang)) > 100


@pytest.mark.parametrize("lang", available_languages())
def test_counted_and_uncounted_anchors_find_the_same_events(lang: str) -> None:
    counted, uncounted = _engines(lang)
    texts = [item.text for item in load_golden(GOLDEN_DIR / lang)]
    assert texts, f"no golden items for {lang}"
    for text in texts:
        assert counted.analyse(text, None) == uncounted.analyse(text, None), text
