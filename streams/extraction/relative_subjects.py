"""A denial in a relative clause whose pronoun is its subject ('Tom Berger, der die Vorwürfe bestreitet, wurde am
Montag vernommen', 'Gegen die Firma Nordlicht, die jede Beteiligung abstreitet, wird ermittelt'): the name the
clause hangs on denies. Which pronouns may be a clause's subject is data (cues.json SUBJECT_RELATIVE: the nominative
forms; 'dem', 'den', 'deren' are objects or possessors)."""

from __future__ import annotations

import re
from itertools import islice

from .context import Actor, CueContext, SentenceReading
from .gazetteer import PLACE
from .lexicon_schema import Lexicon
from .names import unlisted_actor
from .participle_subjects import governed_by_preposition
from .speakers import MAX_SPEAKER_WORDS, name_run
from .words import Vocabulary

SUBJECT_RELATIVE = "SUBJECT_RELATIVE"


class RelativeSubjects:
    """The subject relative pronouns of one language and the words that open no name, read once."""

    def __init__(self, lexicon: Lexicon, vocabulary: Vocabulary, not_names: set[str]):
        self._vocabulary, self._not_names = vocabulary, not_names
        self._pronouns = {w.lower() for w in lexicon.cues.classes.get(SUBJECT_RELATIVE, [])}
        self._no_name = vocabulary.determiners | vocabulary.blocking_preps | vocabulary.location_preps | not_names
        # "Pietros Anwalt, der ...": a representative's words are no name; he speaks for his client (_client).
        self._representatives = {w.lower() for w in lexicon.text.referring.representatives}
        self._representative_links = frozenset(lexicon.text.referring.representative_links)
        self._passive = {w.lower() for w in lexicon.grammar.passive.auxiliaries}

    def antecedent(self, ctx: CueContext, reading: SentenceReading) -> Actor | None:
        """The name before the comma that opens the cue's clause with a subject relative pronoun, when the pronoun is
        followed by an article, a lowercase word or the cue (not by a name: 'Vorwürfe, die Tom Berger bestreitet'
        has its own subject) and the clause names no one: a listed name as listed (no place), else two to four
        capitalised words that no article precedes."""
        vocabulary, text = self._vocabulary, ctx.text
        if not self._pronouns:
            return None
        clause_start, clause_end = ctx.clauses[ctx.clause_index]
        if any(w.lower() in self._passive for w in vocabulary.word.findall(text, clause_start, ctx.cue_start)):
            return None  # "Khodorkovsky, who was denied bail": the clause's subject is denied something
        opening = list(islice(vocabulary.word.finditer(text, clause_start, ctx.cue_start), 2))
        if (
            not opening
            or opening[0].group(0) not in self._pronouns
            or not text[max(clause_start - 3, 0) : opening[0].start()].rstrip().endswith(",")
        ):
            return None
        second = opening[1] if len(opening) > 1 else None
        if (
            second is not None
            and second.group(0)[0].isupper()
            and second.group(0).lower() not in vocabulary.determiners
        ):
            return None  # "Vorwürfe, die Tom Berger bestreitet": the pronoun is the object
        if any(clause_start <= m.start < clause_end for m in reading.mentions):
            return None
        comma = text.rindex(",", 0, opening[0].start())
        listed = next((m for m in reading.mentions if m.end == comma), None)
        if listed is not None:
            return (
                None if listed.entity.category == PLACE else Actor(listed.text, listed.entity, "subject", listed.start)
            )
        before = list(vocabulary.word.finditer(text, max(ctx.sentence.start, comma - 80), comma))
        first = len(before)
        while first > 0 and before[first - 1].group(0)[0].isupper():
            if first < len(before) and text[before[first - 1].end() : before[first].start()] != " ":
                break
            first -= 1
        # A capitalised preposition or article opening the sentence is no part of the name ("Gegen Tom Berger, der").
        while first < len(before) and before[first].group(0).lower() in self._no_name:
            first += 1
        run = before[first:]
        if not 2 <= len(run) <= MAX_SPEAKER_WORDS or run[-1].end() != comma:
            return None
        if run[-1].group(0).lower() in self._representatives or self._after_representative(before, first):
            return self._client(text, before, first)
        if first > 0 and before[first - 1].group(0).lower() in vocabulary.determiners:
            return None  # "die Zeitung Nordkurier, die ...": an article makes a noun phrase, no name
        if governed_by_preposition(vocabulary, ctx, run[0].start()):
            return None  # "Die Anwältin von Tom Berger, die ...": the clause may belong to the noun the name qualifies
        return name_run(text, run, self._not_names)

    def _after_representative(self, before: list[re.Match[str]], first: int) -> bool:
        """Whether the name follows a representative and a link word ('der Anwalt von Tom Berger, der ...')."""
        return (
            first >= 2
            and before[first - 1].group(0) in self._representative_links
            and before[first - 2].group(0).lower() in self._representatives
        )

    def _client(self, text: str, before: list[re.Match[str]], first: int) -> Actor | None:
        """Whom a representative's relative clause speaks for (ANNOTATING.md, lawyer or client): the lawyer with the
        client's genitive ('Pietros Anwalt, der die Vorwürfe bestreitet'; referents.principal then names the client),
        or the name after the representative and a link word ('der Anwalt von Tom Berger, der ...')."""
        run = before[first:]
        if self._after_representative(before, first):
            return name_run(text, run, self._not_names)
        owner, noun = run[-2], run[-1]
        if (
            text[owner.end() : noun.start()] != " "
            or next(self._vocabulary.genitive_stems(owner.group(0)), None) is None
        ):
            return None  # "Rechtsanwalt Anwalt": no owner in the genitive
        if owner.group(0).lower() in self._not_names:
            return None
        return unlisted_actor(text[run[0].start() : noun.end()], run[0].start())
