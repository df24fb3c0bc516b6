"""Denials by construction (fourteenth session): speech verbs that carry a counter-claim, the nouns a dismissal
takes, framed falsehoods with a demonstrative subject, personal denials of a charge; each beside its near misses."""

from __future__ import annotations

from support.extraction import actors_of
from support.sentences import sentence_table


@sentence_table("text", "country")
def test_dismissals_counter_claims_and_framed_falsehoods_are_denials(lang: str, text: str, country: str) -> None:
    """'saying only that it had "not been involved"', 'rebuffs ... over remarks', 'a view rejected by', 'That's
    nonsense', 'it was untrue that', 'denies secret talks', 'in angry rejection of report'."""
    assert actors_of(text, lang, "denial") == {country}


@sentence_table("text", "country")
def test_a_denied_charge_is_the_speakers_own_denial(lang: str, text: str, country: str) -> None:
    """'she was "in no way antisemitic"', 'his aide was "absolutely not anti-Israel"': the speaker denies, as a
    person (no state code)."""
    assert actors_of(text, lang, "denial") == {country}


@sentence_table("text")
def test_refusals_rejected_talks_and_unframed_words_are_no_denials(lang: str, text: str) -> None:
    """Denying bail or a visa, rejecting talks or calls for them, 'did not deny', remarks praised or a view held
    are no denials of a report."""
    assert actors_of(text, lang, "denial") == set()


@sentence_table("text")
def test_a_possessive_or_a_place_after_a_preposition_is_no_denier(lang: str, text: str) -> None:
    """'Maria Lindqvist's family said ... false': the words stripped between a speaker and the speech verb are
    auxiliaries and adverbs, never a private party's head ('family') nor ones that leave a possessive ('ally');
    'filmed at Downing Street denying': a name after a preposition is where the participle stands, not who denies."""
    assert actors_of(text, lang, "denial") == set()
