"""A denial cue whose verb is coordinated with the clause's first verb ('Tom Berger reagierte empört und wies die
Vorwürfe zurück'): in a language whose verb comes second, the second verb shares the subject that opens the clause,
which the subject readings miss because the name does not stand right before the cue."""

from __future__ import annotations

from itertools import islice

from .context import Actor, CueContext, SentenceReading
from .gazetteer import PLACE
from .lexicon_schema import Lexicon
from .speakers import MAX_SPEAKER_WORDS, name_run
from .words import Vocabulary

_MAX_CLAUSE_WORDS = 16  # the name, the first verb with its objects and adverbs, and the coordinator


class SharedSubjects:
    """The coordinators that join two verbs of one subject (text.json coordinators) and the words that are no verb."""

    def __init__(self, lexicon: Lexicon, vocabulary: Vocabulary, not_names: set[str]):
        self._vocabulary, self._not_names = vocabulary, not_names
        self._coordinators = {w.lower() for w in lexicon.text.coordinators if " " not in w}
        self._verb_second = lexicon.grammar.verb_second
        # A source marker after its name ("Tom Berger zufolge") follows the name where a verb would.
        postpositions = {m.term.lower() for m in lexicon.markers.attribution if m.source == "before"}
        self._no_verb = (
            self._coordinators
            | vocabulary.determiners
            | vocabulary.location_preps
            | vocabulary.blocking_preps
            | not_names
            | postpositions
        )

    def subject(self, ctx: CueContext, reading: SentenceReading) -> Actor | None:
        """The unlisted name (two to four capitalised words, no time word) that opens the sentence's first clause
        right before its finite verb (a lowercase word that is no article, preposition or coordinator), when the cue's
        verb follows a coordinator ('und') in that clause and no name the lists know stands before the cue."""
        vocabulary, text = self._vocabulary, ctx.text
        if not self._verb_second or ctx.clause_index != 0:
            return None
        words = list(islice(vocabulary.word.finditer(text, ctx.start, ctx.cue_start), _MAX_CLAUSE_WORDS + 1))
        if not 4 <= len(words) <= _MAX_CLAUSE_WORDS:
            return None
        if words[-1].group(0).lower() not in self._coordinators or text[words[-1].end() : ctx.cue_start] != " ":
            return None  # the cue's verb must follow the coordinator directly
        if any(ctx.start <= m.start < ctx.cue_start and m.entity.category != PLACE for m in reading.mentions):
            return None  # a listed name: the actor stages' reading
        if words[0].group(0).lower() in vocabulary.determiners:
            return None  # "Das Ministerium reagierte": a noun after an article names no one
        run = name_run(text, words, self._not_names)
        size = 0 if run is None else len(run.name.split())
        if run is None or not 2 <= size <= MAX_SPEAKER_WORDS or size > len(words) - 3:
            return None
        verb = words[size]
        if not verb.group(0).islower() or verb.group(0) in self._no_verb:
            return None
        if text[words[size - 1].end() : verb.start()] != " ":
            return None
        if any(w.lower() in vocabulary.time_words for w in run.name.split()):
            return None
        return run
