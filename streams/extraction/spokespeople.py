"""A spokesperson named by a compound with an organisation's acronym ('Ein DFB-Sprecher wies die Berichte zurück',
'Die UEFA-Sprecherin dementierte'): the organisation the lists lack denies, by its acronym. Which heads name a
spokesperson is data (cues.json SPOKESPERSON); a listed modifier ('Hamas-Sprecher', 'Kreml-Sprecher') is the actor
stages' reading, and a name after the compound ('TikTok-Sprecher Tom Berger') is who speaks."""

from __future__ import annotations

from itertools import islice

from .context import Actor, CueContext, SentenceReading
from .gazetteer import ORGANIZATION, Entity
from .lexicon_schema import Lexicon
from .words import Vocabulary

SPOKESPERSON = "SPOKESPERSON"


class Spokespeople:
    """The spokesperson heads, articles and auxiliaries of one language, read once."""

    def __init__(self, lexicon: Lexicon, vocabulary: Vocabulary, auxiliaries: set[str]):
        self._vocabulary, self._auxiliaries = vocabulary, auxiliaries
        self._heads = {w.lower() for w in lexicon.cues.classes.get(SPOKESPERSON, [])}

    def organisation(self, ctx: CueContext, reading: SentenceReading) -> Actor | None:
        """The acronym of '<article> <ACRONYM>-<head>' opening the cue's clause right before the cue or its
        auxiliary, when the lists know no name there."""
        vocabulary, text = self._vocabulary, ctx.text
        if not self._heads:
            return None
        clause_start = ctx.clauses[ctx.clause_index][0]
        words = list(islice(vocabulary.word.finditer(text, clause_start, ctx.cue_start), 3))
        if words and words[0].group(0).lower() in vocabulary.determiners:
            words = words[1:]
        if not words or len(words) > 2 or (len(words) == 2 and words[1].group(0).lower() not in self._auxiliaries):
            return None
        modifier, _, head = words[0].group(0).rpartition("-")
        if head.lower() not in self._heads or not _is_acronym(modifier):
            return None
        if any(words[0].start() <= m.start < words[0].end() for m in reading.mentions):
            return None
        entity = Entity(modifier, None, ORGANIZATION, ORGANIZATION, generic=True)
        return Actor(modifier, entity, "subject", mention_start=words[0].start())


def _is_acronym(word: str) -> bool:
    """Two to six capital letters of any script ("DFB", "ÖBB", "ČEZ"): an organisation's short name."""
    return 2 <= len(word) <= 6 and word.isalpha() and word.isupper()
