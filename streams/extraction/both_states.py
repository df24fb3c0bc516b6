"""'Beide Länder haben das bestritten': a denial whose subject counts two states is made by the two named last."""

from __future__ import annotations

import re

from .context import Actor, CueContext
from .gazetteer import COUNTRY, METONYM, Gazetteer, Mention
from .lexicon import TermCompiler, compile_terms
from .lexicon_schema import Lexicon
from .words import Vocabulary

# The cues.json class of the phrases that count two states ("beide Länder"); optional (only German has it).
BOTH_STATES = "BOTH_STATES"
# The cues.json class of accusing verbs ("wirft ... vor", "behauptet"): a state right before one is the accuser.
ACCUSES = "ACCUSES"
# The cues.json class of genitive articles ("die Zölle der USA"): a name after one and a noun belongs to the noun.
GENITIVE_ARTICLE = "GENITIVE_ARTICLE"
_TWO_WORDS_BEFORE = re.compile(r"(\w+)[ ]+(\w+)[ ]+$")
# "Griechenlands und der Türkei": a genitive name coordinated with the next state names the pair itself.
_AND_NEXT = re.compile(r"[ ]+und[ ]+(?:der[ ]+|des[ ]+)?", re.IGNORECASE)
# Characters before the phrase searched for the two states: its sentence and about the two before it.
_WINDOW = 600


class BothStates:
    """The two-state subject phrases of one language (cues.json BOTH_STATES), compiled once."""

    def __init__(self, lexicon: Lexicon, vocabulary: Vocabulary, gazetteer: Gazetteer):
        classes = lexicon.cues.classes
        self._phrase = (
            compile_terms(TermCompiler(classes), ["{" + BOTH_STATES + "}"]) if BOTH_STATES in classes else None
        )
        self._claim = compile_terms(TermCompiler(classes), ["{" + ACCUSES + "}"]) if ACCUSES in classes else None
        self._genitive_articles = {w.lower() for w in classes.get(GENITIVE_ARTICLE, [])}
        self._vocabulary = vocabulary
        self._gazetteer = gazetteer
        # The last cue read and its pair: actor() and partners() ask for the same cue in turn. The key holds all the
        # pair depends on: the text, the clause, the cue and its rule's type (only a denial has a pair).
        self._last: tuple[str, int, int, int, str, tuple[Actor, Actor] | None] | None = None

    def pair(self, ctx: CueContext) -> tuple[Actor, Actor] | None:
        """_pair(ctx), read once per cue context."""
        last, key = self._last, (ctx.start, ctx.end, ctx.cue_start, ctx.rule.type)
        if last is not None and last[0] is ctx.text and last[1:5] == key:
            return last[5]
        found = self._pair(ctx)
        self._last = (ctx.text, *key, found)
        return found

    def _pair(self, ctx: CueContext) -> tuple[Actor, Actor] | None:
        """The two states a denial's clause counts ('Berichte, die beide Staaten dementieren'): the last two named
        before the phrase with different codes, none after a preposition ('im Streit gegen Chile' names a third), in
        the genitive ('die Zölle der USA', 'die Vorwürfe Chinas') or accusing ('Die USA werfen China vor')."""
        if self._phrase is None or ctx.rule.type != "denial":
            return None
        phrase = self._phrase.search(ctx.text, ctx.start, ctx.end)
        if phrase is None:
            return None
        text, start = ctx.text, max(0, phrase.start() - _WINDOW)
        found: list[Mention] = []
        mentions = self._gazetteer.find(text, start, phrase.start())
        state_starts = {m.start for m in mentions if m.entity.category in (COUNTRY, METONYM)}
        for mention in reversed(mentions):
            codes = {m.entity.country for m in found}
            if mention.entity.category in (COUNTRY, METONYM) and mention.entity.country not in codes:
                paired = _joined_to_next(text, mention, state_starts)
                owned = not paired and self._owned_or_accusing(text, mention)
                if not self._governed(text, mention, start) and not owned:
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

    def _owned_or_accusing(self, text: str, mention: Mention) -> bool:
        """A name in the genitive, owned by the noun before it ('die Zölle der USA', 'die Vorwürfe Chinas'), or the
        subject of a claim ('Die USA werfen China vor'): neither is one of the two states that deny."""
        before = _TWO_WORDS_BEFORE.search(text, max(0, mention.start - 60), mention.start)
        if before is not None:
            noun, article = before.group(1), before.group(2)
            determiners = self._vocabulary.determiners
            if noun[:1].isupper() and noun.lower() not in determiners and article.lower() in self._genitive_articles:
                return True
            # The -s genitive right after a noun ("Vorwürfe Chinas"; not "Paris", whose name ends so).
            genitive_s = mention.text.endswith("s") and not mention.entity.canonical.endswith("s")
            if genitive_s and article[:1].isupper() and article.lower() not in determiners:
                return True
        after = len(text) - len(text[mention.end :].lstrip())
        return self._claim is not None and self._claim.match(text, after) is not None


def _actor(mention: Mention) -> Actor:
    return Actor(mention.text, mention.entity, "subject", mention_start=mention.start)


def _joined_to_next(text: str, mention: Mention, state_starts: set[int]) -> bool:
    """Whether 'und' (and an article) joins the name to a state named right after it ('die Regierungen
    Griechenlands und der Türkei', 'die Truppen Armeniens und Aserbaidschans')."""
    joint = _AND_NEXT.match(text, mention.end)
    return joint is not None and joint.end() in state_starts
