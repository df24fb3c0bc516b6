"""Model proposals read like cues: the sentence classifier names (sentence, type, anchor word); the rule engine's scope
checks and argument stages decide whether an event stands and fill actor, place, quantity, attribution and modality."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import replace

from schemas.models import ActorKind

from .context import Actor, Candidate, CueContext, DominantState, SentenceReading
from .engine import LanguageEngine
from .gazetteer import COUNTRY, METONYM, ORGANIZATION, PERSON, Entity, Mention
from .learned import Entities, FeatureSpec, SentenceModel, word_openings
from .lexicon import CompiledRule
from .literals import LiteralWords
from .names import names_the_object
from .screens import ScreenedPattern
from .text import Sentence, lower_same_length
from .words import Vocabulary

_NUMBER_COMPOUND_TAIL = re.compile(r"[0-9]-$")  # 'Der 50-' before 'Jährige'

ACTOR_KINDS = frozenset(kind.value for kind in ActorKind)
# The ways an actor is found that do not tie it to the forces ("owner" does: "Russian troops", "its forces").
_REACTING_VIAS = frozenset({"subject", "speaker", "model"})
Hits = list[tuple[int, frozenset[tuple[int, int]]]]  # anchors.AnchorScanner.scan's answer


class FirstPass:
    """The rules' anchor scan and the model's trigger screen in one automaton pass over the article: each pass
    converts and reads the whole text (on the end-to-end workload two passes took 4.8 µs per article, one 3.1)."""

    def __init__(self, engine: LanguageEngine, model: SentenceModel):
        self._scanner = engine.scanner
        stems = self._scanner.stems
        known = set(stems)
        triggers = model.trigger_words
        words = stems + [trigger for trigger in triggers if trigger not in known]
        wanted = set(triggers)
        self._is_trigger = [word in wanted for word in words]  # per word of the automaton
        self._words = LiteralWords(words, compact=True)  # reads every article: see LiteralWords

    def scan(self, lowered: str) -> tuple[Hits, list[int]]:
        """(the anchor scanner's hits, the model's screened offsets) of the lowercased text."""
        matches = self._words.occurrences(lowered)
        if not matches:
            return [], []
        return self._scanner.hits(matches, lowered), word_openings(matches, lowered, self._is_trigger)


class ModelReader:
    """One language's sentence model bound to its rule engine."""

    def __init__(self, engine: LanguageEngine, model: SentenceModel):
        self.engine = engine
        self.model = model
        self.function_words = function_words(engine)
        self.first_pass = FirstPass(engine, model)
        self._active_types = tuple(t.type for t in model.types if t.threshold <= 1.0)  # see SentenceModel.propose
        text = engine.lexicon.text
        # Picks that name no one: a bare title ("Lt"), a name glued to a participle ("Iran-backed", "Hamas-run").
        self._titles = frozenset(text.abbreviations)
        self._participles = frozenset(w.lower() for w in [*text.qualifier_participles, *text.controller_participles])
        # A proposal borrows the compiled parts of one rule of its type, without its requirements (the model has
        # weighed the words already; requiring a force or report noun cost a third of the German denials on dev),
        # fixed modality, cue words or actor coding (personal, jurisdiction); its confidence is the model's.
        self._cue_names = cue_names(engine)
        base = {rule.type: rule for rule in reversed(engine.rules)}
        self._cue_rules = {type_: tuple(r for r in engine.rules if r.type == type_) for type_ in base}
        self._rule_types = tuple(sorted(base))
        spec = model.spec
        self._reads_rules = spec.cues or spec.readings or spec.unread  # features of the rules' reading: see _context
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
                dispatch=True,  # the model names no verb: a force sent as often as one invading (no occupier)
                force_subject=False,
                learned=True,
                objects=objects_of(engine.rules, type_),
            )
            for type_, rule in base.items()
        }

    def candidates(
        self,
        text: str,
        rule_candidates: list[Candidate],
        deadline: float | None,
        lowered: str | None = None,
        scanned: tuple[Hits, list[int]] | None = None,
        rule_sentences: Sequence[Sentence] = (),
    ) -> list[Candidate]:
        """Proposals for the sentences (and types) the rules did not read; lowered as for LanguageEngine.analyse,
        scanned the first pass over it when the caller has run it already (FirstPass.scan: the rules' anchor hits, read
        when the model's features name the rules' cues, and the model's screen), rule_sentences the sentences the
        rules split (LanguageEngine.analyse's split): those holding a screened word are not split again."""
        if lowered is None:
            lowered = lower_same_length(text)
        rule_hits, hit_offsets = scanned if scanned is not None else (None, self.model.screen(lowered))
        if not hit_offsets:
            return []
        if self._reads_rules and rule_hits is None:
            rule_hits = self.engine.scanner.scan(lowered)
        hit_starts = [start for start, _ in rule_hits] if self._reads_rules and rule_hits else []
        read = {(c.type, c.sentence_start) for c in rule_candidates}
        found: list[Candidate] = []
        dominant: DominantState | None = None
        hits = iter(hit_offsets)
        hit = next(hits, None)
        for sentence in self.engine.segmenter.hit_sentences(text, hit_offsets, rule_sentences):
            while hit is not None and hit < sentence.start:
                hit = next(hits, None)
            if hit is None or hit >= sentence.end:
                continue
            self.engine.check_deadline(deadline)
            if all((type_, sentence.start) in read for type_ in self._active_types):
                continue  # every type the model may propose was read here by the rules: nothing to score
            entities = self.entities(text, sentence.start, sentence.end)
            context = self._context(sentence, read, rule_hits or [], hit_starts) if self._reads_rules else ()
            for type_, probability, (start, end) in self.model.propose(
                text[sentence.start : sentence.end], entities, context
            ):
                if (type_, sentence.start) in read:
                    continue  # the rules read this sentence for this type already
                dominant = dominant or DominantState(self.engine.gazetteer, text)
                candidate, _ = self.read(text, sentence, type_, probability, (start, end), dominant)
                if candidate is not None:
                    read.add((type_, sentence.start))
                    found.append(candidate)
                    found.extend(self._co_owners(text, sentence, candidate, (start, end), dominant))
        return found

    def _context(
        self, sentence: Sentence, read: set[tuple[str, int]], rule_hits: Hits, hit_starts: list[int]
    ) -> tuple[str, ...]:
        """What the rules read in the sentence, as the model's features ask (context_features): the rules anchored in
        it (from their anchor scan, rule_hits, at hit_starts) and the types they read there (read)."""
        named = sentence_cues(self._cue_names, rule_hits, hit_starts, sentence.start, sentence.end) if rule_hits else ()
        readings = tuple(f"q={type_}" for type_ in self._rule_types if (type_, sentence.start) in read)
        return context_features(self.model.spec, named, readings)

    def entities(self, text: str, start: int, end: int) -> Entities:
        """The listed names of text[start:end] as the model masks them (none when it does not)."""
        return sentence_entities(self.engine, text, start, end) if self.model.spec.mask_entities else ()

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
        cue = _anchor_cue(text, sentence, anchor)
        candidate, verdict = self.engine.read_cue(text, sentence, rule, cue, dominant, self.choose_actor)
        if candidate is not None and type_ == "deployment" and self._reporter(text, sentence, candidate):
            return None, "reporter"
        if candidate is not None and type_ == "deployment" and self._reactor(text, candidate):
            return None, "third party"
        return candidate, verdict

    def _co_owners(
        self, text: str, sentence: Sentence, candidate: Candidate, anchor: tuple[int, int], dominant: DominantState
    ) -> list[Candidate]:
        """The proposal's event for each name listed with the owner of its forces ("Canadian, Dutch and Danish forces
        report that they ..."), as the rules read such lists; a subject's list is not read ("Canada, Norway and Denmark
        call Ottawa as forces stay on the border": the learned anchor is no verb they share). The cue's context and
        reading are built again, only for an owner's proposal (read_cue keeps them to itself)."""
        if candidate.actor.via != "owner":
            return []
        engine = self.engine
        clauses = engine.segmenter.clauses(text, sentence.start, sentence.end)
        cue = _anchor_cue(text, sentence, anchor)
        ctx = engine._cue_context(text, sentence, self._rules[candidate.type], cue, clauses)
        reading = engine._read(ctx, None, dominant)
        return [replace(candidate, actor=partner) for partner in engine.actors.partners(ctx, candidate.actor, reading)]

    def _reporter(self, text: str, sentence: Sentence, candidate: Candidate) -> bool:
        """Whether the actor only reports the forces the proposal is about: its name is the subject right before a
        verb that marks a source after it (markers.attribution, 'meldet'), and the anchor follows ('Ukraine meldet
        Truppenbewegungen an der Grenze')."""
        actor = candidate.actor
        if actor.mention_start < 0 or actor.mention_start >= candidate.cue_start:
            return False
        name_end = actor.mention_start + len(actor.name)
        clauses = self.engine.segmenter.clauses(text, sentence.start, sentence.end)
        return any(
            a.position == "after"
            and name_end < a.marker_start < candidate.cue_start
            and not text[name_end : a.marker_start].strip()
            for a in self.engine.attributions.find(text, sentence, clauses)
        )

    def _reactor(self, text: str, candidate: Candidate) -> bool:
        """Whether the actor only reacts to another state's forces: it is the clause's subject or speaker, and the name
        nearest before the anchor is another state's ("Norway's premier will phone Erdogan amid Russia's presence", "Chile
        and Peru reach out to Maduro as troops gather"): the forces are that state's, or no one's the resolvers can tell."""
        actor = candidate.actor
        if actor.via not in _REACTING_VIAS or actor.mention_start < 0 or actor.entity.country is None:
            return False
        named = self.engine.gazetteer.find(text, actor.mention_start + len(actor.name), candidate.cue_start)
        if not named:
            return False
        nearest = named[-1]
        entity = nearest.entity
        return (
            entity.kind in ACTOR_KINDS
            and entity.category != METONYM  # a capital as a city: "travelled to Moscow while troops ..."
            and entity.country not in (None, actor.entity.country)
            # A name right before the anchor qualifies it ("Ukraine deployment", "to dislodge Russian troops"): the
            # resolvers read that phrase already and still chose the subject.
            and bool(text[nearest.end : candidate.cue_start].strip())
        )

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
        if chosen is None or self._generic_body(chosen.text) or self._no_name(chosen.text):
            return None
        chosen_start, chosen_end = sentence.start + chosen.start, sentence.start + chosen.end
        if chosen_start < ctx.cue.end() and chosen_end > ctx.cue.start():
            return None  # the cue word itself ("Weist die Vorwürfe ... zurück: ...") is what is done, not who does it
        if any(rule.pattern.match(ctx.text, chosen_start) for rule in self._cue_rules.get(ctx.rule.type, ())):
            return None  # a cue of the type starts there ("Weist die Vorwürfe ... zurück: ..."): the verb, no one
        if names_the_object(self.engine.vocabulary.word, ctx, chosen_start, chosen_end):
            return None  # "Neue Vorwürfe ... zurückgewiesen": the claim denied (or its adjective), not the denier
        if _NUMBER_COMPOUND_TAIL.search(ctx.text, max(0, chosen_start - 2), chosen_start):
            return None  # the tail of a compound after a number ("Der 50-Jährige", "ein 3-Sterne-Koch") names no one
        for mention in reading.mentions:
            if mention.start < chosen_end and mention.end > chosen_start:
                if mention.entity.kind not in ACTOR_KINDS:
                    return None  # a place ("in Rafah") acts for no one
                if not self._state_compound_of_non_organ(ctx.text, mention, chosen_end):
                    return Actor(name=chosen.text, entity=mention.entity, via="model", mention_start=mention.start)
                break  # "Slowakei-Trainer Calzona": a national team's coach, not the state
        if chosen.start == 0 and self._capital_only_opening(ctx.text, chosen.text):
            return None  # "Experts say ...", "Tanks and troops ...": a common word, capitalised as the sentence opens
        kind, category = ("organization", ORGANIZATION) if chosen.text.isupper() else ("person", PERSON)
        return Actor(
            name=chosen.text,
            entity=Entity(chosen.text, None, kind, category, generic=True),
            via="model",
            mention_start=chosen_start,
        )

    def _capital_only_opening(self, text: str, word: str) -> bool:
        """Whether a one-word pick that opens its sentence is capitalised nowhere else in the text but where a sentence
        opens, in a language whose common nouns are lowercase: then nothing shows it to be a name."""
        if " " in word or self.engine.vocabulary.nouns_capitalized:
            return False
        return re.search(rf"[\w,;:] {re.escape(word)}\b", text) is None

    def _no_name(self, text: str) -> bool:
        return text in self._titles or ("-" in text and text.rsplit("-", 1)[1].lower() in self._participles)

    def _state_compound_of_non_organ(self, text: str, mention: Mention, chosen_end: int) -> bool:
        """Whether a state's name only qualifies the chosen name's compound noun ("Slowakei-Trainer", "Frankreich-Fans")
        whose head is no organ or force of a state ("Ukraine-Botschafter" acts for Ukraine): a sports coach, team or
        federation with a country in its name is a person or organisation, not the state."""
        if mention.entity.category != COUNTRY or text[mention.end : mention.end + 1] != "-":
            return False
        head = self.engine.vocabulary.word.match(text, mention.end + 1)
        return head is not None and head.end() <= chosen_end and not self._generic_body(head.group(0))


def objects_of(rules: tuple[CompiledRule, ...], type_: str) -> tuple[ScreenedPattern, ...]:
    """What the rules of one type require as the cue's object, each class once ("Vorwürfe" for a denial)."""
    return tuple({req.pattern.pattern: req for rule in rules if rule.type == type_ for req in rule.objects}.values())


def _is_generic_body(vocabulary: Vocabulary, name: str) -> bool:
    head = name.split()[-1]
    return bool(
        (vocabulary.organ_nouns is not None and vocabulary.organ_nouns.fullmatch(head))
        or vocabulary.force.fullmatch(head)
    )


def function_words(engine: LanguageEngine) -> frozenset[str]:
    """Words of the language's lexicon that never name an actor: determiners, pronouns, conjunctions, prepositions,
    time words, the adverbs that may open a clause before its subject ("Zunächst", "Gleichzeitig"), auxiliaries and
    the words of an amount ("Mehr als 2.000 Soldaten", "Hunderte Polizisten": a sentence's first word, not who acts)."""
    text = engine.lexicon.text
    numbers = engine.lexicon.numbers
    amount_words = [word for phrase in [*numbers.qualifiers, *numbers.words, *numbers.vague] for word in phrase.split()]
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
        *amount_words,
    ]
    return frozenset(w.lower() for w in words)


def cue_names(engine: LanguageEngine) -> tuple[tuple[str, str], ...]:
    """Per rule (by index), the features its anchor words give a sentence: its type and its name ("t=denial",
    "r=denial.reject"), the same in every language but for the rules' own names."""
    return tuple((f"t={rule.type}", "r=" + rule.id.split(".", 1)[1]) for rule in engine.rules)


def sentence_cues(
    names: tuple[tuple[str, str], ...], hits: Hits, starts: list[int], start: int, end: int
) -> tuple[str, ...]:
    """The cue features of the sentence text[start:end]: the names of the rules whose anchor words stand in it (the
    anchor scan's hits, starts their offsets), sorted, each once."""
    found: set[str] = set()
    for index in range(bisect_left(starts, start), bisect_left(starts, end)):
        for rule_index, _ in hits[index][1]:
            found.update(names[rule_index])
    return tuple(sorted(found))


def context_features(spec: FeatureSpec, cues: tuple[str, ...], readings: tuple[str, ...]) -> tuple[str, ...]:
    """What the rules read in a sentence as the spec's features ask: its cue names (sentence_cues), the types read
    ("q=denial"), and the cues of the types not read ("u=denial", "v=denial.reject")."""
    out = (cues if spec.cues else ()) + (readings if spec.readings else ())
    if spec.unread:
        read = {reading[2:] for reading in readings}
        for cue in cues:
            type_ = cue[2:].split(".", 1)[0]
            if type_ not in read:
                out += (("u=" if cue[0] == "t" else "v=") + cue[2:],)
    return out


def sentence_entities(engine: LanguageEngine, text: str, start: int, end: int) -> Entities:
    """The listed names of text[start:end] with their categories, relative to start (what the model masks)."""
    return tuple(
        (m.start - start, m.end - start, m.entity.category) for m in engine.gazetteer.find_listed(text, start, end)
    )


def _anchor_cue(text: str, sentence: Sentence, anchor: tuple[int, int]) -> re.Match[str]:
    """The proposal's anchor (relative to the sentence) as the match a lexicon cue would be."""
    start = sentence.start + anchor[0]
    cue = re.compile(re.escape(text[start : sentence.start + anchor[1]])).match(text, start)
    assert cue is not None, "the anchor's own text, escaped, matches where it was cut from"
    return cue
