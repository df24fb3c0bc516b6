"""The first pass's anchor choice: the rarest required word or class, and never a change in what is found."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

import pytest

from streams.commands.evaluation import GOLDEN_DIR, load_golden
from streams.extraction import engine as engine_module
from streams.extraction.anchors import AnchorChooser, AnchorScanner, live_hits, load_anchor_counts
from streams.extraction.engine import LanguageEngine, lower_same_length
from streams.extraction.lexicon import DEFAULT_ROOT, CompiledRule, available_languages, load_lexicon

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


def _every_hit(
    hits: list[tuple[int, frozenset[tuple[int, int]]]], lowered: str, rules: Sequence[CompiledRule]
) -> tuple[list[tuple[int, frozenset[tuple[int, int]]]], bool]:
    """live_hits' verdict, with no hit dropped."""
    return hits, live_hits(hits, lowered, rules)[1]


@pytest.mark.parametrize("lang", ["de", "en"])
def test_dropping_dead_hits_finds_the_same_events(lang: str, monkeypatch: pytest.MonkeyPatch) -> None:
    engine = _engines(lang)[0]
    texts = [item.text for item in load_golden(GOLDEN_DIR / lang)]
    # Several items to a line and several lines to an article: the sentence after a line's last one is read too.
    articles = [" ".join(texts[i : i + 2]) + "\n" + "\n".join(texts[i + 2 : i + 5]) for i in range(0, len(texts), 5)]
    dropped = kept_dead = 0
    for text in articles:
        lowered = lower_same_length(text)
        hits = engine.scanner.scan(lowered)
        kept, _ = live_hits(hits, lowered, engine.rules)
        assert set(kept) <= set(hits)
        lines = {lowered.rfind("\n", 0, offset) for offset, _ in hits}
        assert lines == {lowered.rfind("\n", 0, offset) for offset, _ in kept}, "every line with a hit keeps one"
        live = [hit for hit in kept if live_hits([hit], lowered, engine.rules)[1]]
        dropped += len(hits) - len(kept)
        kept_dead += len(kept) - len(live)
    assert dropped > 0 and kept_dead > 0, "the articles show both dropped hits and a line kept for its first hit"
    found = [engine.analyse(text, None) for text in articles]
    monkeypatch.setattr(engine_module, "live_hits", _every_hit)
    assert [engine.analyse(text, None) for text in articles] == found
    assert sum(map(len, found)) > len(articles) // 2
