"""A denial cue that is a present participle ('with the news agency Fars Online denying any strike', 'Tory
defector Jane Doe dismissing as "nonsense" claims that ...'): where the subject comes first, the name right before the
participle is who denies; the subject readings miss it, as no finite verb follows the name."""

from __future__ import annotations

from itertools import takewhile

from .context import Actor, CueContext, SentenceReading, clause_of
from .gazetteer import PLACE
from .lexicon_schema import Lexicon
from .speakers import MAX_SPEAKER_WORDS, name_run
from .words import Vocabulary

_MAX_CHARS_BEFORE = 120  # the stretch before the cue read for the name
_CLAUSE_MARKS = " ,;:-–—(\"'“”"  # what may stand before a preposition that opens its clause
_PREPOSITION_REACH = 30  # the stretch before the name read for a preposition (and an article)


class ParticipleSubjects:
    """The participle endings of one language (text.json gerund_endings) and the words that open no name."""

    def __init__(self, lexicon: Lexicon, vocabulary: Vocabulary, not_names: set[str]):
        self._vocabulary, self._not_names = vocabulary, not_names
        self._endings = tuple(w.lower() for w in lexicon.text.gerund_endings)
        self._verb_second = lexicon.grammar.verb_second

    def subject(self, ctx: CueContext, reading: SentenceReading) -> Actor | None:
        """The listed name that ends right before the participle cue, else an unlisted one of two or three
        capitalised words there, with a word before it (a name opening the sentence is the subject readings')."""
        text, word = ctx.text, self._vocabulary.word
        cue = word.match(text, ctx.cue_start)
        if self._verb_second or not self._endings or cue is None or not cue.group(0).lower().endswith(self._endings):
            return None
        listed = next((m for m in reading.mentions if m.end + 1 == ctx.cue_start), None)
        if listed is not None and text[listed.end] == " " and listed.entity.category != PLACE:
            if governed_by_preposition(self._vocabulary, ctx, listed.start):
                return None
            return Actor(listed.text, listed.entity, "subject", mention_start=listed.start)
        before = list(word.finditer(text, max(ctx.sentence.start, ctx.cue_start - _MAX_CHARS_BEFORE), ctx.cue_start))
        if not before or before[-1].end() + 1 != ctx.cue_start or text[before[-1].end()] != " ":
            return None
        run = list(takewhile(lambda w: w.group(0)[:1].isupper(), reversed(before[-MAX_SPEAKER_WORDS:])))[::-1]
        if (
            not 2 <= len(run) <= MAX_SPEAKER_WORDS - 1
            or len(run) == len(before)  # the sentence's opening: the subject readings' case
            or any(m.start < run[-1].end() and m.end > run[0].start() for m in reading.mentions)
            or governed_by_preposition(self._vocabulary, ctx, run[0].start())
        ):
            return None
        return name_run(text, run, self._not_names)


def governed_by_preposition(vocabulary: Vocabulary, ctx: CueContext, name_start: int) -> bool:
    """The name follows a preposition, an article between at most ('filmed at Downing Street denying', 'posts on
    the Social Media Platforms denying', 'Die Anwältin von Tom Berger, die ...'): it says where something stands or
    whose something is, not who acts (as gerunds.py). A preposition opening its clause opens an absolute phrase whose
    name is the subject ('The talks stalled, with Iran denying any role', 'Gegen Wiebke Sander, die ... abstreitet')."""
    text = ctx.text
    clause_start = ctx.clauses[clause_of(ctx.clauses, name_start)][0]
    words = list(vocabulary.word.finditer(text, max(clause_start, name_start - _PREPOSITION_REACH), name_start))
    lowered = [w.group(0).lower() for w in words[-2:]]
    governing = vocabulary.strip_articles(lowered)
    if not governing or not (governing[-1] in vocabulary.blocking_preps or governing[-1] in vocabulary.location_preps):
        return False
    preposition = words[len(words) - len(lowered) + len(governing) - 1]
    return bool(text[clause_start : preposition.start()].strip(_CLAUSE_MARKS))
