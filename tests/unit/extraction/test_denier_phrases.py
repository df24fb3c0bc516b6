"""Who denies (fifteenth session): a private party named by a common noun phrase ('Four men have denied ...'), the
agents of a passive denial after a list's opening pronoun ('denied by both X and Y'); each beside its near misses."""

from __future__ import annotations

from support.extraction import actors_of
from support.sentences import sentence_table


@sentence_table("text", "actors")
def test_the_phrase_or_agents_that_deny_are_the_actors(lang: str, text: str, actors: list[str]) -> None:
    """'Two women have denied the charges', 'rejected by both Hezbollah and the UN'."""
    assert actors_of(text, lang, "denial") == set(actors)


@sentence_table("text")
def test_phrases_that_name_no_denier_give_no_denial(lang: str, text: str) -> None:
    """A denial whose subject is no party ('Many people doubt ...'), or that someone else's phrase only reports."""
    assert actors_of(text, lang, "denial") == set()
