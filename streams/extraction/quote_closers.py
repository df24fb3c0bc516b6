"""The pronoun that says a quotation after it closes ('„Die Vorwürfe sind falsch“, sagte er'): a speaker's referent."""

from __future__ import annotations

from itertools import islice

from .context import CueContext
from .lexicon import TermCompiler, compile_terms
from .lexicon_referring import Referent
from .lexicon_schema import Lexicon
from .speakers import speech_verbs
from .text import Segmenter
from .words import Vocabulary

_CLOSING_QUOTES = '“"»«'
# Every quotation mark: a sentence with none of them comes from a source that strips them (10kGNAD's Der Standard
# text), where the comma alone closes the statement ('Die Vorwürfe sind falsch, sagte er').
_QUOTE_MARKS = frozenset('"„“”»«‚‘’')
_QUOTE_PAIRS = {"„": "“", "»": "«", '"': '"'}  # an opening quotation mark, and the mark that closes it


class QuoteClosers:
    """The speech verbs and referring pronouns of one language, compiled once."""

    def __init__(self, lexicon: Lexicon, compiler: TermCompiler, vocabulary: Vocabulary, segmenter: Segmenter):
        self._vocabulary = vocabulary
        self._segmenter = segmenter
        self._on = lexicon.grammar.verb_second and "CLAIMED" in lexicon.cues.classes  # "…“, sagte er"
        # The claim the quotation judges ('Die Vorwürfe', 'behauptet'; cues.json CLAIMED): "– und das ist falsch" after
        # an act judges the act, no claim.
        self._claims = compile_terms(compiler, ["{CLAIMED}", "behaupt*"]) if self._on else None
        self._speech = speech_verbs(lexicon, vocabulary)
        self._pronouns: dict[str, Referent] = {w.lower(): k for w, k in lexicon.text.referring.pronouns.items()}

    def pronoun(self, ctx: CueContext) -> Referent | None:
        """Whom the pronoun stands for that says the quotation holding the cue: a later clause of the cue's sentence
        opening right after a closing quotation mark and a comma with a speech verb and a referring pronoun ('„Die
        Vorwürfe sind falsch“, sagte er', '"Die Behauptung, ich sei ..., ist eine Lüge!", erklärt sie'), when the
        sentence names a claim before the cue's end. In a sentence without any quotation mark the comma alone closes
        the statement."""
        if self._claims is None or not self._pronouns:
            return None
        text = ctx.text
        if self._claims.search(text, ctx.sentence.start, ctx.cue.end()) is None:
            return None
        unquoted = _QUOTE_MARKS.isdisjoint(text[ctx.sentence.start : ctx.sentence.end])
        for start, end in ctx.clauses[ctx.clause_index + 1 :]:
            lead = text[ctx.cue.end() : start].rstrip()
            if not lead.endswith(",") or not (unquoted or lead[:-1].rstrip().endswith(tuple(_CLOSING_QUOTES))):
                continue
            words = [w.group(0).lower() for w in islice(self._vocabulary.word.finditer(text, start, end), 2)]
            if len(words) == 2 and words[0] in self._speech and words[1] in self._pronouns:
                return self._pronouns[words[1]]
            return None  # the first clause after the quotation says who speaks, or no one does
        return None

    def colon_lead(self, ctx: CueContext, chars_back: int) -> tuple[int, int] | None:
        """The colon lead-in ('Die Ministerin erklärte:') whose quotation the cue's sentence goes on with, as the
        offsets of its start and its colon: the quotation opened right after the colon is still open, or, in a text
        without any quote mark, the colon opened the sentence just before the cue's ('Scholz teilte mit: Das war nie
        so gemeint. Der Vorwurf ist absurd.')."""
        text, start = ctx.text, ctx.sentence.lead_start
        window = max(0, start - chars_back)
        mark = max(text.rfind(opening, window, start) for opening in _QUOTE_PAIRS)
        if mark < 0:
            return self._unquoted_lead(ctx, window)
        closer = _QUOTE_PAIRS[text[mark]]
        if closer in text[mark + 1 : start] or not text[window:mark].rstrip().endswith(":"):
            return None
        colon = text.rindex(":", window, mark)
        return max(text.rfind(end, window, colon) for end in ".!?") + 1 or window, colon

    def _unquoted_lead(self, ctx: CueContext, window: int) -> tuple[int, int] | None:
        text, start = ctx.text, ctx.sentence.lead_start
        if not _QUOTE_MARKS.isdisjoint(text[window : ctx.sentence.end]):
            return None
        earlier = self._segmenter.sentences(text, window, start)
        if not earlier or earlier[-1].lead_start == earlier[-1].start:
            return None
        before = earlier[-1]
        return before.lead_start, text.rindex(":", before.lead_start, before.start)
