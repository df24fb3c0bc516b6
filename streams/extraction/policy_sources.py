"""Actors of a policy shift told in an agentless passive: the government an officeholder or seat named next to it."""

from __future__ import annotations

from collections.abc import Iterable

from .context import Actor, CueContext, SentenceReading
from .gazetteer import METONYM, PERSON, PLACE, Gazetteer, Mention
from .lexicon_schema import Lexicon
from .text import Segmenter
from .words import Vocabulary

# Characters before the cue's sentence searched for the sentence before it.
_MAX_CHARS_BACK = 600

GOVERNMENT_SOURCE = "government_source"


class PolicySources:
    """The passive auxiliaries of one language (grammar.json "passive"), compiled once."""

    def __init__(self, lexicon: Lexicon, vocabulary: Vocabulary, gazetteer: Gazetteer):
        self._vocabulary = vocabulary
        self._gazetteer = gazetteer
        self._segmenter = Segmenter(lexicon.text)  # the engine's own rules: it splits the text the same way
        self._auxiliaries = frozenset(w.lower() for w in lexicon.grammar.passive.auxiliaries)
        self._not_announcing = frozenset(w.lower() for w in lexicon.grammar.passive.not_announcing)

    def actor(self, ctx: CueContext, reading: SentenceReading) -> Actor | None:
        """A policy cue in a passive clause that names nobody: the government an officeholder or a seat of power
        stands for, named in the cue's sentence, else in the sentence before, else in the one after ('..., sagte
        Scholz', 'Mikl-Leitner kündigte an ... Die Kontrollen werden verlängert'). Only these two kinds of name: a
        country named there is as often the neighbour a border regime concerns or the target of a sanction. A
        language without grammar.json "passive.not_announcing" has no such reading."""
        if ctx.rule.type != "policy_shift" or ctx.rule.learned or not self._not_announcing or reading.attributions:
            return None  # a named speaker ('..., kritisierte er') may be anyone: the actor stages read the speaker
        text, vocabulary = ctx.text, self._vocabulary
        words = {w.lower() for w in vocabulary.word.findall(text, ctx.start, ctx.end)}
        if words.isdisjoint(self._auxiliaries) or not words.isdisjoint(self._not_announcing):
            return None
        if any(ctx.start <= m.start < ctx.end and m.entity.category != PLACE for m in reading.mentions):
            return None  # a name of the clause is its object, or a 'von' agent the passive stage refused
        sentence = ctx.sentence
        found = self._government(text, reading.mentions)
        if found is None:
            earlier = self._segmenter.sentences(
                text, max(0, sentence.lead_start - _MAX_CHARS_BACK), sentence.lead_start
            )
            if earlier:
                found = self._government(text, self._gazetteer.find(text, earlier[-1].start, earlier[-1].end))
        if found is None and reading.following is not None:
            following = reading.following
            found = self._government(text, self._gazetteer.find(text, following.start, following.end))
        if found is None:
            return None
        return Actor(found.text, found.entity, "subject", mention_start=found.start, fallback=GOVERNMENT_SOURCE)

    def _government(self, text: str, mentions: Iterable[Mention]) -> Mention | None:
        """The first officeholder with a state or seat of power that no preposition governs ('gegen Berlin')."""
        vocabulary = self._vocabulary
        for mention in mentions:
            entity = mention.entity
            if not ((entity.category == PERSON and entity.country) or entity.category == METONYM):
                continue
            words = vocabulary.word.findall(text, max(0, mention.start - 40), mention.start)[-3:]
            before = vocabulary.strip_articles([w.lower() for w in words])
            if before and before[-1] in vocabulary.blocking_preps:
                continue
            if before and len(before) < len(words) and self._noun(words[len(before) - 1]):
                continue  # 'Mitglieder der Bundesregierung', 'die Kritik des Kanzlers': a genitive, not the source
            return mention
        return None

    def _noun(self, word: str) -> bool:
        """A noun other than an organ or a title ('Innenministerin') in a language that capitalises nouns."""
        organ_nouns = self._vocabulary.organ_nouns
        if not self._vocabulary.nouns_capitalized or not word[:1].isupper():
            return False
        return not (organ_nouns is not None and organ_nouns.fullmatch(word))
