"""Per-article merging (streams/extraction/merge.py), on hand-built candidates: no lexicon involved."""

from __future__ import annotations

from dataclasses import replace

from schemas import Article
from streams.extraction.context import Actor, Candidate, Place
from streams.extraction.gazetteer import COUNTRY, Entity
from streams.extraction.merge import headline_end_of, merge

RUSSIA = Actor("Russia", Entity("RUS", "RUS", "state", COUNTRY), "subject")
SYRIA = Place("Syria", "SYR", "SYR")


def _candidate(text: str, sentence: str, **fields) -> Candidate:
    start = text.index(sentence)
    values = dict(
        type="deployment",
        rule="dep-test",
        actor=RUSSIA,
        location=SYRIA,
        quantity=None,
        attribution=None,
        modality="asserted",
        sentence_start=start,
        sentence_end=start + len(sentence),
        lead_start=start,
        cue_start=start,
        confidence=0.7,
    )
    values.update(fields)
    return Candidate(**values)


def _article(text: str) -> Article:
    return Article(id="a1", text=text, lang="en")


def test_no_candidates_no_events() -> None:
    assert merge(_article("Nothing here."), "en", [], "v") == ()


def test_sentences_reporting_one_act_become_one_event_with_mentions() -> None:
    text = "Russia sent troops to Syria. Russia sent 500 troops to Syria. Russia also sent troops to Syria."
    first = _candidate(text, "Russia sent troops to Syria.")
    numbered = _candidate(text, "Russia sent 500 troops to Syria.", quantity=(500, "exact", "troops"), confidence=0.75)
    third = _candidate(text, "Russia also sent troops to Syria.")
    [event] = merge(_article(text), "en", [third, first, numbered], "v1")
    # The sentence stating a number describes the event; the others follow in text order.
    assert event.evidence.text == "Russia sent 500 troops to Syria."
    assert [m.evidence.text for m in event.mentions] == [
        "Russia sent troops to Syria.",
        "Russia also sent troops to Syria.",
    ]
    assert event.quantity.value == 500
    assert event.confidence == 0.81  # 0.75 + 2 * 0.03
    assert event.extractor_version == "v1" and event.lang == "en"


def test_different_places_are_different_events_in_text_order() -> None:
    text = "Russia sent troops to Syria. Russia sent troops to Libya."
    libya = _candidate(text, "Russia sent troops to Libya.", location=Place("Libya", "LBY", "LBY"))
    events = merge(_article(text), "en", [libya, _candidate(text, "Russia sent troops to Syria.")], "v")
    assert [e.location.name for e in events] == ["Syria", "Libya"]
    assert len({e.event_id for e in events}) == 2


def test_a_headline_is_one_more_mention_of_the_body_s_event() -> None:
    text = "Russia sends troops\n\nRussia sent troops to the Syrian port of Tartus."
    headline = _candidate(text, "Russia sends troops", location=None)
    body = _candidate(
        text, "Russia sent troops to the Syrian port of Tartus.", location=Place("Tartus", "SYR", "tartus")
    )
    [event] = merge(_article(text), "en", [headline, body], "v")
    assert event.location.name == "Tartus"
    assert [m.evidence.text for m in event.mentions] == ["Russia sends troops"]


def test_an_open_deployment_joins_the_located_one_of_its_sentence() -> None:
    text = "Russia sent troops to Syria, and Russia sent more troops."
    located = _candidate(text, text, confidence=0.8)
    open_reading = replace(_candidate(text, text, location=None), cue_start=40)
    [event] = merge(_article(text), "en", [located, open_reading], "v")
    assert event.location.name == "Syria"


def test_event_ids_are_deterministic() -> None:
    text = "Russia sent troops to Syria."
    candidates = [_candidate(text, text)]
    assert merge(_article(text), "en", candidates, "v") == merge(_article(text), "en", candidates, "v")


def test_headline_end() -> None:
    assert headline_end_of("Troops sent\n\nBody text.") == len("Troops sent")
    assert headline_end_of("Troops sent.\n\nBody text.") == 0  # closing punctuation: a sentence, no headline
    assert headline_end_of("Troops sent\nBody text.") == 0  # no blank line after it
    assert headline_end_of("One line only.") == 0
