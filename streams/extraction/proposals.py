"""Model proposals read like cues: the sentence classifier names (sentence, type, anchor word); the rule engine's scope
checks and argument resolvers decide whether it stands and fill actor, place, quantity, attribution and modality."""

from __future__ import annotations

import re
import time
from dataclasses import replace

from .engine import (
    _DATELINE, _MAX_MENTIONS_PER_SENTENCE, Actor, Candidate, LanguageEngine, TimeBudgetExceeded, _clause_of,
)
from .gazetteer import ORGANIZATION, PERSON, Entity, Mention
from .learned import SentenceModel
from .lexicon import CompiledRule
from .text import Sentence


class ModelReader:
    """One language's sentence model bound to its rule engine."""

    def __init__(self, engine: LanguageEngine, model: SentenceModel):
        self.engine = engine
        self.model = model
        self._screen = model.screen()
        self.function_words = function_words(engine)
        base = {rule.type: rule for rule in reversed(engine.rules)}  # any rule of the type: its compiled parts
        # A proposal has no cue words of its own: no required nouns, no fixed modality; its confidence is the model's.
        self._rules = {
            type_: replace(rule, id=f"{engine.lang}.{type_}.model.{model.id}", requires=(),
                           requires_foreign_location=False, modality=None, words=frozenset())
            for type_, rule in base.items()
        }

    def candidates(self, text: str, rule_candidates: list[Candidate], deadline: float | None) -> list[Candidate]:
        """Proposals for sentences (and types) the rules did not read."""
        if self._screen is None:
            return []
        lowered = text.lower()
        if len(lowered) != len(text):  # letters whose lowercase is longer: offsets would drift, read the text as is
            lowered = text
        positions = [(match.start(), frozenset()) for match in self._screen.finditer(lowered)]
        if not positions:
            return []
        read = {(c.type, c.sentence_start) for c in rule_candidates}
        found: list[Candidate] = []
        dominant = None
        for sentence in self.engine._sentences_with_hits(text, positions):
            if deadline is not None and time.monotonic() > deadline:
                raise TimeBudgetExceeded
            entities = sentence_entities(self.engine, text, sentence.start, sentence.end) if self.model.spec.mask_entities else ()
            for type_, probability, (start, end) in self.model.propose(text[sentence.start:sentence.end], entities):
                if (type_, sentence.start) in read:
                    continue  # the rules read this sentence for this type already
                if dominant is None:
                    from .engine import _DominantState

                    dominant = _DominantState(self.engine._gazetteer, text)
                rule = replace(self._rules[type_], confidence=round(min(0.95, probability), 2))
                candidate = self._read(text, sentence, rule, sentence.start + start, sentence.start + end, dominant)
                if candidate is not None:
                    read.add((type_, sentence.start))
                    found.append(candidate)
        return found

    def _read(self, text: str, sentence: Sentence, rule: CompiledRule, start: int, end: int, dominant) -> Candidate | None:
        """The engine's per-cue checks and resolvers, with the anchor word standing in for a cue."""
        engine = self.engine
        cue = re.compile(re.escape(text[start:end])).match(text, start)
        clauses = engine._segmenter.clauses(text, sentence.start, sentence.end)
        clause_index = _clause_of(clauses, start)
        ctx_start, ctx_end = engine._context(text, clauses, clause_index)
        disqualifier = engine._disqualifiers.get(rule.type)
        if disqualifier is not None and disqualifier.search(text, ctx_start, ctx_end, None):
            return None
        if engine._negated(text, cue, clauses, clause_index, sentence, rule):
            return None
        if rule.type == "policy_shift" and engine._restated_or_demanded(text, cue, ctx_start, ctx_end, sentence):
            return None
        if rule.type == "deployment" and (
            engine._historical.search(text, sentence.start, sentence.end, None)
            or engine._historic_year(text, sentence.start, sentence.end)
            or engine._demands_screened.search(text, sentence.start, start, None)
            or engine._has_denial_cue(text, sentence, clauses, None)
        ):
            return None
        mentions = engine._gazetteer.find(text, sentence.lead_start, sentence.end)[:_MAX_MENTIONS_PER_SENTENCE]
        if dateline := _DATELINE.match(text, sentence.start, sentence.end):
            mentions = [m for m in mentions if m.start >= dateline.end()]
        attributions = engine._attributions(text, sentence, clauses)
        actors = [m for m in mentions if not m.entity.generic] if rule.type == "policy_shift" else mentions
        candidate = engine._build(text, rule, cue, sentence, ctx_start, ctx_end, clauses, clause_index, actors,
                                  attributions, None, dominant)
        if candidate is not None or self.model.actor is None:
            return candidate
        actor = self._learned_actor(text, sentence, rule.type, start, end, mentions)
        if actor is None:
            return None
        return engine._build(text, rule, cue, sentence, ctx_start, ctx_end, clauses, clause_index, actors,
                             attributions, None, dominant, preset_actor=actor)

    def _learned_actor(self, text: str, sentence: Sentence, event_type: str, start: int, end: int,
                       mentions: list[Mention]) -> Actor | None:
        """The actor model's pick when the resolvers found none: a listed entity where the pick names one, else a
        person or organisation known only by the name the text gives it."""
        chosen = self.model.actor.choose(text[sentence.start:sentence.end], (start - sentence.start, end - sentence.start),
                                         event_type, self.function_words)
        if chosen is None:
            return None
        chosen_start, chosen_end = sentence.start + chosen.start, sentence.start + chosen.end
        for mention in mentions:
            if mention.start < chosen_end and mention.end > chosen_start:
                return Actor(name=chosen.text, entity=mention.entity, via="model", mention_start=mention.start)
        kind, category = ("organization", ORGANIZATION) if chosen.text.isupper() else ("person", PERSON)
        entity = Entity(chosen.text, None, kind, category, generic=True)
        return Actor(name=chosen.text, entity=entity, via="model", mention_start=chosen_start)


def function_words(engine: LanguageEngine) -> frozenset[str]:
    """Words of the language's lexicon that never name an actor: determiners, conjunctions, prepositions, time words."""
    text = engine.lexicon.text
    words = [*text.determiners, *text.conjunctions, *text.relative_pronouns, *text.location_prepositions,
             *text.non_subject_prepositions, *text.time_words, *text.months]
    return frozenset(w.lower() for w in words)


def sentence_entities(engine: LanguageEngine, text: str, start: int, end: int) -> tuple[tuple[int, int, str], ...]:
    """The listed names of text[start:end] with their categories, relative to start (what the model masks)."""
    return tuple((m.start - start, m.end - start, m.entity.category)
                 for m in engine._gazetteer.find_listed(text, start, end))
