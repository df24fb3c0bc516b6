"""A verb-second clause's noun subject after its finite verb ('Am Freitag dementierte der türkische Verband ...')."""

from __future__ import annotations

import re
from itertools import islice

from .context import CueContext
from .gazetteer import Mention
from .lexicon import TermCompiler, compile_terms
from .lexicon_schema import Lexicon
from .words import Vocabulary, may_be_name

# cues.json: the articles a subject may open with ('der', 'ein'); 'dem', 'den', 'des' open an object. Optional.
SUBJECT_ARTICLE = "SUBJECT_ARTICLE"
_MAX_FRONT_WORDS = 8  # the object or adverbial before the finite verb ('Nach einer langen Schweigepause')
_MAX_ADJECTIVES = 3


class InvertedSubjects:
    """Where the verb comes second and the clause opens with its object or an adverbial, the subject follows the finite
    verb: 'Die Vorwürfe wies der Sänger zurück', 'Nach einer Pause wies die schiitische Miliz ... zurück', 'Diese
    Behauptung hatte die Familie ... zurückgewiesen', 'Dem widerspricht ein Verband'."""

    def __init__(self, lexicon: Lexicon, compiler: TermCompiler, vocabulary: Vocabulary):
        self._vocabulary = vocabulary
        classes = lexicon.cues.classes
        # The claim a fronted object names ('Die Vorwürfe', 'Diese Behauptung'; cues.json REPORT_OBJ).
        self._claims = compile_terms(compiler, ["{REPORT_OBJ}"]) if "REPORT_OBJ" in classes else None
        self._on = lexicon.grammar.verb_second and vocabulary.nouns_capitalized
        self._articles = {w.lower() for w in classes.get(SUBJECT_ARTICLE, [])}
        self._auxiliaries = {w.lower() for w in lexicon.text.auxiliaries}
        # A fronted adverbial opens with a preposition ('Nach', 'Am', 'Laut') or a conjunction or time word ('Doch nun').
        self._adverbial_openers = (
            vocabulary.location_preps | vocabulary.blocking_preps | vocabulary.bystander_preps | vocabulary.time_words
        ) | vocabulary.conjunctions

    def phrase(self, ctx: CueContext, mentions: list[Mention]) -> list[re.Match[str]] | None:
        """The subject's words (its article, lowercase adjectives and the noun) right after the clause's finite verb
        (an auxiliary before the cue, else the cue's first word), when what stands before that verb is a fronted
        object or adverbial: a lone article-pronoun ('Dem', 'Das'), an article and a claim ('Diese Behauptung'),
        or a phrase opened by a preposition, conjunction or time word, when a claim follows the subject ('Am Montag
        bestritten die Crews ihre Testrunden' is sport); no name stands before the verb."""
        if not self._on or not self._articles:
            return None
        text, word = ctx.text, self._vocabulary.word
        clause_start = ctx.clauses[ctx.clause_index][0]
        opening = list(islice(word.finditer(text, clause_start, ctx.cue_start), _MAX_FRONT_WORDS + 2))
        at = next((i for i, w in enumerate(opening) if w.group(0).lower() in self._auxiliaries), None)
        front = opening[:at] if at is not None else opening
        verb = opening[at] if at is not None else word.match(text, ctx.cue_start)
        if not front and verb is not None and verb.group(0).lower() in self._vocabulary.determiners:
            front, verb = [verb], word.search(text, verb.end(), ctx.cue.end())  # the cue holds it: "Dem widersprach"
        if verb is None or not 1 <= len(front) <= _MAX_FRONT_WORDS or not self._fronted(ctx, front):
            return None
        first_word = front[0].group(0).lower()
        if any(clause_start <= m.start < verb.start() for m in mentions):
            return None  # "Scholz wies der Partei ...": a name before the verb is its subject
        after = list(islice(word.finditer(text, verb.end(), ctx.end), _MAX_ADJECTIVES + 2))
        if (
            len(after) < 2
            or after[0].group(0).lower() not in self._articles
            or text[verb.end() : after[0].start()] != " "
        ):
            return None
        position = 1
        while position < len(after) and after[position].group(0).islower():
            if not after[position].group(0).endswith(self._vocabulary.adjective_suffixes):
                return None
            position += 1
        if position >= len(after) or not may_be_name(after[position].group(0)):
            return None
        if any(not ch.isalnum() and ch not in " -" for ch in text[after[0].start() : after[position].end()]):
            return None
        if (
            len(front) > 1
            and first_word not in self._vocabulary.determiners
            and not self._claimed(text, front[0].start(), front[0].end())
            and not self._claimed(text, after[position].end(), ctx.end)
        ):
            return None  # "Am Montag bestritten die Crews ihre Testrunden": after an adverbial, a claim must be denied
        return after[: position + 1]

    def _claimed(self, text: str, start: int, end: int) -> bool:
        return self._claims is not None and self._claims.search(text, start, end) is not None

    def _fronted(self, ctx: CueContext, front: list[re.Match[str]]) -> bool:
        """Whether the words before the finite verb are a fronted object or adverbial, not the subject."""
        first = front[0].group(0).lower()
        if len(front) == 1:
            return first in self._vocabulary.determiners  # "Dem widerspricht", "Das bestritt"
        if first in self._adverbial_openers:
            return True  # "Nach einer Schweigepause", "Am Freitag", "Doch nun"
        # "Die Vorwürfe", "Diese Behauptung": the fronted object is the claim; "Berichte über ...": a bare plural one
        if first in self._vocabulary.determiners:
            return self._claimed(ctx.text, front[0].start(), front[-1].end())
        return self._claimed(ctx.text, front[0].start(), front[0].end())


def fronted_verb(
    vocabulary: Vocabulary, auxiliaries: set[str], ctx: CueContext, max_words: int
) -> tuple[list[re.Match[str]], re.Match[str] | None]:
    """The words of the cue's clause before its finite verb, and that verb: the auxiliary of a clause-final participle,
    else the cue's first word, or its second when the cue holds its fronted pronoun object and ends on the verb ('Dem
    widersprach Hofer'; a noun inside the cue is its predicate: 'Das ist Unsinn')."""
    text, word = ctx.text, vocabulary.word
    before = list(islice(word.finditer(text, ctx.start, ctx.cue_start), max_words))
    verb = next((w for w in before if w.group(0).lower() in auxiliaries), None)
    if verb is not None:
        return before[: before.index(verb)], verb
    verb = word.match(text, ctx.cue_start)
    if verb is None or before or verb.group(0).lower() not in vocabulary.determiners:
        return before, verb
    following = list(islice(word.finditer(text, verb.end(), ctx.cue.end()), 2))
    return ([verb], following[0]) if len(following) == 1 else ([], None)
