"""The cheap checks that spare most regex searches their regex: a passage lacking the literal words of every term
(LiteralScreen), or any word a match may open with (StartFinder), holds no match. ScreenedPattern is a regex with
both; lexicon.py builds them from the lexicon's terms."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import compress

from .literals import MIN_WORDS_FOR_AUTOMATON, LiteralWords
from .regexes import trie_regex


@dataclass(frozen=True)
class LiteralScreen:
    """Whether any of several terms can match in a passage, judged by their literal words alone (see
    TermCompiler.literals): a term can match only where all its literal words stand."""

    unscreened: bool  # some term has no literal word (or an empty one): it may match anywhere
    single: tuple[str, ...]  # the terms with one literal word
    # The terms with more, grouped by their longest literal word (the likeliest to be missing, tested first): the
    # keys, and per key the other literal words of each of its terms. A passage that lacks a key spares its terms.
    keys: tuple[str, ...]
    rests: tuple[tuple[tuple[str, ...], ...], ...]
    # The single words, then the keys, found in one pass where they are many (see literals.MIN_WORDS_FOR_AUTOMATON):
    # a disqualifier screen of a hundred words took some 20 µs per clause as substring tests, one pass about 1 µs.
    finder: LiteralWords | None = field(default=None, compare=False, repr=False)

    @classmethod
    def of(cls, term_literals: tuple[tuple[str, ...], ...]) -> LiteralScreen:
        single = tuple(dict.fromkeys(literals[0] for literals in term_literals if len(literals) == 1))
        by_key: dict[str, list[tuple[str, ...]]] = {}
        for literals in term_literals:
            if len(literals) > 1:
                key = max(literals, key=len)  # the first of the longest
                if key not in single:  # where the key stands, that single word does too: the term adds nothing
                    by_key.setdefault(key, []).append(tuple(word for word in literals if word != key))
        keys = tuple(by_key)
        words = single + keys
        return cls(
            unscreened=any(not literals for literals in term_literals) or "" in words,
            single=single,
            keys=keys,
            rests=tuple(tuple(dict.fromkeys(rests)) for rests in by_key.values()),
            finder=LiteralWords(words) if len(words) >= MIN_WORDS_FOR_AUTOMATON and "" not in words else None,
        )

    def admits(self, passage: str) -> bool:
        if self.unscreened:
            return True
        contains = passage.__contains__
        if self.finder is None:
            if any(map(contains, self.single)):
                return True
            # The keys are tested in C (compress over map); only the terms of a key the passage holds are looked at.
            present: Iterable[tuple[tuple[str, ...], ...]] = compress(self.rests, map(contains, self.keys))
        else:
            found = self.finder.occurrences(passage)
            single_count = len(self.single)
            if any(index < single_count for index, _, _ in found):
                return True
            present = (self.rests[index - single_count] for index in sorted({index for index, _, _ in found}))
        for rests in present:
            for rest in rests:
                if all(map(contains, rest)):
                    return True
        return False


class StartFinder:
    """Where in a sentence a term's match may begin: at an opening word it spells (or the start of the word that a
    '*word' opening ends), found with a plain substring search over the lowercased sentence. Trying the term's regex
    only there gives what its finditer gives, without the regex engine's attempt at every character."""

    def __init__(self, exact: frozenset[str], ending: frozenset[str]):
        words = sorted(exact | ending)
        # Many opening words (a class such as the force nouns): one automaton pass finds them all; few: a regex
        # prefix tree, searched again after each occurrence, is as fast (see literals.MIN_WORDS_FOR_AUTOMATON).
        self._words = LiteralWords(words) if len(words) >= MIN_WORDS_FOR_AUTOMATON else None
        self._opens_word = tuple(word in exact for word in words)  # per word: a match may begin where it begins
        self._ends_word = tuple(word in ending for word in words)  # per word: ... at the start of the word it ends
        self._exact = re.compile(trie_regex(exact)) if exact and self._words is None else None
        self._ending = re.compile(trie_regex(ending)) if ending and self._words is None else None

    def occurs_in(self, passage_lower: str) -> bool:
        """Whether any of the opening words stands in the lowercased passage: without one, no match begins there."""
        if self._words is not None:
            return self._words.any_in(passage_lower)
        return any(
            regex is not None and regex.search(passage_lower) is not None for regex in (self._exact, self._ending)
        )

    def finditer(
        self, pattern: re.Pattern[str], text: str, sentence_lower: str, start: int, end: int, first_only: bool = False
    ) -> list[re.Match[str]]:
        """pattern.finditer(text, start, end) as a list (only its first match with first_only); sentence_lower is
        lowered text[start:end] (case-fold safe)."""
        candidates: set[int] = set()
        if self._words is not None:
            for index, at, _ in self._words.occurrences(sentence_lower):
                if self._opens_word[index]:
                    candidates.add(start + at)
                if self._ends_word[index]:
                    candidates.add(start + _word_start(sentence_lower, at))
        for regex, opens_word in ((self._exact, True), (self._ending, False)):
            if regex is None:
                continue
            position = 0
            while (occurrence := regex.search(sentence_lower, position)) is not None:
                at = occurrence.start()
                candidates.add(start + (at if opens_word else _word_start(sentence_lower, at)))
                position = occurrence.start() + 1  # occurrences may overlap ('unit' in 'units')
        found: list[re.Match[str]] = []
        resume = start
        for candidate in sorted(candidates):
            if candidate < resume:
                continue  # inside the previous match, as finditer skips it
            match = pattern.match(text, candidate, end)
            if match is not None:
                if match.end() == candidate:
                    return list(pattern.finditer(text, start, end))  # an empty match: leave its rules to finditer
                found.append(match)
                if first_only:
                    break
                resume = match.end()
        return found


def _word_start(lowered: str, at: int) -> int:
    """The start of the word that lowered[at] is in (or opens): a leading wildcard spans the word up to its ending."""
    while at > 0 and (lowered[at - 1].isalnum() or lowered[at - 1] == "_"):
        at -= 1
    return at


@dataclass(frozen=True)
class ScreenedPattern:
    """Terms compiled into one regex, with the cheap checks that spare most searches the regex: no match where a
    literal word of every term is missing (LiteralScreen), none but where an opening word stands (StartFinder).
    Each search takes the lowercased passage when it is case-fold safe, else None (then the regex runs as is)."""

    pattern: re.Pattern[str]
    screen: LiteralScreen
    starts: StartFinder | None

    def search(self, text: str, start: int, end: int, passage_lower: str | None) -> re.Match[str] | None:
        if passage_lower is None:
            return self.pattern.search(text, start, end)
        if not self.screen.admits(passage_lower):
            return None
        if self.starts is None:
            return self.pattern.search(text, start, end)
        found = self.starts.finditer(self.pattern, text, passage_lower, start, end, first_only=True)
        return found[0] if found else None

    def may_match(self, passage_lower: str) -> bool:
        """False when the screens show that the terms match nowhere in the (case-fold safe) lowercased passage."""
        return self.screen.admits(passage_lower) and (self.starts is None or self.starts.occurs_in(passage_lower))

    def finditer(self, text: str, start: int, end: int, passage_lower: str | None) -> list[re.Match[str]]:
        if passage_lower is None or self.starts is None:
            return list(self.pattern.finditer(text, start, end))
        if not self.screen.admits(passage_lower):
            return []
        return self.starts.finditer(self.pattern, text, passage_lower, start, end)
