"""The subject of a gerund cue that a verb's object controls: "Russia warns France against deploying troops",
"Netanyahu accused the US of having abandoned its policy": the object (France, the US) does what the gerund says,
not the subject of the verb before it."""

from __future__ import annotations

from .context import CueContext
from .gazetteer import PLACE, Mention
from .lexicon_schema import Lexicon
from .words import Vocabulary

# How far before the name its governing verb (and an article) may stand.
_GOVERNING_REACH = 40


class GerundSubjects:
    """The links (text.json gerund_links) and endings (gerund_endings) of one language, read once."""

    def __init__(self, lexicon: Lexicon, vocabulary: Vocabulary):
        self._vocabulary = vocabulary
        self._links = {w.lower() for w in lexicon.text.gerund_links}
        self._endings = tuple(lexicon.text.gerund_endings)

    def subject(self, ctx: CueContext, mentions: list[Mention]) -> Mention | None:
        """The name right before a link that opens the cue's gerund (the cue, or an auxiliary before it, ends like
        one), itself the object of a lowercase word that is no preposition: 'warns France against deploying'; a
        name after a preposition ('a plan by Israel for deploying') is no verb's object."""
        if not self._links or not self._endings:
            return None
        text, word = ctx.text, self._vocabulary.word
        cue = word.match(text, ctx.cue_start)
        before = word.findall(text, ctx.start, ctx.cue_start)[-2:]
        if cue is None or not before:
            return None
        gerund = cue.group(0)
        if not gerund.endswith(self._endings):
            if len(before) < 2 or not before[-1].endswith(self._endings):
                return None
            before = before[:-1]  # "of having abandoned"
        link = before[-1]
        link_start = text.rfind(link, ctx.start, ctx.cue_start)
        if link.lower() not in self._links or link_start < 0:
            return None
        name = next((m for m in mentions if text[m.end : link_start] == " " and m.entity.category != PLACE), None)
        if name is None:
            return None
        words = word.findall(text, max(ctx.start, name.start - _GOVERNING_REACH), name.start)[-2:]
        governing = self._vocabulary.strip_articles([w.lower() for w in words])
        if not governing or not words[-1][0].islower():
            return None  # a capitalised word before the name opens the sentence or a longer name
        return None if governing[-1] in self._vocabulary.blocking_preps else name
