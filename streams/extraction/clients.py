"""The client a representative denies for when the lists lack the client's name: "Khodorkovsky's lawyers denied",
"A spokesman for Yukos denied", "Yukos, through its lawyers, denied". Who represents (text.json referring
representatives) and the words that link them (cues.json CLIENT_PREPOSITION, REPRESENTED_THROUGH) are data."""

from __future__ import annotations

import re

from .context import Actor, CueContext
from .gazetteer import PERSON, Mention
from .lexicon_schema import Lexicon
from .names import POSSESSIVE, unlisted_actor
from .words import Vocabulary, may_be_name

CLIENT_PREPOSITION = "CLIENT_PREPOSITION"  # "a spokesman for Yukos"
REPRESENTED_THROUGH = "REPRESENTED_THROUGH"  # "Yukos, through its lawyers, denied"
_MAX_NAME_WORDS = 4
_MAX_WORDS = 10  # words read before the cue: an article, the noun, the link and the name, an auxiliary or adverb


class Clients:
    """The representative nouns and link words of one language, read once."""

    def __init__(self, lexicon: Lexicon, vocabulary: Vocabulary, not_names: frozenset[str]):
        rules, classes = lexicon.text, lexicon.cues.classes
        self._vocabulary, self._not_names = vocabulary, not_names
        self._representatives = {w.lower() for w in rules.referring.representatives}
        self._prepositions = {w.lower() for w in classes.get(CLIENT_PREPOSITION, [])}
        self._through = {w.lower() for w in classes.get(REPRESENTED_THROUGH, [])}
        self._between = {w.lower() for w in [*rules.auxiliaries, *rules.focus_particles]}
        openers = vocabulary.conjunctions | vocabulary.time_words | {w.lower() for w in rules.focus_particles}
        self._openers = openers - vocabulary.determiners  # "A Yukos spokesman": the article belongs to the subject

    def client(self, ctx: CueContext, mentions: list[Mention]) -> Actor | None:
        """The unlisted client named by the subject before the cue, when the words from the sentence's start (openers
        aside) are only that subject, its auxiliaries and adverbs."""
        if not self._representatives or self._vocabulary.nouns_capitalized:
            return None
        text, start = ctx.text, ctx.sentence.start
        words = list(self._vocabulary.word.finditer(text, start, ctx.cue_start))
        if len(words) > _MAX_WORDS:
            return None
        while words and words[-1].group(0).lower() in self._between:
            words.pop()
        while words and words[0].group(0).lower() in self._openers:
            words = words[1:]
        span = self._through_aside(text, words) or self._for_client(words) or self._possessor(words)
        if span is None:
            return None
        listed = [m for m in mentions if span[0] <= m.start < span[1]]
        if listed:  # "A spokeswoman for Mr Blunkett": a listed person when it is the whole client; a state's
            named = listed[0]  # lawyers ("The lawyer for Norway rejected ...") plead a case, no denial of the state's
            whole = len(listed) == 1 and named.end >= span[1] and named.entity.category == PERSON
            return Actor(named.text, named.entity, "subject", mention_start=named.start) if whole else None
        return unlisted_actor(text[span[0] : span[1]], span[0])

    def _for_client(self, words: list[re.Match[str]]) -> tuple[int, int] | None:
        """'A spokesman for Yukos', 'Lawyers for Mikhail Khodorkovsky': an article, the noun, the link, the name."""
        lowered = [w.group(0).lower() for w in words]
        if lowered and lowered[0] in self._vocabulary.determiners:
            lowered, words = lowered[1:], words[1:]
        if len(words) < 3 or lowered[0] not in self._representatives or lowered[1] not in self._prepositions:
            return None
        return self._name(words[2:])

    def _possessor(self, words: list[re.Match[str]]) -> tuple[int, int] | None:
        """ "Khodorkovsky's lawyers", "A Yukos spokesman": the name right before the noun, which ends the words."""
        if len(words) < 2 or words[-1].group(0).lower() not in self._representatives:
            return None
        owner, possessive = words[:-1], POSSESSIVE.search(words[-2].group(0))
        if owner[0].group(0).lower() in self._vocabulary.determiners and possessive is None:
            owner = owner[1:]  # "A Yukos spokesman"; without the article "Army spokesman" may name no one
        elif possessive is None:
            return None
        span = self._name(owner)
        return None if span is None else (span[0], span[1] - (len(possessive.group(0)) if possessive else 0))

    def _through_aside(self, text: str, words: list[re.Match[str]]) -> tuple[int, int] | None:
        """'Yukos, through its lawyers, denied': the name, then the aside between commas."""
        link = next((i for i, w in enumerate(words) if w.group(0).lower() in self._through), None)
        if link is None or link == 0 or len(words) - link > 3:
            return None
        aside = [w.group(0).lower() for w in words[link + 1 :]]
        if not aside or aside[-1] not in self._representatives:
            return None
        closing = text[words[-1].end() : words[-1].end() + 2].strip()
        if text[words[link - 1].end() : words[link].start()].strip() != "," or not closing.startswith(","):
            return None
        return self._name(words[:link])

    def _name(self, words: list[re.Match[str]]) -> tuple[int, int] | None:
        """The span of the words when they are a name: one to four capitalised words, none a function word."""
        if not 0 < len(words) <= _MAX_NAME_WORDS:
            return None
        if not all(may_be_name(w.group(0)) and w.group(0).lower() not in self._not_names for w in words):
            return None
        return words[0].start(), words[-1].end()
