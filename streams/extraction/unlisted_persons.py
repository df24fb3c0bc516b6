"""Persons the lists lack, named before the cue's sentence by a first and a last name ('Sean Combs' ... 'Sie
dementierte'): the clause reading of referents.py takes them as whom a pronoun or a role noun stands for."""

from __future__ import annotations

import re
from itertools import pairwise

from .context import Actor, CueContext
from .gazetteer import Gazetteer, Mention
from .lexicon_schema import Lexicon
from .names import unlisted_actor
from .words import Vocabulary, may_be_name, whole_word

# Characters before the cue's sentence searched for the person (referents.py reads listed names as far back).
ANTECEDENT_WINDOW = 2000
_QUOTES = "\"„“”»«'‚‘"


class UnlistedPersons:
    """The unlisted-person reading of one language, compiled once."""

    def __init__(self, lexicon: Lexicon, vocabulary: Vocabulary, names: Gazetteer, not_names: frozenset[str]):
        self._vocabulary = vocabulary
        self._gazetteer = names
        self._not_names = not_names
        self._contracted = frozenset(w.lower() for w in lexicon.grammar.contracted_articles)

    def before(self, ctx: CueContext, listed: list[Mention]) -> tuple[Actor | None, Actor | None]:
        """The unlisted first and last names ('Sean Combs') the text gives last before the cue's sentence (listed: the
        listed mentions there, in text order), named by the last name, as the text goes on to call them: the last
        one whose last name recurs in the text, and the last one given only once ('Die Reaktion von Melanie Müller
        ... Sie dementierte'), which is no common noun after an article ('den Menschen Hoffnung')."""
        text, vocabulary = ctx.text, self._vocabulary
        start = max(0, ctx.sentence.start - ANTECEDENT_WINDOW)
        recurring: Actor | None = None
        once: Actor | None = None
        words = list(vocabulary.word.finditer(text, start, ctx.sentence.start))
        for index, (first, last) in enumerate(pairwise(words)):
            a, b = first.group(0), last.group(0)
            if (
                text[first.end() : last.start()] != " "
                or not (may_be_name(a) and may_be_name(b))
                or a.lower() in self._not_names
                or a.lower() in vocabulary.blocking_preps
                or b.lower() in self._not_names
                or "-" in b
                or any(m.start <= first.start() < m.end or m.start <= last.start() < m.end for m in listed)
            ):
                continue
            repeats = self._person_name(text, words[index - 1] if index else None, first, last, words[index + 2 :])
            if repeats is None:
                continue
            if repeats:
                recurring = unlisted_actor(b, last.start())
                continue
            # Given once, it must not read as a common noun phrase ('den Menschen Hoffnung', 'Heftige Kritik') nor
            # open a quoted title ('„D-Day Ablaufszenarien“').
            if (
                not self._after_article(text, first.start(), True)
                and not self._opening_adjective(text, first)
                and (first.start() == 0 or text[first.start() - 1] not in _QUOTES)
            ):
                once = unlisted_actor(b, last.start())
        return recurring, once

    def _person_name(
        self,
        text: str,
        before: re.Match[str] | None,
        first: re.Match[str],
        last: re.Match[str],
        after: list[re.Match[str]],
    ) -> bool | None:
        """Whether two adjacent capitalised words may be a person's first and last name: no preposition ('Band In
        Extremo'), no acronym ('LG Halle', 'Wahlkreis II'), no fragment of a longer name ('Bijan Djir-Sarai', 'New York Times') or of
        a place ('Los Angeles', 'Halle'), and a last name the text never puts right after an article ('Europäischen
        Kommission' ... 'der Kommission'). None when it may not; else whether the text repeats the last name."""
        a, b = first.group(0), last.group(0)
        vocabulary, places = self._vocabulary, self._gazetteer
        if b.lower() in vocabulary.blocking_preps or a.isupper() or b.isupper():
            return None
        if after and text[last.end() : after[0].start()] == " " and may_be_name(after[0].group(0)):
            return None  # the pair opens a longer name
        joined_before = before is not None and text[before.end() : first.start()] == " "
        stem = vocabulary.without_genitive(b, min_stem=2)
        if (
            places.lookup_place(f"{a} {b}") is not None
            or places.lookup_place(b) is not None
            or places.lookup_place(stem) is not None  # 'Befreiung Europas': a place in the genitive
            or (joined_before and before is not None and places.lookup_place(f"{before.group(0)} {a}") is not None)
        ):
            return None
        repeats = [m for m in whole_word(b).finditer(text) if m.start() != last.start()]
        # A common noun mostly follows an article; a last name seldom does ('an dem Klein und Woelke').
        after_article = sum(self._after_article(text, m.start()) for m in repeats)
        if repeats and 2 * after_article >= len(repeats):
            return None
        return bool(repeats)

    def _opening_adjective(self, text: str, word: re.Match[str]) -> bool:
        """Whether the word opens a sentence with an adjective's ending ('Heftige Kritik kam ...'): capitalised only
        there, it names no one."""
        before = text[max(0, word.start() - 8) : word.start()].rstrip(" \"'„“»«")
        opens = not before or before[-1] in ".!?:"
        return opens and word.group(0).lower().endswith(self._vocabulary.adjective_suffixes)

    def _after_article(self, text: str, position: int, lowercase_adjective: bool = False) -> bool:
        """Whether the word at position follows an article, at most an adjective between ('der Europäischen'), all
        in one phrase (no punctuation between); with lowercase_adjective, only a lowercase one ('den neuen', not the
        noun of an apposition: 'den Sänger Lars Hoberg'), and a preposition's contracted article counts ('zur')."""
        vocabulary = self._vocabulary
        previous = list(vocabulary.word.finditer(text, max(0, position - 40), position))[-2:]
        articles = vocabulary.determiners | self._contracted if lowercase_adjective else vocabulary.determiners
        if previous and previous[-1].group(0).lower() in articles:
            return text[previous[-1].end() : position] == " "
        return (
            len(previous) == 2
            and previous[0].group(0).lower() in vocabulary.determiners
            and previous[1].group(0).endswith(vocabulary.adjective_suffixes)
            and not (lowercase_adjective and may_be_name(previous[1].group(0)))
            and text[previous[0].end() : position].replace(previous[1].group(0), "") == "  "
        )
