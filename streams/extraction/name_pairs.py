"""Two unlisted names coordinated as one subject ('Both Kostas Kenteris and Katerina Thanou have denied ...'), where the
subject stands before the verb: a verb-second language (no coordinators given) may put an object name first."""

from __future__ import annotations

import re

from .context import Actor
from .words import Vocabulary, may_be_name

_MAX_NAME_WORDS = 4  # "Mikhail Khodorkovsky", "Platon Lebedev"
_PAIR_OPENERS = frozenset({"both"})  # "Both X and Y": the pronoun that opens the pair, no name of it


class NamePairs:
    """The coordinators ('and') and the words that may open a clause before its subject, of one language."""

    def __init__(
        self,
        vocabulary: Vocabulary,
        coordinators: set[str],
        openers: frozenset[str] | set[str],
        not_names: frozenset[str],
    ):
        self._vocabulary = vocabulary
        self._coordinators = {w for w in coordinators if " " not in w and w.isalpha()}
        self._openers, self._not_names = openers, not_names

    def opening(self, text: str, words: list[re.Match[str]], end: int) -> int:
        """Where a name coordinated with the one at words[end] opens ('Both Kostas Kenteris and' before 'Katerina Thanou'):
        the index of its first word, 'both' included, else end when no such name stands right before it."""
        if end < 2 or words[end - 1].group(0).lower() not in self._coordinators:
            return end
        first = end - 1
        while first > 0 and end - 1 - first < _MAX_NAME_WORDS and self._name_word(words[first - 1].group(0)):
            first -= 1
        if first == end - 1 or text[words[first].start() : words[end - 1].start()].count(",") > 0:
            return end  # no name, or a list that runs on ("A, B and C": its commas may hold appositions)
        if first > 0 and words[first - 1].group(0).lower() in _PAIR_OPENERS:
            first -= 1
        return first

    def partner(self, text: str, clause_start: int, actor: Actor) -> tuple[int, int] | None:
        """Where the unlisted name coordinated with the actor at the clause's opening stands, when only openers
        ('But') stand before the pair."""
        words = list(self._vocabulary.word.finditer(text, clause_start, actor.mention_start))
        first = self.opening(text, words, len(words))
        if first == len(words) or any(w.group(0).lower() not in self._openers for w in words[:first]):
            return None
        run = [w for w in words[first:-1] if w.group(0).lower() not in _PAIR_OPENERS]
        return run[0].start(), run[-1].end()

    def _name_word(self, word: str) -> bool:
        return may_be_name(word) and word.lower() not in self._not_names
