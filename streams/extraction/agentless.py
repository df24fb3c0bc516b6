"""Actors of cues whose clause names none and whose subject only refers back to the sentence before ('Die CSU regiert
seit 1957. Nun habe diese das Gendern verboten', 'Man weise die Vorwürfe zurück', 'Jetzt setzen sie ihre Truppen
ein'): the last fallback of actors.py, named in the actor's `fallback` so that evidence.rule says it fired. The words
are text.json data ("referring.back_subjects"); a language without them has no such reading.

Tried on the train split and left out, as they found no more right actors than wrong ones (docs/real-news.md,
thirteenth session): a passive's agent anywhere in the sentence, a government organ as the sentence's source ('laut
Innenministerium', 'according to the ministry'), the article's state for a policy passive without an agent, and the
dummy subjects 'es' and 'it'."""

from __future__ import annotations

from dataclasses import replace
from itertools import islice

from .context import Actor, CueContext, SentenceReading
from .gazetteer import PLACE, Gazetteer
from .lexicon_schema import Lexicon
from .text import Segmenter
from .words import Vocabulary

# Characters before the cue's sentence searched for the sentence before it.
_MAX_CHARS_BACK = 600
# The clause's subject stands among its first words ('Man weise ...', 'Immerhin habe diese nun ...').
_MAX_OPENING_WORDS = 3

PREVIOUS_SUBJECT = "previous_subject"


class AgentlessActors:
    """The referring subjects of one language, compiled once."""

    def __init__(self, lexicon: Lexicon, vocabulary: Vocabulary, gazetteer: Gazetteer):
        self._vocabulary = vocabulary
        self._gazetteer = gazetteer
        self._segmenter = Segmenter(lexicon.text)  # the engine's own rules: it splits the text the same way
        self._back_subjects = frozenset(w.lower() for w in lexicon.text.referring.back_subjects)

    def actor(self, ctx: CueContext, reading: SentenceReading) -> Actor | None:
        """The actor a referring subject of the cue's clause stands for, tagged with the fallback's name."""
        actor = self._previous_subject(ctx, reading)
        return None if actor is None else replace(actor, fallback=PREVIOUS_SUBJECT)

    def _previous_subject(self, ctx: CueContext, reading: SentenceReading) -> Actor | None:
        """A clause whose subject only refers back ('man', 'diese', 'sie'), no name in it and no speaker named in
        the sentence: the first name of the sentence before that is no place and that no preposition governs."""
        if not self._back_subjects or ctx.rule.learned:
            return None  # a learned proposal's actor model, tried after the rules, weighs the sentence before itself
        vocabulary, text = self._vocabulary, ctx.text
        words = [w.group(0) for w in islice(vocabulary.word.finditer(text, ctx.start, ctx.end), _MAX_OPENING_WORDS)]
        back = next((i for i, w in enumerate(words) if w.lower() in self._back_subjects), None)
        if back is None or reading.attributions:
            return None  # a named speaker ('..., sagte X') is whom the sentence reports
        if vocabulary.nouns_capitalized and back + 1 < len(words) and words[back + 1][:1].isupper():
            return None  # 'Diese Kritik': an article before a noun, no pronoun
        if any(ctx.start <= m.start < ctx.end and m.entity.category != PLACE for m in reading.mentions):
            return None  # a name of the clause is its object; it would have acted otherwise
        start = ctx.sentence.lead_start
        earlier = self._segmenter.sentences(text, max(0, start - _MAX_CHARS_BACK), start)
        if not earlier:
            return None
        previous = earlier[-1]
        for mention in self._gazetteer.find(text, previous.start, previous.end):
            if mention.entity.category == PLACE:
                continue
            before = vocabulary.strip_articles(
                [w.lower() for w in vocabulary.word.findall(text, previous.start, mention.start)]
            )
            if before and before[-1] in vocabulary.blocking_preps:
                continue
            return Actor(mention.text, mention.entity, "subject", mention_start=mention.start)
        return None
