"""Where the content a denial verb denies begins: 'denied reports that access was blocked', 'deny they were playing
politics with the ceasefire vote', 'denies blocking access'. A disqualifier there ('access', 'vote') is a word of what
is denied, not the thing refused ('denied access', 'rejected the vote'), so it cancels nothing. Which words open such
content (a claim noun, a complementiser, a subject pronoun, a gerund) and which may stand before them ('any', 'such',
'earlier') is data: cues.json DENIED_CONTENT and DENIED_MODIFIER."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from itertools import islice

from .context import CueContext, Span, clause_of
from .lexicon import CompiledRule, TermCompiler, compile_terms
from .lexicon_schema import Lexicon
from .words import Vocabulary

DENIED_CONTENT = "DENIED_CONTENT"
DENIED_MODIFIER = "DENIED_MODIFIER"
DENIED_TOPIC = "DENIED_TOPIC"
_MAX_MODIFIERS = 3  # "denied any such earlier reports"
_CONTENT_WORDS = 3  # "denied reports of a halt to arms shipments": the cue opens within the content's first words
Negated = Callable[[str, list[Span], int, CompiledRule, "re.Match[str]"], bool]  # Scope.negated


class DeniedContent:
    """The openers of a denial's content and the words that may precede them, compiled once."""

    def __init__(self, lexicon: Lexicon, compiler: TermCompiler, vocabulary: Vocabulary):
        classes = lexicon.cues.classes
        self._vocabulary = vocabulary
        self._openers = compile_terms(compiler, ["{" + DENIED_CONTENT + "}"]) if DENIED_CONTENT in classes else None
        self._modifiers = vocabulary.determiners | {w.lower() for w in classes.get(DENIED_MODIFIER, [])}
        self._topics = compile_terms(compiler, ["{" + DENIED_TOPIC + "}"]) if DENIED_TOPIC in classes else None

    def topic_before(self, ctx: CueContext, start: int) -> Span | None:
        """What a verb-final denial denies before it ('hat die Berichte über einen Waffenstillstand dementiert'): from
        the end of the first claim noun with its link ('Berichte über') to the cue. Its words refuse nothing, as the
        content after an English cue; None for other cues and where no claim noun stands before the cue."""
        if ctx.rule.type != "denial" or self._topics is None:
            return None
        topic = self._topics.search(ctx.text, start, ctx.cue.start())
        return None if topic is None else (topic.end(), ctx.cue.start())

    def start(self, ctx: CueContext) -> int | None:
        """Where the denied content opens right after a denial cue (a few determiners and modifiers aside), or None
        when the cue's object is something else ('denied access', 'rejected calls for a ceasefire')."""
        if ctx.rule.type != "denial":
            return None
        return self._opening(ctx.text, ctx.cue.end(), ctx.end)

    def holds(self, ctx: CueContext, denials: Iterable[CompiledRule], negated: Negated) -> bool:
        """Whether the cue stands in what an earlier, unnegated denial cue of its sentence denies ('rejected claims
        that Canada had dropped its stance', 'denied that it would soon cut aid'): a step denied is no step taken.
        'dismissed a Danish plan to send tanks' denies no content (a plan is no claim). What is denied ends at a comma
        or a conjunction: 'rejected the claims and lifted its ban' takes the step after all."""
        text, clauses, lowered = ctx.text, ctx.clauses, ctx.sentence_lower
        for rule in denials:
            if lowered is not None and not rule.screen.admits(lowered):
                continue
            for cue in rule.cues(
                text, ctx.sentence.start, ctx.cue.start(), ctx.lower(ctx.sentence.start, ctx.cue.start())
            ):
                index = clause_of(clauses, cue.start())
                opens = self._opening(text, cue.end(), min(clauses[index][1], ctx.cue.start()))
                if opens is None or negated(text, clauses, index, rule, cue):
                    continue
                if self._within(ctx, index, opens):
                    return True
        return False

    def _within(self, ctx: CueContext, index: int, opens: int) -> bool:
        """Whether the cue stands in the content opening at `opens` in clause `index`: the next clause when only its
        complementiser parts the two ('claims | that the US had changed'; a comma ends what is denied: 'rejected the
        reports, and it will lift', 'rejected criticism, lifting'), or the denial's own clause within the content's
        first words and no conjunction between ('denied halting ...'; not 'rejected the claims and lifted ...')."""
        text, clauses = ctx.text, ctx.clauses
        if ctx.clause_index == index + 1:
            return "," not in text[clauses[index][1] : clauses[ctx.clause_index][0]]
        if ctx.clause_index != index:
            return False
        words = self._vocabulary.word.findall(text, opens, ctx.cue.start())
        conjunctions = self._vocabulary.conjunctions
        return len(words) <= _CONTENT_WORDS and not any(w.lower() in conjunctions for w in words)

    def _opening(self, text: str, start: int, end: int) -> int | None:
        if self._openers is None:
            return None
        words = islice(self._vocabulary.word.finditer(text, start, end), _MAX_MODIFIERS + 1)
        for word in words:
            if self._openers.fullmatch(word.group(0)):
                return word.start()
            if word.group(0).lower() not in self._modifiers:
                return None
        return None
