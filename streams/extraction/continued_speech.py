"""The speaker of reported speech that runs on past its sentence ('..., sagte Péter Szijjártó. Die Vorwürfe seien absurd.')."""

from __future__ import annotations

import re
from itertools import islice

from .context import Actor, CueContext, SentenceReading
from .gazetteer import PLACE, Gazetteer, Mention
from .lexicon import TermCompiler, compile_terms
from .lexicon_schema import Lexicon
from .names import unlisted_actor
from .speakers import MAX_SPEAKER_WORDS
from .text import Segmenter
from .words import Vocabulary

# cues.json classes: the verb forms of reported speech (Konjunktiv I: "sei", "habe", "gebe") and the verbs that name a
# speaker ("sagte", "hob ... hervor"). A language without them has no such reading.
REPORTED_VERB = "REPORTED_VERB"
SPEECH_ACT = "SPEECH_ACT"
# The sentence before must end right where the cue's begins (a space or a line break between them).
_MAX_GAP = 3
_MAX_CHARS_BACK = 600
_QUOTES = '"„“”«»'
# A listed name this close to the speech verb is its subject ("Peskow sagte") or, after it, its speaker ("sagte der
# ungarische Außenminister Péter Szijjártó").
_BEFORE_VERB = 2
_AFTER_VERB_WORDS = 5


class ContinuedSpeech:
    """A denial said in reported speech whose sentence names no speaker ('Die Berichte seien frei erfunden') goes on
    with the statement of the sentence before, when that sentence is a speech act with its speaker: the German
    subjunctive of indirect speech marks the report as the same speaker's. A sentence with a source or a quotation of
    its own is read by the speaker stages."""

    def __init__(self, lexicon: Lexicon, vocabulary: Vocabulary, gazetteer: Gazetteer):
        classes = lexicon.cues.classes
        self._vocabulary, self._gazetteer = vocabulary, gazetteer
        self._segmenter = Segmenter(lexicon.text)
        self._not_names = vocabulary.determiners | {w.lower() for w in lexicon.text.pronouns}
        self._reported = frozenset(w.lower() for w in classes.get(REPORTED_VERB, []))
        self._speech = compile_terms(TermCompiler(classes), classes[SPEECH_ACT]) if SPEECH_ACT in classes else None

    def speaker(self, ctx: CueContext, reading: SentenceReading) -> Actor | None:
        if self._speech is None or not ctx.rule.speaker_acts or ctx.rule.type != "denial":
            return None
        text, sentence = ctx.text, ctx.sentence
        if reading.attributions or sentence.lead_start < sentence.start:
            return None  # the sentence names its source, or a colon lead-in says it
        if text[sentence.start : sentence.end].lstrip()[:1] in _QUOTES:
            return None  # a quotation: direct speech, read by the quote stages (a quoted word is no quotation)
        words = [w.lower() for w in self._vocabulary.word.findall(text, sentence.start, sentence.end)]
        if not any(w in self._reported for w in words) or self._speech.search(text, sentence.start, sentence.end):
            return None
        before = self._segmenter.sentences(text, max(0, sentence.start - _MAX_CHARS_BACK), sentence.start)
        if not before or sentence.start - before[-1].end > _MAX_GAP:
            return None
        previous = before[-1]
        verb = self._speech.search(text, previous.start, previous.end)
        return None if verb is None else self._speaker_of(text, verb, previous.start, previous.end)

    def _speaker_of(self, text: str, verb: re.Match[str], start: int, end: int) -> Actor | None:
        """Who the speech verb names: a listed name right before it or a few words after it, else the unlisted name
        (capitalised words) inside a two-part verb ('hob CDU-Politikerin Berger hervor'), closing the sentence after
        it ('..., sagte Anna Berger.') or opening the sentence right before it ('Anna Berger sagte am Montag, ...')."""
        mentions: list[Mention] = [m for m in self._gazetteer.find(text, start, end) if m.entity.category != PLACE]
        word = self._vocabulary.word
        after = list(islice(word.finditer(text, verb.end(), end), _AFTER_VERB_WORDS))
        reach = after[-1].end() if after else verb.end()
        for m in mentions:
            if 0 <= verb.start() - m.end <= _BEFORE_VERB or verb.start() < m.start < reach:
                return Actor(m.text, m.entity, "speaker", mention_start=m.start)
        inside = word.findall(text, verb.start(), verb.end())[1:-1]
        if inside:
            return self._name(text, list(word.finditer(text, verb.start(), verb.end()))[1:-1])
        if after and not text[after[-1].end() : end].strip(" .") and len(after) < _AFTER_VERB_WORDS:
            return self._name(text, after)
        # One capitalised word opening a sentence may be any word ("Dazu sagte er"): a name there has two or more.
        opening = list(word.finditer(text, start, verb.start()))
        if len(opening) < 2 or text[opening[-1].end() : verb.start()].strip():
            return None
        return self._name(text, opening)

    def _name(self, text: str, words: list[re.Match[str]]) -> Actor | None:
        """The words as an unlisted name: one to four, all capitalised, no article nor pronoun among them."""
        if not 1 <= len(words) <= MAX_SPEAKER_WORDS or not all(w.group(0)[:1].isupper() for w in words):
            return None
        if any(w.group(0).lower() in self._not_names for w in words):
            return None
        return unlisted_actor(text[words[0].start() : words[-1].end()], words[0].start(), via="speaker")
