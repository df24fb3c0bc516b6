"""Many literal words looked for in a text at once: one Aho-Corasick pass (ahocorasick-rs: a DFA, or a compact NFA), in C throughout."""

from __future__ import annotations

from collections.abc import Sequence

import ahocorasick_rs

# Below this many words a Python loop of substring tests (`word in text`, about 50 ns each) beats the call into the
# automaton (about 0.5 µs on a sentence); measured on the lexicons' screens.
MIN_WORDS_FOR_AUTOMATON = 8


class LiteralWords:
    """Which of several distinct, non-empty literal words occur in a text (case-sensitive, anywhere in it).

    compact: a contiguous NFA instead of a DFA, for an automaton that reads whole articles between the rest of the
    extraction (the first pass): the DFA's table (about a thousand words) is evicted from the CPU caches by the time
    the next article comes, and then each character costs a miss. In the worker's path the NFA is faster (the first
    pass about 2.5 µs an article less on the end-to-end workload, 16-20 against 13-18; session 22) though slower in a
    hot loop (3.0 against 4.0 µs a text); both give the same matches in the same order."""

    def __init__(self, words: Sequence[str], *, compact: bool = False):
        if any(not word for word in words) or len(set(words)) != len(words):
            raise ValueError("literal words must be distinct and non-empty")
        self.words = tuple(words)
        implementation = ahocorasick_rs.Implementation.ContiguousNFA if compact else ahocorasick_rs.Implementation.DFA
        self._automaton = ahocorasick_rs.AhoCorasick(list(words), implementation=implementation) if words else None

    def occurrences(self, text: str) -> list[tuple[int, int, int]]:
        """(index of the word, start, end) of every occurrence in text, overlapping ones included, by end offset."""
        if self._automaton is None:
            return []
        return self._automaton.find_matches_as_indexes(text, overlapping=True)

    def any_in(self, text: str) -> bool:
        """Whether one of the words occurs in text (one match is reported wherever any word occurs)."""
        return self._automaton is not None and bool(self._automaton.find_matches_as_indexes(text))
