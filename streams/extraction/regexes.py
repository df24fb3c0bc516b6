"""Regex building blocks: word lists as prefix-tree alternations, and patterns compiled when first used."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import overload

# A prefix tree of words: one level per character, "" marking the end of a word.
_Trie = dict[str, "_Trie"]


def trie_regex(words: Iterable[str]) -> str:
    """A regex alternation of the words, factored by common prefix so scanning stays cheap."""
    trie: _Trie = {}
    for word in sorted(set(words)):
        if not word:
            continue
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}
    return _trie_to_regex(trie) if trie else r"(?!x)x"


def _trie_to_regex(node: _Trie) -> str:
    ends_here = "" in node
    branches = [re.escape(char) + _trie_to_regex(child) for char, child in sorted(node.items()) if char]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if ends_here:
        # Longest match first: the optional group is greedy.
        return "(?:" + body + ")?"
    return body


class LazyPatterns(Sequence[re.Pattern[str]]):
    """Regexes compiled when first used: an article reaches few of a lexicon's rules, and compiling all of them up
    front is most of a process's start-up (a one-article `newsevents extract`)."""

    def __init__(self, sources: Sequence[str | None]):
        self._sources = tuple(sources)
        self._compiled: list[re.Pattern[str] | None] = [None] * len(self._sources)

    def compile_all(self) -> None:
        for index in range(len(self._sources)):
            self[index]

    def __len__(self) -> int:
        return len(self._sources)

    @overload
    def __getitem__(self, index: int) -> re.Pattern[str]: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[re.Pattern[str]]: ...
    def __getitem__(self, index: int | slice) -> re.Pattern[str] | Sequence[re.Pattern[str]]:
        if isinstance(index, slice):  # compiles what it returns
            return [self[i] for i in range(*index.indices(len(self)))]
        compiled = self._compiled[index]
        if compiled is None:
            compiled = self._compiled[index] = compile_source(self._sources[index])
        return compiled


def compile_source(source: str | None) -> re.Pattern[str]:
    return re.compile(source, re.IGNORECASE) if source is not None else re.compile(r"(?!x)x")
