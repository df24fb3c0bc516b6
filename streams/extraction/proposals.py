"""Model proposals read like cues: the sentence classifier names (sentence, type, anchor word); the rule engine's scope
checks and argument stages decide whether an event stands and fill actor, place, quantity, attribution and modality."""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import replace
from operator import itemgetter

from schemas.models import ActorKind

from .anchors import Hit
from .context import Actor, Candidate, CueContext, DominantState, SentenceReading
from .engine import LanguageEngine, lower_same_length
from .gazetteer import ORGANIZATION, PERSON, Entity
from .learned import Entities, SentenceModel
from .text import Sentence
from .words import Vocabulary

ACTOR_KINDS = frozenset(kind.value for kind in ActorKind)


class ModelReader:
    """One language's sentence model bound to its rule engine."""

    def __init__(self, engine: LanguageEngine, model: SentenceModel):
        self.engine = engine
        self.model = model
        self.function_words = function_words(engine)
        # A proposal borrows the compiled parts of one rule of its type, without its requirements (the model has
        # weighed the words already; requiring a force or report noun cost a third of the German denials on dev),
        # fixed modality, cue words or actor coding (personal, jurisdiction); its confidence is the model's.
        base = {rule.type: rule for rule in reversed(engine.rules)}
        self._rules = {
            type_: replace(
                rule,
                id=f"{engine.lang}.{type_}.model.{model.id}",
                requires=(),
                requires_foreign_location=False,
                modality=None,
                words=frozenset(),
                personal=False,
                jurisdiction=False,
            )
            for type_, rule in base.items()
        }

    def candidates(
        self,
        text: str,
        rule_candidates: list[Candidate],
        deadline: float | None,
        lowered: str | None = None,
        rule_hits: list[Hit] | None = None,
    ) -> list[Candidate]:
        """Proposals for the sentences (and types) the rules did not read; lowered and rule_hits (the rules' first
        pass) as for LanguageEngine.analyse."""
        lowered = lower_same_length(text) if lowered is None else lowered
        hit_offsets = self.model.screen(lowered)
        if not hit_offsets:
            return []
        if rule_hits is None and self.model.spec.rule_hits:
            rule_hits = self.engine.scanner.scan(lowered)
        positions: list[tuple[int, frozenset[tuple[int, int]]]] = [(offset, frozenset()) for offset in hit_offsets]
        read = {(c.type, c.sentence_start) for c in rule_candidates}
        found: list[Candidate] = []
        dominant: DominantState | None = None
        hits = iter(p for p, _ in positions)
        hit = next(hits, None)
        for sentence in self.engine._sentences_with_hits(text, positions):
            # The splitter also returns the sentence after each hit (the rules want it): only hit sentences are scored.
            while hit is not None and hit < sentence.start:
                hit = next(hits, None)
            if hit is None or hit >= sentence.end:
                continue
            self.engine.check_deadline(deadline)
            entities, rule_features = self.inputs(text, sentence.start, sentence.end, rule_hits)
            for type_, probability, (start, end) in self.model.propose(
                text[sentence.start : sentence.end], entities, rule_features
            ):
                if (type_, sentence.start) in read:
                    continue  # the rules read this sentence for this type already
                dominant = dominant or DominantState(self.engine._gazetteer, text)
                candidate, _ = self.read(text, sentence, type_, probability, (start, end), dominant)
                if candidate is not None:
                    read.add((type_, sentence.start))
                    found.append(candidate)
        return found

    def inputs(self, text: str, start: int, end: int, rule_hits: list[Hit] | None) -> tuple[Entities, tuple[str, ...]]:
        """What the model reads of text[start:end] beside its words: listed names, and rule hits (when its features
        use them; rule_hits are the article's, from the rules' first pass)."""
        spec = self.model.spec
        entities = sentence_entities(self.engine, text, start, end) if spec.mask_entities else ()
        rule_features = rule_hit_features(self.engine, rule_hits or [], start, end) if spec.rule_hits else ()
        return entities, rule_features

    def read(
        self,
        text: str,
        sentence: Sentence,
        type_: str,
        probability: float,
        anchor: tuple[int, int],
        dominant: DominantState,
    ) -> tuple[Candidate | None, str]:
        """A proposal (anchor relative to the sentence) read like a cue, with the check that decided it."""
        rule = replace(self._rules[type_], confidence=round(min(0.95, probability), 2))
        start, end = sentence.start + anchor[0], sentence.start + anchor[1]
        cue = re.compile(re.escape(text[start:end])).match(text, start)
        assert cue is not None, "the anchor's own text, escaped, matches where it was cut from"
        return self.engine.read_cue_verdict(text, sentence, rule, cue, dominant, self.choose_actor)

    def _generic_body(self, name: str) -> bool:
        """A bare organ or force noun ("Regierung", "the troops") names no one by itself: the actor stage alone decides
        whom it stands for (the article's state, or nobody)."""
        return _is_generic_body(self.engine.vocabulary, name)

    def choose_actor(self, ctx: CueContext, reading: SentenceReading) -> Actor | None:
        """The actor model's pick when the actor stage found none: a listed entity where the pick names one, else a
        person or organisation known only by the name the text gives it."""
        if self.model.actor is None:
            return None
        sentence = ctx.sentence
        chosen = self.model.actor.choose(
            ctx.text[sentence.start : sentence.end],
            (ctx.cue.start() - sentence.start, ctx.cue.end() - sentence.start),
            ctx.rule.type,
            self.function_words,
        )
        if chosen is None or self._generic_body(chosen.text):
            return None
        chosen_start, chosen_end = sentence.start + chosen.start, sentence.start + chosen.end
        if chosen_start < ctx.cue.end() and chosen_end > ctx.cue.start():
            return None  # the cue word itself ("Weist die Vorwürfe ... zurück: ...") is what is done, not who does it
        for mention in reading.mentions:
            if mention.start < chosen_end and mention.end > chosen_start:
                if mention.entity.kind not in ACTOR_KINDS:
                    return None  # a place ("in Rafah") acts for no one
                return Actor(name=chosen.text, entity=mention.entity, via="model", mention_start=mention.start)
        kind, category = ("organization", ORGANIZATION) if chosen.text.isupper() else ("person", PERSON)
        return Actor(
            name=chosen.text,
            entity=Entity(chosen.text, None, kind, category, generic=True),
            via="model",
            mention_start=chosen_start,
        )


def _is_generic_body(vocabulary: Vocabulary, name: str) -> bool:
    head = name.split()[-1]
    return bool(
        (vocabulary.organ_nouns is not None and vocabulary.organ_nouns.fullmatch(head))
        or vocabulary.force.fullmatch(head)
    )


def function_words(engine: LanguageEngine) -> frozenset[str]:
    """Words of the language's lexicon that never name an actor: determiners, pronouns, conjunctions, prepositions,
    time words, the adverbs that may open a clause before its subject ("Zunächst", "Gleichzeitig") and auxiliaries."""
    text = engine.lexicon.text
    words = [
        *text.determiners,
        *text.pronouns,
        *text.conjunctions,
        *text.relative_pronouns,
        *text.location_prepositions,
        *text.non_subject_prepositions,
        *text.time_words,
        *text.months,
        *text.focus_particles,
        *text.auxiliaries,
        *text.passive_auxiliaries,
    ]
    return frozenset(w.lower() for w in words)


def sentence_entities(engine: LanguageEngine, text: str, start: int, end: int) -> Entities:
    """The listed names of text[start:end] with their categories, relative to start (what the model masks)."""
    return tuple(
        (m.start - start, m.end - start, m.entity.category) for m in engine._gazetteer.find_listed(text, start, end)
    )


def rule_hit_features(engine: LanguageEngine, hits: list[Hit], start: int, end: int) -> tuple[str, ...]:
    """The cue rules with a hit in [start, end) of the article ("r=<rule id>") and their types ("t=<type>"), sorted:
    the model's view of the rules' first pass (a hit is a term's anchor word, not yet a match of the term)."""
    first = bisect_left(hits, start, key=itemgetter(0))
    rules = engine.rules
    found: set[str] = set()
    for offset, pairs in hits[first:]:
        if offset >= end:
            break
        for rule_index, _ in pairs:
            rule = rules[rule_index]
            found.add("r=" + rule.id)
            found.add("t=" + rule.type)
    return tuple(sorted(found))
