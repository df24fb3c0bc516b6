"""The attribution stage (streams/extraction/attribution.py): source markers and whom an event is attributed to."""

from __future__ import annotations

from support.extraction import one_event
from support.sentences import sentence_table
from support.stages import cue_context, engine, reading


def _sources(sentence: str, lang: str = "en", kind: str = "deployment") -> list[tuple[str, str]]:
    ctx = cue_context(sentence, lang, kind)
    return [(a.source, a.position) for a in reading(ctx, lang).attributions]


def test_a_speaker_before_the_speech_verb() -> None:
    assert _sources("Russia has sent 1,500 troops to Syria, U.S. officials said.") == [("U.S. officials", "before")]


def test_a_source_after_its_marker() -> None:
    sentence = (
        "Nach Erkenntnissen des ukrainischen Militärgeheimdienstes sollen nordkoreanische Soldaten in Kursk sein."
    )
    assert _sources(sentence, "de") == [("ukrainischen Militärgeheimdienstes", "after")]


def test_a_sentence_without_a_marker_has_no_source() -> None:
    assert _sources("Russia sent troops to Syria.") == []


def test_a_speaker_after_the_cue_in_its_own_clause_does_not_govern_it() -> None:
    stages = engine("en")
    governed = cue_context("Officials said Russia sent troops to Syria.", "en", "deployment")
    assert [a.source for a in stages.attributions.governing(governed, reading(governed, "en").attributions)] == [
        "Officials"
    ]
    aside = cue_context("Russia sent troops to Syria while inspectors said nothing.", "en", "deployment")
    assert stages.attributions.governing(aside, reading(aside, "en").attributions) == []


def test_a_bare_surname_takes_the_fuller_name_used_before() -> None:
    ctx = cue_context(
        "Yoon ordered troops to the border, Yoon said.",
        "en",
        "deployment",
        before="President Yoon Suk Yeol spoke on Monday. ",
    )
    sentence_reading = reading(ctx, "en")
    governing = engine("en").attributions.governing(ctx, sentence_reading.attributions)
    actor = engine("en").actors.actor(
        ctx, sentence_reading
    )  # an Actor, as the signature says (a compiled build checks)
    assert actor is not None
    assert engine("en").attributions.source(ctx, governing, actor, None) == "Yoon Suk Yeol"


def test_a_denial_takes_its_speaker_from_the_next_sentence() -> None:
    ctx = cue_context(
        "Russia denied the reports.", "en", "denial", after=" The reports were false, Russia's foreign ministry said."
    )
    sentence_reading = reading(ctx, "en")
    actor = engine("en").actors.actor(ctx, sentence_reading)
    assert engine("en").attributions.source(ctx, [], actor, sentence_reading.following) == "Russia's foreign ministry"
    alone = cue_context("Russia denied the reports.", "en", "denial")
    assert engine("en").attributions.source(alone, [], actor, None) is None


@sentence_table("text", "source")
def test_an_event_is_attributed_to_its_source(text: str, lang: str, source: str) -> None:
    assert one_event(text, lang).attribution == source


def test_a_comma_right_after_a_speech_verb_ends_its_clause() -> None:
    # "Die Zeitung berichtete, Moldau habe ...": what follows the comma is the reported clause, whose subject acts;
    # it is no source after the verb (as in "..., berichtete die Zeitung").
    sentence = "Die Zeitung berichtete, Moldau habe 400 Soldaten an die Grenze verlegt."
    assert _sources(sentence, "de") == []
    event = one_event(sentence, "de")
    assert (event.actor.name, event.actor.country) == ("Moldau", "MDA")
    assert _sources("Moldau habe 400 Soldaten an die Grenze verlegt, berichtete die Zeitung.", "de") == [
        ("Zeitung", "after")
    ]
