"""Whom a sentence before a referring denial accuses: a listed name after the accusation verb, else an unlisted one."""

from __future__ import annotations

import re

from .context import Actor
from .gazetteer import Mention
from .lexicon import TermCompiler, compile_terms
from .lexicon_referring import Referent
from .lexicon_schema import Lexicon
from .names import unlisted_actor
from .words import Vocabulary, may_be_name

_MAX_NAME_WORDS = 4  # "the Labour Party", "Yukos Oil Company", "Mikhail Khodorkovsky"
_MAX_LEAD_WORDS = 4  # an article and lowercase descriptors before a passive's subject: "The oil company Yukos"


class Accused:
    """The accusation verbs (text.json accusation_verbs) and the words around a passive ('has been', 'was')."""

    def __init__(self, lexicon: Lexicon, compiler: TermCompiler, vocabulary: Vocabulary, not_names: frozenset[str]):
        rules = lexicon.text
        self._vocabulary, self._not_names = vocabulary, not_names
        self._accusation = compile_terms(compiler, rules.accusation_verbs) if rules.accusation_verbs else None
        self._passive = {w.lower() for w in lexicon.grammar.passive.auxiliaries}
        # Between a passive's subject and its participle: "has", "also", "repeatedly", "been".
        self._between = self._passive | {w.lower() for w in [*rules.auxiliaries, *rules.focus_particles]}
        self._titles = {w.lower() for w in rules.referring.person_titles}

    def listed(self, text: str, mentions: list[Mention], sentence_start: int) -> Mention | None:
        """The first fitting name right after the sentence's last accusation verb (an article aside)."""
        if self._accusation is None or not mentions:
            return None
        accusations = list(self._accusation.finditer(text, sentence_start, mentions[-1].start + 1))
        if not accusations:
            return None
        after = accusations[-1].end()
        following = [m for m in mentions if m.start >= after]
        if not following:
            return None
        gap = [w.group(0).lower() for w in self._vocabulary.word.finditer(text, after, following[0].start)]
        return following[0] if not self._vocabulary.strip_articles(gap) else None

    def unlisted(self, text: str, span: tuple[int, int], found: list[Mention], referent: Referent) -> Actor | None:
        """A name the lists lack that the sentence accuses ("prosecutors accuse Yukos of ...", "Labour has been accused
        of ...") and the referring word may stand for: none when a listed name is there (the gazetteer reading's), a
        titled person ("Mr Bercow") for no organisation, one word ("Labour") for no person."""
        if self._accusation is None:
            return None
        for accusation in self._accusation.finditer(text, *span):
            run = self._object(text, accusation.end(), span[1]) or self._passive_subject(text, span[0], accusation)
            if run is None or any(run[0] <= m.start < run[1] for m in found):
                continue
            name = text[run[0] : run[1]]
            titled = name.split()[0].lower().rstrip(".") in self._titles
            if (titled or len(name.split()) > 1) if referent == "person" else not titled:
                return unlisted_actor(name, run[0])
        return None

    def _object(self, text: str, start: int, end: int) -> tuple[int, int] | None:
        """The capitalised words right after an active accusation verb, an article aside, then a lowercase word."""
        words = [w for w in self._vocabulary.word.finditer(text, start, end)][: _MAX_NAME_WORDS + 2]
        if words and words[0].group(0).lower() in self._vocabulary.determiners:
            words = words[1:]
        return self._run(words, 0)

    def _passive_subject(self, text: str, start: int, accusation: re.Match[str]) -> tuple[int, int] | None:
        """The name that opens the sentence and is accused by a passive ("The oil company Yukos was accused"): only
        auxiliaries and adverbs between them, only an article and lowercase words before it."""
        words = list(self._vocabulary.word.finditer(text, start, accusation.start()))
        passive = False
        while words and words[-1].group(0).lower() in self._between:
            passive = passive or words[-1].group(0).lower() in self._passive
            words.pop()
        first = len(words)
        while first > 0 and self._name_word(words[first - 1].group(0)):
            first -= 1
        lead = [w.group(0) for w in words[:first]]
        while lead and lead[0].lower() in self._vocabulary.conjunctions:
            lead = lead[1:]  # "But Labour has been accused"
        if not passive or first == len(words) or len(lead) > _MAX_LEAD_WORDS:
            return None
        if lead and (lead[0].lower() not in self._vocabulary.determiners or any(may_be_name(w) for w in lead[1:])):
            return None
        return self._run(words[first:], len(words) - first) if len(words) - first <= _MAX_NAME_WORDS else None

    def _run(self, words: list[re.Match[str]], length: int) -> tuple[int, int] | None:
        """The span of the name run that opens the words: all of them when length says so, else up to a lowercase
        word that must follow it."""
        if length == 0:
            while length < len(words) and self._name_word(words[length].group(0)):
                length += 1
            if length == len(words):
                return None  # the name must end before the words do ("accused Yukos of")
        if not 0 < length <= _MAX_NAME_WORDS:
            return None
        return words[0].start(), words[length - 1].end()

    def _name_word(self, word: str) -> bool:
        return may_be_name(word) and word.lower() not in self._not_names
