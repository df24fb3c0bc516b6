"""Rule engine for one language: cue scan, actors, candidates (scope checks in scope.py, sources in
attribution.py, places in places.py, numbers in quantities.py)."""

from __future__ import annotations

import re
import time
from dataclasses import replace
from itertools import islice

from .attribution import Attributions
from .context import Actor, Attribution, Candidate, CueContext, DominantState, Place, clause_of
from .gazetteer import COUNTRY, DEMONYM_ADJ, METONYM, ORGANIZATION, PLACE, Gazetteer, Mention
from .lexicon import (
    AnchorScanner, CompiledRule, LiteralScreen, StartFinder, TermCompiler, case_fold_safe, compile_terms,
    screened_terms,
)
from .lexicon_schema import Lexicon
from .places import Places
from .quantities import Quantities
from .scope import Scope
from .text import Segmenter, Sentence
from .words import WORD, Vocabulary

# A dateline opening a body paragraph: capitalised place names joined by "/" or ", ", an optional agency in
# parentheses, then a dash. An opening article ("Die Nato – so ...", "The army -") makes it a sentence instead.
_DATELINE = re.compile(
    r"(?!(?:Der|Die|Das|The|A|An|Ein|Eine)\b)[A-ZÀ-Þ][\w.'’]*(?:[ /-]+[A-ZÀ-Þ][\w.'’]*){0,4}"
    r"(?:, [A-ZÀ-Þ][\w.'’]*(?: [A-ZÀ-Þ][\w.'’]*){0,2})?(?: \([^()\n]{1,40}\))? [–—-]{1,2} (?=\S)"
)
# Bounds on per-sentence work: real sentences stay far below them, adversarial ones cannot go quadratic.
_MAX_MENTIONS_PER_SENTENCE = 40
_MAX_FORCES_PER_CLAUSE = 8
# Words at the head of a clause among which a bare organ noun may stand as its subject ("Die neue Regierung").
_ORGAN_SUBJECT_WORDS = 4
_POSSESSIVE = re.compile(r"['’]s$")
# Dashes that separate two statements in a headline or sentence ("X schickt Soldaten – Rebellen bestreiten ...").
_DASHES = ("–", "—", "-", "--")


class TimeBudgetExceeded(Exception):
    """Internal signal; the package turns it into ExtractionTimeout."""


class LanguageEngine:
    """Everything compiled for one language; built once per process and reused for every article."""

    def __init__(self, lexicon: Lexicon):
        self.lexicon = lexicon
        self.lang = lexicon.language.code
        text_rules = lexicon.text
        cues = lexicon.cues
        compiler = TermCompiler(cues.classes)
        self._compiler = compiler
        # Strongest rules first: a clause gets one reading per event type, from the most specific cue.
        ordered_rules = sorted(cues.rules, key=lambda r: -r.confidence)
        self.rules = tuple(
            CompiledRule(
                id=rule.id,
                type=rule.type,
                pattern=compile_terms(compiler, rule.terms),
                term_patterns=tuple(compile_terms(compiler, [term]) for term in rule.terms),
                term_literals=tuple(compiler.literals(term) for term in rule.terms),
                screen=LiteralScreen.of(tuple(compiler.literals(term) for term in rule.terms)),
                term_starts=tuple(
                    StartFinder(*opening) if (opening := compiler.first_words(term)) is not None else None
                    for term in rule.terms
                ),
                requires=tuple(screened_terms(compiler, [f"{{{name}}}"]) for name in rule.requires),
                requires_foreign_location=rule.requires_foreign_location,
                modality=rule.modality,
                confidence=rule.confidence,
                words=compiler.words(rule.terms),
            )
            for rule in ordered_rules
        )
        self._presence_rules = {rule.id for rule in cues.rules if rule.requires_foreign_location}
        self.scanner = AnchorScanner(compiler, [rule.terms for rule in ordered_rules])
        self._segmenter = Segmenter(text_rules)
        self._gazetteer = Gazetteer(lexicon)
        self.vocabulary = Vocabulary.of(lexicon, compiler)
        self.scope = Scope(lexicon, compiler, self.vocabulary, self._gazetteer, self.rules)
        self.attributions = Attributions(lexicon, compiler, self.vocabulary, self._gazetteer, self._segmenter)
        self.places = Places(lexicon, compiler, self.vocabulary, self._gazetteer)
        self.quantities = Quantities(lexicon, self.vocabulary)
        self._force = self.vocabulary.force
        self._determiners = {w.lower() for w in text_rules.determiners}
        self._location_preps = {w.lower() for w in text_rules.location_prepositions}
        self._blocking_preps = {w.lower() for w in text_rules.non_subject_prepositions}
        self._owner_preps = {w.lower() for w in text_rules.owner_prepositions}
        self._bystander_preps = {w.lower() for w in text_rules.bystander_prepositions}
        self._organ_nouns = compile_terms(compiler, text_rules.organ_nouns) if text_rules.organ_nouns else None
        self._relative = set(text_rules.relative_pronouns)
        self._relative_lower = {w.lower() for w in text_rules.relative_pronouns}
        self._conjunctions = {w.lower() for w in text_rules.conjunctions}
        self._coordinators = {w.lower() for w in text_rules.coordinators}
        # Subordinators that open a clause without a comma ("... as Hezbollah denies ..."): the conjunctions that
        # neither coordinate names ("and") nor open relative clauses ("who", "that").
        self._subordinators = self._conjunctions - self._coordinators - self._relative_lower
        self._time_words = {w.lower() for w in [*text_rules.time_words, *text_rules.months]}
        self._adjective_suffixes = tuple(text_rules.adjective_suffixes)
        self._nouns_capitalized = text_rules.nouns_capitalized

    # ------------------------------------------------------------------ article level

    def analyse(self, text: str, deadline: float | None) -> list[Candidate]:
        lowered = _lower_same_length(text)
        hits = self.scanner.scan(lowered)
        if not hits:
            return []
        candidates: list[Candidate] = []
        ascii_text = lowered.isascii()
        sentences = self._sentences_with_hits(text, hits)
        dominant = DominantState(self._gazetteer, text)
        rules = self.rules
        hit_count = len(hits)
        hit_index = 0
        for index, sentence in enumerate(sentences):
            if deadline is not None and time.monotonic() > deadline:
                raise TimeBudgetExceeded
            start, end = sentence.start, sentence.end
            while hit_index < hit_count and hits[hit_index][0] < start:
                hit_index += 1
            if hit_index >= hit_count:
                break  # no hit in this sentence or any later one
            if hits[hit_index][0] >= end:
                continue
            terms: set[tuple[int, int]] = set()
            while hit_index < hit_count and hits[hit_index][0] < end:
                terms.update(hits[hit_index][1])
                hit_index += 1
            # A term whose literal words are not all in the sentence cannot match there: leave its regex out (the
            # check needs a text without the few characters whose case folding str.lower() does not mirror).
            sentence_lower = lowered[start:end]
            filtered = ascii_text or case_fold_safe(lowered, start, end)
            contains = sentence_lower.__contains__
            by_rule: dict[int, list[int]] = {}
            for rule_index, term_index in terms:
                if not filtered or all(map(contains, rules[rule_index].term_literals[term_index])):
                    by_rule.setdefault(rule_index, []).append(term_index)
            if not by_rule:
                continue
            selected = [(rules[r], sorted(by_rule[r])) for r in sorted(by_rule)]
            following = sentences[index + 1] if index + 1 < len(sentences) else None
            candidates.extend(self._analyse_sentence(text, sentence, selected, following, deadline, dominant,
                                                     sentence_lower if filtered else None))
        return candidates

    def _sentences_with_hits(self, text: str, hits: list[tuple[int, frozenset[tuple[int, int]]]]) -> list[Sentence]:
        """The sentences that hold a hit, each followed by the sentence after it: a line break always ends a
        sentence and a boundary is decided by the characters next to it, so only the text around the hits is
        split (most of a long article, which may well be a single line, is never looked at)."""
        sentences: list[Sentence] = []
        index = 0
        while index < len(hits):
            start = hits[index][0]
            line_start = text.rfind("\n", 0, start) + 1
            line_end = text.find("\n", start)
            line_end = len(text) if line_end < 0 else line_end
            positions = []
            while index < len(hits) and hits[index][0] < line_end:
                positions.append(hits[index][0])
                index += 1
            sentences.extend(self._segmenter.sentences_near(text, line_start, line_end, positions))
        return sentences

    # ------------------------------------------------------------------ sentence level

    def _analyse_sentence(
        self, text: str, sentence: Sentence, rules: list[tuple[CompiledRule, list[int]]],
        following: Sentence | None, deadline: float | None, dominant: DominantState,
        sentence_lower: str | None = None,
    ) -> list[Candidate]:
        """Candidates of one sentence; sentence_lower, its lowercased text where that mirrors the regexes' case folding
        (see lexicon.case_fold_safe), lets rules whose literal words it lacks be skipped."""
        clauses: list[tuple[int, int]] = []  # split only once a cue is found: most sentences here have none
        mentions: list[Mention] | None = None
        attributions: list[Attribution] | None = None
        denied: bool | None = None  # whether a denial cue stands in the sentence, found once it is asked
        seen: set[tuple[str, int]] = set()  # (event type, clause) already read
        tried: set[tuple[str, int]] = set()  # (rule, clause) already tried: one attempt each
        found: list[Candidate] = []
        for rule, term_indices in rules:
            if len(term_indices) == 1:  # one term's matches come in text order already
                cues_found = self._term_cues(text, sentence, rule, term_indices[0], sentence_lower)
            else:
                cues_found = sorted(
                    (cue for index in term_indices
                     for cue in self._term_cues(text, sentence, rule, index, sentence_lower)),
                    key=lambda m: m.start(),
                )
            if cues_found and not clauses:
                clauses = self._segmenter.clauses(text, sentence.start, sentence.end)
            for cue in cues_found:
                if deadline is not None and time.monotonic() > deadline:
                    raise TimeBudgetExceeded
                clause_index = clause_of(clauses, cue.start())
                if (rule.type, clause_index) in seen or (rule.id, clause_index) in tried:
                    continue
                tried.add((rule.id, clause_index))
                ctx_start, ctx_end = self._context(text, clauses, clause_index)
                ctx = CueContext(text=text, rule=rule, cue=cue, sentence=sentence, clauses=clauses,
                                 clause_index=clause_index, start=ctx_start, end=ctx_end, sentence_lower=sentence_lower)
                if self.scope.rejects(ctx):
                    continue
                if rule.type == "deployment":
                    if denied is None:
                        denied = self.scope.denies(ctx)
                    if denied:
                        continue  # "denied sending troops", "bestritt die Entsendung": what is denied is no event
                if mentions is None:
                    mentions = self._gazetteer.find(text, sentence.lead_start, sentence.end)[:_MAX_MENTIONS_PER_SENTENCE]
                    # The dateline ("Berlin/Vilnius –", "LONDON (Reuters) -") names where the story was filed:
                    # never an actor, a destination or a partner.
                    if dateline := _DATELINE.match(text, sentence.start, sentence.end):
                        mentions = [m for m in mentions if m.start >= dateline.end()]
                    attributions = self.attributions.find(text, sentence, clauses)
                # A policy is shifted by a government or a listed organisation, not by a body known only by its form.
                actors = [m for m in mentions if not m.entity.generic] if rule.type == "policy_shift" else mentions
                candidate = self._build(ctx, actors, attributions or [], following, dominant)
                if candidate is not None:
                    found.append(candidate)
                    # "France and Germany will send ...", "Kiew und Warschau wiesen ... zurück": one event per actor.
                    found.extend(replace(candidate, actor=partner) for partner in self._partners(text, candidate.actor, mentions, attributions or [], sentence.start))
                    seen.add((rule.type, clause_index))
        # The weak "foreign troops in X" reading only stands when no deployment cue read the sentence.
        strong = {c.actor.entity.key for c in found if c.type == "deployment" and not self._is_presence(c)}
        return [c for c in found if not (self._is_presence(c) and c.actor.entity.key in strong)]

    @staticmethod
    def _term_cues(text: str, sentence: Sentence, rule: CompiledRule, index: int,
                   sentence_lower: str | None) -> list[re.Match[str]]:
        """The matches of one of the rule's terms in the sentence, tried only where they may begin when the
        lowercased sentence can show that."""
        pattern = rule.term_patterns[index]
        starts = rule.term_starts[index]
        if starts is None or sentence_lower is None:
            return list(pattern.finditer(text, sentence.start, sentence.end))
        return starts.finditer(pattern, text, sentence_lower, sentence.start, sentence.end)

    def _is_presence(self, candidate: Candidate) -> bool:
        return candidate.rule in self._presence_rules

    def _context(self, text: str, clauses: list[tuple[int, int]], index: int) -> tuple[int, int]:
        """The cue clause, joined to the previous one when it is a relative clause ('Truppen, die ...')."""
        start, end = clauses[index]
        first = WORD.search(text, start, end)
        # A relative clause follows a comma and opens with a lowercase pronoun; "Berlin – Der Rat ..." is a new clause.
        if (index > 0 and first and first.group(0) in self._relative
                and text[clauses[index - 1][1]:start].strip() == ","):
            start = clauses[index - 1][0]
        return start, end

    # ------------------------------------------------------------------ arguments

    def _excluded(self, text: str, mention: Mention, attributions: list[Attribution], clause_start: int) -> bool:
        if mention.entity.category == PLACE:
            return True
        if any(a.start <= mention.start < a.end for a in attributions):
            return True
        window = [w for w in WORD.finditer(text, max(clause_start, mention.start - 80), mention.start)][-6:]
        words = window[-3:]
        lowered = [w.group(0).lower() for w in words]
        # Skip an article between the preposition and the name ("in der Ukraine", "of the UN").
        while lowered and lowered[-1] in self._determiners:
            lowered.pop()
            words.pop()
        if lowered and lowered[-1] in self._coordinators:
            # The second of two coordinated names shares the first one's preposition: "between Russia and Ukraine".
            earlier = [w.group(0) for w in window[:-1]]
            while earlier and (earlier[-1][0].isupper() or earlier[-1].lower() in self._determiners):
                earlier.pop()
            if earlier and earlier[-1].lower() in self._blocking_preps:
                return True
        if lowered and lowered[-1] in self._blocking_preps:
            head = words[-2] if len(words) >= 2 else None
            organ_before = head is not None and self._organ_nouns is not None and self._organ_nouns.fullmatch(head.group(0))
            return not organ_before  # "the government of Liberia" is Liberia acting
        following = WORD.search(text, mention.end, min(len(text), mention.end + 40))
        if following is None or mention.entity.category == DEMONYM_ADJ:
            return False
        gap = text[mention.end:following.start()]
        # A German possessor precedes a (capitalised) noun; an English "X's" always does.
        possessor = mention.genitive and gap in (" ", "") and (
            not self._nouns_capitalized or following.group(0)[0].isupper()
        )
        modifier = gap == "-" and following.group(0)[0].isupper()  # "EU-Mission", but "US-Präsident" acts
        if possessor or modifier:
            # "Mali's transitional government" acts; "Nordkoreas Handeln", "Baku's accusations" do not.
            heads = [w.group(0) for w in WORD.finditer(text, following.start(), min(len(text), following.start() + 60))][:3]
            acting = any(
                (self._organ_nouns is not None and self._organ_nouns.fullmatch(word)) or self._force.fullmatch(word)
                for word in (heads[:1] if modifier else heads)
            )
            return not acting
        return False

    def _force_owner(self, text: str, ctx_start: int, ctx_end: int, mentions: list[Mention],
                     attributions: list[Attribution]) -> Actor | None:
        in_ctx = [m for m in mentions if ctx_start <= m.start < ctx_end
                  and not any(a.start <= m.start < a.end for a in attributions)]
        forces = list(self._force.finditer(text, ctx_start, ctx_end))[:_MAX_FORCES_PER_CLAUSE]
        for mention in in_ctx:
            # A listed force ("Bundeswehr") owns the clause's forces; one recognised only by its form ("M23 rebels")
            # only as the subject before them ("troops ... alongside M23 rebels" are not its troops).
            if mention.entity.is_force and not (mention.entity.generic and forces and mention.start > forces[0].start()):
                return Actor(mention.text, mention.entity, "owner", mention_start=mention.start)
        # An organisation right after a force noun names it: "Söldnertruppe Wagner", "Wagner group".
        for force in forces:
            for mention in in_ctx:
                if mention.entity.category == ORGANIZATION and 0 <= mention.start - force.end() <= 2:
                    return Actor(mention.text, mention.entity, "owner", mention_start=mention.start)
        for force in forces:
            # An owner right before it: "nordkoreanische Soldaten", "US-Soldaten", "Russia's troops".
            for mention in reversed(in_ctx):
                if mention.end <= force.start() and self.vocabulary.after_bystander_preposition(text, mention.start, ctx_start):
                    break  # "Verletzungen durch russische Kampfjets": those forces are not the ones sent
                if mention.end <= force.start() and mention.entity.category != PLACE:
                    gap = text[mention.end:force.start()]
                    if (self._nouns_capitalized and gap != "-" and mention.entity.category != DEMONYM_ADJ
                            and not mention.genitive):
                        break  # German glues a named owner to the noun ("US-Soldaten"); "aus Eriwan Truppen" is no owner
                    gap_words = WORD.findall(gap)
                    # Only an inflected adjective may stand between: "russische reguläre Truppen".
                    if not any(ch in gap for ch in ",;:") and all(
                        w[0].islower() and w.endswith(self._adjective_suffixes) for w in gap_words
                    ) and len(gap_words) <= 1:
                        end = self._force_phrase_end(text, force)
                        return Actor(text[mention.start:end], mention.entity, "owner", end, mention.start)
                    break
            # An owner after it: "Truppen aus Nordkorea", "troops from North Korea", "Soldaten der USA".
            following = [m for m in in_ctx if m.start >= force.end() and m.entity.category != PLACE]
            if following:
                mention = following[0]
                between = [w.group(0).lower() for w in WORD.finditer(text, force.end(), mention.start)]
                if (between and len(between) <= 2 and between[0] in self._owner_preps) or (not between and mention.genitive):
                    mention = self._organization_named(text, _past_modifier(text, mention, following), in_ctx)
                    return Actor(mention.text, mention.entity, "owner", mention_start=mention.start)
        return None

    def _fallback_actor(self, text: str, rule: CompiledRule, sentence: Sentence, clauses: list[tuple[int, int]],
                        clause_index: int, mentions: list[Mention], attributions: list[Attribution],
                        cue_start: int) -> Actor | None:
        """No actor in the cue clause: earlier clauses (apposition: "Russia's president, Vladimir Putin, denied"),
        the colon lead-in ("Mexiko rückt ab: ... kündigte an, ... zu schicken"), then later clauses
        ("In a major U-turn, Germany agreed ...")."""
        # The speaker of "X said it would ...", "Australia said it would no longer ...": a state or
        # organisation named as the source of the sentence is the one acting when the clause names nobody.
        for attribution in attributions:
            if attribution.position != "after":
                for mention in mentions:
                    if attribution.start <= mention.start < attribution.end and mention.entity.category != PLACE:
                        return Actor(mention.text, mention.entity, "speaker", mention_start=mention.start)
        spans = [] if self._own_subject_after_dash(text, clauses[clause_index][0], cue_start) else [
            clauses[i] for i in range(clause_index - 1, -1, -1)]
        if sentence.lead_start < sentence.start:
            spans.append((sentence.lead_start, sentence.start))
        # A later clause that is the content of the cue ("denied claims that PKK militants ...", "dass ...") or a
        # relative clause names what is denied or sent, never who acts.
        spans.extend(
            (start, end) for start, end in clauses[clause_index + 1:]
            if not self._content_clause(text, clauses, start, end)
        )
        for start, end in spans:
            actor = self._subject(text, end, start, end, mentions, attributions)
            if actor is not None:
                return actor
        return None

    def _own_subject_after_dash(self, text: str, clause_start: int, cue_start: int) -> bool:
        """'Jakarta schickt Soldaten – Rebellen bestreiten Angriff': a dash opens a new statement whose words before
        the cue are its own subject, even one no list knows; the actor of the statement before it is not borrowed."""
        if text[max(0, clause_start - 3):clause_start].strip() not in _DASHES:
            return False
        first = WORD.search(text, clause_start, cue_start)
        # "– eine Kehrtwende gegenüber ...": a noun phrase after the dash comments on the statement before it.
        return first is not None and first.group(0).lower() not in self._conjunctions | self._determiners

    def _content_clause(self, text: str, clauses: list[tuple[int, int]], start: int, end: int) -> bool:
        """Whether the clause at start is opened by a word ("that") or begins with a conjunction or relative pronoun."""
        previous_end = max((e for _, e in clauses if e <= start), default=start)
        if any(ch.isalpha() for ch in text[previous_end:start]):
            return True
        first = WORD.search(text, start, end)
        return bool(first) and first.group(0) in (self._conjunctions | self._relative)

    def _partners(self, text: str, actor: Actor, mentions: list[Mention], attributions: list[Attribution],
                  sentence_start: int) -> list[Actor]:
        """Actors coordinated with this one: 'France, Germany and Italy', 'US- und britische Soldaten'."""
        index = next((i for i, m in enumerate(mentions) if m.start == actor.mention_start), None)
        if index is None:
            return []
        runs: list[list[tuple[Mention, bool]]] = []
        for step in (1, -1):
            run: list[tuple[Mention, bool]] = []  # (mention, joined by a coordinator rather than a comma)
            position = index
            while 0 <= position + step < len(mentions):
                left, right = sorted((mentions[position], mentions[position + step]), key=lambda m: m.start)
                gap = text[left.end:right.start].strip().lower()
                if gap != "," and gap not in self._coordinators:
                    break
                position += step
                run.append((mentions[position], gap != ","))
            runs.append(run)
        # A comma alone lists names only when a coordinator closes the list ("France, Germany and Italy").
        if not any(joined for run in runs for _, joined in run):
            return []
        partners = []
        keys = {actor.entity.key}
        for mention, _ in (pair for run in runs for pair in run):
            if (mention.entity.category != PLACE and mention.entity.key not in keys
                    and not self._excluded(text, mention, attributions, sentence_start)):
                keys.add(mention.entity.key)
                partners.append(Actor(mention.text, mention.entity, actor.via, mention_start=mention.start))
        return partners

    def _stationed_abroad(self, text: str, actor: Actor, location: Place | None) -> bool:
        """'nordkoreanische Soldaten derzeit in Russland': foreign forces placed right after their noun phrase.
        Farther away the place usually belongs to another verb ('Israeli forces detained ... in the West Bank')."""
        if actor.via != "owner" or actor.force_end < 0 or location is None or location.preposition_start < actor.force_end:
            return False
        if location.subdivision:
            return False
        if location.country is None or location.country == actor.entity.country:
            return False
        return len(WORD.findall(text, actor.force_end, location.preposition_start)) <= 2

    def _force_phrase_end(self, text: str, force: re.Match[str]) -> int:
        """End of a run of force words: 'peacekeeping troops', 'special forces units'."""
        end = force.end()
        while (following := self._force.match(text, end + 1)) is not None and text[end:end + 1] == " ":
            end = following.end()
        return end

    def _subject(self, text: str, cue_start: int, ctx_start: int, ctx_end: int, mentions: list[Mention],
                 attributions: list[Attribution], exclude: Mention | None = None) -> Actor | None:
        in_ctx = [m for m in mentions if ctx_start <= m.start < ctx_end and m is not exclude
                  and not self._excluded(text, m, attributions, ctx_start)]
        before = [m for m in in_ctx if m.start < cue_start]
        if (boundary := self._subordinate_end(text, ctx_start, cue_start)) is not None:
            # "Britain sends a destroyer as Houthis deny ...": the cue's subject follows the subordinator (which
            # is then no preposition); the names before it belong to the main clause.
            own = [m for m in mentions if boundary <= m.start < cue_start and m is not exclude
                   and not self._excluded(text, m, attributions, boundary)]
            before = own or before
        # Only verb-second languages put the subject after the verb ("Das bestritt Russland"); in English a
        # name after the cue is its object ("denied that Russian instructors ...").
        # A name known only by its form is no subject there: "... dem Militärbündnis OVKS einzufrieren" is the object.
        after = ([m for m in in_ctx if not m.entity.generic] if self._nouns_capitalized
                 else [m for m in in_ctx if m.start >= cue_start and cue_start >= ctx_end])
        chosen = before[0] if before else (after[0] if after else None)
        if chosen is None:
            return None
        chosen = self._organization_named(text, chosen, mentions)
        return Actor(chosen.text, chosen.entity, "subject", mention_start=chosen.start)

    def _bare_organ(self, text: str, cue_start: int, ctx_start: int, mentions: list[Mention],
                    dominant: DominantState, sentence: Sentence) -> Actor | None:
        """'Die Regierung wies ... zurück', 'The defence ministry rejected ...': an organ named without its state
        opens the clause before the cue; it acts for the state the article is about."""
        if self._organ_nouns is None:
            return None
        words = list(islice(WORD.finditer(text, ctx_start, cue_start), _ORGAN_SUBJECT_WORDS + 3))
        for position, word in enumerate(words[:_ORGAN_SUBJECT_WORDS]):
            # A hyphenated organ counts by its head: "Taliban-Regierung", "Junta-Führung".
            if self._organ_nouns.fullmatch(word.group(0)) or self._organ_nouns.fullmatch(word.group(0).rsplit("-", 1)[-1]):
                if (seat := self._seat_after(text, word, words, position, mentions)) is not None:
                    return Actor(seat.text, seat.entity, "subject", mention_start=seat.start)
                if any(ctx_start <= m.start < cue_start for m in mentions):
                    return None
                state = dominant.get(sentence.start, sentence.end)
                if state is None:
                    return None
                # The organ's name runs over the organ words that follow: "prime minister's office".
                last = position
                while last + 1 < len(words) and self._organ_nouns.fullmatch(_POSSESSIVE.sub("", words[last + 1].group(0))):
                    last += 1
                return Actor(text[word.start():words[last].end()], state, "organ", mention_start=word.start())
            if word.group(0).lower() not in self._determiners and not self._organ_modifier(word.group(0)):
                return None
        return None

    def _seat_after(self, text: str, organ: re.Match[str], words: list[re.Match[str]], position: int,
                    mentions: list[Mention]) -> Mention | None:
        """'Die Taliban-Regierung in Kabul', 'the parliament in Belgrade': the seat after an organ names its state."""
        if position + 2 >= len(words) or words[position + 1].group(0).lower() not in self._location_preps:
            return None
        seat = next((m for m in mentions if m.start == words[position + 2].start()), None)
        if seat is None or seat.entity.category not in (COUNTRY, METONYM) or not seat.entity.country:
            return None
        return seat

    def _organ_modifier(self, word: str) -> bool:
        """A lowercase adjective before an organ noun ('The interim government', 'Die neue Regierung')."""
        return word[0].islower() and not self._nouns_capitalized or (
            self._nouns_capitalized and word[0].islower() and word.lower().endswith(self._adjective_suffixes))

    def _subordinate_end(self, text: str, start: int, end: int) -> int | None:
        """End of the last subordinator between start and end that opens a clause with a new subject
        ("... as Phnom Penh denies"), else None. Only where a capital marks a name: a German noun has one anyway,
        and German subordinate clauses stand after a comma."""
        if self._nouns_capitalized:
            return None
        found = None
        for word in WORD.finditer(text, start, end):
            if word.group(0).lower() not in self._subordinators:
                continue
            following = WORD.search(text, word.end(), end)
            if following is None or text[word.end():following.start()] != " ":
                continue
            if following.group(0)[0].isupper() or following.group(0).lower() in self._determiners:
                found = word.end()
        return found

    @staticmethod
    def _organization_named(text: str, mention: Mention, mentions: list[Mention]) -> Mention:
        """A state qualifying the organisation right after it names that organisation ("die libanesische Hisbollah",
        "Russia's Wagner group"): the organisation acts, not the state."""
        if mention.entity.category not in (DEMONYM_ADJ, COUNTRY, METONYM) or (
                mention.entity.category != DEMONYM_ADJ and not mention.genitive):
            return mention
        following = next((m for m in mentions if m.start > mention.start), None)
        if following is not None and following.entity.category == ORGANIZATION and not text[mention.end:following.start].strip():
            return following
        return mention

    def _build(self, ctx: CueContext, mentions: list[Mention], attributions: list[Attribution], following: Sentence | None,
               dominant: DominantState) -> Candidate | None:
        text, rule, cue, sentence, ctx_start, ctx_end = ctx.text, ctx.rule, ctx.cue, ctx.sentence, ctx.start, ctx.end
        clauses, clause_index = ctx.clauses, ctx.clause_index
        actor = None
        if rule.type == "deployment":
            actor = self._force_owner(text, ctx_start, ctx_end, mentions, attributions)
        if actor is None:
            actor = self._bare_organ(text, cue.start(), ctx_start, mentions, dominant, sentence)
        if actor is None:
            actor = self._subject(text, cue.start(), ctx_start, ctx_end, mentions, attributions)
        if actor is None:
            actor = self._fallback_actor(text, rule, sentence, clauses, clause_index, mentions, attributions, cue.start())
        if actor is None:
            return None
        location = None
        quantity = None
        if rule.type == "deployment":
            location = self.places.location(ctx, mentions, attributions)
            if (location is not None and location.key == actor.entity.key and actor.via == "organ"
                    and (named := self._gazetteer.lookup_place(location.name)) is not None and named.category == COUNTRY):
                return None  # "Luftwaffe verlegt Eurofighter nach Island": the article's state is where they go, not who
            if location is not None and location.key == actor.entity.key and actor.via not in ("owner", "organ"):
                location = None
            if rule.requires_foreign_location and not self._stationed_abroad(text, actor, location):
                return None
            quantity = self.quantities.quantity(text, ctx_start, ctx_end)
        governing = self.attributions.governing(ctx, attributions)
        attribution = self.attributions.source(ctx, governing, actor, following)
        modality = self.scope.modality(ctx, actor, governing[0] if governing else None)
        # Confidence: the rule's base (how specific its cue is, from the lexicon) + 0.10 when the actor owns the
        # force noun ("nordkoreanische Soldaten") + 0.05 for a place + 0.05 for a number - 0.10 when only possible;
        # clamped to 0.05..0.99. Merging adds 0.03 per further supporting sentence.
        confidence = rule.confidence + (0.1 if actor.via == "owner" else 0.0)
        confidence += 0.05 if location is not None else 0.0
        confidence += 0.05 if quantity is not None else 0.0
        confidence -= 0.1 if modality == "possible" else 0.0
        return Candidate(
            type=rule.type, rule=rule.id, actor=actor, location=location, quantity=quantity,
            attribution=attribution, modality=modality, sentence_start=sentence.start, sentence_end=sentence.end,
            lead_start=sentence.lead_start, cue_start=cue.start(), confidence=round(min(0.99, max(0.05, confidence)), 2),
        )


def _past_modifier(text: str, mention: Mention, following: list[Mention]) -> Mention:
    """'troops of the UN-authorised Gang Suppression Force': a name glued to a lowercase word only qualifies the
    name after it, which owns the forces."""
    glued = re.match(r"-[a-zà-ÿ][\w-]*\s+", text[mention.end:mention.end + 40])
    if glued is None:
        return mention
    after = next((m for m in following if m.start == mention.end + glued.end()), None)
    return after or mention


def _lower_same_length(text: str) -> str:
    """text.lower(), unless that changes the length (e.g. 'İ'), in which case offsets would shift."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(ch if len(ch.lower()) != 1 else ch.lower() for ch in text)
