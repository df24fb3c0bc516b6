"""Per-article merging (streams/extraction/merge.py): hand-built candidates, then whole articles with headlines."""

from __future__ import annotations

from dataclasses import replace

from support.extraction import events_of

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


def test_repeats_merge_into_mentions_with_exact_offsets() -> None:
    text = (
        "Russland hat Truppen nach Belarus verlegt. Das meldet die Agentur.\n\n"
        "Nach Angaben aus Kiew sollen mindestens 3.000 russische Soldaten nach Belarus verlegt worden sein."
    )
    [event] = events_of(text)
    assert event.actor.country == "RUS" and event.location.country == "BLR" and len(event.mentions) == 1
    assert event.quantity.value == 3000
    for evidence in (event.evidence, event.mentions[0].evidence):
        assert text[evidence.start : evidence.end] == evidence.text


def test_a_headline_and_a_body_sentence_about_the_same_act_are_one_event() -> None:
    text = (
        "Spanische Soldaten in Lettland angekommen\n\n"
        "Riga – Rund 250 spanische Soldaten sind am Dienstag auf dem Stützpunkt Adazi angekommen. "
        "Die Regierung in Riga begrüßte die Verstärkung."
    )
    [event] = events_of(text, "de", "deployment")
    assert event.actor.country == "ESP" and event.quantity.value == 250
    assert event.evidence.text.startswith("Riga –")  # the body sentence describes the event, the headline is a mention
    assert len(event.mentions) == 1


def test_the_body_sentence_sets_the_modality_over_a_terse_headline() -> None:
    text = (
        "Canada sends frigate to Baltic Sea\n\n"
        "OTTAWA - Canada is sending a frigate to the Baltic Sea, the defence ministry said on Tuesday. "
        "The ship will join a NATO task group."
    )
    [event] = events_of(text, "en", "deployment")
    assert event.modality.value == "reported" and event.evidence.text.startswith("OTTAWA")


def test_a_headline_event_the_body_does_not_repeat_stays() -> None:
    text = (
        "Kenya sends 400 police officers and 200 soldiers to Haiti\n\nThe cabinet met on Monday to discuss the budget."
    )
    assert {e.actor.country for e in events_of(text, "en", "deployment")} == {"KEN"}


def test_a_first_line_ending_a_sentence_is_no_headline() -> None:
    text = "Chile sent 300 soldiers to the north.\n\nPeru sent 200 soldiers to the south."
    assert {e.actor.country for e in events_of(text, "en", "deployment")} == {"CHL", "PER"}


def test_a_deployment_left_apart_takes_the_place_the_article_gives_its_actor() -> None:
    text = "Russia sent troops to Syria. Moscow could send 12,000 more troops, officials said."
    located = _candidate(text, "Russia sent troops to Syria.")
    count = _candidate(
        text,
        "Moscow could send 12,000 more troops, officials said.",
        location=None,
        quantity=(12000, "exact", "troops"),
        modality="possible",
    )
    events = merge(_article(text), "en", [located, count], "v")
    assert [(e.quantity and e.quantity.value, e.location.name) for e in events] == [(None, "Syria"), (12000, "Syria")]


def test_a_deployment_left_apart_stays_placeless_when_its_actor_goes_to_two_countries() -> None:
    text = "Russia sent troops to Syria. Russia sent troops to Mali. Moscow could send 12,000 more troops."
    mali = _candidate(text, "Russia sent troops to Mali.", location=Place("Mali", "MLI", "MLI"))
    count = _candidate(text, "Moscow could send 12,000 more troops.", location=None, modality="possible")
    events = merge(_article(text), "en", [_candidate(text, "Russia sent troops to Syria."), mali, count], "v")
    assert [e.location.name if e.location else None for e in events] == ["Syria", "Mali", None]


def test_another_actors_place_is_never_taken() -> None:
    text = "Russia sent troops to Syria. Iran could send 12,000 troops."
    iran = Actor("Iran", Entity("IRN", "IRN", "state", COUNTRY), "subject")
    count = _candidate(text, "Iran could send 12,000 troops.", actor=iran, location=None, modality="possible")
    events = merge(_article(text), "en", [_candidate(text, "Russia sent troops to Syria."), count], "v")
    assert [e.location.name if e.location else None for e in events] == ["Syria", None]
