"""agentless.py: a cue clause whose subject only refers back ('man', 'diese', 'sie') takes the first name of the sentence
before, and evidence.rule names the fallback."""

from __future__ import annotations

from support.extraction import events_of


def _readings(text: str, kind: str) -> list[tuple[str, str]]:
    return [(e.actor.name, e.evidence.rule) for e in events_of(text, "de", kind)]


def test_referring_subject_takes_the_previous_sentences_actor() -> None:
    text = "Die CSU stellt in Bayern seit Jahrzehnten die Regierung. Inzwischen habe diese das Gendern in Behörden verboten."
    assert _readings(text, "policy_shift") == [("CSU", "de.policy_shift.ban/previous_subject")]
    text = "Die Hamas äußerte sich am Abend. Man weise die Vorwürfe entschieden zurück."
    assert _readings(text, "denial") == [("Hamas", "de.denial.reject/previous_subject")]


def test_a_named_speaker_or_a_noun_after_the_article_stops_it() -> None:
    # The sentence reports what a speaker said: the referring word is no subject of the article's actor.
    said = (
        "Die CSU stellt in Bayern seit Jahrzehnten die Regierung. Inzwischen habe diese das Gendern in Behörden "
        "verboten, sagte der Sprecher der Opposition."
    )
    assert not [r for _, r in _readings(said, "policy_shift") if r.endswith("/previous_subject")]
    # 'Diese Partei': an article before a noun, no pronoun.
    noun = "Die Hamas äußerte sich am Abend. Diese Partei weist die Vorwürfe entschieden zurück."
    assert not [r for _, r in _readings(noun, "denial") if r.endswith("/previous_subject")]


def test_no_previous_sentence_no_actor() -> None:
    assert _readings("Inzwischen habe diese das Gendern in Behörden verboten.", "policy_shift") == []
