"""Actors a sentence only refers to: whom a pronoun or role noun stands for ('It denied ...', 'The group rejects ...',
'Er wies die Vorwürfe zurück'), named before the cue's sentence, and the state whose forces a sentence counts without
naming their owner. Which words refer, to whom, for which events and how they are read is data: text.json
"referring" (lexicon_schema.Referring)."""

from __future__ import annotations

import re
from itertools import islice, pairwise, takewhile

from .accused import Accused
from .context import Actor, CueContext
from .gazetteer import PERSON, PLACE, Gazetteer, Mention
from .inverted_subjects import InvertedSubjects
from .lexicon import TermCompiler, compile_terms
from .lexicon_referring import Referent
from .lexicon_schema import Lexicon
from .names import POSSESSIVE, Names, unlisted_actor
from .quote_closers import QuoteClosers
from .referent_fits import fits as _fits
from .referent_fits import refers_on, role_noun
from .surnames import Surnames, named_in
from .text import Segmenter, Sentence
from .unlisted_persons import ANTECEDENT_WINDOW, UnlistedPersons
from .words import Vocabulary, may_be_name

# The sentence_opening reading: the sentences before the cue's that are searched, within this many characters.
_MAX_SENTENCES_BACK = 2
_MAX_CHARS_BACK = 600
# Words read from the sentence's start up to the cue: the referring word, its auxiliaries and adverbs, an opener.
# The cues.json class of dative articles ("Dem Sender ARD sagte X:"); optional.
DATIVE_ARTICLE = "DATIVE_ARTICLE"
INDEFINITE_ARTICLE = "INDEFINITE_ARTICLE"  # cues.json: 'ein', 'eine' introduce someone new, never refer back
_MAX_OPENING_WORDS = 6
_MAX_NAME_WORDS = 4  # an unlisted person's name: "Dr Jane Doe"
# The clause reading: words of the clause's opening that may hold the referring word.
_MAX_CLAUSE_WORDS = 16
_AGE = re.compile(r"^\d+-(?=\w)")
ANY_NOUN = "*"  # role_nouns: any noun after an article, in a language that capitalises every noun


class Referents:
    """The referring words of one language (text.json "referring"), compiled once."""

    def __init__(
        self,
        lexicon: Lexicon,
        compiler: TermCompiler,
        vocabulary: Vocabulary,
        *,
        names: Gazetteer,  # finds the names of the text before the cue's sentence
        splitter: Segmenter,  # splits that text into sentences
    ):
        rules, referring = lexicon.text, lexicon.text.referring
        self._vocabulary = vocabulary
        self._gazetteer = names
        self._segmenter = splitter
        self._pronouns: dict[str, Referent] = {w.lower(): kind for w, kind in referring.pronouns.items()}
        self._nouns: dict[str, Referent] = {w.lower(): kind for w, kind in referring.role_nouns.items()}
        self._types = frozenset(referring.event_types)
        # Types whose actor only a pronoun may refer back to ("Dann verhängte er Strafzölle"), not a role noun.
        self._pronoun_types = referring.pronoun_only_types
        self._own_state = compile_terms(compiler, referring.own_state) if referring.own_state else None
        self._in_clause = referring.reading == "clause"
        # sentence_opening: between the referring word and the cue, auxiliaries and adverbs ("It has consistently
        # denied"); before it, conjunctions and particles ("But it denied").
        self._between = {
            w.lower()
            for w in [
                *rules.auxiliaries,
                *rules.passive_auxiliaries,
                *rules.focus_particles,
                *referring.opening_adverbs,
            ]
        }
        self._openers = vocabulary.conjunctions | {w.lower() for w in rules.focus_particles}
        # Words that name no one (articles, pronouns, conjunctions, particles): no part of the name either reading takes.
        self._not_names = Names(lexicon, vocabulary).not_names
        # "X accused Y of ... . It denied ...": the accused denies, listed or not ("Labour has been accused ...").
        self._accused = Accused(lexicon, compiler, vocabulary, self._not_names)
        self._all_pronouns = frozenset(w.lower() for w in rules.pronouns)
        self._representatives = frozenset(w.lower() for w in referring.representatives)
        self._surnames = Surnames(lexicon, vocabulary, names, splitter)
        self._quote_closers = QuoteClosers(lexicon, compiler, vocabulary, splitter)
        self._unlisted = UnlistedPersons(lexicon, vocabulary, names, self._not_names)
        # Conjunctions opening a subordinate clause (not "und", not a relative pronoun): no speaker's main clause.
        coordinators = {w.lower() for w in rules.coordinators}
        self._subordinators = vocabulary.conjunctions - coordinators - {w.lower() for w in rules.relative_pronouns}
        # "Dem Sender ARD sagte X:": a quote lead-in opened by a dative names its speaker after the verb.
        self._datives = {w.lower() for w in lexicon.cues.classes.get(DATIVE_ARTICLE, [])}
        self._inverted = InvertedSubjects(lexicon, compiler, vocabulary)
        self._private = frozenset(w.lower() for w in rules.private_nouns)  # 'Verband': a party of its own
        self._indefinite = frozenset(w.lower() for w in lexicon.cues.classes.get(INDEFINITE_ARTICLE, []))

    def pronoun(self, word: str) -> Referent | None:
        """Whom the word stands for when it is a referring pronoun."""
        return self._pronouns.get(word.lower())

    def role(self, noun: str) -> Referent | None:
        """Whom a role noun after an article stands for ("the agency": an organisation), if it is one."""
        return self._nouns.get(noun.lower())

    # ------------------------------------------------------------------ sentence_opening: 'It denied ...'

    def opening_subject(self, ctx: CueContext) -> Actor | None:
        """The actor the referring word that opens the cue's sentence right before the cue stands for: the first
        fitting name of the sentences before (for denials the accused of an accusation), ahead of any name the
        sentence gives after it."""
        if self._in_clause or ctx.rule.type not in self._types:
            return None
        if ctx.rule.speaker_acts:
            return None  # "It is false that ...": a dummy subject; those rules find their speaker themselves
        referent = self._opening_referent(ctx)
        if referent is None:
            return None
        text, sentence_start = ctx.text, ctx.sentence.lead_start
        earlier = self._segmenter.sentences(text, max(0, sentence_start - _MAX_CHARS_BACK), sentence_start)
        role = role_noun(self._vocabulary.word.findall(text, ctx.sentence.start, ctx.cue_start), self._nouns)
        back = _MAX_SENTENCES_BACK  # and one more for each sentence that only refers to the person ('The singer')
        while (
            referent == "person"
            and back < _MAX_SENTENCES_BACK + 2
            and back < len(earlier)
            and self._refers_on(text, earlier[-back])
        ):
            back += 1
        for sentence in reversed(earlier[-back:]):
            if referent == "person" and role in self._vocabulary.word.findall(text, sentence.start, sentence.end):
                return None  # "X met the president. The president denied ...": the noun stands for whom it named
            found = self._gazetteer.find(text, sentence.start, sentence.end)
            mentions = [m for m in found if _fits(m, referent)]
            if (
                ctx.rule.type == "denial"
                and (accused := self._accused.listed(text, mentions, sentence.start)) is not None
            ):
                return Actor(accused.text, accused.entity, "subject", mention_start=accused.start)
            span = (sentence.start, sentence.end)
            if ctx.rule.type == "denial" and (unlisted := self._accused.unlisted(text, span, found, referent)):
                return unlisted
            if (mention := self._first_actor(text, mentions, sentence.start)) is not None:
                return Actor(mention.text, mention.entity, "subject", mention_start=mention.start)
            if referent == "person" and (person := self._person_named(text, sentence.start, sentence.end)) is not None:
                return person
        return None

    def _opening_referent(self, ctx: CueContext) -> Referent | None:
        """Whom the words from the sentence's start to the cue may stand for, when they are, openers ('But',
        'However,') and auxiliaries or adverbs aside, one referring pronoun or an article and a role noun."""
        if not self._pronouns and not self._nouns:
            return None
        words = [
            w.group(0).lower() for w in self._vocabulary.word.finditer(ctx.text, ctx.sentence.start, ctx.cue_start)
        ][: _MAX_OPENING_WORDS + 1]
        if len(words) > _MAX_OPENING_WORDS:
            return None
        while words and words[0] in self._openers:
            words = words[1:]
        while words and words[-1] in self._between:
            words = words[:-1]
        if len(words) == 1 and words[0] in self._pronouns:
            return self._pronouns[words[0]]
        # "The company", "the former prime minister": an article, up to two modifiers, the role noun.
        if 2 <= len(words) <= 4 and words[0] in self._vocabulary.determiners and words[-1] in self._nouns:
            return self._nouns[words[-1]]
        return None

    def _refers_on(self, text: str, sentence: Sentence) -> bool:
        opening = self._vocabulary.word.findall(text, sentence.start, min(sentence.end, sentence.start + 40))[:2]
        return refers_on(opening, self._vocabulary.determiners, self._nouns)

    def _person_named(self, text: str, start: int, end: int) -> Actor | None:
        return self._opening_name(text, start, end) or self._surnames.titled(text, start, end)

    def _opening_name(self, text: str, start: int, end: int) -> Actor | None:
        """An unlisted person who opens the sentence ('Mr Yadlin said ...', 'Jane Doe has ...'): two to four
        capitalised words, none of them a function word, followed by a lowercase one."""
        words = list(islice(self._vocabulary.word.finditer(text, start, end), _MAX_NAME_WORDS + 1))
        run = list(takewhile(lambda w: may_be_name(w.group(0)) and w.group(0).lower() not in self._not_names, words))
        if not 2 <= len(run) <= _MAX_NAME_WORDS or len(run) == len(words) or POSSESSIVE.search(run[-1].group(0)):
            return None  # one word may be an adverb or a place; "Mr Smith's lawyer" names someone else
        return unlisted_actor(text[run[0].start() : run[-1].end()], run[0].start())

    def _first_actor(self, text: str, mentions: list[Mention], sentence_start: int) -> Mention | None:
        """The first name of the sentence not after a preposition ('by Israel', 'in Gaza' name no subject)."""
        for mention in mentions:
            before = [w.group(0).lower() for w in self._vocabulary.word.finditer(text, sentence_start, mention.start)]
            before = list(self._vocabulary.strip_articles(before))
            if before and before[-1] in self._vocabulary.blocking_preps:
                continue
            return mention
        return None

    # ------------------------------------------------------------------ clause: 'Er wies die Vorwürfe zurück'

    def clause_subject(self, ctx: CueContext) -> Actor | None:
        """When no name in the cue's clause acts and its subject only refers back, the actor named last before."""
        pronoun_only = ctx.rule.type in self._pronoun_types
        if not self._in_clause or not (pronoun_only or ctx.rule.type in self._types):
            return None
        if not pronoun_only:
            # The clause's own pronoun or role noun first ('Er sagt, die Berichte sind falsch' in a quote names Er).
            if (reading := self._clause_referent(ctx)) is not None:
                return self._antecedent(ctx, *reading)
            return self._quote_speaker(ctx) if ctx.rule.speaker_acts else None
        if self._after_determiner(ctx):
            return None  # "Sie könne nach dem Bruch mit ...": the cue is a noun, what the pronoun does is another verb
        referent = self._clause_pronoun(ctx)
        # An officeholder's policy shift or deployment: only a listed actor, who keeps their state's code.
        actor = None if referent is None else self._antecedent(ctx, referent, False, keeps_state=True)
        if actor is None or not actor.entity.country:
            return None  # not a noun the text repeats
        return actor if self._sole_officeholder(ctx, actor) else None

    def _quote_speaker(self, ctx: CueContext) -> Actor | None:
        """Who says a quotation that the cue's sentence goes on with: the first name of the colon lead-in that opened
        it ('Die Ministerin erklärte: „Wir prüfen das. Der Vorwurf ist absurd.“'), when the quote is still open (or, in
        a text without quote marks, when the colon opened the sentence before: QuoteClosers.colon_lead)."""
        text = ctx.text
        if (found := self._quote_closers.colon_lead(ctx, _MAX_CHARS_BACK)) is None:
            return None
        lead, colon = found
        mentions = [m for m in self._gazetteer.find(text, lead, colon) if m.entity.category != PLACE]
        mention = self._first_actor(text, mentions, lead)
        opening = self._vocabulary.word.search(text, lead, colon)
        if mention is not None and opening is not None and opening.group(0).lower() in self._datives:
            # "Dem Sender ARD sagte Olaf Scholz:": the name after the dative is whom it was said to, when a name
            # follows it; an outlet that is no listed name ("Dem Magazin sagte Olaf Scholz:") leaves the speaker first.
            mention = next((m for m in mentions if m.start >= mention.end), mention)
        return None if mention is None else Actor(mention.text, mention.entity, "speaker", mention_start=mention.start)

    def _sole_officeholder(self, ctx: CueContext, actor: Actor) -> bool:
        """Whether a listed person a pronoun stands for is the only one of the sentence naming them, which opens with
        no article: a German 'er' continues that sentence's subject, not the person the subject threatened, warned
        of or met ('Trump drohte Maduro', 'Der Generalstabschef traf Pistorius'; review 17, finding 6)."""
        if actor.entity.category != PERSON:
            return True
        text, vocabulary = ctx.text, self._vocabulary
        start = max(0, actor.mention_start - _MAX_CHARS_BACK)
        earlier = self._segmenter.sentences(text, start, ctx.sentence.start)
        sentence = next((s for s in earlier if s.start <= actor.mention_start < s.end), None)
        if sentence is None:
            return False
        listed = self._gazetteer.find_listed(text, sentence.start, sentence.end)
        people = {m.entity.canonical for m in listed if m.entity.category == PERSON}
        first = vocabulary.word.search(text, sentence.start, sentence.end)
        return people == {actor.entity.canonical} and (
            first is None or first.group(0).lower() not in vocabulary.determiners
        )

    def _antecedent(
        self, ctx: CueContext, referent: Referent, personal: bool, keeps_state: bool = False
    ) -> Actor | None:
        """The actor named last before the cue's sentence whom a referring word of that referent stands for; personal
        (a pronoun, 'seine Anwälte'), also a person the text names only once, when it names no other."""
        listed = self._gazetteer.find_listed(
            ctx.text, max(0, ctx.sentence.start - ANTECEDENT_WINDOW), ctx.sentence.start
        )
        recurring, once = self._unlisted.before(ctx, listed) if referent == "person" else (None, None)
        # 'Höcke', 'Schmyt': a one-word surname named after the others stands for the person meant.
        # An officeholder (keeps_state) is a listed actor, never a bare surname ('im großen Stil Migranten').
        personal_name = referent == "person" and not keeps_state
        surname = self._surnames.last_before(ctx.text, ctx.sentence.start, listed) if personal_name else None
        # A name the cue's clause gives itself is its object, not whom the subject refers to ('Der 50-Jährige hat die
        # Aussagen von Hoeneß dementiert').
        clause = ctx.text[ctx.start : ctx.end]
        recurring, once, surname = (
            None if a is None or named_in(a.name, clause) else a for a in (recurring, once, surname)
        )
        if surname is not None and (recurring is None or surname.mention_start >= recurring.mention_start):
            recurring, once = surname, None  # a pair given once ('Kowalczyk Gelder') is weaker evidence
        mention = next((m for m in reversed(listed) if _fits(m, referent)), None)
        if mention is None:
            return recurring or (once if personal else None)
        if recurring is not None and mention.start <= recurring.mention_start:
            return recurring
        if referent == "person" and not keeps_state:
            # A person denying for themselves: their state's code stays off, as for pleas of innocence.
            return unlisted_actor(mention.text, mention.start)
        return Actor(mention.text, mention.entity, "subject", mention_start=mention.start)

    def _clause_referent(self, ctx: CueContext) -> tuple[Referent, bool] | None:
        """Whom the cue clause's subject stands for when it only refers to someone named earlier: a pronoun ('Er wies
        ... zurück', 'Die Anschuldigungen weist sie zurück') or an article, lowercase adjectives and one role noun
        ('Der Musiker stritt ... ab', 'Die schiitische Miliz bestritt', 'Der 52-Jährige hatte ... zurückgewiesen'),
        opening the clause or right after the finite verb of a clause opened by its object or an adverbial ('Nach
        einer Pause wies der Sänger ... zurück'). A private party's noun ('Der Verband') names no one before."""
        if (pronoun := self._clause_pronoun(ctx) or self._speaker_pronoun(ctx)) is not None:
            return pronoun, True
        text, vocabulary = ctx.text, self._vocabulary
        opening = list(islice(vocabulary.word.finditer(text, ctx.start, ctx.cue_start), _MAX_CLAUSE_WORDS))
        # "Der Musiker", "Der 52-Jährige": an article, then one role noun right before the verb or cue.
        if len(opening) >= 2 and opening[0].group(0).lower() in vocabulary.determiners:
            noun_at = next((i for i, w in enumerate(opening[1:], 1) if not self._adjective(w.group(0))), len(opening))
            phrase = opening[: noun_at + 1] if noun_at < len(opening) else None
            after = opening[noun_at:]
        else:
            phrase = self._inverted.phrase(ctx, self._gazetteer.find(text, ctx.start, ctx.cue_start))
            after = phrase[-1:] if phrase is not None else []
        if phrase is None:
            return None
        noun = phrase[-1]
        any_noun = self._nouns.get(ANY_NOUN) if vocabulary.nouns_capitalized else None
        referent = self._nouns.get(noun.group(0).lower(), any_noun)
        if referent is None or noun.group(0).lower() in self._private or phrase[0].group(0).lower() in self._indefinite:
            return None  # "Der Verband dementierte" denies itself (noun_subjects); "Ein Mitarbeiter" is someone new
        refers = (
            may_be_name(_AGE.sub("", noun.group(0)))  # "Der 52-Jährige": an age noun
            and not noun.group(0).isupper()  # "Die DFL": an acronym names a body
            and noun.group(0).lower() not in self._not_names
            and not any(self._names_someone(text, previous, w) for previous, w in pairwise(after))
            # "Diese Meldungen entbehren ...": the object the rule requires is no one
            and not any(r.search(text, noun.start(), noun.end(), None) for r in ctx.rule.requires)
        )
        # A possessive and a representative ('Seine Anwälte') refer to a person as a pronoun does; an article and a
        # noun ('Die Charité') may be a name themselves.
        personal = phrase[0].group(0).lower() in self._all_pronouns and noun.group(0).lower() in self._representatives
        personal = personal or _AGE.match(noun.group(0)) is not None  # "Der 50-Jährige": a person, as a pronoun is
        return (referent, personal) if refers else None

    def _adjective(self, word: str) -> bool:
        """A lowercase adjective between an article and its noun ('die schiitische Miliz'), where nouns have capitals."""
        return (
            self._vocabulary.nouns_capitalized and word.islower() and word.endswith(self._vocabulary.adjective_suffixes)
        )

    def _speaker_pronoun(self, ctx: CueContext) -> Referent | None:
        """Whom the pronoun that says a speaker's cue stands for, among the first words of the nearest main clause before
        the cue's ('Nun erklärt er, dass die Vorwürfe falsch seien', 'Auch meldet sie sich zu Wort und sagt, ...')."""
        if not ctx.rule.speaker_acts:
            return None
        if (closing := self._quote_closers.pronoun(ctx)) is not None:
            return closing  # "„Die Vorwürfe sind falsch“, sagte er": the pronoun after the quotation speaks
        for start, end in reversed(ctx.clauses[: ctx.clause_index]):
            words = [
                m.group(0) for m in islice(self._vocabulary.word.finditer(ctx.text, start, end), _MAX_OPENING_WORDS)
            ]
            opening = [w.lower() for w in words[:2]]
            if any(w in self._subordinators for w in opening) or (
                bool(words) and words[0] in self._vocabulary.relative
            ):
                continue  # "Als sie gefragt wurde, ...", "nur weil er ...", "denen zufolge er ...": not the speaker's
            # The nearest main clause: its pronoun ("Nun erklärt er"); a noun subject there ("seine Gegner hätten
            # erklärt") is its own speaker.
            return next((self._pronouns[w] for w in (w.lower() for w in words) if w in self._pronouns), None)
        return None

    def _names_someone(self, text: str, previous: re.Match[str], word: re.Match[str]) -> bool:
        """Whether a capitalised word of the clause's opening may be a name ('Der Musiker Sean Combs wies ...'): in a
        language that capitalises every noun, not one after an article, preposition or adjective ('die Vorwürfe')."""
        if not may_be_name(word.group(0)):
            return False
        if not self._vocabulary.nouns_capitalized:
            return True
        return not self._surnames.noun_marker(previous.group(0)) or text[previous.end() : word.start()] != " "

    def _after_determiner(self, ctx: CueContext) -> bool:
        before = self._vocabulary.word.findall(ctx.text, ctx.start, ctx.cue_start)[-1:]
        return bool(before) and before[0].lower() in self._vocabulary.determiners

    def _clause_pronoun(self, ctx: CueContext) -> Referent | None:
        """Whom a pronoun among the cue clause's opening words, or the word after the cue's first word, stands for."""
        text, vocabulary = ctx.text, self._vocabulary
        verb = vocabulary.word.match(text, ctx.cue_start)
        # "Als sie gefragt wurde, ...": after a subordinator the pronoun is that clause's subject, not the verb's.
        verb_first = verb is not None and verb.group(0).lower() not in self._subordinators
        after = vocabulary.word.search(text, verb.end(), ctx.end) if verb is not None and verb_first else None
        opening = list(islice(vocabulary.word.finditer(text, ctx.start, ctx.cue_start), _MAX_CLAUSE_WORDS))
        at = next((i for i, w in enumerate(opening) if w.group(0).lower() in self._pronouns), len(opening))
        # "Er kritisierte die Soldaten, die in Polen stationiert sind": the cue's relative clause has its own subject.
        if any(w.group(0) in vocabulary.relative and text[: w.start()].rstrip().endswith(",") for w in opening[at:]):
            return None
        words = [w.group(0).lower() for w in opening] + ([after.group(0).lower()] if after is not None else [])
        pronoun = next((word for word in words if word in self._pronouns), None)
        return self._pronouns[pronoun] if pronoun is not None else None

    # ------------------------------------------------------------------ who speaks for whom

    def principal(self, ctx: CueContext, actor: Actor) -> Actor:
        """The client of a representative who acts: 'Copperfields Anwälte wiesen ... zurück', 'Naidoos Rechtsanwälte
        ... wiesen die Vorwürfe zurück': lawyers deny for the person named in the genitive right before them. Any
        other actor as it is."""
        if not self._representatives or ctx.rule.type not in self._types or actor.mention_start < 0:
            return actor
        text, word = ctx.text, self._vocabulary.word
        end = actor.mention_start + len(actor.name)
        if text[actor.mention_start : end] != actor.name:
            return actor
        words = list(word.finditer(text, max(ctx.sentence.start, actor.mention_start - 40), end))
        # The representative ends the actor or opens its name ("Grassers Anwalt Manfred Ainedter wies ... zurück").
        at = next((i for i in range(len(words) - 1, 0, -1) if words[i].group(0).lower() in self._representatives), 0)
        if not at or (at < len(words) - 1 and words[at].start() < actor.mention_start):
            return actor
        owner, noun = words[at - 1], words[at]
        name = owner.group(0)
        if text[owner.end() : noun.start()] != " " or not may_be_name(name) or name.lower() in self._not_names:
            return actor
        stem = next(self._vocabulary.genitive_stems(name, min_stem=2), None)
        if stem is None:
            return actor
        return unlisted_actor(stem, owner.start())
