"""What the stages share (streams/extraction/context.py): span helpers, the cue context and the dominant state."""

from __future__ import annotations

import re

from support.stages import cue_context, engine

from streams.extraction.context import DominantState, clause_of, inside, overlaps, view
from streams.extraction.text import Sentence


def test_clause_of() -> None:
    clauses = [(0, 10), (11, 20), (21, 30)]
    assert [clause_of(clauses, p) for p in (0, 9, 10, 15, 29, 99)] == [0, 0, 1, 1, 2, 2]


def test_view_only_inside_the_sentence() -> None:
    sentence = Sentence(5, 15, 5)
    lower = "abcdefghij"
    assert view(lower, sentence, 6, 8) == "bc"
    assert view(lower, sentence, 4, 8) is None
    assert view(None, sentence, 6, 8) is None


def test_match_relations() -> None:
    outer, inner, apart = (re.search(p, "abcdef") for p in ("bcde", "cd", "ef"))
    assert inside(inner, outer) and not inside(outer, inner)
    assert overlaps(outer, apart) and not overlaps(inner, apart)


def test_the_cue_context_spans_a_relative_clause_with_its_antecedent() -> None:
    relative = cue_context(
        "Das sind die Soldaten, die Russland nach Syrien schickte.", "de", "deployment", at="schickte"
    )
    assert relative.clause_index == 1
    assert (relative.start, relative.end) == (0, len(relative.text))
    main = cue_context("Das sind die Soldaten – Russland schickte sie nach Syrien.", "de", "deployment", at="schickte")
    assert main.text[main.start : main.end].startswith("Russland")


def test_the_dominant_state_is_counted_outside_the_sentence() -> None:
    text = "Serbia votes. Serbia and Kosovo talk. The government denied it."
    dominant = DominantState(engine("en")._gazetteer, text)
    assert dominant.get(text.index("The"), len(text)).key == "SRB"
    assert dominant.get(0, len(text)) is None


def test_a_text_naming_only_officeholders_is_about_their_state() -> None:
    # No state is named, only a listed head of government: the text is about that person's state.
    text = "Regierungschef Donald Tusk besuchte das Krisengebiet. Das Militär errichtet Dämme an der Oder."
    dominant = DominantState(engine("de")._gazetteer, text)
    state = dominant.get(text.index("Das Militär"), len(text))
    assert state is not None and state.key == "POL"
    # A named state still outweighs an officeholder of another one.
    text = "Kanzler Scholz sprach mit Polen und Polen antwortete. Das Militär hilft."
    state = DominantState(engine("de")._gazetteer, text).get(text.index("Das Militär"), len(text))
    assert state is not None and state.key == "POL"


def test_the_armed_state_is_the_one_whose_forces_the_article_names() -> None:
    # "Troops" an article counts without an owner are the army's it names elsewhere ("Moldovan troops", a state's
    # force like "the IDF"), not those of the state it names most (here where they are).
    text = "Moldovan troops crossed the bridge. Ukraine, Ukraine and Ukraine voted. Troops were deployed."
    dominant = DominantState(engine("en")._gazetteer, text)
    last = text.index("Troops were")
    force = engine("en").vocabulary.force
    assert dominant.get(last, len(text)).key == "UKR"
    assert dominant.armed(last, len(text), force).key == "MDA"
    assert dominant.armed(0, text.index(" Ukraine,"), force) is None  # only outside the sentence
    assert DominantState(engine("en")._gazetteer, "Ukraine voted. Troops were deployed.").armed(15, 36, force) is None
