"""The word classes of a language that several stages read (from text.json and the {FORCE} cue class), and
helpers on the words of a span."""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from .lexicon import ScreenedPattern, TermCompiler, compile_terms, screened_terms
from .lexicon_schema import Lexicon

WORD = re.compile(r"[\w][\w.'’-]*[\w]|[\w]")


@dataclass(frozen=True)
class Vocabulary:
    """Word classes shared by the stages, compiled once per language. Lowercase sets unless said otherwise."""

    determiners: frozenset[str]
    location_preps: frozenset[str]
    blocking_preps: frozenset[str]  # prepositions after which a name is no subject ("of", "gegen")
    bystander_preps: frozenset[str]  # "durch", "by", "für": what follows is not what is sent
    conjunctions: frozenset[str]
    relative: frozenset[str]  # relative pronouns as spelt (case kept)
    time_words: frozenset[str]  # time words and months
    adjective_suffixes: tuple[str, ...]
    nouns_capitalized: bool  # German: every noun has a capital, so a capital marks no name
    organ_nouns: re.Pattern[str] | None  # "Regierung", "government", "defence ministry"
    force: re.Pattern[str]  # the {FORCE} class: "Soldaten", "troops"
    force_screened: ScreenedPattern

    @classmethod
    def of(cls, lexicon: Lexicon, compiler: TermCompiler) -> Vocabulary:
        rules = lexicon.text
        force = screened_terms(compiler, ["{FORCE}"])
        return cls(
            determiners=_lower(rules.determiners),
            location_preps=_lower(rules.location_prepositions),
            blocking_preps=_lower(rules.non_subject_prepositions),
            bystander_preps=_lower(rules.bystander_prepositions),
            conjunctions=_lower(rules.conjunctions),
            relative=frozenset(rules.relative_pronouns),
            time_words=_lower([*rules.time_words, *rules.months]),
            adjective_suffixes=tuple(rules.adjective_suffixes),
            nouns_capitalized=rules.nouns_capitalized,
            organ_nouns=compile_terms(compiler, rules.organ_nouns) if rules.organ_nouns else None,
            force=force.pattern,
            force_screened=force,
        )

    def strip_articles(self, words: Sequence[str], also: Collection[str] = ()) -> Sequence[str]:
        """The lowercased `words` without the articles (and the words in `also`) at their end: the words before a
        name, as far as the preposition or coordinator that governs it ('durch die' -> 'durch', 'und die' -> 'und')."""
        end = len(words)
        while end and (words[end - 1] in self.determiners or words[end - 1] in also):
            end -= 1
        return words[:end]

    def after_bystander_preposition(self, text: str, position: int, limit: int) -> bool:
        """Whether the noun phrase at position follows 'durch', 'by', 'für', 'for' ... (at most an article between)."""
        words = [w.group(0).lower() for w in WORD.finditer(text, max(limit, position - 40), position)][-2:]
        words = self.strip_articles(words)
        return bool(words) and words[-1] in self.bystander_preps


def _lower(words: list[str]) -> frozenset[str]:
    return frozenset(w.lower() for w in words)


def words_before(text: str, start: int, end: int, count: int) -> tuple[int, int]:
    if count == 0 or start >= end:
        return end, end
    words = list(WORD.finditer(text, max(start, end - 16 * count), end))[-count:]
    return (words[0].start(), end) if words else (end, end)


def words_after(text: str, start: int, end: int, count: int) -> tuple[int, int]:
    if count == 0 or start >= end:
        return start, start
    words = list(WORD.finditer(text, start, min(end, start + 16 * count)))[:count]
    return (start, words[-1].end()) if words else (start, start)


def next_is_capital(text: str, position: int, limit: int) -> bool:
    following = WORD.search(text, position, min(limit, position + 40))
    return bool(following and following.group(0)[0].isupper())
