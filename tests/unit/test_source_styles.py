"""Source styles (streams/dataset/styles.py): passages rewritten as other sources write them, labels mapped."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from streams.dataset.evaluate import evaluate, gold_split
from streams.dataset.labels import GoldEvent, GoldPassage, PassageLabel
from streams.dataset.pool import Passage
from streams.dataset.styles import QUOTE_MARKS, STYLES, StyleRewrite, restyle, restyle_gold


def test_each_style_writes_what_its_source_wrote() -> None:
    text = "Peru’s army said “no” to a $5m deal – and £3m more"
    assert (
        StyleRewrite("agnews").apply(text)[0] == "Peru #39;s army said  quot;no quot; to a  #36;5m deal -- and £3m more"
    )
    assert StyleRewrite("ascii").apply(text)[0] == 'Peru\'s army said "no" to a dollars 5m deal - and pounds 3m more'
    assert StyleRewrite("mojibake").apply("Peru’s")[0] == "Peru\xe2\x80\x99s"
    wrapped = StyleRewrite("agnews").apply("word " * 30)[0]
    assert "\\" in wrapped and len(wrapped) == len("word " * 30)  # a wrapped line end, at the same length


def _gold(text: str, start: int, events: tuple[GoldEvent, ...]) -> GoldPassage:
    passage = Passage(record_id="r", lang="en", source_file="f", start=start, end=start + len(text), text=text)
    label = PassageLabel(
        passage=passage.id, sha=passage.sha, lang="en", batch="b", origin="random", annotator="a",
        hard_negative=False, events=(),
    )  # fmt: skip
    return GoldPassage(passage=passage, label=label, events=events)


def test_restyle_maps_evidence_and_actor_offsets_and_reads_the_actor_again() -> None:
    text = "Talks failed. “We will go,” Peru’s army said, sending $5m in aid to Chile’s north."
    start = 1000  # labels keep record offsets, not passage ones
    evidence = text.index("“We")
    actor = text.index("Peru’s army")
    event = GoldEvent(
        type="deployment", actor_name="Peru’s army", actor_code=None, actor_kind="state_military",
        location_name=None, location_code=None, quantity=None, modality="asserted", attribution=None,
        evidence_start=start + evidence, evidence_end=start + len(text),
        actor_start=start + actor, actor_end=start + actor + len("Peru’s army"),
    )  # fmt: skip
    for style in STYLES:
        styled = restyle(_gold(text, start, (event,)), StyleRewrite(style))
        moved = styled.events[0]
        local = styled.passage.text
        assert styled.passage.id == f"r:{start}-{start + len(text)}"  # the id stays, whatever the length
        assert (
            local[moved.evidence_start - start : moved.evidence_end - start]
            .lstrip()
            .startswith(StyleRewrite(style).apply("“We")[0].strip())
        )
        assert moved.evidence_end - start == len(local)
        assert moved.actor_name == local[moved.actor_start - start : moved.actor_end - start]
        assert moved.actor_name == StyleRewrite(style).apply("Peru’s army")[0]


@settings(max_examples=300, deadline=None)
@given(
    text=st.text(alphabet="ab1 ,.’‘“”\"'$£€–—…é\xa0&<>", max_size=60),
    style=st.sampled_from(sorted(STYLES)),
)
def test_unchanged_characters_keep_their_place_in_the_rewrite(text: str, style: str) -> None:
    """positions[i] says where original offset i lands: every letter and digit the style leaves alone sits there."""
    rewritten, positions = StyleRewrite(style).apply(text)
    assert len(positions) == len(text) + 1 and positions[0] == 0 and positions[-1] == len(rewritten)
    assert positions == sorted(positions)
    for index, char in enumerate(text):
        if char in "ab1":
            assert rewritten[positions[index]] == char


def test_noquotes_drops_every_quote_mark_and_maps_offsets_to_the_next_kept_character() -> None:
    text = "Er sagte: „Das stimmt nicht.“ Sie hat's »gelesen«."
    rewritten, positions = StyleRewrite("noquotes").apply(text)
    assert rewritten == "Er sagte: Das stimmt nicht. Sie hats gelesen."
    assert not QUOTE_MARKS & set(rewritten)
    assert rewritten[positions[text.index("„")] : positions[text.index("“") + 1]] == "Das stimmt nicht."
    assert len(positions) == len(text) + 1


def test_joined_turns_a_paragraph_break_with_its_spaces_into_one_space() -> None:
    text = "Erster Absatz.  \n\n  Zweiter Absatz.\nDritter."
    rewritten, positions = StyleRewrite("joined").apply(text)
    assert rewritten == "Erster Absatz. Zweiter Absatz. Dritter."
    assert rewritten[positions[text.index("Zweiter")] :].startswith("Zweiter")


def test_source_does_both_and_original_changes_nothing() -> None:
    text = 'Titel: "Nein"\n\nText.'
    assert StyleRewrite("source").apply(text)[0] == "Titel: Nein Text."
    assert StyleRewrite("original").apply(text) == (text, list(range(len(text) + 1)))


def test_a_restyled_german_passage_keeps_its_id_and_its_events_slice_the_rewritten_text() -> None:
    text = "„Das ist falsch“, sagte Anna Berg. Sie bleibt."
    event = GoldEvent(
        type="denial", actor_name="Anna Berg", actor_code=None, actor_kind="person",
        location_name=None, location_code=None, quantity=None, modality="asserted", attribution=None,
        evidence_start=100, evidence_end=100 + text.index(" Sie"),
        actor_start=100 + text.index("Anna"), actor_end=100 + text.index(". Sie"),
    )  # fmt: skip
    gold = _gold(text, 100, (event,))
    styled = restyle_gold(gold, "noquotes")
    moved = styled.events[0]
    assert styled.passage.id == gold.passage.id
    assert styled.passage.text[moved.evidence_start - 100 : moved.evidence_end - 100] == (
        "Das ist falsch, sagte Anna Berg."
    )
    assert moved.actor_name == "Anna Berg"
    assert restyle_gold(gold, "original") is gold


@pytest.mark.slow
def test_the_train_split_is_scored_in_a_style() -> None:
    passages = gold_split("de", "train", "noquotes")
    assert passages and not any(QUOTE_MARKS & set(g.passage.text) for g in passages)
    assert evaluate("de", "train", style="source").passages == len(passages)
