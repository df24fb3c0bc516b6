"""Rule engine for one language: the cue scan and its orchestration. Each cue that a rule's term matches in a
sentence is checked by the scope stage (scope.py), then read by the argument stages (actors.py, places.py,
quantities.py, attribution.py) into a Candidate; merge.py turns an article's candidates into its events."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from itertools import chain

from .actors import Actors
from .anchors import AnchorChooser, AnchorScanner, TermOrder, any_term_whole
from .attribution import Attributions
from .context import Actor, Candidate, CueContext, DominantState, SentenceReading, Span, clause_of, new_in_clause
from .deniers import Deniers
from .gazetteer import COUNTRY, PERSON, Gazetteer, Mention
from .lexicon import CompiledRule, TermCompiler, case_fold_safe, compile_rule
from .lexicon_schema import Lexicon
from .noun_subjects import NounSubjects
from .own_state import OwnStates
from .places import Places
from .possessors import Possessors
from .quantities import Quantities
from .referents import Referents
from .scope import Scope
from .source_view import SourceView
from .text import Later, Segmenter, Sentence, dateline_regex, lower_same_length
from .words import Vocabulary

# Bounds on per-sentence work: real sentences stay far below them, adversarial ones cannot go quadratic (mentions
# read; cues of a type read for another actor once their clause has an event of it, and only in a clause of ordinary
# length: one clause repeating a cue thousands of times is read once, as before actor19).
_MAX_MENTIONS = 40
FURTHER_CUES = 4
FURTHER_CLAUSE_CHARS = 300
_Selected = list[tuple[CompiledRule, list[int]]]  # the rules with a hit in a sentence, each with its terms hit
_Hits = list[tuple[int, frozenset[tuple[int, int]]]]  # AnchorScanner.scan's answer
ActorChooser = Callable[[CueContext, SentenceReading], Actor | None]


class TimeBudgetExceeded(Exception):
    """Internal signal; the package turns it into ExtractionTimeout."""


@dataclass(frozen=True)
class _Article:
    """The article being analysed: its text, its time budget's deadline, its dominant state, and its sentences split
    (Segmenter.sentences_with_hits, the sentences after hit sentences left to later)."""

    text: str
    deadline: float | None
    dominant: DominantState
    sentences: list[Sentence]
    later: Later

    def check_time(self) -> None:
        """Checked per sentence and per cue."""
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise TimeBudgetExceeded


class LanguageEngine:
    """Everything compiled for one language; built once per process and reused for every article."""

    def __init__(self, lexicon: Lexicon, anchor_counts: Mapping[str, float] | None = None):
        """anchor_counts: the language's anchors.json (anchors.load_anchor_counts); only the first pass's speed hangs on it."""
        self.lexicon = lexicon
        self.lang = lexicon.language.code
        cues = lexicon.cues
        compiler = TermCompiler(cues.classes)
        self._compiler = compiler
        # Strongest rules first: a clause gets one reading per event type, from the most specific cue.
        ordered_rules = sorted(cues.rules, key=lambda r: -r.confidence)
        self.rules = tuple(compile_rule(compiler, rule) for rule in ordered_rules)
        self._presence_rules = {rule.id for rule in cues.rules if rule.requires_foreign_location}
        chooser = AnchorChooser(cues.classes, anchor_counts or {})
        self.scanner = AnchorScanner(chooser, [rule.terms for rule in ordered_rules])
        self.segmenter = Segmenter(lexicon.text)
        self.source_view = SourceView(lexicon.text.source_debris)  # what Extractor.extract hands the stages to read
        self.gazetteer = Gazetteer(lexicon)
        self.vocabulary = Vocabulary.of(lexicon, compiler)
        self.scope = Scope(lexicon, compiler, self.vocabulary, self.gazetteer, self.rules, self.segmenter)
        self.attributions = Attributions(lexicon, compiler, self.vocabulary, self.gazetteer, self.segmenter)
        self.referents = Referents(lexicon, compiler, self.vocabulary, names=self.gazetteer, splitter=self.segmenter)
        self.actors = Actors(lexicon, self.vocabulary, self.gazetteer, self.referents)
        self.noun_subjects = NounSubjects(lexicon, self.vocabulary, compiler)
        self.deniers = Deniers(lexicon, compiler, self.vocabulary, self.noun_subjects, self.gazetteer)
        self.possessors = Possessors(lexicon, compiler, self.vocabulary)
        self.own_states = OwnStates(lexicon, compiler, self.vocabulary, self.gazetteer)
        self.places = Places(lexicon, compiler, self.vocabulary, self.gazetteer)
        self.quantities = Quantities(lexicon, self.vocabulary, self.scope.years)
        # Only relative pronouns that are no articles: "Berlin – die Regierung ..." may still be a dateline.
        relative = [w for w in lexicon.text.relative_pronouns if w.lower() not in self.vocabulary.determiners]
        self._dateline = dateline_regex(lexicon.grammar.sentence_articles, relative)
        self._term_order = TermOrder(self.rules)

    def compile_all(self) -> None:
        """Compile every rule's regexes now (they compile on first use otherwise): for a long-running worker."""
        for rule in self.rules:
            rule.whole.compile_all()
            rule.term_patterns.compile_all()

    @staticmethod
    def check_deadline(deadline: float | None) -> None:
        if deadline is not None and time.monotonic() > deadline:
            raise TimeBudgetExceeded

    # ------------------------------------------------------------------ article level

    def analyse(
        self,
        text: str,
        deadline: float | None,
        lowered: str | None = None,
        hits: _Hits | None = None,
        split: list[Sentence] | None = None,
    ) -> list[Candidate]:
        """lowered: lower_same_length(text), and hits: the scanner's hits in it, when the caller has them already (the
        learned stage screens the text too, proposals.FirstPass in the same pass); split, when given, receives the
        sentences split (Segmenter.sentences_with_hits; the learned stage takes its sentences from them)."""
        lowered = lower_same_length(text) if lowered is None else lowered
        hits = self.scanner.scan(lowered) if hits is None else hits
        if not hits:
            return []
        safe_text = lowered.isascii() or case_fold_safe(lowered, 0, len(lowered))
        if safe_text and not any_term_whole(hits, lowered, self.rules):
            return []  # no sentence can hold all the literal words of a term that a hit proposes: none is split
        candidates: list[Candidate] = []
        later: Later = {}  # the sentence after a hit sentence is split only when a cue reads it (few do)
        sentences = self.segmenter.sentences_with_hits(text, [offset for offset, _ in hits], later)
        if split is not None:
            split.extend(sentences)
        article = _Article(text, deadline, DominantState(self.gazetteer, text), sentences, later)
        rules = self.rules
        hit_count, hit_index = len(hits), 0
        for index, sentence in enumerate(sentences):
            article.check_time()
            start, end = sentence.start, sentence.end
            while hit_index < hit_count and hits[hit_index][0] < start:
                hit_index += 1
            if hit_index >= hit_count:
                break  # no hit in this sentence or any later one
            if hits[hit_index][0] >= end:
                continue
            # The hits' own (shared) term sets, not their union: a union builds a set per hit; these hash once.
            first = hits[hit_index][1]
            hit_index += 1
            if hit_index < hit_count and hits[hit_index][0] < end:
                term_sets = [first]
                while hit_index < hit_count and hits[hit_index][0] < end:
                    term_sets.append(hits[hit_index][1])
                    hit_index += 1
                ordered_terms = self._term_order.of_union(tuple(term_sets))
            else:
                ordered_terms = self._term_order.of(first)
            # A term whose literal words are not all in the sentence cannot match there: left out (the check needs a
            # text whose case folding str.lower() mirrors; a safe article's sentences are all safe, not rechecked).
            sentence_lower = lowered[start:end]
            filtered = safe_text or case_fold_safe(lowered, start, end)
            contains = sentence_lower.__contains__
            by_rule: dict[int, list[int]] = {}  # in rule order, each rule's terms in order (see TermOrder)
            for rule_index, term_index, literals in ordered_terms:
                if not filtered or all(map(contains, literals)):
                    by_rule.setdefault(rule_index, []).append(term_index)
            if not by_rule:
                continue
            # A rule whose requirement the sentence cannot meet would have all its cues rejected by scope: not searched.
            selected = [
                (rules[r], term_indices)
                for r, term_indices in by_rule.items()
                if not filtered or not rules[r].requirement_ruled_out(sentence_lower, sentence.lead_start != start)
            ]
            candidates.extend(self._analyse_sentence(article, index, selected, sentence_lower if filtered else None))
        return candidates

    # ------------------------------------------------------------------ sentence level

    def _analyse_sentence(
        self, article: _Article, index: int, rules: _Selected, sentence_lower: str | None
    ) -> list[Candidate]:
        """Candidates of the article's sentence at index; sentence_lower, its lowercased text where that mirrors the
        regexes' case folding (see lexicon.case_fold_safe), lets rules whose literal words it lacks be skipped."""
        text, sentence = article.text, article.sentences[index]
        clauses: list[Span] = []  # split only once a cue is found: most sentences here have none
        reading: SentenceReading | None = None  # read once the first cue survives the scope checks
        denied: bool | None = None  # whether a denial cue stands in the sentence, found once it is asked
        seen: dict[tuple[str, int], set[str]] = {}  # (event type, clause) already read: the keys of its actors
        spans: dict[tuple[str, int], list[tuple[int, int]]] = {}  # ... and the cues of its events
        tried: set[tuple[str, int]] = set()  # (rule, clause) already tried: one attempt each
        further: dict[tuple[str, int], int] = {}  # (event type, clause): its further cues read
        found: list[Candidate] = []
        for rule, term_indices in rules:
            if len(term_indices) == 1:  # one term's matches come in text order already
                cues_found = self._term_cues(text, sentence, rule, term_indices[0], sentence_lower)
            else:
                per_term = (self._term_cues(text, sentence, rule, index, sentence_lower) for index in term_indices)
                cues_found = sorted(chain.from_iterable(per_term), key=lambda m: m.start())
            if cues_found and not clauses:
                clauses = self.segmenter.clauses(text, sentence.start, sentence.end)
            for cue in cues_found:
                article.check_time()
                clause_index = clause_of(clauses, cue.start())
                read, attempt = (rule.type, clause_index), (rule.id, clause_index)
                if read in seen and rule.type != "policy_shift":  # another actor's event, if any (new_in_clause)
                    clause_start, clause_end = clauses[clause_index]
                    if further.get(read, 0) >= FURTHER_CUES or clause_end - clause_start > FURTHER_CLAUSE_CHARS:
                        continue
                    further[read] = further.get(read, 0) + 1
                elif attempt in tried:  # a rule is tried once per clause
                    continue
                if any(s < cue.end() and cue.start() < e for s, e in spans.get(read, ())):
                    continue  # "lifted its veto" and "lifted its veto on new EU sanctions" are one step
                tried.add(attempt)
                ctx = self._cue_context(text, sentence, rule, cue, clauses, sentence_lower)
                if self.scope.rejects(ctx):
                    continue
                if rule.type == "deployment":
                    if denied is None:
                        denied = self.scope.denies(ctx)
                    if denied:
                        continue  # "denied sending troops", "bestritt die Entsendung": what is denied is no event
                if reading is None:
                    following = self.segmenter.sentence_after(text, article.sentences, index, article.later)
                    reading = self._read(ctx, following, article.dominant)
                candidate = self._candidate(ctx, reading)
                if candidate is not None and new_in_clause(candidate, seen.get(read, set()), spans.get(read, [])):
                    # "France and Germany will send ...", "Kiew und Warschau wiesen ... zurück": one event per actor.
                    partners = self.actors.partners(ctx, candidate.actor, reading)
                    found.extend([candidate, *(replace(candidate, actor=partner) for partner in partners)])
                    seen.setdefault(read, set()).update(a.entity.key for a in (candidate.actor, *partners))
                    spans.setdefault(read, []).append(cue.span())
        # The weak "foreign troops in X" reading only stands when no deployment cue read the sentence.
        strong = {c.actor.entity.key for c in found if c.type == "deployment" and not self._is_presence(c)}
        return [c for c in found if not (self._is_presence(c) and c.actor.entity.key in strong)]

    @staticmethod
    def _term_cues(
        text: str, sentence: Sentence, rule: CompiledRule, index: int, sentence_lower: str | None
    ) -> list[re.Match[str]]:
        """The matches of one of the rule's terms in the sentence, tried only where they may begin when the
        lowercased sentence can show that."""
        pattern = rule.term_patterns[index]
        starts = rule.term_starts[index]
        if starts is None or sentence_lower is None:
            return list(pattern.finditer(text, sentence.start, sentence.end))
        return starts.finditer(pattern, text, sentence_lower, sentence.start, sentence.end)

    def _is_presence(self, candidate: Candidate) -> bool:
        return candidate.rule in self._presence_rules

    def _cue_context(
        self,
        text: str,
        sentence: Sentence,
        rule: CompiledRule,
        cue: re.Match[str],
        clauses: list[Span],
        sentence_lower: str | None = None,
    ) -> CueContext:
        """A cue where it stands: its clause among the sentence's clauses and the span the stages read."""
        clause_index = clause_of(clauses, cue.start())
        start, end = self._context(text, clauses, clause_index)
        return CueContext(text, rule, cue, sentence, clauses, clause_index, start, end, sentence_lower)

    def _context(self, text: str, clauses: list[Span], index: int) -> Span:
        """The cue clause, joined to the previous one when it is a relative clause ('Truppen, die ...')."""
        start, end = clauses[index]
        first = self.vocabulary.word.search(text, start, end)
        # A relative clause follows a comma and opens with a lowercase pronoun; "Berlin – Der Rat ..." is a new clause.
        if (
            index > 0
            and first
            and first.group(0) in self.vocabulary.relative
            and text[clauses[index - 1][1] : start].strip() == ","
        ):
            start = clauses[index - 1][0]
        return start, end

    def _read(self, ctx: CueContext, following: Sentence | None, dominant: DominantState) -> SentenceReading:
        """The names and attributions of the cue's sentence (its colon lead-in included)."""
        text, sentence = ctx.text, ctx.sentence
        mentions: list[Mention] = self.gazetteer.find(text, sentence.lead_start, sentence.end)[:_MAX_MENTIONS]
        # The dateline ("Berlin/Vilnius –", "LONDON (Reuters) -") names where the story was filed: no actor, no place.
        if dateline := self._dateline.match(text, sentence.start, sentence.end):
            mentions = [m for m in mentions if m.start >= dateline.end()]
        attributions = self.attributions.find(text, sentence, ctx.clauses)
        return SentenceReading(mentions=mentions, attributions=attributions, following=following, dominant=dominant)

    # ------------------------------------------------------------------ cue level

    def read_cue(
        self,
        text: str,
        sentence: Sentence,
        rule: CompiledRule,
        cue: re.Match[str],
        dominant: DominantState,
        choose_actor: ActorChooser | None = None,
    ) -> tuple[Candidate | None, str]:
        """A cue found by other means (the learned stage's anchor word) read like a lexicon cue, with the check that
        decided ("scope", "no actor", ...): the same checks (and, as the word need not be the predicate, no negator
        in its clause nor, for deployments, denial or fighting word); choose_actor names whom the actor stage cannot."""
        ctx = self._cue_context(text, sentence, rule, cue, self.segmenter.clauses(text, sentence.start, sentence.end))
        for verdict, rejects in (
            ("scope", lambda ctx: self.scope.rejects(ctx, learned=True)),
            ("negator in clause", self.scope.negator_in_context),
            ("denial in sentence", lambda ctx: rule.type == "deployment" and self.scope.denies(ctx)),
            ("combat or drawdown marker", lambda ctx: rule.type == "deployment" and self.scope.fighting(ctx)),
        ):
            if rejects(ctx):
                return None, verdict
        reading = self._read(ctx, None, dominant)
        if (candidate := self._candidate(ctx, reading)) is not None:
            return candidate, "actor stage"
        if choose_actor is not None and (actor := choose_actor(ctx, reading)) is not None:
            candidate = self._candidate(ctx, reading, actor)
            return candidate, "actor model" if candidate is not None else "argument check"
        return None, "no actor"

    def _candidate(self, ctx: CueContext, reading: SentenceReading, actor: Actor | None = None) -> Candidate | None:
        """The cue read by the stages: actor (unless given), then (deployments) place and number, source and modality."""
        rule = ctx.rule
        actor = actor or self.scope.member_calls.caller(ctx) or self.deniers.denier(ctx, reading)
        actor = actor or self.possessors.actor(ctx, reading)
        actor = actor or self.referents.opening_subject(ctx) or self.own_states.actor(ctx)
        actor = actor or self.actors.actor(ctx, reading) or self.noun_subjects.subject(ctx, reading)
        actor = actor or self.actors.agentless(ctx, reading)
        if actor is None or not self.actors.may_act(rule, actor):
            return None
        actor = self.referents.principal(ctx, actor)  # "Copperfields Anwälte wiesen ... zurück": the client denies
        actor = reading.dominant.home(actor, ctx.sentence)  # "Bundesregierung" in an Austrian article: Austria's
        if actor.entity.category == PERSON and (rule.personal or self.scope.own_conduct(ctx)):  # for himself
            actor = replace(actor, entity=replace(actor.entity, country=None))
        location = None
        quantity = None
        if rule.type == "deployment":
            location = self.places.location(ctx, reading.mentions, reading.attributions)
            if (actor := self.actors.owners.owned_where_placed(actor, location, ctx, reading)) is None:
                return None  # forces without an owner in an article that names no state, nor where they are
            if (
                location is not None
                and location.key == actor.entity.key
                and actor.via == "organ"
                and (named := self.gazetteer.lookup_place(location.name)) is not None
                and named.category == COUNTRY
            ):
                # "Luftwaffe verlegt Eurofighter nach Island": the article's state is where they go, not who.
                return None
            if location is not None and location.key == actor.entity.key and actor.via not in ("owner", "organ"):
                location = None
            if location is not None and location.neighbour and actor.entity.country is not None:
                # "Russland verlegt Soldaten an die Grenze zu Finnland": to its own side of that border ("Belarus
                # zieht Truppen an der Grenze zu Belarus zusammen" in a Ukrainian report: its own side, too).
                location = replace(location, country=actor.entity.country)
            if rule.requires_foreign_location and not self.actors.owners.stationed_abroad(ctx.text, actor, location):
                return None
            quantity = self.quantities.quantity(ctx.text, ctx.start, ctx.end)
        governing = self.attributions.governing(ctx, reading.attributions)
        attribution = self.attributions.source(ctx, governing, actor, reading.following)
        modality = self.scope.modality(ctx, actor, governing[0] if governing else None)
        # Confidence: the rule's base + 0.10 when the actor owns the force noun ("russische Soldaten") + 0.05 for a
        # place and for a number - 0.10 when only possible; clamped to 0.05..0.99; merging adds 0.03 a sentence.
        confidence = rule.confidence + (0.1 if actor.via == "owner" else 0.0)
        confidence += 0.05 if location is not None else 0.0
        confidence += 0.05 if quantity is not None else 0.0
        confidence -= 0.1 if modality == "possible" else 0.0
        return Candidate(
            type=rule.type,
            rule=rule.id,
            actor=actor,
            location=location,
            quantity=quantity,
            attribution=attribution,
            modality=modality,
            sentence_start=ctx.sentence.start,
            sentence_end=ctx.sentence.end,
            lead_start=ctx.sentence.lead_start,
            cue_start=ctx.cue_start,
            confidence=round(min(0.99, max(0.05, confidence)), 2),
        )
