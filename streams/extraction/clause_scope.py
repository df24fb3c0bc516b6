"""Clause reading of the scope stage (markers.json "clauses"): how far a demand reaches, a relative clause that says
what a deal or plan would do, and the deployment rules whose subject may stand in for the force word."""

from __future__ import annotations

import re

from .context import CueContext, Span, clause_of
from .gazetteer import COUNTRY, DEMONYM_ADJ, DEMONYM_NOUN, METONYM, ORGANIZATION, Gazetteer
from .lexicon import TermCompiler, compile_terms
from .lexicon_schema import Lexicon
from .screens import ScreenedPattern
from .words import Vocabulary

# The cues.json class of what a step is predicted to cause ("would put", "will lead to", "would strengthen").
CONSEQUENCE_CLASS = "PREDICTED_CONSEQUENCE"
# Who may take a place with forces the sentence does not name: a state (by name, capital or demonym) or a body such as
# an army or an armed group; never a person or a place.
_SUBJECT_CATEGORIES = frozenset({COUNTRY, METONYM, DEMONYM_ADJ, DEMONYM_NOUN, ORGANIZATION})
# How many words before a civil mover may qualify it ('army supply trucks'): a force word further back is no modifier.
_MODIFIER_REACH = 2
# How many words may stand between a determiner and a cue word read as a noun ('a "rest and refit" move').
_NOUN_PHRASE_REACH = 3
# How many words may stand between a time preposition and the operation noun it dates ('during a two-week Israeli
# military raid'): a preposition further back heads another phrase.
_TIME_FRAME_REACH = 6
# How many words after the operation noun may lead to its place ('an operation carried out in Jenin').
_TIME_FRAME_PLACE_REACH = 3
# How many characters either side of the operation noun those words are looked for in (six words and more).
_TIME_FRAME_WINDOW = 80
# cues.json classes whose words report speech (Konjunktiv I "sei", "habe"; "sagte", "teilte ... mit"): near them an
# unreal verb form is the reported speaker's indicative.
_REPORT_CLASSES = ("REPORTED_VERB", "SPEECH_ACT", "SPEAKER_AFTER")
# Quotation marks: a cue after an odd number of them in its sentence stands in a verbatim quote.
_QUOTE_MARKS = frozenset('"„“”«»')
# How many characters before its sentence a report may stand and still frame it (the sentence before, in most news).
_REPORT_REACH = 200


class ClauseScope:
    """The clause words of one language, compiled once."""

    def __init__(self, lexicon: Lexicon, compiler: TermCompiler, vocabulary: Vocabulary, gazetteer: Gazetteer):
        clauses = lexicon.markers.clauses
        self._vocabulary = vocabulary
        self._gazetteer = gazetteer
        self._bounds = compile_terms(compiler, clauses.demand_bounds) if clauses.demand_bounds else None
        exceptions = clauses.demand_bound_exceptions
        self._bound_exceptions = compile_terms(compiler, exceptions) if exceptions else None
        self._heads = compile_terms(compiler, clauses.hypothetical_heads) if clauses.hypothetical_heads else None
        openers = clauses.condition_openers
        self._conditions = compile_terms(compiler, openers) if openers else None
        consequents = clauses.condition_consequents
        self._consequents = compile_terms(compiler, consequents) if consequents else None
        self._noun_cues = frozenset(w.lower() for w in clauses.noun_cues)
        self._noun_cue_breaks = frozenset(w.lower() for w in clauses.noun_cue_breaks)
        self._time_frame_nouns = frozenset(w.lower() for w in clauses.time_frame_nouns)
        self._time_frame_openers = frozenset(w.lower() for w in clauses.time_frame_openers)
        self._time_frame_places = frozenset(w.lower() for w in clauses.time_frame_places)
        questions = clauses.indirect_questions
        self._questions = compile_terms(compiler, questions) if questions else None
        self._hedges = compile_terms(compiler, lexicon.markers.hedges)
        self._subject_force_rules = frozenset(clauses.subject_force_rules)
        self._relative = frozenset(w.lower() for w in lexicon.text.relative_pronouns)
        consequences = lexicon.cues.classes.get(CONSEQUENCE_CLASS)
        self._consequences = compile_terms(compiler, consequences) if consequences else None
        speech = [a.term for a in lexicon.markers.attribution if a.source == "before"]  # "X says [lifting ...]"
        self._speech = compile_terms(compiler, speech) if speech else None
        movers = clauses.non_force_movers
        self._non_force_movers = compile_terms(compiler, movers) if movers else None
        self._participles = tuple(w.lower() for w in lexicon.text.gerund_endings)
        obligations = lexicon.markers.obligations  # "should", "must": what a relative clause's subject ought to do
        self._obligations = compile_terms(compiler, obligations) if obligations else None
        self._irrealis = compile_terms(compiler, clauses.irrealis) if clauses.irrealis else None
        markers, classes = lexicon.markers, lexicon.cues.classes
        reports = [a.term for a in markers.attribution] + markers.reportive
        reports += ["{" + name + "}" for name in _REPORT_CLASSES if name in classes]
        self._reports = compile_terms(compiler, reports)

    def governed(self, demands: ScreenedPattern, ctx: CueContext, start: int, end: int) -> re.Match[str] | None:
        """The last demand marker in text[start:end] that reaches the cue: no subordinator of demand_bounds opens the
        cue's clause between them ("urges Nato to act as Russian troops gather": the "as" clause states what is done,
        not what is asked). One in an earlier clause does not part them ("urged them, as the war spread, to send")."""
        text, clauses = ctx.text, ctx.clauses
        governing = None
        clause_start = clauses[ctx.clause_index][0]
        for demand in demands.finditer(text, start, end, ctx.lower(start, end)):
            index = clause_of(clauses, demand.start())
            if (
                index + 1 == ctx.clause_index
                and text[clauses[index][1] : clause_start].strip() == ","
                and self._relative_clause(text, clauses, index)
                and self._gazetteer.find(text, clause_start, ctx.cue_start)
                and self._obligations is not None
                and self._obligations.fullmatch(demand.group(0)) is not None
            ):
                # "In a move that should ease the shortages, Chile has agreed to open": an obligation modal says what
                # the move should do, and a name in the cue's clause may act on its own. A demand verb takes an object
                # or a complement, which may follow a comma ("Estonia, which urged France, Spain and Italy to send
                # troops", "die verlangen, Deutschland müsse ..."): it still governs the next clause.
                continue
            if not self._bound(text, max(demand.end(), clause_start), ctx.cue_start):
                governing = demand
        return governing

    def _relative_clause(self, text: str, clauses: list[Span], index: int) -> bool:
        """Clause `index` is a relative clause: a relative pronoun parts it from the clause before ("a deal | that"),
        or it follows a comma and opens with one ("Truppen, die ...")."""
        if index == 0:
            return False
        clause_start, clause_end = clauses[index]
        separator = text[clauses[index - 1][1] : clause_start].strip().lower()
        if separator in self._relative:
            return True
        first = self._vocabulary.word.search(text, clause_start, clause_end)
        return separator == "," and first is not None and first.group(0).lower() in self._relative

    def _bound(self, text: str, start: int, end: int) -> bool:
        """A demand bound in text[start:end] that is no part of an exception ('as well as', 'such as')."""
        if self._bounds is None:
            return False
        for bound in self._bounds.finditer(text, start, end):
            if self._bound_exceptions is None or not any(
                e.start() <= bound.start() and bound.end() <= e.end()
                for e in self._bound_exceptions.finditer(
                    text, max(0, bound.start() - 20), min(len(text), bound.end() + 20)
                )
            ):
                return True
        return False

    def hypothetical(self, ctx: CueContext) -> bool:
        """The cue stands in a relative clause on a deal or plan noun that holds a hedge ("pursuing a deal that would
        allow more aid in", "ein Abkommen, das ... ermöglichen würde"): what the deal would do, not what anyone did."""
        if self._heads is None or ctx.clause_index == 0:
            return False
        text, clauses = ctx.text, ctx.clauses
        previous_start, previous_end = clauses[ctx.clause_index - 1]
        clause_start, clause_end = clauses[ctx.clause_index]
        if not self._relative_clause(text, clauses, ctx.clause_index):
            return False
        # The head noun ends the clause before: "a deal" + " that ", "ein Abkommen" + ", das".
        heads = list(self._heads.finditer(text, max(previous_start, previous_end - 40), previous_end))
        if not heads or text[heads[-1].end() : previous_end].strip():
            return False
        return self._hedges.search(text, clause_start, clause_end) is not None

    def conditional(self, ctx: CueContext) -> bool:
        """A condition opener before the cue in its own clause ("if the US delays arms sales", "even if Oslo were to
        halt its funding"): the clause names a condition, not a step taken. One after the cue leaves it standing
        ("would stop supplying weapons if Israel launches ...": the threat is the step)."""
        return self._before_cue(self._conditions, ctx) or self._verb_first_condition(ctx)

    def _verb_first_condition(self, ctx: CueContext) -> bool:
        """The cue opens its sentence and a comma and a consequent word follow it ("Erhebt Washington Zölle auf Stahl,
        dann leiden die Hütten"): a declarative German sentence never opens with its finite verb, so this is an "if"."""
        if self._consequents is None:
            return False
        text, sentence = ctx.text, ctx.sentence
        if text[sentence.start : ctx.cue_start].strip(" \"'„“»«"):
            return False
        return any(
            text[ctx.cue.end() : consequent.start()].rstrip().endswith(",")
            for consequent in self._consequents.finditer(text, ctx.cue.end(), sentence.end)
        )

    def asked_about(self, ctx: CueContext) -> bool:
        """An indirect question before the cue in its own clause ("asked whether Turkish troops had crossed", "could not
        confirm if soldiers had entered"): the step is asked about, not stated. One after the cue leaves it standing
        ("crossed into Iraq and asked if villagers had seen fighters")."""
        return self._before_cue(self._questions, ctx)

    @staticmethod
    def _before_cue(terms: re.Pattern[str] | None, ctx: CueContext) -> bool:
        """One of the terms stands between the start of the cue's clause and the cue."""
        if terms is None:
            return False
        clause_start = ctx.clauses[ctx.clause_index][0]
        return terms.search(ctx.text, clause_start, ctx.cue_start) is not None

    def predicted(self, ctx: CueContext, end: int) -> bool:
        """A step named as the subject of what it would cause ("lifting the curbs would put Chile at odds with ...",
        "a UK ban on ... would strengthen Hamas", "sending troops to Sudan would be a mistake"; policy and deployment):
        a consequence of PREDICTED_CONSEQUENCE follows the cue before `end` and the cue opens its clause or what a
        speaker says (only articles, conjunctions and names before it). A
        subject before the cue takes the step ("Canada said it would lift the sanctions and would put ... into aid")."""
        text, vocabulary = ctx.text, self._vocabulary
        if self._consequences is None or self._consequences.search(text, ctx.cue.end(), end) is None:
            return False
        start = ctx.clauses[ctx.clause_index][0]
        if self._speech is not None:
            start = max([start, *(m.end() for m in self._speech.finditer(text, start, ctx.cue_start))])
        openers = vocabulary.determiners | vocabulary.conjunctions
        return all(w[0].isupper() or w.lower() in openers for w in vocabulary.word.findall(text, start, ctx.cue_start))

    def subject_stands_in(self, ctx: CueContext) -> bool:
        """A rule of subject_force_rules with a state or body as the subject before its cue ("Israel took control of
        the crossing", "Israeli tanks have taken control of"): the cue names the place taken, the subject's forces take
        it. The subject is the last name before the cue in its clause or the one before (a parenthesis after the name:
        "The Israeli army (IDF) then took control")."""
        if ctx.rule.id not in self._subject_force_rules:
            return False
        index = ctx.clause_index
        start = ctx.clauses[index - 1][0] if index > 0 else ctx.clauses[index][0]
        mentions = [m for m in self._gazetteer.find(ctx.text, start, ctx.cue_start) if m.end <= ctx.cue_start]
        if not mentions:
            return False
        subject = mentions[-1]
        return subject.entity.category in _SUBJECT_CATEGORIES and not self._vocabulary.after_bystander_preposition(
            ctx.text, subject.start, start
        )

    def moves_non_forces(self, ctx: CueContext) -> bool:
        """A deployment cue whose own subject is no force ("the crowd moved towards them", "aid trucks had entered the
        north"): a term of non_force_movers ends where the cue ends, inside the cue's clause."""
        if self._non_force_movers is None or ctx.rule.type != "deployment":
            return False
        start = ctx.clauses[ctx.clause_index][0]
        end = ctx.cue.end()
        return any(
            m.end() == end and not self._moved_by_forces(ctx.text, start, m.start())
            for m in self._non_force_movers.finditer(ctx.text, start, end)
        )

    def names_a_step(self, ctx: CueContext) -> bool:
        """A deployment cue word read as a noun ("what the IDF move tells us", "a 'rest and refit' move", "Israel's
        move"): a determiner or a genitive opens its phrase within _NOUN_PHRASE_REACH words before it, none of them a
        plural common noun ("its troops move": the troops are the verb's subject) nor a break word ("the decision to
        move troops", "the army will move"). The phrase names a step taken, not forces moving, unless a place
        preposition follows ("the army's move into Najaf" moves forces)."""
        if ctx.rule.type != "deployment" or ctx.cue.group(0).lower() not in self._noun_cues:
            return False
        vocabulary = self._vocabulary
        following = vocabulary.word.match(ctx.text, ctx.cue.end() + 1)
        if following is not None and following.group(0).lower() in vocabulary.location_preps:
            return False
        words = vocabulary.word.findall(ctx.text, ctx.clauses[ctx.clause_index][0], ctx.cue_start)
        for word in reversed(words[-_NOUN_PHRASE_REACH - 1 :]):
            lowered = word.lower()
            if lowered in vocabulary.determiners or lowered.endswith(vocabulary.genitive_suffixes):
                return True
            plural = word[0].islower() and lowered.endswith("s") and not lowered.endswith("ss")  # not "US", "Hamas"
            if plural or lowered in self._noun_cue_breaks:
                return False
        return False

    def frames_a_time(self, ctx: CueContext) -> bool:
        """A deployment cue naming an operation by a noun that a time preposition opens, with no place right after it
        ("detained 200 men during the raid", "destroyed during a two-week military raid last month"): the operation
        dates another act, it is not what the clause tells. "during a raid on the hospital" names where forces went
        (labelled so on train); a plural common noun or a break word between them ("during the night troops raid")
        is the subject of a verb."""
        if ctx.rule.type != "deployment" or not self._time_frame_openers:
            return False
        vocabulary = self._vocabulary
        cue_words = {w.lower() for w in vocabulary.word.findall(ctx.text, ctx.cue.start(), ctx.cue.end())}
        if not cue_words & self._time_frame_nouns or cue_words & self._time_frame_places:
            return False  # no operation noun, or a cue that names its place ("offensive in")
        # Both windows are bounded in characters, so that a long clause full of cues is not read once per cue.
        clause_start, clause_end = ctx.clauses[ctx.clause_index]
        window_end = min(clause_end, ctx.cue.end() + _TIME_FRAME_WINDOW)
        comma = ctx.text.find(",", ctx.cue.end(), window_end)
        following = vocabulary.word.findall(ctx.text, ctx.cue.end(), window_end if comma < 0 else comma)
        if any(w.lower() in self._time_frame_places for w in following[:_TIME_FRAME_PLACE_REACH]):
            return False  # "during a raid on the hospital", "during an operation carried out in Jenin": placed
        words = vocabulary.word.findall(ctx.text, max(clause_start, ctx.cue_start - _TIME_FRAME_WINDOW), ctx.cue_start)
        for word in reversed(words[-_TIME_FRAME_REACH:]):
            lowered = word.lower()
            if lowered in self._time_frame_openers:
                return True
            if lowered in vocabulary.determiners:
                continue
            plural = word[0].islower() and lowered.endswith("s") and not lowered.endswith("ss")
            if plural or lowered in self._noun_cue_breaks:
                return False
        return False

    def tells_no_move(self, ctx: CueContext) -> bool:
        """The cue's clause tells no step: non-forces move, a noun names a step, an operation dates another act, or
        the step is only imagined."""
        return self.moves_non_forces(ctx) or self.names_a_step(ctx) or self.frames_a_time(ctx) or self.imagined(ctx)

    def imagined(self, ctx: CueContext) -> bool:
        """A deployment or policy cue in a sentence with an unreal verb form and no report in it or just before it
        ("Dann hätte Putin Panzer nach Minsk geschickt", "Dafür müssten Soldaten entsandt werden"): a step imagined or
        found necessary, not taken. "Soldaten hätten die Grenze überschritten, teilte die Armee mit": reported, unless
        the cue stands in a verbatim quote."""
        if self._irrealis is None or ctx.rule.type == "denial":
            return False
        text, sentence = ctx.text, ctx.sentence
        if self._irrealis.search(text, sentence.start, sentence.end) is None:
            return False
        if sum(char in _QUOTE_MARKS for char in text[sentence.start : ctx.cue_start]) % 2:
            return True  # a verbatim quote: its unreal forms are the speaker's own, whoever is named as saying it
        report_start = max(0, min(sentence.start, sentence.lead_start) - _REPORT_REACH)
        return self._reports.search(text, report_start, sentence.end) is None

    def _moved_by_forces(self, text: str, clause_start: int, mover_start: int) -> bool:
        """The civil noun does not name who moves: a force word qualifies it ('an Israeli army convoy', 'Russian
        military trucks'), or it is the object of a participle after the forces ('soldiers guarding the lorries
        crossed'): the word before its article is a participle (text.json gerund_endings)."""
        vocabulary = self._vocabulary
        words = list(vocabulary.word.finditer(text, max(clause_start, mover_start - 80), mover_start))
        for back, word in enumerate(reversed(words)):
            lowered = word.group(0).lower()
            if lowered in vocabulary.determiners:
                before = len(words) - back - 2
                governing = words[before].group(0) if before >= 0 else ""
                return governing.islower() and governing.endswith(self._participles)
            if back >= _MODIFIER_REACH:
                return False
            force = vocabulary.force.match(text, word.start())
            if force is not None and force.end() <= mover_start:
                return True
        return False
