"""The unlisted person a denial's sentence names as its source ('Die Vorwürfe sind laut Strache frei erfunden')."""

from __future__ import annotations

from itertools import islice

from .context import Actor, CueContext, SentenceReading
from .lexicon import TermCompiler, compile_terms
from .lexicon_schema import Lexicon
from .names import POSSESSIVE, unlisted_actor
from .words import Vocabulary, may_be_name, whole_word

_MAX_NAME_WORDS = 3  # "laut Heinz-Christian Strache"
CLAIM = "REPORT_OBJ"  # cues.json: the claims a denial calls false ('Vorwürfe', 'Gerüchte'); optional


class NamedSources:
    """A denial whose clause names no one who denies ('Die Gerüchte entbehren laut Hofer jeder Grundlage') is the
    source's: the capitalised words opening a source phrase ('laut', 'nach Angaben von'; attribution.py) before the
    next lowercase word. Its last word must be a surname the text gave earlier after a first name ('Norbert Hofer'),
    else it may be a common noun ('laut Polizei'), which names no person. The claim must be the clause's subject, before
    the cue or, for a predicate the speaker states, inside it: in 'Laut Hofer wies die Regierung die Vorwürfe zurück' the
    source reports another's denial."""

    def __init__(self, lexicon: Lexicon, vocabulary: Vocabulary, not_names: frozenset[str]):
        self._vocabulary = vocabulary
        self._not_names = not_names
        classes = lexicon.cues.classes
        self._claims = compile_terms(TermCompiler(classes), ["{" + CLAIM + "}"]) if CLAIM in classes else None

    def source(self, ctx: CueContext, reading: SentenceReading) -> Actor | None:
        if ctx.rule.type != "denial" or ctx.rule.learned or self._claims is None:
            return None
        text, word = ctx.text, self._vocabulary.word
        # A predicate the speaker states may hold its claim ("Nach Ansicht von Beck sind die Vorwürfe unbegründet").
        claim_end = ctx.cue.end() if ctx.rule.speaker_acts else ctx.cue_start
        if self._claims.search(text, ctx.start, claim_end) is None:
            return None
        for attribution in reading.attributions:
            if not ctx.sentence.start <= attribution.start < ctx.sentence.end:
                continue
            run = []
            for found in islice(word.finditer(text, attribution.start, attribution.end), _MAX_NAME_WORDS + 1):
                if not may_be_name(found.group(0)) or found.group(0).lower() in self._not_names:
                    break
                run.append(found)
            if not run or len(run) > _MAX_NAME_WORDS or text[attribution.start : run[0].start()].strip():
                continue
            if POSSESSIVE.search(run[-1].group(0)) or not self._named_in_full(
                text, run[-1].group(0), ctx.sentence.start
            ):
                continue  # "according to X's family", "laut Straches Anwalt": someone else's words
            return unlisted_actor(text[run[0].start() : run[-1].end()], run[0].start(), "speaker")
        return None

    def _named_in_full(self, text: str, surname: str, end: int) -> bool:
        """Whether the text before gives the surname after a capitalised first name ('Norbert Hofer')."""
        for found in whole_word(surname).finditer(text, 0, end):
            previous = list(self._vocabulary.word.finditer(text, max(0, found.start() - 30), found.start()))[-1:]
            if previous and text[previous[0].end() : found.start()] == " " and may_be_name(previous[0].group(0)):
                if previous[0].group(0).lower() not in self._not_names:
                    return True
        return False
