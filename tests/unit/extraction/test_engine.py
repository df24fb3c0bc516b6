"""The extractor's entry point and engine: result contract, stable ids, language detection, time budget."""

from __future__ import annotations

import time

import pytest

from schemas import Article
from streams.extraction import EXTRACTOR_VERSION, ExtractionResult, ExtractionTimeout, extract


def test_event_ids_are_stable_and_deterministic() -> None:
    article = Article(id="same", text="Russia sent 500 troops to Belarus. Moscow denied the reports.", lang="en")
    first, second = extract(article), extract(article)
    assert first == second
    assert [e.model_dump_json() for e in first.events] == [e.model_dump_json() for e in second.events]
    assert len({e.event_id for e in first.events}) == 2
    other = extract(article.model_copy(update={"id": "other"}))
    assert {e.event_id for e in other.events}.isdisjoint({e.event_id for e in first.events})


def test_result_contract() -> None:
    result = extract(Article(id="x", text="Russia sent troops to Belarus.", lang="EN-gb"))
    assert isinstance(result, ExtractionResult) and result.lang == "en" and result.supported
    assert all(e.extractor_version == EXTRACTOR_VERSION and e.lang == "en" for e in result.events)
    assert EXTRACTOR_VERSION.startswith("0.1.0+lex.")


def test_language_detection_and_unsupported_languages() -> None:
    german = extract(
        Article(
            id="d",
            text="Die Bundeswehr hat am Montag weitere Soldaten nach Litauen verlegt, teilte das Ministerium mit.",
        )
    )
    assert german.lang == "de" and german.supported and german.events
    spanish = extract(
        Article(
            id="s",
            text="Rusia ha enviado miles de soldados adicionales a Bielorrusia, según el ministerio de Defensa.",
        )
    )
    assert (spanish.lang, spanish.supported, spanish.events) == ("es", False, ())
    assert extract(Article(id="u", text="1234 5678 !!!")).lang == "und"


# Adversarial input. CPU time, not wall time: other processes on a busy machine must not make these fail.


@pytest.mark.slow
def test_one_megabyte_without_punctuation_is_fast() -> None:
    text = ("Russland schickt Soldaten nach Belarus und " * 25_000)[:1_000_000]
    started = time.process_time()
    extract(Article(id="big", text=text, lang="de"))
    assert time.process_time() - started < 5


@pytest.mark.slow
def test_a_cue_repeated_100000_times_is_fast() -> None:
    text = "deploy " * 100_000
    started = time.process_time()
    extract(Article(id="cue", text=text, lang="en"))
    assert time.process_time() - started < 5


def test_thousands_of_numbers_are_fast() -> None:
    text = "Russia sent " + " ".join(f"{n:,} troops" for n in range(1000, 40_000, 7)) + " to Belarus."
    started = time.process_time()
    extract(Article(id="num", text=text, lang="en"))
    assert time.process_time() - started < 5


def test_the_time_budget_raises() -> None:
    text = "Russia sent troops to Belarus. " * 20_000
    with pytest.raises(ExtractionTimeout):
        extract(Article(id="slow", text=text, lang="en"), time_budget_seconds=0.001)


def test_a_sentences_hits_are_read_as_the_union_of_their_terms() -> None:
    """The term list of a sentence with several hits (TermOrder.of_union, memoised per tuple of the scanner's sets) is
    the sorted union of their terms, whatever order or repetition the hits come in."""
    from streams.extraction import _default_extractor
    from streams.extraction.anchors import TermOrder
    from streams.extraction.text import lower_same_length

    engine = _default_extractor().engine("en")
    text = "Russia sent troops and deployed soldiers to Belarus, and Moscow denied the deployment."
    term_sets = tuple(terms for _, terms in engine.scanner.scan(lower_same_length(text)))
    assert len(set(term_sets)) >= 2  # several anchors in one sentence, or the test reads nothing
    union = frozenset().union(*term_sets)
    order = TermOrder(engine.rules)
    expected = order.of(union)
    assert expected == tuple((r, t, engine.rules[r].term_literals[t]) for r, t in sorted(union))
    assert order.of_union(term_sets) == expected
    assert order.of_union(term_sets[::-1] + term_sets[:1]) == expected
    assert order.of_union(term_sets) is order.of_union(term_sets)  # memoised
    assert order.of_union(term_sets[:1]) == order.of(term_sets[0]) != expected  # one hit's terms are fewer
    assert extract(Article(id="several", text=text, lang="en")).events  # and the sentence is read
