"""Deniers that are no subject before the denial cue: a passive's agent, or the one accused before a back-reference."""

from __future__ import annotations

from itertools import islice

from .context import Actor, CueContext, SentenceReading
from .gazetteer import Mention
from .lexicon import TermCompiler, compile_terms
from .lexicon_schema import Lexicon
from .words import Vocabulary


class Deniers:
    """The passive-agent prepositions and accusation verbs of one language (text.json), compiled once."""

    def __init__(self, lexicon: Lexicon, compiler: TermCompiler, vocabulary: Vocabulary):
        rules = lexicon.text
        self._vocabulary = vocabulary
        self._passive_agents = {w.lower() for w in rules.passive_agents}
        self._accusation = compile_terms(compiler, rules.accusation_verbs) if rules.accusation_verbs else None

    def denier(self, ctx: CueContext, reading: SentenceReading) -> Actor | None:
        """A denial's actor the subject search would miss: the agent of a passive ('a claim rejected by the UN'),
        or the accused when a clause without a name of its own denies an accusation made before it ('Israel
        accused Hamas of ..., which the group denies')."""
        if ctx.rule.type != "denial":
            return None
        text, word, mentions = ctx.text, self._vocabulary.word, reading.mentions
        after = list(islice(word.finditer(text, ctx.cue.end(), ctx.sentence.end), 4))
        if after and after[0].group(0).lower() in self._passive_agents:
            named = [w for w in after[1:] if w.group(0).lower() not in self._vocabulary.determiners][:1]
            if named and (agent := _mention_at(mentions, named[0].start())) is not None:
                return Actor(agent.text, agent.entity, "subject", mention_start=agent.start)
        clause_start = ctx.clauses[ctx.clause_index][0]
        if self._accusation is None or any(clause_start <= m.start < ctx.cue_start for m in mentions):
            return None  # the denying clause names its own subject
        accusations = list(self._accusation.finditer(text, ctx.sentence.start, clause_start))
        if not accusations:
            return None
        following = [
            w
            for w in islice(word.finditer(text, accusations[-1].end(), clause_start), 3)
            if w.group(0).lower() not in self._vocabulary.determiners
        ][:1]
        if following and (accused := _mention_at(mentions, following[0].start())) is not None:
            return Actor(accused.text, accused.entity, "subject", mention_start=accused.start)
        return None


def _mention_at(mentions: list[Mention], start: int) -> Mention | None:
    return next((m for m in mentions if m.start == start), None)
