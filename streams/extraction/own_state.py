"""'Petro erklärte, sein Land werde die Beziehungen abbrechen': a possessive phrase for a state (text.json
referring.own_state) stands for the state of the officeholder the sentence names before it."""

from __future__ import annotations

from .context import Actor, CueContext
from .gazetteer import PERSON, Gazetteer
from .lexicon import TermCompiler, compile_terms
from .lexicon_schema import Lexicon
from .words import Vocabulary


class OwnStates:
    """The own-state phrases of one language, compiled once; a language without them reads none."""

    def __init__(self, lexicon: Lexicon, compiler: TermCompiler, vocabulary: Vocabulary, gazetteer: Gazetteer):
        referring = lexicon.text.referring
        self._vocabulary = vocabulary
        self._gazetteer = gazetteer
        # Only the types whose actor a pronoun alone may refer back to (policy shifts: an officeholder's own state).
        self._types = referring.pronoun_only_types
        self._phrases = compile_terms(compiler, referring.own_state) if referring.own_state else None

    def actor(self, ctx: CueContext) -> Actor | None:
        """The officeholder named last before the phrase in the cue's sentence, not after a preposition ('nach dem
        Treffen mit Macron'): they act, with their state's code; None when the phrase is not before the cue."""
        if self._phrases is None or ctx.rule.type not in self._types:
            return None
        phrase = self._phrases.search(ctx.text, ctx.start, ctx.cue_start)
        if phrase is None:
            return None
        text, word = ctx.text, self._vocabulary.word
        for mention in reversed(self._gazetteer.find_listed(text, ctx.sentence.lead_start, phrase.start())):
            before = word.findall(text, ctx.sentence.lead_start, mention.start)[-1:]
            if mention.entity.category == PERSON and not (
                before and before[0].lower() in self._vocabulary.blocking_preps
            ):
                country = mention.entity.country
                return Actor(mention.text, mention.entity, "subject", mention_start=mention.start) if country else None
        return None
