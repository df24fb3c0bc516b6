"""One-word names a referring word may stand for: 'Höcke', 'Schmyt', 'Combs' ('Der 52-Jährige hatte die Vorwürfe
zurückgewiesen', 'Er streitet die Vorwürfe ab'), in a language that capitalises every noun, where a capital alone marks
no name. A capitalised word of the sentences before the cue's reads as a person's surname when nothing makes it a
noun (no article, adjective, preposition or quote before it, no noun ending of text.json "referring"
"common_noun_endings") and the text uses it as a name: again elsewhere ('soll Höcke ...', 'wirft Höcke vor'), or in an apposition after a noun
that itself follows an article ('der Sänger Schmyt', 'Ihr Mann Julian'); never after an article."""

from __future__ import annotations

import re
from itertools import islice, takewhile

from .context import Actor
from .gazetteer import Gazetteer, Mention
from .lexicon_schema import Lexicon
from .names import POSSESSIVE, Names, unlisted_actor
from .text import Segmenter
from .words import Vocabulary, may_be_name, whole_word

_MIN_LENGTH = 3  # "Er", "Ihr" are no surnames
_MAX_SENTENCES_BACK = 2  # a one-word name stands for the referring word only close by
_MAX_TITLED_WORDS = 3  # "Sir Keir", "Mr John Doe"


class Surnames:
    """The one-word surnames of the text before a cue's sentence (clause reading, person referents)."""

    def __init__(self, lexicon: Lexicon, vocabulary: Vocabulary, gazetteer: Gazetteer, segmenter: Segmenter):
        rules = lexicon.text
        self._vocabulary = vocabulary
        self._gazetteer = gazetteer
        self._segmenter = segmenter
        self._not_names = Names(lexicon, vocabulary).not_names
        # A preposition's contracted article ("zur"): a noun follows, but no apposition after it.
        self._contracted = frozenset(w.lower() for w in lexicon.grammar.contracted_articles)
        # Articles and possessives ("Ihr Mann Julian"): what follows is a noun.
        self._articles = vocabulary.determiners | {w.lower() for w in rules.pronouns} | self._contracted
        noun_endings = rules.referring.common_noun_endings
        self._noun_endings = tuple(e.lower() for e in noun_endings)
        self._enabled = vocabulary.nouns_capitalized and bool(noun_endings)
        titles = rules.referring.person_titles
        self._titles = re.compile(rf"\b(?:{'|'.join(map(re.escape, titles))})\.?(?=\s)") if titles else None

    def last_before(self, text: str, sentence_start: int, listed: list[Mention]) -> Actor | None:
        """The last one-word surname of the (at most two) sentences before sentence_start, outside listed names."""
        if not self._enabled:
            return None
        earlier = self._segmenter.sentences(text, max(0, sentence_start - 600), sentence_start)
        for sentence in reversed(earlier[-_MAX_SENTENCES_BACK:]):
            words = list(self._vocabulary.word.finditer(text, sentence.start, sentence.end))
            for index in range(len(words) - 1, 0, -1):  # the sentence's first word is capitalised anyway
                word = words[index]
                if any(m.start <= word.start() < m.end for m in listed):
                    continue
                if self._surname(text, words, index):
                    return unlisted_actor(self._nominative(text, word.group(0)), word.start())
        return None

    def _nominative(self, text: str, name: str) -> str:
        """'Krahs' ('ein Mitarbeiter Krahs') is Krah when the text names Krah too."""
        return next(
            (stem for stem in self._vocabulary.genitive_stems(name, min_stem=2) if whole_word(stem).search(text)), name
        )

    def _surname(self, text: str, words: list[re.Match[str]], index: int) -> bool:
        word, before = words[index], words[index - 1]
        name = word.group(0)
        if (
            not may_be_name(name)
            or len(name) < _MIN_LENGTH
            or name.isupper()
            or not name[1:].islower()  # "McDonald" aside, a mixed case names a brand or body
            or name.lower() in self._not_names
            or name.lower().endswith(self._noun_endings)
            or text[before.end() : word.start()] != " "  # punctuation or a quote between: no phrase
            or self.noun_marker(before.group(0))
            or self._gazetteer.lookup_place(name) is not None
        ):
            return False
        if index + 1 < len(words) and self._first_name_of(text, word, words[index + 1]):
            return False
        repeats = [m for m in whole_word(name).finditer(text) if m.start() != word.start()]
        if any(self._after_marker(text, repeat.start()) for repeat in repeats):
            return False  # "dem Trainer Untreue ... Die Untreue": a noun the text puts after an article
        # An apposition ends with the name: 'der Sänger Schmyt macht', not 'der Moderator Jens Albrecht'.
        closes = index + 1 == len(words) or not may_be_name(words[index + 1].group(0))
        return bool(repeats) or (closes and self._apposition(text, words, index))

    def noun_marker(self, word: str) -> bool:
        """An article, possessive, preposition or lowercase adjective: what follows is a noun."""
        lowered = word.lower()
        vocabulary = self._vocabulary
        return (
            lowered in self._articles
            or lowered in vocabulary.blocking_preps
            or lowered in vocabulary.location_preps
            or lowered in vocabulary.bystander_preps
            or (word[0].islower() and lowered.endswith(vocabulary.adjective_suffixes))
            or word[0].isdigit()  # "99 Prozent", "100 Medizinstudenten"
        )

    def _apposition(self, text: str, words: list[re.Match[str]], index: int) -> bool:
        """'der Sänger Schmyt', 'Ihr Mann Julian', 'weitere Frauen Combs': a noun after an article or adjective,
        then the name."""
        if index < 2:
            return False
        noun, marker = words[index - 1], words[index - 2]
        return (
            may_be_name(noun.group(0))
            and noun.group(0).lower() not in self._not_names
            and text[marker.end() : noun.start()] == " "
            and self.noun_marker(marker.group(0))
            and marker.group(0).lower() not in self._vocabulary.blocking_preps
            and marker.group(0).lower() not in self._vocabulary.location_preps
            and marker.group(0).lower() not in self._contracted  # "zur Förderung Weber": a preposition's noun
        )

    def _first_name_of(self, text: str, word: re.Match[str], following: re.Match[str]) -> bool:
        """Whether the word opens a longer name: 'Malte Meier-Lindholm', 'Jana Czerny ... Czerny'."""
        last = following.group(0)
        if text[word.end() : following.start()] != " " or not may_be_name(last):
            return False
        return "-" in last or len(whole_word(last).findall(text)) > 1

    def _after_marker(self, text: str, position: int) -> bool:
        """Whether the word at position follows an article, preposition or adjective in the same phrase."""
        previous = list(self._vocabulary.word.finditer(text, max(0, position - 30), position))[-1:]
        return bool(previous) and text[previous[0].end() : position] == " " and self.noun_marker(previous[0].group(0))

    def titled(self, text: str, start: int, end: int) -> Actor | None:
        """The first person a title names in the sentence ('when Sir Keir gave ...', 'Mr Halberd said'): the title
        (text.json "referring" "person_titles") and one to three capitalised words, not after a preposition."""
        if self._titles is None:
            return None
        for title in self._titles.finditer(text, start, end):
            before = self._vocabulary.word.findall(text, max(start, title.start() - 30), title.start())[-1:]
            if before and before[0].lower() in self._vocabulary.blocking_preps:
                continue
            words = list(islice(self._vocabulary.word.finditer(text, title.end(), end), _MAX_TITLED_WORDS))
            run = list(takewhile(lambda w: may_be_name(w.group(0)) and not POSSESSIVE.search(w.group(0)), words))
            if run and text[title.end() : run[0].start()] == " ":
                return unlisted_actor(text[title.start() : run[-1].end()], title.start())
        return None


def named_in(name: str, clause: str) -> bool:
    """Whether the clause gives the name as a word of its own."""
    return whole_word(name).search(clause) is not None
