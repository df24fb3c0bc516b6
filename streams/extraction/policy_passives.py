"""The state of a policy step told in an agentless passive ('Die Grenzkontrollen werden verlängert'): the article's."""

from __future__ import annotations

from .context import Actor, CueContext, SentenceReading
from .gazetteer import PLACE
from .lexicon_schema import Lexicon
from .words import Vocabulary, content_clause

ARTICLE_STATE = "article_state"


class PolicyPassives:
    """The passive auxiliaries of one language (grammar.json "passive"), compiled once."""

    def __init__(self, lexicon: Lexicon, vocabulary: Vocabulary):
        self._vocabulary = vocabulary
        passive = lexicon.grammar.passive
        self._auxiliaries = frozenset(w.lower() for w in passive.auxiliaries)
        self._not_announcing = frozenset(w.lower() for w in passive.not_announcing)
        self._participle_endings = tuple(passive.participle_endings)

    def actor(self, ctx: CueContext, reading: SentenceReading) -> Actor | None:
        """A policy cue in a passive clause that names nobody and whose sentence names no speaker acts for the one
        state the article names most outside the sentence (none on a tie: two states in play). Domestic news names
        its own government seldom in such a sentence ('Die Obergrenze wird gesenkt', 'Der Familiennachzug soll
        ausgesetzt werden'). Only a present or future step: the past ('wurde') tells history as often as news,
        reported speech ('werde', 'sei') a speaker's claim or charge, the conditional ('würde', 'könnte') a
        hypothetical. A
        language without grammar.json "passive.not_announcing" has no such reading."""
        if ctx.rule.type != "policy_shift" or ctx.rule.learned or not self._not_announcing or reading.attributions:
            return None  # a named speaker ('..., kritisierten die Grünen') may be anyone
        if content_clause(self._vocabulary, ctx.text, ctx.clauses, ctx.clauses[ctx.clause_index]):
            return None  # 'Die FPÖ will, dass ...', 'Das Gericht entschied, dass ...': whoever the main clause names
        last = self._vocabulary.word.findall(ctx.text, ctx.cue_start, ctx.cue.end())[-1:]
        if not last or not last[0].islower() or not last[0].endswith(self._participle_endings):
            return None  # a noun ('Kurswechsel', 'Zeitenwende') or a finite verb names no passive's step
        # The auxiliary may close a later clause of the sentence ('... sollen abgeschafft, ... entschlackt werden').
        words = {w.lower() for w in self._vocabulary.word.findall(ctx.text, ctx.start, ctx.sentence.end)}
        if words.isdisjoint(self._auxiliaries) or not words.isdisjoint(self._not_announcing):
            return None
        if any(ctx.start <= m.start < ctx.end and m.entity.category != PLACE for m in reading.mentions):
            return None  # a name in the clause is its object, or an agent the passive stage refused
        state = reading.dominant.sole(ctx.sentence.start, ctx.sentence.end)
        if state is None:
            return None
        return Actor(state.canonical, state, "organ", mention_start=ctx.cue_start, fallback=ARTICLE_STATE)
