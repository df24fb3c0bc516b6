"""Where the content a denial verb denies begins: 'denied reports that access was blocked', 'deny they were playing
politics with the ceasefire vote', 'denies blocking access'. A disqualifier there ('access', 'vote') is a word of what
is denied, not the thing refused ('denied access', 'rejected the vote'), so it cancels nothing. Which words open such
content (a claim noun, a complementiser, a subject pronoun, a gerund) and which may stand before them ('any', 'such',
'earlier') is data: cues.json DENIED_CONTENT and DENIED_MODIFIER."""

from __future__ import annotations

from itertools import islice

from .context import CueContext
from .lexicon import TermCompiler, compile_terms
from .lexicon_schema import Lexicon
from .words import Vocabulary

DENIED_CONTENT = "DENIED_CONTENT"
DENIED_MODIFIER = "DENIED_MODIFIER"
_MAX_MODIFIERS = 3  # "denied any such earlier reports"


class DeniedContent:
    """The openers of a denial's content and the words that may precede them, compiled once."""

    def __init__(self, lexicon: Lexicon, compiler: TermCompiler, vocabulary: Vocabulary):
        classes = lexicon.cues.classes
        self._vocabulary = vocabulary
        self._openers = compile_terms(compiler, ["{" + DENIED_CONTENT + "}"]) if DENIED_CONTENT in classes else None
        self._modifiers = vocabulary.determiners | {w.lower() for w in classes.get(DENIED_MODIFIER, [])}

    def start(self, ctx: CueContext) -> int | None:
        """Where the denied content opens right after a denial cue (a few determiners and modifiers aside), or None
        when the cue's object is something else ('denied access', 'rejected calls for a ceasefire')."""
        if self._openers is None or ctx.rule.type != "denial":
            return None
        words = islice(self._vocabulary.word.finditer(ctx.text, ctx.cue.end(), ctx.end), _MAX_MODIFIERS + 1)
        for word in words:
            if self._openers.fullmatch(word.group(0)):
                return word.start()
            if word.group(0).lower() not in self._modifiers:
                return None
        return None
