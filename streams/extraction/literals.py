"""Many literal words looked for in a text at once: one Aho-Corasick DFA pass (ahocorasick-rs), in C throughout."""

from __future__ import annotations

from collections.abc import Sequence

import ahocorasick_rs

# Below this many words a Python loop of substring tests (`word in text`, about 50 ns each) beats the call into the
# automaton (about 0.5 µs on a sentence); measured on the lexicons' screens.
MIN_WORDS_FOR_AUTOMATON = 8


class LiteralWords:
    """Which of several distinct, non-empty literal words occur in a text (case-sensitive, anywhere in it)."""

    def __init__(self, words: Sequence[str]):
        if any(not word for word in words) or len(set(words)) != len(words):
            raise ValueError("literal words must be distinct and non-empty")
        self.words = tuple(words)
        self._automaton = (
            ahocorasick_rs.AhoCorasick(list(words), implementation=ahocorasick_rs.Implementation.DFA) if words else None
        )

    def occurrences(self, text: str) -> list[tuple[int, int, int]]:
        """(index of the word, start, end) of every occurrence in text, overlapping ones included, by end offset."""
        if self._automaton is None:
            return []
        return self._automaton.find_matches_as_indexes(text, overlapping=True)

    def any_in(self, text: str) -> bool:
        """Whether one of the words occurs in text (one match is reported wherever any word occurs)."""
        return self._automaton is not None and bool(self._automaton.find_matches_as_indexes(text))
