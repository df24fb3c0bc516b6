"""Quoted speakers: who says the quote a denial cue stands in, where the text names them outside it, after the quote
('"... ist eine Frechheit", erklärt er.', '„Das stimmt nicht“, versichert Mross.') or opening the colon lead-in before
it ('Walz betont immer wieder: „Das ist nicht wahr“'). Listed names there are the actor stage's; this reads the
unlisted names and the pronouns (text.json "referring") it leaves."""

from __future__ import annotations

import re

from .context import Actor, CueContext
from .gazetteer import Gazetteer
from .names import unlisted_actor
from .referents import Referents
from .words import Vocabulary, may_be_name

_OPENING_QUOTES = '"„“»«'
# A closing quote, the comma after it and the rest of the sentence: the verb and its speaker ('", erklärt er.').
_AFTER_QUOTE = re.compile(r"[\"“”»«][!?.]?\s*,\s*(?P<tail>[^\"“”„»«,;:()]{3,80}?)[\s.!?]*$")
_MAX_SPEAKER_WORDS = 4


class QuotedSpeakers:
    """The speaker readings of one language, compiled once."""

    def __init__(self, vocabulary: Vocabulary, gazetteer: Gazetteer, referents: Referents, not_names: frozenset[str]):
        self._vocabulary = vocabulary
        self._gazetteer = gazetteer
        self._referents = referents
        self._not_names = not_names | vocabulary.blocking_preps

    def speaker(self, ctx: CueContext) -> Actor | None:
        """The speaker of the quote the cue stands in, for the types whose actor a pronoun may stand for."""
        if not self._referents.reads_clause(ctx):
            return None
        return self._after_quote(ctx) or self._lead_in(ctx)

    def _after_quote(self, ctx: CueContext) -> Actor | None:
        text, sentence = ctx.text, ctx.sentence
        if not any(mark in text[sentence.lead_start : ctx.cue_start] for mark in _OPENING_QUOTES):
            return None  # the cue must stand in the quote
        quote = _AFTER_QUOTE.search(text, ctx.cue.end(), sentence.end)
        if quote is None or text[quote.start() - 1] == "?":
            return None  # a question quoted states nothing
        words = list(self._vocabulary.word.finditer(text, quote.start("tail"), quote.end("tail")))
        if len(words) < 2 or may_be_name(words[0].group(0)):
            return None  # the verb first, lowercase: 'erklärt er', 'versichert Mross'
        speaker = words[1:]
        if len(speaker) == 1 and (referent := self._referents.pronoun(speaker[0].group(0))) is not None:
            return self._referents.antecedent(ctx, referent, True)
        return self._name(text, speaker)

    def _lead_in(self, ctx: CueContext) -> Actor | None:
        """'Beck teilte auf Anfrage mit: "..."': a name opening the lead-in, right before its lowercase verb."""
        text, sentence = ctx.text, ctx.sentence
        if sentence.lead_start >= sentence.start:
            return None
        words = list(self._vocabulary.word.finditer(text, sentence.lead_start, sentence.start))
        run = []
        for word in words[: _MAX_SPEAKER_WORDS + 1]:
            if not may_be_name(word.group(0)):
                break
            run.append(word)
        if not run or len(run) == len(words) or text[run[-1].end() : words[len(run)].start()] != " ":
            return None  # the name must be followed by its verb
        return self._name(text, run)

    def _name(self, text: str, words: list[re.Match[str]]) -> Actor | None:
        """Capitalised words joined by spaces, none an article or a listed name (the actor stage reads those)."""
        if not words or len(words) > _MAX_SPEAKER_WORDS:
            return None
        if any(not may_be_name(w.group(0)) or w.group(0).lower() in self._not_names for w in words):
            return None
        if any(text[a.end() : b.start()] != " " for a, b in zip(words, words[1:], strict=False)):
            return None
        start, end = words[0].start(), words[-1].end()
        if self._gazetteer.find_listed(text, start, end):
            return None
        return unlisted_actor(text[start:end], start)
