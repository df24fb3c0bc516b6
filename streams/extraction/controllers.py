"""Bodies run by a name ("the Hamas-run health ministry"): the body acts, not the name that runs it."""

from __future__ import annotations

from itertools import islice

from .context import Actor, CueContext, SentenceReading
from .gazetteer import ORGANIZATION, Entity
from .lexicon_schema import Lexicon
from .words import Vocabulary

# Words after "Hamas-run" that may still name the body it runs ("government media office").
_MAX_BODY_WORDS = 4


class ControlledBodies:
    """The participles (text.json controller_participles) that join a controller's name to the body it runs."""

    def __init__(self, lexicon: Lexicon, vocabulary: Vocabulary):
        self._vocabulary = vocabulary
        self._participles = {w.lower() for w in lexicon.text.controller_participles}
        self._qualifiers = {w.lower() for w in lexicon.text.qualifier_participles}

    def joins(self, word: str) -> bool:
        """Whether the word after a hyphen makes the name before it a controller ("Hamas-run")."""
        return word.lower() in self._participles

    def qualifies(self, text: str, end: int) -> bool:
        """Whether a name ending at `end` is joined by a hyphen to a participle (text.json qualifier_participles) that
        makes it qualify the noun after it: "Iran-backed militias", "the Qatar-based network" act, not Iran or Qatar."""
        following = self._vocabulary.word.match(text, end + 1)
        return text[end : end + 1] == "-" and following is not None and following.group(0).lower() in self._qualifiers

    def body(self, ctx: CueContext, reading: SentenceReading) -> Actor | None:
        """The body a name runs, when it opens the cue's clause before the cue: "the Hamas-run health ministry
        denied ..." is that ministry (an unlisted body), not Hamas; its name runs to the last organ word after the
        participle."""
        text, organ_nouns = ctx.text, self._vocabulary.organ_nouns
        if organ_nouns is None or not self._participles:
            return None
        clause_start = ctx.clauses[ctx.clause_index][0]
        for mention in reading.mentions:
            if not clause_start <= mention.start < ctx.cue_start:
                continue
            words = list(islice(self._vocabulary.word.finditer(text, mention.end, ctx.cue_start), _MAX_BODY_WORDS + 1))
            if not words or text[mention.end : words[0].start()] != "-" or not self.joins(words[0].group(0)):
                continue
            end = None
            for previous, word in zip(words, words[1:], strict=False):
                if text[previous.end() : word.start()] != " ":
                    break
                if organ_nouns.fullmatch(word.group(0)):
                    end = word.end()
            if end is not None:
                name = text[mention.start : end]
                return Actor(
                    name, Entity(name, None, ORGANIZATION, ORGANIZATION, generic=True), "subject", mention.start
                )
        return None
