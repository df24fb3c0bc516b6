"""The subject of a gerund cue that a verb's object controls: "Russia warns France against deploying troops",
"Erdogan accused Sweden of having abandoned its policy": the object (France, Sweden) does what the gerund says,
not the subject of the verb before it."""

from __future__ import annotations

import re

from .context import CueContext
from .gazetteer import PLACE, Mention
from .lexicon_schema import Lexicon
from .words import Vocabulary

# How far before the name its governing verb (and an article) may stand.
_GOVERNING_REACH = 40
# Words read back from the cue for the gerund it stands in ("against conducting a full-scale military incursion").
_GERUND_REACH = 6
_BREAK = re.compile(r"[,;:()]")


class GerundSubjects:
    """The links (text.json gerund_links) and endings (gerund_endings) of one language, read once."""

    def __init__(self, lexicon: Lexicon, vocabulary: Vocabulary):
        self._vocabulary = vocabulary
        self._links = {w.lower() for w in lexicon.text.gerund_links}
        self._endings = tuple(lexicon.text.gerund_endings)

    def subject(self, ctx: CueContext, mentions: list[Mention]) -> Mention | None:
        """The name right before a link that opens the gerund the cue is or stands in ('against deploying', 'of
        having abandoned', 'against conducting a full-scale incursion'), itself the object of a lowercase word that
        is no preposition: 'warns France against deploying'; a name after a preposition ('a plan by Israel for
        deploying') is no verb's object."""
        if not self._links or not self._endings:
            return None
        text, word = ctx.text, self._vocabulary.word
        cue = word.match(text, ctx.cue_start)
        if cue is None:
            return None
        before = list(word.finditer(text, ctx.start, ctx.cue_start))[-_GERUND_REACH:]
        if cue.group(0).endswith(self._endings):
            before.append(cue)
        gerund = next((i for i in range(len(before) - 1, 0, -1) if before[i].group(0).endswith(self._endings)), None)
        if gerund is None:
            return None
        if before[gerund - 1].group(0).lower() not in self._links:
            if gerund < 2 or before[gerund - 2].group(0).lower() not in self._links:
                return None
            gerund -= 1  # an adverb between: "of secretly sending"
        if any(not w.group(0)[0].islower() for w in before[gerund:]) or _BREAK.search(
            text, before[gerund].start(), ctx.cue_start
        ):
            return None  # the gerund's own object or clause: a name or a comma between it and the cue
        link = before[gerund - 1]
        name = next((m for m in mentions if text[m.end : link.start()] == " " and m.entity.category != PLACE), None)
        if name is None:
            return None
        words = word.findall(text, max(ctx.start, name.start - _GOVERNING_REACH), name.start)[-2:]
        governing = self._vocabulary.strip_articles([w.lower() for w in words])
        if not governing or not words[-1][0].islower():
            return None  # a capitalised word before the name opens the sentence or a longer name
        return None if governing[-1] in self._vocabulary.blocking_preps else name
