"""Deniers that are no subject before the denial cue: a passive's agent, or the one accused before a back-reference."""

from __future__ import annotations

import re
from itertools import islice, takewhile

from .context import Actor, CueContext, SentenceReading
from .gazetteer import ORGANIZATION, PLACE, Entity, Gazetteer, Mention
from .lexicon import TermCompiler, compile_terms
from .lexicon_schema import Lexicon
from .names import names_the_object
from .noun_subjects import NounSubjects
from .participle_subjects import ParticipleSubjects
from .relative_subjects import RelativeSubjects
from .seated_organs import SeatedOrgans
from .shared_subjects import SharedSubjects
from .speakers import MAX_SPEAKER_WORDS, Speakers, name_run, titled_person
from .spokespeople import Spokespeople
from .words import Vocabulary

_MAX_RELATIVE_WORDS = 8  # words before the cue read for "an accusation the group has denied"
_MAX_RELATIVE_CHARS = 120  # and the characters they may span
_AGENT_WORDS = 3 + MAX_SPEAKER_WORDS  # "by", an article, the name and one word to see that it ends
_MAX_VERDICT_WORDS = 3
_MAX_ASIDE_CLAUSES = 2  # clauses an aside between a subject and its verb may hold ("der, wie es heißt, ...")  # a coordinated verdict before a passive agent: 'and "wholly irresponsible" by'


class Deniers:
    """The passive-agent prepositions and accusation verbs of one language (text.json), compiled once."""

    def __init__(
        self,
        lexicon: Lexicon,
        compiler: TermCompiler,
        vocabulary: Vocabulary,
        noun_subjects: NounSubjects,
        gazetteer: Gazetteer,
    ):
        rules = lexicon.text
        self._vocabulary, self._kin = vocabulary, noun_subjects
        self._speakers = Speakers(lexicon, vocabulary)
        self._passive_agents = {w.lower() for w in rules.passive_agents}
        self._coordinators = {w.lower() for w in rules.coordinators if " " not in w}
        self._accusation = compile_terms(compiler, rules.accusation_verbs) if rules.accusation_verbs else None
        self._role_nouns = {w.lower(): kind for w, kind in rules.referring.role_nouns.items()}
        self._not_names = self._speakers.not_names
        self._participle = ParticipleSubjects(lexicon, vocabulary, self._not_names)
        self._list_pronouns = {w.lower() for w in rules.pronouns} - self._vocabulary.determiners
        self._auxiliaries = {w.lower() for w in rules.auxiliaries}
        # Question words opening a verb-final clause ("..., was die Partei dementierte", "..., wie der Verband
        # bestritt"; cues.json QUESTION_OPENER): the noun phrase after them is its subject, which a relative pronoun
        # ("der die Vorwürfe bestreitet") may be itself.
        self._relative_openers = {w.lower() for w in lexicon.cues.classes.get("QUESTION_OPENER", [])}
        self._verb_second = lexicon.grammar.verb_second
        self._shared = SharedSubjects(lexicon, vocabulary, self._not_names)
        self._seated = SeatedOrgans(vocabulary, gazetteer, self._auxiliaries)
        self._relative_subjects = RelativeSubjects(lexicon, vocabulary, self._not_names)
        self._spokespeople = Spokespeople(lexicon, vocabulary, self._auxiliaries)
        # The nouns a denial's object may be ({REPORT_OBJ}, where the lexicon has them) open a relative clause too.
        self._introducers = (
            compile_terms(compiler, ["{REPORT_OBJ}", "something"]) if "REPORT_OBJ" in lexicon.cues.classes else None
        )

    def denier(self, ctx: CueContext, reading: SentenceReading) -> Actor | None:
        """A denial's actor the subject search would miss: the agent of a passive ('a claim rejected by the UN'),
        or the accused when a clause without a name of its own denies an accusation made before it ('Israel
        accused Hamas of ..., which the group denies')."""
        if ctx.rule.type != "denial":
            return None
        if ctx.rule.speaker_acts and (speaker := self._speakers.speaker(ctx, reading)) is not None:
            return speaker
        readers = (
            self._kin.kin,
            self._kin.modified,
            self._agent_or_accused,
            self._relative_denier,
            self._inverted_organ,
            self._seated.organ,
            self._spokespeople.organisation,
            self._relative_noun,
            self._inverted_unlisted,
            self._name_before_aside,
            self._after_fronted_pronoun,
            self._shared.subject,
            self._participle.subject,
            self._relative_subjects.antecedent,
        )  # in this order: the first that names someone
        return next((actor for read in readers if (actor := read(ctx, reading)) is not None), None)

    def _inverted_unlisted(self, ctx: CueContext, reading: SentenceReading) -> Actor | None:
        """'Die Vorwürfe gegen sie hat Kellermann immer bestritten': a clause opened by the denied claim (an article and a
        claim noun) has its subject right after the finite verb, for rules that require no claim noun (those that do
        are read by Names' inverted subject); the capitalised words there, when no name the lists know stands in the
        clause."""
        vocabulary, text = self._vocabulary, ctx.text
        if not self._verb_second or ctx.rule.requires or self._introducers is None:
            return None
        if any(ctx.start <= m.start < ctx.end for m in reading.mentions):
            return None
        opening = list(islice(vocabulary.word.finditer(text, ctx.start, ctx.cue_start), _MAX_RELATIVE_WORDS + 1))
        verb = next((w for w in opening if w.group(0).lower() in self._auxiliaries), None)
        if verb is None and len(opening) == 2:
            verb = vocabulary.word.match(text, ctx.cue_start)  # "Die Vorwürfe dementierte X": the cue is the verb
        if (
            verb is None
            or len(opening) > _MAX_RELATIVE_WORDS
            or opening[0].group(0).lower() not in vocabulary.determiners
        ):
            return None
        if len(opening) < 2 or self._introducers.fullmatch(opening[1].group(0)) is None:
            return None  # the clause must open with the claim: "Die Vorwürfe ..."
        after = list(islice(vocabulary.word.finditer(text, verb.end(), ctx.end), MAX_SPEAKER_WORDS + 1))
        if verb.start() < ctx.cue_start:
            after = [w for w in after if w.start() < ctx.cue_start]
        if not after or after[0].start() != verb.end() + 1:
            return None
        return self._timeless(name_run(text, after, self._not_names))

    def _timeless(self, run: Actor | None) -> Actor | None:
        """The name, unless a word of it is a time word ('Anfang der Woche', 'Montag'): an adverbial, no subject."""
        if run is None or any(w.lower() in self._vocabulary.time_words for w in run.name.split()):
            return None
        return run

    def _after_fronted_pronoun(self, ctx: CueContext, reading: SentenceReading) -> Actor | None:
        """'Das dementierte Tom Berger am Montag', 'Dem widersprach Tom Berger', 'Das weist Tom Berger zurück': where
        the verb comes second, a clause opened by a lone pronoun object and the finite verb (an auxiliary or the cue's
        verb) has its subject right after the verb; an unlisted name of two to four capitalised words there (no time
        word), for rules that require no claim noun, when no name the lists know stands in the clause."""
        vocabulary, text = self._vocabulary, ctx.text
        if not self._verb_second or ctx.rule.requires:
            return None
        if any(ctx.start <= m.start < ctx.end for m in reading.mentions):
            return None
        words = list(islice(vocabulary.word.finditer(text, ctx.start, ctx.end), 2 + MAX_SPEAKER_WORDS + 1))
        if len(words) < 4 or words[0].group(0).lower() not in vocabulary.determiners:
            return None
        verb = words[1]
        if verb.group(0).lower() not in self._auxiliaries and not ctx.cue_start <= verb.start() < ctx.cue.end():
            return None
        if text[verb.end() : words[2].start()] != " ":
            return None
        run = self._timeless(name_run(text, words[2:], self._not_names))
        return run if run is not None and len(run.name.split()) >= 2 else None

    def _name_before_aside(self, ctx: CueContext, reading: SentenceReading) -> Actor | None:
        """'Tom Berger, der seit Jahren in Köln lebt, wies die Vorwürfe zurück', 'Tom Berger, 52, bestreitet ...':
        where the verb comes second, a clause that opens with the finite verb right after an aside set off by commas
        has its subject before the aside, when that first clause is only an unlisted name (two to four capitalised
        words, no article, preposition or time word) or a private party's noun after its article ("Der Verein, der
        ..."); the aside may name places only."""
        vocabulary, text, clauses, index = self._vocabulary, ctx.text, ctx.clauses, ctx.clause_index
        if not self._verb_second or not 2 <= index <= _MAX_ASIDE_CLAUSES + 1:
            return None
        if text[clauses[0][1] : clauses[1][0]].strip() != "," or text[clauses[index - 1][1] : ctx.start].strip() != ",":
            return None
        opening = list(islice(vocabulary.word.finditer(text, ctx.start, ctx.cue_start), 2))
        if opening and opening[0].group(0).lower() not in self._auxiliaries:
            return None  # the clause must open with its finite verb (the cue or an auxiliary)
        if any(
            m.start < ctx.start
            and m.entity.category != PLACE
            and not (m.start >= clauses[0][1] and _word_before(vocabulary, text, m.start) in vocabulary.location_preps)
            for m in reading.mentions
            if m.start >= ctx.sentence.start
        ):
            return None  # a listed name before the verb (a capital where the aside says "in Berlin" is a place)
        words = list(islice(vocabulary.word.finditer(text, ctx.sentence.start, clauses[0][1]), MAX_SPEAKER_WORDS + 1))
        if (head := self._kin.bare_head(text, words)) is not None:
            return head  # "Der Verein, der seit Jahren ..., dementiert": a private party's noun
        closed = vocabulary.determiners | vocabulary.location_preps | vocabulary.blocking_preps | vocabulary.time_words
        if not 2 <= len(words) <= MAX_SPEAKER_WORDS or any(w.group(0).lower() in closed for w in words):
            return None
        run = name_run(text, words, self._not_names)
        return run if run is not None and len(run.name.split()) == len(words) else None

    def _relative_noun(self, ctx: CueContext, reading: SentenceReading) -> Actor | None:
        """'..., was die Partei allerdings dementierte', '..., wie der Verband bestritt': where every noun has a
        capital, a verb-final clause opened by a question word whose subject is an article and a noun (lowercase
        adjectives before it, only lowercase words after it) denies by that noun: a bare organ for the article's
        state, else the noun phrase as an unlisted body; not a claim noun, and not when a listed name stands there
        (the subject stages' reading)."""
        vocabulary, text = self._vocabulary, ctx.text
        if not vocabulary.nouns_capitalized:
            return None
        clause_start = ctx.clauses[ctx.clause_index][0]
        words = list(islice(vocabulary.word.finditer(text, clause_start, ctx.cue_start), _MAX_RELATIVE_WORDS + 1))
        if len(words) < 3 or len(words) > _MAX_RELATIVE_WORDS or words[0].group(0) not in self._relative_openers:
            return None
        if words[1].group(0).lower() not in vocabulary.determiners:
            return None
        position = 2
        while position < len(words) and words[position].group(0)[0].islower():
            if not words[position].group(0).endswith(vocabulary.adjective_suffixes):
                return None
            position += 1
        if position >= len(words) or any(w.group(0)[0].isupper() for w in words[position + 1 :]):
            return None
        noun = words[position]
        if names_the_object(vocabulary.word, ctx, noun.start(), noun.end()) or (
            self._introducers is not None and self._introducers.fullmatch(noun.group(0))
        ):
            return None  # "was die Vorwürfe betrifft": the claim, not who denies it
        if any(words[1].start() <= m.start < noun.end() for m in reading.mentions):
            return None
        if vocabulary.organ_nouns is not None and vocabulary.organ_nouns.fullmatch(noun.group(0)):
            return reading.dominant.organ(noun.group(0), noun.start(), ctx.sentence)
        name = text[words[2].start() : noun.end()]
        return Actor(name, Entity(name, None, ORGANIZATION, ORGANIZATION, generic=True), "subject", words[2].start())

    def _inverted_organ(self, ctx: CueContext, reading: SentenceReading) -> Actor | None:
        """'Dem widersprach das Ministerium', 'Diese Darstellung wies die Regierung zurück', 'Am Montag dementierte
        das Außenministerium ...': where the verb comes second and the clause opens with the object or an adverbial,
        a bare organ right after the finite verb (or after the cue that holds it) is the subject; it acts for the
        state the article is about, as a bare organ opening the clause does. Only when the clause names no one."""
        vocabulary, text = self._vocabulary, ctx.text
        organs = vocabulary.organ_nouns
        if not self._verb_second or organs is None:
            return None
        if any(ctx.start <= m.start < ctx.end for m in reading.mentions):
            return None  # a name in the clause: the subject stages' ("Dem widersprach Moskau")
        opening = list(islice(vocabulary.word.finditer(text, ctx.start, ctx.cue_start), _MAX_RELATIVE_WORDS + 1))
        verb = next((w for w in opening if w.group(0).lower() in self._auxiliaries), None)
        first = vocabulary.word.match(text, ctx.cue_start)
        for anchor in (verb, first, None):
            end = anchor.end() if anchor is not None else ctx.cue.end()
            before = list(vocabulary.word.finditer(text, ctx.start, end))[:-1] if anchor is not None else opening
            if len(before) > _MAX_RELATIVE_WORDS or any(organs.fullmatch(w.group(0)) for w in before):
                continue  # the clause opens with its subject, or too long an opening to be sure
            following = list(islice(vocabulary.word.finditer(text, end, ctx.end), 3))
            while following and (
                following[0].group(0).lower() in vocabulary.determiners
                or (
                    following[0].group(0)[0].islower() and following[0].group(0).endswith(vocabulary.adjective_suffixes)
                )
            ):
                following = following[1:]
            if not following or any(not (ch.isalnum() or ch in " -") for ch in text[end : following[0].start()]):
                continue  # the noun must follow the verb in the same phrase
            noun = following[0].group(0)
            if organs.fullmatch(noun) or organs.fullmatch(noun.rsplit("-", 1)[-1]):
                return reading.dominant.organ(noun, following[0].start(), ctx.sentence)
        return None

    def _agent_or_accused(self, ctx: CueContext, reading: SentenceReading) -> Actor | None:
        text, word, mentions = ctx.text, self._vocabulary.word, reading.mentions
        # A cue may end on its agent's preposition ("has been disputed by"): the agent is read from that word on;
        # not where the speaker denies ("grossly distorted by X": X is who distorts).
        last = [] if ctx.rule.speaker_acts else list(word.finditer(text, ctx.cue.start(), ctx.cue.end()))[-1:]
        start = last[0].start() if last and last[0].group(0).lower() in self._passive_agents else ctx.cue.end()
        after = list(islice(word.finditer(text, start, ctx.sentence.end), _AGENT_WORDS))
        after = self._past_coordinated_verdict(text, after, ctx.sentence.end)
        if after and after[0].group(0).lower() in self._passive_agents:
            rest = after[1:]
            # "denied by both Labour and ...": a pronoun that opens a list ('both', 'all') stands before the agent.
            if len(rest) > 1 and rest[0].group(0).lower() in self._list_pronouns:
                rest = rest[1:]
            if rest and rest[0].group(0).lower() in self._vocabulary.determiners:
                rest = rest[1:]
            agent = _mention_at(mentions, rest[0].start()) if rest else None
            agent = agent or titled_person(text, rest, mentions, self._vocabulary.organ_nouns)
            # A place's name may run on into a body's: "by the Tel Aviv Stock Exchange" is no place.
            if agent is not None and not (agent.entity.category == PLACE and text[agent.end : agent.end + 2].istitle()):
                return Actor(agent.text, agent.entity, "subject", mention_start=agent.start)
            if (
                not self._vocabulary.nouns_capitalized
                and (unlisted := name_run(text, rest, self._not_names, truncated=len(after) == _AGENT_WORDS))
                is not None
            ):
                return unlisted  # "a claim denied by Haniyeh", "called inaccurate by the Tel Aviv Stock Exchange"
            if agent is None and (party := self._kin.agent(text, rest)) is not None:
                return party
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

    def _past_coordinated_verdict(self, text: str, after: list[re.Match[str]], end: int) -> list[re.Match[str]]:
        """'called "inaccurate" and "irresponsible" by the exchange': the words after a verdict's coordinator
        (lowercase, a few at most) stand between the cue and its passive agent; the words from that agent on."""
        if not after or after[0].group(0).lower() not in self._coordinators:
            return after
        verdict = list(islice(takewhile(lambda w: w.group(0)[0].islower(), after[1:]), _MAX_VERDICT_WORDS + 1))
        agent = next((w for w in verdict[1:] if w.group(0).lower() in self._passive_agents), None)
        if agent is None:
            return after
        return list(islice(self._vocabulary.word.finditer(text, agent.start(), end), _AGENT_WORDS))

    def _relative_denier(self, ctx: CueContext, reading: SentenceReading) -> Actor | None:
        """'... - an accusation the group has denied', '..., which organisers have denied', 'something the UN
        rejects': where the subject comes first (English), the noun phrase between a relative pronoun or the claim's
        noun and the cue (up to an auxiliary) denies; a listed name heading it as listed, else its words."""
        vocabulary = self._vocabulary
        if self._introducers is None or vocabulary.nouns_capitalized:
            return None
        start = max(ctx.sentence.start, ctx.cue_start - _MAX_RELATIVE_CHARS)
        words = list(vocabulary.word.finditer(ctx.text, start, ctx.cue_start))[-_MAX_RELATIVE_WORDS:]
        lowered = [w.group(0).lower() for w in words]
        opener = max((i for i, w in enumerate(words) if self._introduces(w, lowered[i])), default=None)
        if opener is None or any(ch in ctx.text[words[opener].end() : ctx.cue_start] for ch in ",;:()"):
            return None
        phrase = words[opener + 1 :]
        if phrase and phrase[0].group(0).lower() in vocabulary.relative:
            phrase = phrase[1:]  # "a claim that the group denied"
        aux = next((i for i, w in enumerate(phrase) if w.group(0).lower() in self._auxiliaries), None)
        if aux is not None and any(w.group(0)[0].isupper() for w in phrase[aux:]):
            return None
        determined = bool(phrase) and phrase[0].group(0).lower() in vocabulary.determiners
        if (
            len(phrase) > determined
            and (
                (named := _mention_at(reading.mentions, phrase[int(determined)].start())) is not None
                and named.entity.category != PLACE
                # The name ends the phrase, lowercase adverbs aside: "which the UN categorically rejects".
                and all(
                    w.group(0)[0].islower()
                    for w in phrase[: len(phrase) if aux is None else aux]
                    if w.start() >= named.end
                )
                and (aux is None or aux == 0 or phrase[aux - 1].end() <= named.end)
            )
        ):
            return Actor(named.text, named.entity, "subject", mention_start=named.start)
        # Without an auxiliary only a determiner and one word are sure to be the phrase ("something the group denies").
        if aux is None and not determined and phrase and phrase[0].group(0)[0].islower():
            return (
                None  # "claims were denied": one lowercase word before the cue is a verb, unless an auxiliary follows
            )
        phrase = phrase[:aux] if aux is not None else phrase[: 1 + determined]
        if (
            not phrase
            or len(phrase) > MAX_SPEAKER_WORDS
            or phrase[-1].end() != (words[-1].end() if aux is None else phrase[-1].end())
        ):
            return None
        if any(w.group(0).lower() in self._not_names for w in phrase[int(determined) :]):
            return None  # "which it denies", "which also rejected": a pronoun or particle names no one
        head = next((m for m in reading.mentions if m.start <= phrase[-1].start() < m.end), None)
        if head is not None and head.entity.category != PLACE:
            return Actor(head.text, head.entity, "subject", mention_start=head.start)
        if (
            determined
            and len(phrase) == 2
            and (before := self._named_before(ctx, reading, words[opener].start(), phrase))
        ):
            return before
        name = ctx.text[phrase[0].start() : phrase[-1].end()]
        if len(phrase) == 1 and not determined and phrase[0].group(0)[0].isupper():
            return None  # one capitalised word the lists lack: more likely an adverb or a place than a denier
        entity = Entity(name, None, ORGANIZATION, ORGANIZATION, generic=True)
        return Actor(name, entity, "subject", mention_start=phrase[0].start())

    def _named_before(
        self, ctx: CueContext, reading: SentenceReading, opener: int, phrase: list[re.Match[str]]
    ) -> Actor | None:
        """'... used by Hamas, which the group rejected', '..., something the company denies': an article and an
        organisation's role noun (text.json referring) stand for the last organisation the sentence names before
        the relative clause opens."""
        if self._role_nouns.get(phrase[-1].group(0).lower()) != "organisation":
            return None
        before = [m for m in reading.mentions if ctx.sentence.start <= m.start and m.end <= opener]
        named = next((m for m in reversed(before) if m.entity.category == ORGANIZATION), None)
        if named is None or any(
            w.group(0)[0].isupper() for w in self._vocabulary.word.finditer(ctx.text, named.end, opener)
        ):
            return (
                None  # "Somerset Council's building let to Elbit Systems UK, ... the company": an unlisted name nearer
            )
        return Actor(named.text, named.entity, "subject", mention_start=named.start)

    def _introduces(self, word: re.Match[str], lowered: str) -> bool:
        """A relative pronoun or a claim's noun ('accusation', 'something') that opens a relative clause."""
        return (word.group(0) in self._vocabulary.relative and lowered != "that") or (
            self._introducers is not None and self._introducers.fullmatch(word.group(0)) is not None
        )


def _mention_at(mentions: list[Mention], start: int) -> Mention | None:
    return next((m for m in mentions if m.start == start), None)


def _word_before(vocabulary: Vocabulary, text: str, start: int) -> str:
    """The word before start, lowercased ('' at the text's start), read with the language's word pattern."""
    words = list(vocabulary.word.finditer(text, max(0, start - 16), start))
    return words[-1].group(0).lower() if words else ""
