"""Deniers that are no subject before the denial cue: a passive's agent, or the one accused before a back-reference."""

from __future__ import annotations

from itertools import islice

from .context import Actor, CueContext, SentenceReading, clause_of
from .gazetteer import ORGANIZATION, PERSON, PLACE, Entity, Mention
from .lexicon import TermCompiler, compile_terms
from .lexicon_schema import Lexicon
from .words import Vocabulary

_MAX_SPEAKER_WORDS = 4  # an unlisted speaker's name: "Dr Jane Doe", "Elbit Systems UK"


class Deniers:
    """The passive-agent prepositions and accusation verbs of one language (text.json), compiled once."""

    def __init__(self, lexicon: Lexicon, compiler: TermCompiler, vocabulary: Vocabulary):
        rules = lexicon.text
        self._vocabulary = vocabulary
        self._passive_agents = {w.lower() for w in rules.passive_agents}
        self._accusation = compile_terms(compiler, rules.accusation_verbs) if rules.accusation_verbs else None
        self._pronouns = {w.lower() for w in rules.pronouns}

    def denier(self, ctx: CueContext, reading: SentenceReading) -> Actor | None:
        """A denial's actor the subject search would miss: the agent of a passive ('a claim rejected by the UN'),
        or the accused when a clause without a name of its own denies an accusation made before it ('Israel
        accused Hamas of ..., which the group denies')."""
        if ctx.rule.type != "denial":
            return None
        if ctx.rule.speaker_acts and (speaker := self._speaker(ctx, reading)) is not None:
            return speaker
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

    def _speaker(self, ctx: CueContext, reading: SentenceReading) -> Actor | None:
        """Who says the statement the cue is part of ("Hamas says the claim is false", "Israel said ... were not
        deliberately targeted", "..., the IDF said"): the nearest speech verb's source before the cue, else the
        first after it in another clause; its listed name, or its capitalised words ("Trend", "Dr Jane Doe")."""
        governing = [
            a
            for a in reading.attributions
            if a.position != "after"
            and (a.marker_start < ctx.cue_start or clause_of(ctx.clauses, a.marker_start) != ctx.clause_index)
        ]
        before = [a for a in governing if a.marker_start < ctx.cue_start]
        source = before[-1] if before else (governing[0] if governing else None)
        if source is None:
            return None
        named = [m for m in reading.mentions if source.start <= m.start < source.end and m.entity.category != PLACE]
        if named:
            return Actor(named[0].text, named[0].entity, "speaker", mention_start=named[0].start)
        words = source.source.split()
        if not words or len(words) > _MAX_SPEAKER_WORDS or not all(w[:1].isupper() for w in words):
            return None
        if words[0].lower() in self._vocabulary.determiners or source.source.lower() in self._pronouns:
            return None
        category = ORGANIZATION if source.source.isupper() else PERSON
        entity = Entity(source.source, None, category, category, generic=True)
        return Actor(source.source, entity, "speaker", mention_start=source.start)


def _mention_at(mentions: list[Mention], start: int) -> Mention | None:
    return next((m for m in mentions if m.start == start), None)
