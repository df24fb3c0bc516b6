"""Cues that are noun phrases. A deployment named inside a prepositional phrase ("concern over an unfolding military
operation in Rafah", "opposed to the military operation"): whoever the clause's subject is speaks about the operation,
it does not run it. A change named with its owner inside ("the change in the US position"): the owner acts."""

from __future__ import annotations

from .context import CueContext
from .gazetteer import PLACE, Mention
from .lexicon_schema import Lexicon
from .words import Vocabulary

# Lowercase words (adjectives: "unfolding", "full-scale") that may stand between the article and the cue.
_MAX_MODIFIERS = 3


class GovernedNouns:
    """The articles and topic prepositions (text.json articles, topic_prepositions) of one language, read once."""

    def __init__(self, lexicon: Lexicon, vocabulary: Vocabulary):
        self._vocabulary = vocabulary
        self._articles = {w.lower() for w in lexicon.text.articles}
        self._prepositions = {w.lower() for w in lexicon.text.topic_prepositions}
        self._stances = {w.lower() for w in lexicon.text.stance_nouns}

    def governed(self, ctx: CueContext, mentions: list[Mention]) -> bool:
        """Whether the cue is a noun after a topic preposition and an article ('in response to the military offensive'),
        with no name (an owner) between the preposition and the cue; a possessive ('with its operation') names one."""
        if not self._articles or not self._prepositions:
            return False
        text, vocabulary = ctx.text, self._vocabulary
        words = list(vocabulary.word.finditer(text, ctx.start, ctx.cue_start))[-(_MAX_MODIFIERS + 2) :]
        position = len(words) - 1
        while position >= 0 and words[position].group(0).lower() not in self._articles:
            word = words[position].group(0)
            if not word[0].islower() or word in vocabulary.determiners or word in vocabulary.blocking_preps:
                return False
            position -= 1
        if position < 1 or words[position - 1].group(0).lower() not in self._prepositions:
            return False
        preposition_start = words[position - 1].start()
        return not any(preposition_start <= m.start < ctx.cue_start for m in mentions)

    def owner_within(self, ctx: CueContext, mentions: list[Mention]) -> Mention | None:
        """The name inside a cue that is a noun phrase ('the change in the US position', 'a shift in Japan's whaling
        policy'): the cue noun follows an article and the name qualifies a stance noun (at most one word between), so
        it is whose stance changed; what else a name qualifies there ('recognition of a Palestinian state') is the
        object."""
        if not self._articles or not self._stances:
            return None
        text, word = ctx.text, self._vocabulary.word
        before = word.findall(text, ctx.start, ctx.cue_start)[-1:]
        if not before or before[0].lower() not in self._articles:
            return None
        for mention in mentions:
            if ctx.cue_start < mention.start and mention.end <= ctx.cue.end() and mention.entity.category != PLACE:
                following = [w.lower() for w in word.findall(text, mention.end, ctx.cue.end())][:_MAX_MODIFIERS]
                following = [w for w in following if w != "s"]  # the possessive's letter
                if following and following[-1] in self._stances and len(following) <= 2:
                    return mention
        return None
