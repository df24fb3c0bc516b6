"""Bare replies ('Die Polizei widersprach.'): a denial only as the main clause's verb after a claim or yes/no question."""

from __future__ import annotations

from .context import CueContext, Span
from .lexicon import TermCompiler, compile_terms
from .lexicon_schema import Lexicon
from .screens import ScreenedPattern
from .text import MAX_SENTENCE_CHARS, Segmenter
from .words import Vocabulary

QUESTION_OPENER = "QUESTION_OPENER"
# cues.json classes, optional: words opening a verb-final clause ("weil die FDP dem Entwurf widersprach": the verb
# closes that clause, not the reply), and finite modals and future auxiliaries ("Kiew wird widersprechen": a reply
# still to come is no denial made).
SUBORDINATOR = "SUBORDINATOR"
PENDING_REPLY = "PENDING_REPLY"
# Phrasings that open like a claim but are none ("sprach sich für ... aus", "sprach mit X"): a claim found from the
# same word on does not count.
NOT_CLAIMED = "NOT_CLAIMED"
# A deadline before a claim's participle ("Bis 2030 soll jedes Land ... halbiert haben") makes it a target, and a
# yes/no question opened by one of PROPOSAL_OPENER ("Soll Deutschland ... liefern?") puts a proposal: the reply to
# either rejects a plan, it denies no claim (both optional).
CLAIM_DEADLINE = "CLAIM_DEADLINE"
PROPOSAL_OPENER = "PROPOSAL_OPENER"
CLOSERS = " \"'»«“”„)"  # closing quotes and brackets after a question mark


class BareReplies:
    """The checks of one language's claim_before rules, compiled once."""

    def __init__(self, lexicon: Lexicon, compiler: TermCompiler, vocabulary: Vocabulary, segmenter: Segmenter):
        classes = lexicon.cues.classes
        self._vocabulary = vocabulary
        self._segmenter = segmenter
        self._question_openers = {w.lower() for w in classes.get(QUESTION_OPENER, [])}
        self._subordinators = {w.lower() for w in classes.get(SUBORDINATOR, [])}
        self._pending = compile_terms(compiler, ["{" + PENDING_REPLY + "}"]) if PENDING_REPLY in classes else None
        self._not_claimed = compile_terms(compiler, ["{" + NOT_CLAIMED + "}"]) if NOT_CLAIMED in classes else None
        self._deadline = compile_terms(compiler, ["{" + CLAIM_DEADLINE + "}"]) if CLAIM_DEADLINE in classes else None
        self._proposal_openers = {w.lower() for w in classes.get(PROPOSAL_OPENER, [])}

    def rejects(self, ctx: CueContext) -> bool:
        """The bare reply states no denial: its verb closes a subordinate clause, a modal or future auxiliary
        governs it, or neither the sentence before (a yes/no question does too) nor its own holds the claim."""
        if self._subordinate(ctx):
            return True
        if self._pending is not None and self._pending.search(ctx.text, ctx.start, ctx.cue_start) is not None:
            return True
        before = self.previous(ctx.text, ctx.sentence.lead_start)
        if before is not None and asks_whether(ctx.text, before, self._vocabulary, self._question_openers):
            return self._first_word(ctx.text, before) in self._proposal_openers
        spans = [(ctx.sentence.lead_start, ctx.sentence.end), *([before] if before is not None else [])]
        return not all(
            any(self._claimed(requirement, ctx.text, start, end) for start, end in spans)
            for requirement in ctx.rule.requires
        )

    def _claimed(self, requirement: ScreenedPattern, text: str, start: int, end: int) -> bool:
        """The requirement is met in text[start:end] by a match that no NOT_CLAIMED phrasing opens and no deadline
        precedes within the sentence."""
        return any(
            (self._not_claimed is None or self._not_claimed.match(text, match.start(), end) is None)
            and (self._deadline is None or self._deadline.search(text, start, match.end()) is None)
            for match in requirement.finditer(text, start, end, None)
        )

    def _first_word(self, text: str, span: Span) -> str | None:
        first = self._vocabulary.word.search(text, span[0], span[1])
        return first.group(0).lower() if first is not None else None

    def previous(self, text: str, start: int) -> Span | None:
        """The sentence before text[start], split as the engine splits (a paragraph break, a date's dot)."""
        sentences = self._segmenter.sentences(text, max(0, start - MAX_SENTENCE_CHARS), start)
        return (sentences[-1].lead_start, sentences[-1].end) if sentences else None

    def _subordinate(self, ctx: CueContext) -> bool:
        """The cue's clause opens with a subordinator or (after a comma) a relative pronoun."""
        clause_start, clause_end = ctx.clauses[ctx.clause_index]
        first = self._vocabulary.word.search(ctx.text, clause_start, clause_end)
        if first is None:
            return False
        word = first.group(0)
        return word.lower() in self._subordinators or (ctx.clause_index > 0 and word in self._vocabulary.relative)


def asks_whether(text: str, span: Span, vocabulary: Vocabulary, question_openers: set[str]) -> bool:
    """text[span] is a yes/no question ('Ist das Verschwendung?'): it puts a claim or a proposal; one opened by a
    question word ('Wer zahlt dafür?') asks for a fact and presupposes it."""
    start, end = span
    if not text[start:end].rstrip(CLOSERS).endswith("?"):
        return False
    first = vocabulary.word.search(text, start, end)
    return first is not None and first.group(0).lower() not in question_openers
