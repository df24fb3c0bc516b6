"""States a text names only beside a place ('an der Grenze zu Slowenien', 'östlich von Australien'): no evidence of
whose story it is (text.json border_nouns, border_links, reference_links)."""

from __future__ import annotations

import re

from .lexicon import TermCompiler
from .lexicon_schema import Lexicon

# How far before a state's name its link phrase ('an der Grenze zu', 'den Nachbarländern') is looked for.
_WINDOW = 60
# Names coordinated after the first neighbour ('Nachbarländern Kolumbien und Brasilien') share its link.
_MAX_COORDINATED_WORDS = 3


class ReferencePoints:
    """The neighbour and reference-point phrases of one language, compiled once."""

    def __init__(self, lexicon: Lexicon):
        rules = lexicon.text
        compiler = TermCompiler(lexicon.cues.classes)
        self._determiners = frozenset(w.lower() for w in rules.determiners)
        self._coordinators = frozenset(w.lower() for w in rules.coordinators)
        links = [compiler.terms(rules.reference_links)] if rules.reference_links else []
        links.append(compiler.terms(rules.border_nouns) + r"\s+" + compiler.terms(rules.border_links))
        self._link = re.compile("|".join(f"(?:{source})" for source in links), re.IGNORECASE)
        self._border_noun = re.compile(compiler.terms(rules.border_nouns), re.IGNORECASE)

    def beside(self, text: str, start: int, end: int, adjective: bool) -> bool:
        """Whether the state named at text[start:end] stands after a link phrase (an article and names coordinated
        before it may come between: 'zu den Nachbarländern Kolumbien und Brasilien'), or is an adjective before a
        border noun ('an der slowenischen Grenze')."""
        if adjective:
            following = re.match(r"\s+(\w+)", text[end : end + 40])
            return following is not None and self._border_noun.fullmatch(following.group(1)) is not None
        for link in self._link.finditer(text, max(0, start - _WINDOW), start):
            if self._only_article_or_names(text[link.end() : start].split()):
                return True
        return False

    def _only_article_or_names(self, words: list[str]) -> bool:
        if words and words[0].lower() in self._determiners:
            words = words[1:]
        if not words:
            return True
        *names, last = words
        return (
            last.lower() in self._coordinators
            and 0 < len(names) <= _MAX_COORDINATED_WORDS
            and all(w[:1].isupper() for w in names)
        )
