"""Agents of a nominal deployment cue: 'die von Russland angekündigte Truppenverstärkung', 'die vom Pentagon
angeordnete Verlegung von 2.000 Soldaten'. The name after a passive agent preposition (text.json passive_agents) that
a participle of deciding or announcing (the cues.json class AGENT_PARTICIPLE) ties to the cue's noun acts, whoever
the sentence's subject is ('Die Ukraine hat die von Belarus angekündigte Truppenverstärkung bestätigt')."""

from __future__ import annotations

from .context import Actor, CueContext, SentenceReading
from .gazetteer import DEMONYM_ADJ, PLACE, SUBDIVISION
from .lexicon import TermCompiler, compile_terms
from .lexicon_schema import Lexicon
from .words import Vocabulary

AGENT_PARTICIPLE_CLASS = "AGENT_PARTICIPLE"
# Nouns of a deployment a state adjective or a state's genitive before them owns ("der israelischen Bodenoffensive
# gegen die Hisbollah", "Chinas Militärübung rund um Taiwan").
DEPLOYMENT_NOUN_CLASS = "DEPLOYMENT_NOUN"
# Characters before the cue where a deployment noun covering it may open: "planned full-scale ground offensive".
_NOUN_REACH = 40
# Words between the agent and its participle: "von Belarus vor einer Woche angekündigte".
_MAX_WORDS_BETWEEN = 5
# What only says where, never who decides: "die in Litauen geplante Brigade" has no agent preposition anyway.
_NO_AGENT = (PLACE, SUBDIVISION, DEMONYM_ADJ)


class NominalAgents:
    """The agent participles of one language (cues.json AGENT_PARTICIPLE), compiled once; none: no such reading."""

    def __init__(self, lexicon: Lexicon, compiler: TermCompiler, vocabulary: Vocabulary):
        classes = lexicon.cues.classes
        self._participles = (
            compile_terms(compiler, [f"{{{AGENT_PARTICIPLE_CLASS}}}"]) if AGENT_PARTICIPLE_CLASS in classes else None
        )
        self._nouns = (
            compile_terms(compiler, [f"{{{DEPLOYMENT_NOUN_CLASS}}}"]) if DEPLOYMENT_NOUN_CLASS in classes else None
        )
        self._agent_preps = frozenset(w.lower() for w in lexicon.text.passive_agents)
        self._vocabulary = vocabulary

    def actor(self, ctx: CueContext, reading: SentenceReading) -> Actor | None:
        """The agent of the participle right before a deployment cue's noun, when a name follows 'von'/'vom'."""
        if ctx.rule.type != "deployment":
            return None
        return self._adjective_owner(ctx, reading) or self._agent(ctx, reading)

    def _adjective_owner(self, ctx: CueContext, reading: SentenceReading) -> Actor | None:
        """The state adjective or the state's genitive right before a deployment noun inside the cue ("Start der
        israelischen Bodenoffensive", "Chinas Militärübung um Taiwan"): that state's act, whatever the force words
        after it name. A place's genitive ("Gazas Süden") owns nothing."""
        if self._nouns is None:
            return None
        text, cue_end = ctx.text, ctx.cue.end()
        # The noun may open before the cue ("Israel's planned ground offensive" read at "offensive").
        start = max(ctx.sentence.start, ctx.cue_start - _NOUN_REACH)
        for noun in self._nouns.finditer(text, start, cue_end):
            if noun.end() <= ctx.cue_start:
                continue
            for mention in reading.mentions:
                if mention.end + 1 != noun.start():
                    continue
                if mention.entity.category == DEMONYM_ADJ:
                    return Actor(text[mention.start : mention.end], mention.entity, "subject", mention.start)
                if mention.genitive and mention.entity.category not in _NO_AGENT:
                    return Actor(
                        self._vocabulary.without_genitive(mention.text), mention.entity, "subject", mention.start
                    )
        return None

    def _agent(self, ctx: CueContext, reading: SentenceReading) -> Actor | None:
        """The name after 'von'/'vom' whose participle stands right before the cue's noun."""
        if self._participles is None:
            return None
        text = ctx.text
        words = list(self._vocabulary.word.finditer(text, ctx.start, ctx.cue_start))
        if not words or self._participles.fullmatch(words[-1].group(0)) is None:
            return None
        participle = words[-1]
        named = [m for m in reading.mentions if ctx.start <= m.start and m.end <= participle.start()]
        if not named or (agent := named[-1]).entity.category in _NO_AGENT:
            return None
        # The preposition right before the name, or before a title or noun in apposition ("vom Nachbarland Belarus",
        # "von US-Präsident Biden"); an article may follow it ("von der Regierung Orbán").
        before = self._vocabulary.strip_articles([w.group(0).lower() for w in words if w.end() <= agent.start][-3:])
        between = [w for w in words[:-1] if w.start() >= agent.end]
        if not self._agent_preps.intersection(before[-2:]) or len(between) > _MAX_WORDS_BETWEEN:
            return None
        return Actor(text[agent.start : agent.end], agent.entity, "subject", mention_start=agent.start)
