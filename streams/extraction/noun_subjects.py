"""A denial whose subject is a common noun phrase naming a private party ('The family denied the reports', 'A senior
doctor rejected the claims', 'Three people have denied the charges'): when no stage finds a name for it, the noun
phrase itself denies; in German ('Die Verteidigung beteuerte, ...', 'Der Verband dementierte ...') its head noun. Which
head nouns name such a party is data: text.json private_nouns (not the referring role_nouns: 'the party', 'the group',
'der Sänger' stand for a name given before, which the labels give, not the noun)."""

from __future__ import annotations

import re
from collections.abc import Collection
from itertools import islice

from .context import Actor, CueContext, SentenceReading
from .inverted_subjects import InvertedSubjects
from .lexicon import TermCompiler
from .lexicon_schema import Lexicon
from .names import unlisted_actor
from .words import Vocabulary

_MAX_SUBJECT_WORDS = 5  # "A senior doctor at the hospital" is too long; "the two families" is not
_MAX_OPENING_WORDS = 9  # opener, article, adjectives, noun, auxiliaries and adverbs before the cue
_MAX_MODIFIED_WORDS = 18  # the noun phrase with a phrase after it ("A nurse at the clinic in ... has")
KIN_NOUNS = "KIN_NOUNS"
SAID = "SAID"  # cues.json: the speech verbs ('say', 'insisted')


class NounSubjects:
    """The head nouns of private parties and the words that may stand between a subject and its verb, compiled once."""

    def __init__(self, lexicon: Lexicon, vocabulary: Vocabulary, compiler: TermCompiler):
        rules = lexicon.text
        self._vocabulary = vocabulary
        self._inverted = InvertedSubjects(lexicon, compiler, vocabulary)
        self._heads = {w.lower() for w in rules.private_nouns}
        openers = vocabulary.conjunctions | vocabulary.time_words | {w.lower() for w in rules.focus_particles}
        self._openers = openers - vocabulary.determiners
        self._kin_openers = openers | vocabulary.determiners  # a relative's noun phrase may open with an article
        self._numbers = {w.lower() for w in lexicon.numbers.words}
        self._kin = {w.lower() for w in lexicon.cues.classes.get(KIN_NOUNS, [])}
        # Words that open a phrase after a head noun ('of', 'at', 'inside'): where no verb can stand. A representative's
        # link ('lawyer for X', 'a lawyer representing X') names the client, who denies (text.json private_phrases).
        phrases = rules.private_phrases
        self._representing = {w.lower() for w in phrases.representative_links}
        self._post_openers = vocabulary.location_preps | vocabulary.blocking_preps
        self._participle_endings = tuple(w.lower() for w in phrases.participle_endings)
        # Verbs after the phrase that give the cue a subject of its own ('say', 'believed', 'urged'): data only.
        self._speech = {m.term.lower() for m in lexicon.markers.attribution if " " not in m.term and "*" not in m.term}
        self._speech |= {w.lower() for w in lexicon.cues.classes.get(SAID, []) if " " not in w}
        self._speech |= {w.lower() for w in phrases.clause_verbs}
        self._verb_leads = vocabulary.adverbials | {w.lower() for w in phrases.verb_leads}
        self._name_links = self._post_openers | vocabulary.bystander_preps  # prepositions that govern a name
        self._gerund_endings = tuple(w.lower() for w in rules.gerund_endings)

    def kin(self, ctx: CueContext, reading: SentenceReading) -> Actor | None:
        """'The Greek minister's wife denied the reports': a relative named by a genitive denies for herself, not
        for the one named (as a lawyer would, referents.principal): the noun phrase opening the clause, its head a
        KIN_NOUNS word (cues.json) right after the genitive (a lowercase word or two between at most)."""
        vocabulary, text = self._vocabulary, ctx.text
        if ctx.rule.type != "denial" or not self._kin or vocabulary.nouns_capitalized:
            return None
        words = self._opening_phrase(ctx, self._kin_openers, self._kin)
        if words is None or len(words) < 2 or words[-1].group(0).lower() not in self._kin:
            return None
        genitives = vocabulary.genitive_suffixes
        owner = next((i for i in range(len(words) - 2, -1, -1) if words[i].group(0).endswith(genitives)), None)
        if owner is None or len(words) - owner > 4 or any(w.group(0)[0].isupper() for w in words[owner + 1 :]):
            return None
        return unlisted_actor(text[words[0].start() : words[-1].end()], words[0].start())

    def _opening_phrase(
        self, ctx: CueContext, openers: Collection[str], heads: Collection[str], limit: int = _MAX_OPENING_WORDS
    ) -> list[re.Match[str]] | None:
        """The words opening the cue's clause before the cue, its opening words (openers) and the adverbs and
        auxiliaries before the cue that are no head aside; None when the stretch is longer than limit words or holds
        punctuation."""
        text, word = ctx.text, self._vocabulary.word
        clause_start = ctx.clauses[ctx.clause_index][0]
        words = list(islice(word.finditer(text, clause_start, ctx.cue_start), limit + 1))
        if len(words) > limit or any(ch in text[clause_start : ctx.cue_start] for ch in ',;:()"“”'):
            return None
        while words and words[0].group(0).lower() in openers:
            words = words[1:]
        while words and words[-1].group(0).lower() not in heads and self._adverbial(words[-1].group(0)):
            words = words[:-1]
        return words

    def subject(self, ctx: CueContext, reading: SentenceReading) -> Actor | None:
        """The noun phrase opening the cue's clause right before a denial cue, when its head is a private party's
        noun and no name stands in it: an article, a number word or nothing, lowercase modifiers, the head noun (its
        auxiliaries and adverbs between it and the cue aside)."""
        vocabulary, text = self._vocabulary, ctx.text
        if ctx.rule.type != "denial" or not self._heads:
            return None
        if vocabulary.nouns_capitalized:
            return self._capitalized_subject(ctx, reading)
        clause_start = ctx.clauses[ctx.clause_index][0]
        if any(clause_start <= m.start < ctx.cue_start for m in reading.mentions):
            return None  # a name there: the actor stages' reading (the phrase's is read before them, see modified)
        words = self._opening_phrase(ctx, self._openers, self._heads)
        if not words or len(words) > _MAX_SUBJECT_WORDS or words[-1].group(0).lower() not in self._heads:
            return self._post_modified(ctx, reading)
        first = 1 if self._leads(words[0].group(0)) else 0
        modifiers = words[first:-1]
        if any(
            not w.group(0).replace("-", "").isalpha() or (w.group(0)[0].isupper() and w.start() != ctx.sentence.start)
            for w in modifiers
        ):
            return None  # "The BBC's reporter", "the Gaza doctors": a name or an owner reads otherwise
        if first == 0 and len(words) > 2:
            return None  # no article, one word before the noun at most ("Aid workers"): "Police say families" is a verb
        named = words[1:] if words[0].group(0).lower() in vocabulary.determiners else words  # "the family": family
        return unlisted_actor(text[named[0].start() : named[-1].end()], named[0].start())

    def modified(self, ctx: CueContext, reading: SentenceReading) -> Actor | None:
        """The noun phrase with a phrase after it (see _post_modified) when a name stands in that phrase: read before
        the actor stages, which would take the name ('A woman accused of backing X has denied ...': not X)."""
        if ctx.rule.type != "denial" or not self._heads or self._vocabulary.nouns_capitalized:
            return None
        clause_start = ctx.clauses[ctx.clause_index][0]
        if not any(clause_start <= m.start < ctx.cue_start for m in reading.mentions):
            return None
        return self._post_modified(ctx, reading)

    def _post_modified(self, ctx: CueContext, reading: SentenceReading) -> Actor | None:
        """'A senior doctor working at the clinic denied ...', 'The families of the three reporters ... have rejected':
        an article or number, at most two lowercase modifiers and a private party's noun open the cue's clause, and a
        phrase after the noun (opened by a preposition or a participle, no representative's link, no punctuation, no
        speech or clause verb) runs to the cue (its auxiliaries and adverbs aside); the noun phrase denies, not a name
        in the phrase after it, unless that name is the cue's own subject ('The parents watched Israel deny')."""
        text, vocabulary = ctx.text, self._vocabulary
        clause_start = ctx.clauses[ctx.clause_index][0]
        words = self._opening_phrase(ctx, self._openers, (), _MAX_MODIFIED_WORDS)
        if words is None or len(words) < 4 or not self._leads(words[0].group(0)):
            return None
        head = next((i for i in range(1, 4) if words[i].group(0).lower() in self._heads), None)
        if head is None or head + 1 >= len(words) or not all(w.group(0).islower() for w in words[1 : head + 1]):
            return None
        after = words[head + 1].group(0).lower()
        if after in self._representing:
            return None  # "A lawyer representing Iran denied ...": the client's denial (the actor stages')
        if after not in self._post_openers and not (after.isalpha() and after.endswith(self._participle_endings)):
            return None
        if any(clause_start <= m.start < words[head + 1].start() for m in reading.mentions):
            return None  # "The Israeli doctors at ...": a name before the phrase is the actor stages'
        if any(w.group(0).lower() in self._speech for w in words[head + 1 :]):
            return None  # "The family of the soldier said the army denied ...": the cue has a subject of its own
        if any(self._own_subject(ctx, words, m.start, m.end) for m in reading.mentions if words[head].end() < m.start):
            return None  # "The parents watched Israel deny ...": a finite verb before the name, the cue's subject
        named = words[1 : head + 1] if words[0].group(0).lower() in vocabulary.determiners else words[: head + 1]
        return unlisted_actor(text[named[0].start() : named[-1].end()], named[0].start())

    def _own_subject(self, ctx: CueContext, words: list[re.Match[str]], start: int, end: int) -> bool:
        """The name at text[start:end] is the cue's own subject: only auxiliaries, modals and 'to' stand between it and
        the cue ('hoped Iran would reject', 'watched Israel deny'), and no preposition or gerund governs it ('accused
        of backing Hezbollah has denied', 'links to Hezbollah has denied' keep the noun phrase)."""
        if start >= ctx.cue_start:
            return False
        between = self._vocabulary.word.findall(ctx.text, end, ctx.cue_start)
        if not all(w.lower() in self._verb_leads for w in between):
            return False
        before = [w.group(0).lower() for w in words if w.end() <= start]
        return bool(before) and before[-1] not in self._name_links and not before[-1].endswith(self._gerund_endings)

    def agent(self, text: str, words: list[re.Match[str]]) -> Actor | None:
        """'disputed by some local campaigners', 'denied by the family': the words after a passive's agent
        preposition (its article aside), lowercase modifiers and a private party's noun, when no capital stands there."""
        if self._vocabulary.nouns_capitalized or not self._heads:
            return None
        head = next((i for i, w in enumerate(words[:3]) if w.group(0).lower() in self._heads), None)
        if head is None or any(
            not w.group(0).replace("-", "").isalpha() or not w.group(0)[0].islower() for w in words[: head + 1]
        ):
            return None
        return unlisted_actor(text[words[0].start() : words[head].end()], words[0].start())

    def _capitalized_subject(self, ctx: CueContext, reading: SentenceReading) -> Actor | None:
        """Where every noun has a capital ('Die Familie des Sängers wies ... zurück', 'Die Verteidigung beteuerte,
        es handle sich um ...'): an article, lowercase adjectives and the head noun open the cue's clause (or, for a
        rule whose speaker acts, the sentence's first clause, its verb last), a genitive phrase after the head aside,
        or follow the finite verb of a clause opened by its object or an adverbial; the head noun denies."""
        vocabulary, text = self._vocabulary, ctx.text
        spans = [(ctx.clauses[ctx.clause_index][0], ctx.cue_start)]
        if ctx.rule.speaker_acts and ctx.clause_index > 0:
            spans.append(ctx.clauses[0])
        for start, end in spans:
            if any(start <= m.start < end for m in reading.mentions):
                continue  # a name there: the actor stages' reading
            words = list(islice(vocabulary.word.finditer(text, start, end), _MAX_OPENING_WORDS + 1))
            if len(words) > _MAX_OPENING_WORDS or any(ch in text[start:end] for ch in ';:()"“”„«»'):
                continue
            while words and words[0].group(0).lower() in self._openers:
                words = words[1:]
            if len(words) < 2 or words[0].group(0).lower() not in vocabulary.determiners:
                continue
            position = 1
            while position < len(words) and words[position].group(0).endswith(vocabulary.adjective_suffixes):
                if not words[position].group(0)[0].islower():
                    break
                position += 1
            if position < len(words) and words[position].group(0).lower() in self._heads:
                head = words[position]
                return unlisted_actor(head.group(0), head.start())
        # "Am Freitag dementierte der türkische Verband": the subject after the finite verb of a clause opened otherwise.
        phrase = self._inverted.phrase(ctx, reading.mentions)
        if phrase is not None and phrase[-1].group(0).lower() in self._heads:
            return unlisted_actor(phrase[-1].group(0), phrase[-1].start())
        return None

    def bare_head(self, text: str, words: list[re.Match[str]]) -> Actor | None:
        """'Der Verein', 'Die betroffene Familie' (all of words): where every noun has a capital, an article, lowercase
        adjectives and a private party's noun; the head noun, as the subject stages name it."""
        vocabulary = self._vocabulary
        if not vocabulary.nouns_capitalized or len(words) < 2 or words[-1].group(0).lower() not in self._heads:
            return None
        if words[0].group(0).lower() not in vocabulary.determiners:
            return None
        if any(not (w.group(0).islower() and w.group(0).endswith(vocabulary.adjective_suffixes)) for w in words[1:-1]):
            return None
        return unlisted_actor(words[-1].group(0), words[-1].start())

    def _adverbial(self, word: str) -> bool:
        """An auxiliary, particle or adverb between a subject and its verb ('has', 'also', 'strongly')."""
        return word.lower() in self._vocabulary.adverbials

    def _leads(self, word: str) -> bool:
        """An article or a number word that may open the noun phrase ('The', 'A', 'Three', '3')."""
        lowered = word.lower()
        return lowered in self._vocabulary.determiners or lowered in self._numbers or word.isdigit()
