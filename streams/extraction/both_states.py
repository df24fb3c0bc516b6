"""'Beide Länder haben das bestritten': a denial whose subject counts two states is made by the two named last."""

from __future__ import annotations

from .context import Actor, CueContext
from .gazetteer import COUNTRY, METONYM, Gazetteer, Mention
from .lexicon import TermCompiler, compile_terms
from .lexicon_schema import Lexicon
from .words import Vocabulary

# The cues.json class of the phrases that count two states ("beide Länder", "both countries"); optional.
BOTH_STATES = "BOTH_STATES"
# Characters before the phrase searched for the two states: its sentence and about the two before it.
_WINDOW = 600


class BothStates:
    """The two-state subject phrases of one language (cues.json BOTH_STATES), compiled once."""

    def __init__(self, lexicon: Lexicon, vocabulary: Vocabulary, gazetteer: Gazetteer):
        classes = lexicon.cues.classes
        self._phrase = (
            compile_terms(TermCompiler(classes), ["{" + BOTH_STATES + "}"]) if BOTH_STATES in classes else None
        )
        self._vocabulary = vocabulary
        self._gazetteer = gazetteer

    def pair(self, ctx: CueContext) -> tuple[Actor, Actor] | None:
        """The two states a denial's clause counts ('Berichte, die beide Staaten dementieren'): the last two named
        before the phrase with different codes, none after a preposition ('im Streit gegen Chile' names a third)."""
        if self._phrase is None or ctx.rule.type != "denial":
            return None
        phrase = self._phrase.search(ctx.text, ctx.start, ctx.end)
        if phrase is None:
            return None
        text, start = ctx.text, max(0, phrase.start() - _WINDOW)
        found: list[Mention] = []
        for mention in reversed(self._gazetteer.find(text, start, phrase.start())):
            codes = {m.entity.country for m in found}
            if mention.entity.category in (COUNTRY, METONYM) and mention.entity.country not in codes:
                if not self._governed(text, mention, start):
                    found.append(mention)
            if len(found) == 2:
                return _actor(found[1]), _actor(found[0])
        return None

    def _governed(self, text: str, mention: Mention, start: int) -> bool:
        """Whether a preposition governs the name ('gegen die Regierung', 'aus Peru'), an article between; not a
        particle before a comma ('werfen Chile vor, Peru ...')."""
        window = max(start, mention.start - 30)
        cut = max(text.rfind(mark, window, mention.start) for mark in ",;:.!?–")
        before = self._vocabulary.word.findall(text, max(window, cut + 1), mention.start)
        before = list(self._vocabulary.strip_articles([w.lower() for w in before]))
        return bool(before) and before[-1] in self._vocabulary.blocking_preps


def _actor(mention: Mention) -> Actor:
    return Actor(mention.text, mention.entity, "subject", mention_start=mention.start)
