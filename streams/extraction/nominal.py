"""Cues that are noun phrases. A deployment named inside a prepositional phrase ("concern over an unfolding military
operation in Rafah", "opposed to the military operation"): whoever the clause's subject is speaks about the operation,
it does not run it. A change named with its owner inside ("the change in the US position"): the owner acts."""

from __future__ import annotations

from .context import CueContext
from .gazetteer import PLACE, Mention
from .lexicon import TermCompiler, compile_terms
from .lexicon_schema import Lexicon
from .words import Vocabulary

# The cues.json classes of act nouns ('decision'), of the words that introduce their agent ('by', 'of', 'made by') and
# of the infinitive's marker ('to') that opens the act they name.
ACT_NOUN_CLASS = "ACT_NOUN"
ACT_AGENT_CLASS = "ACT_AGENT"
ACT_INFINITIVE_CLASS = "ACT_INFINITIVE"
# Lowercase words (adjectives: "unfolding", "full-scale") that may stand between the article and the cue.
_MAX_MODIFIERS = 3


class GovernedNouns:
    """The articles and topic prepositions (text.json articles, topic_prepositions) of one language, read once."""

    def __init__(self, lexicon: Lexicon, vocabulary: Vocabulary):
        self._vocabulary = vocabulary
        self._articles = {w.lower() for w in lexicon.text.articles}
        self._prepositions = {w.lower() for w in lexicon.text.topic_prepositions}
        # A fear's two words ("concern that") govern like a preposition; "that" alone does not ("insisted that a
        # military operation in X is necessary": the speaker runs it). The schema holds each to two words.
        self._phrases = {(first, second) for first, second in (w.lower().split() for w in lexicon.text.topic_phrases)}
        self._stances = {w.lower() for w in lexicon.text.stance_nouns}

    def governed(self, ctx: CueContext, mentions: list[Mention]) -> bool:
        """Whether the cue is a noun after a topic preposition and an article ('in response to the military offensive'),
        with no name (an owner) between the preposition and the cue; a possessive ('with its operation') names one."""
        if not self._articles or not self._prepositions:
            return False
        text, vocabulary = ctx.text, self._vocabulary
        # From the sentence's start: a fear's "that" opens the clause the cue stands in ("grave concern that a ..."); a
        # one-word preposition must stand in the cue's own clause.
        words = list(vocabulary.word.finditer(text, ctx.sentence.start, ctx.cue_start))[-(_MAX_MODIFIERS + 3) :]
        position = len(words) - 1
        while position >= 0 and words[position].group(0).lower() not in self._articles:
            word = words[position].group(0)
            if not word[0].islower() or word in vocabulary.determiners or word in vocabulary.blocking_preps:
                return False
            position -= 1
        if position < 1:
            return False
        link = words[position - 1].group(0).lower()
        if link in self._prepositions and words[position - 1].start() >= ctx.start:
            preposition_start = words[position - 1].start()
        elif position >= 2 and (words[position - 2].group(0).lower(), link) in self._phrases:
            preposition_start = words[position - 2].start()
        else:
            return False
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


class ActAgents:
    """The agent of an act noun whose infinitive the cue is: 'the decision by Jordan to withdraw', 'decisions made by
    Austria and Iceland to rescind', 'the decision of Bahrain, which ..., to suspend': the name after
    the agent word acts, whoever the clause's subject is. The act nouns (cues.json ACT_NOUN), agent words (ACT_AGENT)
    and the infinitive's marker (ACT_INFINITIVE) are language data; a language without them has no such reading."""

    def __init__(self, lexicon: Lexicon, compiler: TermCompiler, vocabulary: Vocabulary):
        self._vocabulary = vocabulary
        classes = lexicon.cues.classes
        names = (ACT_NOUN_CLASS, ACT_AGENT_CLASS, ACT_INFINITIVE_CLASS)
        self._patterns = (
            tuple(compile_terms(compiler, [f"{{{name}}}"]) for name in names)
            if all(name in classes for name in names)
            else None
        )
        self._coordinators = {w.lower() for w in lexicon.text.coordinators}
        self._articles = {w.lower() for w in lexicon.text.articles}

    def agent(self, ctx: CueContext, mentions: list[Mention]) -> Mention | None:
        if self._patterns is None:
            return None
        nouns, agents, infinitive = self._patterns
        text, word = ctx.text, self._vocabulary.word
        start = ctx.sentence.start
        # The infinitive's marker: the cue's first word ("to ban") or the word right before it.
        marker = infinitive.match(text, ctx.cue_start)
        if marker is None:
            before = list(word.finditer(text, start, ctx.cue_start))[-1:]
            if not before or not infinitive.fullmatch(before[0].group(0)):
                return None
            end = before[0].start()
        else:
            end = ctx.cue_start
        end = self._before_aside(text, start, end)
        named = [m for m in mentions if start <= m.start and m.end <= end and m.entity.category != PLACE]
        if not named or text[named[-1].end : end].strip():
            return None
        first = len(named) - 1  # back over coordinated names: "by Canada and Sweden to"
        while first > 0 and self._joined(text[named[first - 1].end : named[first].start]):
            first -= 1
        words = [w.group(0) for w in word.finditer(text, start, named[first].start)]
        while words and words[-1].lower() in self._articles:
            words.pop()
        if len(words) < 2 or not agents.fullmatch(words[-1]):
            return None
        agent = words.pop()
        if len(words) >= 2 and agents.fullmatch(f"{words[-1]} {agent}"):
            words.pop()  # "decisions made by"
        return named[first] if nouns.fullmatch(words[-1]) else None

    def _before_aside(self, text: str, start: int, end: int) -> int:
        """The end of the span before an aside that a relative pronoun opens (", which was co-ordinating ..., to")."""
        if not text[start:end].rstrip().endswith(","):
            return end
        closing = text.rindex(",", start, end)
        opening = text.rfind(",", start, closing)
        if opening < 0:
            return end
        first = self._vocabulary.word.search(text, opening, closing)
        return opening if first is not None and first.group(0) in self._vocabulary.relative else end

    def _joined(self, gap: str) -> bool:
        words = [w for w in gap.replace(",", " ").lower().split() if w not in self._articles]
        return gap.strip() == "," or (len(words) == 1 and words[0] in self._coordinators)
