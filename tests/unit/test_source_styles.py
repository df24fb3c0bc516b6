"""Source styles: passages rewritten as a source without quote marks or paragraph breaks, label offsets mapped."""

from __future__ import annotations

import pytest

from streams.dataset.evaluate import evaluate, gold_split
from streams.dataset.labels import GoldEvent, GoldPassage
from streams.dataset.pool import Passage
from streams.dataset.styles import QUOTE_MARKS, STYLES, restyle, restyle_gold


def test_noquotes_drops_every_quote_mark_and_maps_offsets_to_the_next_kept_character() -> None:
    text = "Er sagte: „Das stimmt nicht.“ Sie hat's »gelesen«."
    rewritten = restyle(text, "noquotes")
    assert rewritten.text == "Er sagte: Das stimmt nicht. Sie hats gelesen."
    assert not QUOTE_MARKS & set(rewritten.text)
    start = text.index("„")
    assert rewritten.text[slice(*rewritten.span(start, text.index("“") + 1))] == "Das stimmt nicht."
    assert len(rewritten.offsets) == len(text) + 1


def test_joined_turns_a_paragraph_break_with_its_spaces_into_one_space() -> None:
    text = "Erster Absatz.  \n\n  Zweiter Absatz.\nDritter."
    rewritten = restyle(text, "joined")
    assert rewritten.text == "Erster Absatz. Zweiter Absatz. Dritter."
    second = text.index("Zweiter")
    assert rewritten.text[rewritten.offsets[second] :].startswith("Zweiter")


def test_source_does_both_and_original_changes_nothing() -> None:
    text = 'Titel: "Nein"\n\nText.'
    assert restyle(text, "source").text == "Titel: Nein Text."
    assert restyle(text, "original").text == text
    assert set(STYLES) == {"original", "noquotes", "joined", "source"}


def test_a_restyled_passage_keeps_its_id_and_its_events_slice_the_rewritten_text() -> None:
    text = "„Das ist falsch“, sagte Anna Berg. Sie bleibt."
    passage = Passage("rec", "de", "f.jsonl", 100, 100 + len(text), text)
    event = GoldEvent(
        type="denial",
        actor_name="Anna Berg",
        actor_code=None,
        actor_kind="person",
        location_name=None,
        location_code=None,
        quantity=None,
        modality="asserted",
        attribution=None,
        evidence_start=100,
        evidence_end=100 + text.index(" Sie"),
        actor_start=100 + text.index("Anna"),
        actor_end=100 + text.index(". Sie"),
    )
    gold = GoldPassage(passage=passage, label=None, events=(event,))  # type: ignore[arg-type]
    styled = restyle_gold(gold, "noquotes")
    moved = styled.events[0]
    assert styled.passage.id == passage.id
    assert styled.passage.text[moved.evidence_start - 100 : moved.evidence_end - 100] == (
        "Das ist falsch, sagte Anna Berg."
    )
    assert styled.passage.text[moved.actor_start - 100 : moved.actor_end - 100] == "Anna Berg"  # type: ignore[operator]


@pytest.mark.slow
def test_the_train_split_is_scored_in_every_style() -> None:
    passages = gold_split("de", "train", "noquotes")
    assert passages and not any(QUOTE_MARKS & set(g.passage.text) for g in passages)
    assert evaluate("de", "train", style="source").passages == len(passages)
