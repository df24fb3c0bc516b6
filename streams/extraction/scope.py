"""Scope: whether a cue states an event at all (not negated, restated, demanded, dated or denied; its rule's
requirements met) and how firmly (modality)."""

from __future__ import annotations

import re

from .clause_scope import ClauseScope
from .context import Actor, Attribution, CueContext, Span, clause_of, inside, overlaps
from .denied_content import DeniedContent
from .gazetteer import Gazetteer
from .historic_years import HistoricYears
from .lexicon import CompiledRule, TermCompiler, compile_terms, learned_disqualifiers, screened_terms
from .lexicon_schema import Lexicon
from .member_calls import MemberCalls
from .parentheses import before_parenthesis, past_parenthesis
from .replies import QUESTION_OPENER, BareReplies, asks_whether
from .screens import ScreenedPattern
from .text import Segmenter
from .words import Vocabulary, words_after, words_before

PERSONAL_CLAIM = "PERSONAL_CLAIM"
# The cues.json class of speech verbs ("said", "told"): one between a demand and a policy cue opens the speaker's own
# statement ("under pressure from Egypt, Jordan said it would open a route"), which the demand does not govern.
SPEECH = "SAID"
# The cues.json class that opens whom a sanction hits ("sanctions on", "sanctions against"): the words after it name
# the target ("sanctions on Russian banks", "... on a motorcycle club"), no other domain (banking, sport).
SANCTION_TARGET = "SANCTION_TARGET"
_OPENING_NAME_WORDS = 4  # a headline's opening subject: "UK", "US and UK", "New Zealand"
# Words after a deployment cue within which a modal makes it an obligation ("operation in Rafah should not proceed").
_OBLIGATION_WINDOW = 3


class Scope:
    """The scope markers of one language (markers.json), compiled once."""

    def __init__(
        self,
        lexicon: Lexicon,
        compiler: TermCompiler,
        vocabulary: Vocabulary,
        gazetteer: Gazetteer,
        rules: tuple[CompiledRule, ...],
        segmenter: Segmenter,
    ):
        markers = lexicon.markers
        self._vocabulary = vocabulary
        self._gazetteer = gazetteer
        self._denial_rules = tuple(rule for rule in rules if rule.type == "denial")
        self.disqualifiers = {
            kind: screened_terms(compiler, terms) for kind, terms in lexicon.cues.disqualifiers.items()
        }
        self.learned_disqualifiers = learned_disqualifiers(lexicon, compiler, self.disqualifiers)
        self._denied_content = DeniedContent(lexicon, compiler, vocabulary)
        self._negation = compile_terms(compiler, markers.negation)
        self._negation_exceptions = compile_terms(compiler, markers.negation_exceptions)
        self._negation_in_cue = compile_terms(compiler, markers.negation_in_cue)
        self._governing = compile_terms(compiler, markers.negation_governing)
        self._predicates = compile_terms(compiler, markers.negation_predicates) if markers.negation_predicates else None
        self._hedges = compile_terms(compiler, markers.hedges)
        self._plans = compile_terms(compiler, markers.plans)
        self._reportive = compile_terms(compiler, markers.reportive)
        self._reaffirmation = compile_terms(compiler, markers.reaffirmation)
        self.demands = screened_terms(compiler, markers.demands)
        self._obligations = compile_terms(compiler, markers.obligations) if markers.obligations else None
        self._denial_demands = screened_terms(compiler, markers.denial_demands) if markers.denial_demands else None
        self.historical = screened_terms(compiler, markers.historical)
        self.years = HistoricYears(lexicon, compiler, vocabulary)
        self._clauses = ClauseScope(lexicon, compiler, vocabulary, gazetteer)
        self.member_calls = MemberCalls(gazetteer, self._clauses, self.demands)
        self.replies = BareReplies(lexicon, compiler, vocabulary, segmenter)
        # Words that mark a clause as no deployment though forces are in it: fighting where they are, or leaving.
        not_moving = [*markers.combat, *markers.drawdown]
        self._combat = compile_terms(compiler, not_moving) if not_moving else None
        self._window_before = markers.negation_window_before
        self._window_after = markers.negation_window_after
        self._verb_final = lexicon.grammar.verb_final
        self._clause_final_negators = {w.lower() for w in markers.negation_clause_final}
        # cues.json's optional classes: question words (QUESTION_OPENER; a question opened by another word asks
        # whether, and states nothing) and claims about a person's own conduct (PERSONAL_CLAIM; see own_conduct).
        classes = lexicon.cues.classes
        self._question_openers = {w.lower() for w in classes.get(QUESTION_OPENER, [])}
        self._speech = compile_terms(compiler, ["{" + SPEECH + "}"]) if SPEECH in classes else None
        self._personal_claims = (
            compile_terms(compiler, ["{" + PERSONAL_CLAIM + "}"]) if PERSONAL_CLAIM in classes else None
        )
        targets = ["{" + SANCTION_TARGET + "}"]
        self._sanction_target = compile_terms(compiler, targets) if SANCTION_TARGET in classes else None

    # ------------------------------------------------------------------ does the cue state an event?

    def rejects(self, ctx: CueContext, learned: bool = False) -> bool:
        """The cue states no event: a requirement of its rule is missing, a disqualifier stands in its clause, it
        is negated, or (by type) restated or demanded, dated to the past, or asked for. Denials of a deployment
        are checked apart (denies), once per sentence. A learned proposal keeps the disqualifier exceptions."""
        text, rule = ctx.text, ctx.rule
        # A denial's object may stand in another clause ("Der Vorwurf, ..., sei absurd"), its speech verb in the colon
        # lead-in ('The IDF said: "... did not strike ..."'); a bare reply's claim in the sentence before (replies.py).
        req_start, req_end = (
            (ctx.sentence.lead_start, ctx.sentence.end) if rule.type == "denial" else (ctx.start, ctx.end)
        )
        if rule.claim_before:
            if self.replies.rejects(ctx):
                return True
        elif rule.requires:
            verdict_start = self._verdict_word_start(ctx)
            if not all(self._required(req, ctx, req_start, req_end, verdict_start) for req in rule.requires):
                return True
        if rule.opening_subject and not self._after_opening_name(ctx):
            return True
        ctx_lower = ctx.lower(ctx.start, ctx.end)
        if (
            rule.type == "deployment"
            and rule.requires
            and not any(
                not self._vocabulary.after_bystander_preposition(text, force.start(), ctx.start)
                and not (rule.force_subject and force.start() >= ctx.cue_start)
                for force in self._vocabulary.force_screened.finditer(text, ctx.start, ctx.end, ctx_lower)
            )
            and not self._clauses.subject_stands_in(ctx)
        ):
            # "stellt für die Brigade Kasernen bereit": the only force is not what is sent; "The Red Cross operating
            # in Iraq said ... forces must": the force does not do what the cue says.
            return True
        if rule.type == "policy_shift" and (
            self._clauses.hypothetical(ctx)
            or self._clauses.conditional(ctx)
            or self._denied_content.holds(ctx, self._denial_rules, self.negated)
        ):
            # What a deal would do, a condition ('will help if the west imposes sanctions') or what is denied, is no
            # step taken; a planned deployment is one ('a plan that would send troops'; its hedge makes it possible).
            return True
        if self._clauses.tells_no_move(ctx):
            return True
        disqualifier = (self.learned_disqualifiers if learned else self.disqualifiers).get(rule.type)
        if disqualifier is not None:
            start, end = self.disqualifier_span(ctx)
            if rule.type != "denial" and self._clauses.predicted(ctx, end):
                return True
            end = self._before_sanction_target(ctx, end)
            lowered = ctx.lower(start, end)
            if (topic := self._denied_content.topic_before(ctx, start)) is not None:
                # "Berichte über eine Waffenruhe dementiert": the claim's topic is no object refused; look past it.
                found = disqualifier.search(text, start, topic[0], ctx.lower(start, topic[0])) or disqualifier.search(
                    text, topic[1], end, ctx.lower(topic[1], end)
                )
            else:
                found = disqualifier.search(text, start, end, lowered)
            if found is not None and (
                rule.type != "denial"
                or self._vocabulary.nouns_capitalized
                or not self._in_name(text, found)
                or any(not self._in_name(text, m) for m in disqualifier.finditer(text, start, end, lowered))
            ):
                return True
        if self.negated(text, ctx.clauses, ctx.clause_index, rule, ctx.cue):
            return True
        if self._asks_whether(ctx):
            return True
        if rule.type == "policy_shift" and self._restated_or_demanded(ctx):
            return True
        if rule.type == "denial" and self._denial_asked_for(ctx):
            return True
        return rule.type == "deployment" and (
            self._dated(ctx) or self._asked_for(ctx) or self._clauses.asked_about(ctx)
        )

    def disqualifier_span(self, ctx: CueContext) -> Span:
        """Where a disqualifier of the cue's type stands in its way: the cue's clause, run over a parenthesis."""
        text = ctx.text
        start = before_parenthesis(text, ctx.clauses, ctx.clause_index, ctx.start, self._vocabulary.determiners)
        end = past_parenthesis(text, ctx.clauses, ctx.clause_index, ctx.end)
        # A separable cue may run on over a comma ("rücken langsam, aber stetig an der Front vor"): what stands
        # in the clause where it ends is its object too.
        end = max(end, ctx.clauses[clause_of(ctx.clauses, ctx.cue.end() - 1)][1])
        # "denied reports that access was blocked": the denied content's words refuse nothing.
        return start, min(end, max(self._denied_content.start(ctx) or end, ctx.cue.end()))

    @staticmethod
    def _after_opening_name(ctx: CueContext) -> bool:
        """Only capitalised words ('UK', 'Ben Wallace', 'US and UK') stand between the sentence's start and the cue:
        a headline's participle, whose dropped 'is' the cue's rule cannot spell ('UK sending missiles to Kyiv')."""
        words = ctx.text[ctx.sentence.start : ctx.cue_start].split()
        return 0 < len(words) <= _OPENING_NAME_WORDS and all(w[0].isupper() or w == "and" for w in words)

    def _before_sanction_target(self, ctx: CueContext, end: int) -> int:
        """Where a policy cue's disqualifiers end: at the target that its sanction names, if one follows the cue."""
        if ctx.rule.type != "policy_shift" or self._sanction_target is None:
            return end
        target = self._sanction_target.search(ctx.text, ctx.cue_start, end)
        return end if target is None else target.end()

    @staticmethod
    def _in_name(text: str, match: re.Match[str]) -> bool:
        """A disqualifier that is part of a name where only names have capitals: 'the Federal Security Service
        denied', 'the Israel Prison Service rejected' (a body, not the service denied); every word capitalised and a
        capitalised word right before it ('Access was denied' opens its sentence: no name)."""
        words = match.group(0).split()
        if not words or not all(w[0].isupper() for w in words):
            return False
        before = text[max(0, match.start() - 40) : match.start()].split()
        return bool(before) and before[-1][0].isupper()

    def _verdict_word_start(self, ctx: CueContext) -> int | None:
        """Where a denial cue's last word starts when a class matched it (not a word its term spells out): the
        verdict that ends a cue ("als Falschbehauptungen", "seien Verschwörungstheorien") is no claim denied by
        itself, while a word the term spells ("challenges ... claim") is what it means. None for other cues."""
        if ctx.rule.type != "denial":
            return None
        words = self._vocabulary.word.findall(ctx.text, ctx.cue.start(), ctx.cue.end())
        if not words or words[-1].lower() in ctx.rule.words:
            return None
        return ctx.cue.end() - len(words[-1])

    def _required(
        self, requirement: ScreenedPattern, ctx: CueContext, start: int, end: int, verdict_start: int | None
    ) -> bool:
        """A requirement met in text[start:end], by a word outside the cue's verdict word (_verdict_word_start)."""
        text, lowered = ctx.text, ctx.lower(start, end)
        if verdict_start is None:
            return requirement.search(text, start, end, lowered) is not None
        return any(
            match.end() <= verdict_start or match.start() >= ctx.cue.end()
            for match in requirement.finditer(text, start, end, lowered)
        )

    def _asks_whether(self, ctx: CueContext) -> bool:
        """A yes/no question ('Führt Trump Zölle auf Gold ein?', 'Könnte der Bundestag ... beschließen?') states no event;
        one opened by a question word presupposes it (no QUESTION_OPENER class: questions read as statements)."""
        if not self._question_openers:
            return False
        return asks_whether(ctx.text, (ctx.sentence.start, ctx.sentence.end), self._vocabulary, self._question_openers)

    def own_conduct(self, ctx: CueContext) -> bool:
        """A denial of what the person is accused of for themself ('bestreitet alle Vorwürfe gegen ihn', an affair): an
        officeholder denying it speaks for no state."""
        return (
            ctx.rule.type == "denial"
            and self._personal_claims is not None
            and self._personal_claims.search(ctx.text, ctx.start, ctx.end) is not None
        )

    def _dated(self, ctx: CueContext) -> bool:
        """A year of the past century before the cue dates the whole sentence ("In September 1950, 75,000 troops
        landed"); after it, only in the cue's clause ("sent troops, as in 1991")."""
        text, sentence = ctx.text, ctx.sentence
        return bool(
            self.historical.search(text, sentence.start, sentence.end, ctx.sentence_lower)
            or self.years.dates(text, sentence.start, ctx.cue_start)
            or self.years.dates(text, ctx.start, ctx.end)
        )

    def _denial_asked_for(self, ctx: CueContext) -> bool:
        """'forderte Moskau auf, die Berichte zu dementieren', 'urged Beijing to reject the claims': asked, not made."""
        demands = self._denial_demands
        return (
            demands is not None and self._clauses.governed(demands, ctx, ctx.sentence.start, ctx.cue_start) is not None
        )

    def _asked_for(self, ctx: CueContext) -> bool:
        """'urged him to send troops', 'forces must ensure security': asked for, not sent or planned."""
        if self._clauses.governed(self.demands, ctx, ctx.sentence.start, ctx.cue_start) is not None:
            return True
        if self._obligations is None:
            return False
        clause_end = ctx.clauses[ctx.clause_index][1]
        _, window_end = words_after(self._vocabulary.word, ctx.text, ctx.cue.end(), clause_end, _OBLIGATION_WINDOW)
        return self._obligations.search(ctx.text, ctx.cue.end(), window_end) is not None

    def denies(self, ctx: CueContext) -> bool:
        """A denial cue in the sentence that is not itself negated ("denied sending troops", "bestritt die
        Entsendung": what is denied is no event). A rule none of whose terms can match (each lacks one of its
        literal words in the lowercased sentence) is not run: a match of a rule's pattern is a match of a term."""
        text, sentence, clauses = ctx.text, ctx.sentence, ctx.clauses
        for rule in self._denial_rules:
            if ctx.sentence_lower is not None and not rule.screen.admits(ctx.sentence_lower):
                continue
            for cue in rule.cues(text, sentence.start, sentence.end, ctx.sentence_lower):
                if not self.negated(text, clauses, clause_of(clauses, cue.start()), rule, cue):
                    return True
        return False

    # ------------------------------------------------------------------ negation

    def negated(self, text: str, clauses: list[Span], index: int, rule: CompiledRule, cue: re.Match[str]) -> bool:
        """Whether the cue in clause `index` is negated: a negator in its gap, at its clause's end, in the words
        around it, or a governing verb ("ruled out sending") in this or the previous clause."""
        clause_start, clause_end = clauses[index]
        # A negator in a cue's gap negates it ("wies die Berichte nicht zurück", "hob die Sanktionen nicht auf");
        # one the cue spells itself ("schließt ... nicht mehr aus") is part of the cue, and one in an inserted
        # clause belongs to the policy named ("seine Politik, keine Waffen zu liefern, überdenken").
        for negator in self._negation_in_cue.finditer(text, cue.start(), cue.end()):
            if (
                negator.group(0).lower() not in rule.words
                and not self._negation_exceptions.match(text, negator.start())
                and not any(mark in text[negator.end() : cue.end()] for mark in ",;:()")
            ):
                return True
        if self._clause_final_negators and self._ends_negated(text, cue.end(), clause_end):
            return True
        before = words_before(self._vocabulary.word, text, clause_start, cue.start(), self._window_before)
        after = words_after(self._vocabulary.word, text, cue.end(), clause_end, self._window_after)
        for start, end in (before, after):
            if start < end:
                for negator in self._negation.finditer(text, start, end):
                    if not self._negation_exceptions.match(text, negator.start()) and not inside(negator, cue):
                        return True
        if self._predicate_negates(text, cue.end(), clause_end):
            return True
        # Governing verbs in this or the previous clause: "ruled out sending", "schließt aus, ... zu entsenden".
        scope_start = clauses[index - 1][0] if index > 0 else clause_start
        for governor in self._governing.finditer(text, scope_start, clause_end):
            after_cue = governor.start() >= cue.end()
            if after_cue and not (self._verb_final and clause_of(clauses, governor.start()) == index):
                continue  # only verb-final languages negate after the cue ("Die Stationierung lehnte X ab")
            if overlaps(governor, cue):
                # The negator is part of the cue itself ("rejected ... as false") unless it spans around it.
                if not (governor.start() < cue.start() and governor.end() > cue.end()):
                    continue
            negated_governor = self._negation.search(text, max(scope_start, governor.start() - 20), governor.start())
            if negated_governor is None:
                return True
        return False

    def _predicate_negates(self, text: str, cue_end: int, clause_end: int) -> bool:
        """A negating predicate after the cue in its clause ("removing the sanctions is out of the question"), not
        itself negated ("should not be off the table")."""
        if self._predicates is None:
            return False
        for predicate in self._predicates.finditer(text, cue_end, clause_end):
            if self._negation.search(text, max(cue_end, predicate.start() - 12), predicate.end()) is None:
                return True
        return False

    def fighting(self, ctx: CueContext) -> bool:
        """A fighting or drawdown word in the cue's context (markers.combat, markers.drawdown)."""
        return self._combat is not None and self._combat.search(ctx.text, ctx.start, ctx.end) is not None

    def negator_in_context(self, ctx: CueContext) -> bool:
        """Any negator in the cue's context span: the test for a cue whose word is only the strongest sign of an
        event (a model proposal's anchor), not the predicate that a negator would have to stand next to."""
        return any(
            not self._negation_exceptions.match(ctx.text, negator.start())
            for negator in self._negation.finditer(ctx.text, ctx.start, ctx.end)
        )

    def _ends_negated(self, text: str, start: int, clause_end: int) -> bool:
        """A verb-second clause ends in its negator, however long the object before it ('dementierte ... nicht')."""
        last = next(reversed(list(self._vocabulary.word.finditer(text, start, clause_end))), None)
        return (
            last is not None
            and last.group(0).lower() in self._clause_final_negators
            and not self._negation_exceptions.match(text, last.start())
        )

    def _restated_or_demanded(self, ctx: CueContext) -> bool:
        text, cue = ctx.text, ctx.cue
        for marker in self._reaffirmation.finditer(text, ctx.start, ctx.end):
            # A marker around the cue restates it too: "hält am Ausstieg aus ... fest".
            if not overlaps(marker, cue) or (marker.start() < cue.start() and marker.end() > cue.end()):
                return True
        demand = self._clauses.governed(self.demands, ctx, ctx.sentence.start, cue.start())
        if demand is not None and self._speech is not None:
            if self._speech.search(text, demand.end(), cue.start()) is not None:
                demand = None  # "under pressure from Egypt, Jordan said it would open ...": its own statement
        if demand is not None and self.member_calls.caller_of(ctx, demand) is not None:
            demand = None  # "France urged the EU to lift ...": a member's proposal (member_calls.py)
        if demand is None and self._verb_final:
            # Verb-final languages put the demanding verb after its object: "hat eine Kehrtwende ... gefordert".
            demand = self.demands.pattern.search(text, cue.end(), ctx.end)
        return demand is not None

    # ------------------------------------------------------------------ modality

    def modality(self, ctx: CueContext, actor: Actor, source: Attribution | None) -> str:
        """possible (hedged or planned) > reported (reportive marker or a third party's claim) > asserted.

        Hedges count in the cue clause and the clause that governs it ("kündigte an, ... zu schicken");
        plans ("will send", "angekündigt") make deployments possible but are how policy changes are announced.
        """
        text, rule, cue = ctx.text, ctx.rule, ctx.cue
        if rule.modality is not None or actor.via == "caller":  # a member's call on its body proposes (member_calls)
            return rule.modality or "possible"
        scope_start = ctx.clauses[ctx.clause_index - 1][0] if ctx.clause_index > 0 else ctx.start
        scope_start = min(scope_start, ctx.start)
        hedges = [self._hedges] + ([self._plans] if rule.type == "deployment" else [])
        for pattern in hedges:
            if any(not inside(h, cue) for h in pattern.finditer(text, scope_start, ctx.end)):
                return "possible"
        if self._reportive.search(text, ctx.start, ctx.end):
            return "reported"
        if source is None:
            return "asserted"
        speaks_for_itself = any(
            m.entity.key == actor.entity.key for m in self._gazetteer.find(text, source.start, source.end)
        )
        if rule.type != "deployment" and (speaks_for_itself or source.position != "after"):
            return "asserted"  # "Armenia said it would ...", "X denied ..., its spokesman said"
        return "reported"
