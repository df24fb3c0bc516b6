"""Actors the clause's subject does not name: a nominal cue's possessor (possessors.py), and anaphoric subjects: a
sentence opened by a pronoun or a bare role noun ('It denied ...', 'The group rejects ...') acts for the actor that a
sentence just before it names first."""

from __future__ import annotations

from itertools import islice, takewhile

from .context import Actor, CueContext, SentenceReading
from .gazetteer import ORGANIZATION, PERSON, PLACE, Gazetteer, Mention
from .lexicon import TermCompiler, compile_terms
from .lexicon_schema import Lexicon
from .names import POSSESSIVE, unlisted_actor
from .possessors import Possessors
from .text import Segmenter
from .words import Vocabulary

# How far back the antecedent is looked for: the sentences before the cue's, within this many characters.
_MAX_SENTENCES_BACK = 2
_MAX_CHARS_BACK = 600
# Words read from the sentence's start up to the cue: an anaphor, its auxiliaries and adverbs, an opening conjunction.
_MAX_OPENING_WORDS = 6
_MAX_NAME_WORDS = 4  # an unlisted person's name: "Dr Jane Doe"

PERSONAL = "person"  # 'he', 'she': a person
NON_PERSONAL = "non-person"  # 'it': a state or an organisation
ROLE = "role"  # 'the group': an organisation


class Antecedents:
    """The anaphors of one language (text.json), compiled once."""

    def __init__(
        self,
        lexicon: Lexicon,
        compiler: TermCompiler,
        vocabulary: Vocabulary,
        *,
        names: Gazetteer,  # finds the names of the sentences before the cue's
        splitter: Segmenter,  # splits the text before it into sentences
    ):
        rules = lexicon.text
        self._vocabulary = vocabulary
        self._gazetteer = names
        self._segmenter = splitter
        # text.json "anaphors": "pronouns" for a state or organisation ("it"), "personal" ones for a person ("he",
        # "she"), "nouns" that after an article stand for an organisation ("the group").
        if unknown := set(rules.anaphors) - {"pronouns", "personal", "nouns"}:
            raise ValueError(f"text.json anaphors: unknown kinds {sorted(unknown)}")
        self._personal = {w.lower() for w in rules.anaphors.get("personal", [])}
        self._pronouns = {w.lower() for w in rules.anaphors.get("pronouns", [])} | self._personal
        self._nouns = {w.lower() for w in rules.anaphors.get("nouns", [])}
        # Between the anaphor and the cue: auxiliaries and adverbs ("It has consistently denied").
        self._between = {w.lower() for w in [*rules.auxiliaries, *rules.passive_auxiliaries, *rules.focus_particles]}
        self._openers = vocabulary.conjunctions | {w.lower() for w in rules.focus_particles}
        self._not_names = self._openers | vocabulary.determiners | vocabulary.time_words | self._pronouns
        # "X accused Y of ... . It denied ...": the accused denies.
        self._accusation = compile_terms(compiler, rules.accusation_verbs) if rules.accusation_verbs else None
        self._possessors = Possessors(lexicon, compiler, vocabulary)

    def actor(self, ctx: CueContext, reading: SentenceReading) -> Actor | None:
        """The possessor of a nominal cue, else the antecedent of the anaphor that opens the cue's sentence and
        stands right before the cue, if any."""
        if (possessor := self._possessors.actor(ctx, reading)) is not None:
            return possessor
        if ctx.rule.speaker_acts:
            return None  # "It is false that ...": a dummy subject; those rules find their speaker themselves
        kind = self._anaphor(ctx)
        if kind is None:
            return None
        text, sentence_start = ctx.text, ctx.sentence.lead_start
        earlier = self._segmenter.sentences(text, max(0, sentence_start - _MAX_CHARS_BACK), sentence_start)
        for sentence in reversed(earlier[-_MAX_SENTENCES_BACK:]):
            mentions = [m for m in self._gazetteer.find(text, sentence.start, sentence.end) if self._fits(m, kind)]
            if ctx.rule.type == "denial" and (accused := self._accused(text, mentions, sentence.start)) is not None:
                return Actor(accused.text, accused.entity, "subject", mention_start=accused.start)
            if (mention := self._first_actor(text, mentions, sentence.start)) is not None:
                return Actor(mention.text, mention.entity, "subject", mention_start=mention.start)
            if kind == PERSONAL and (person := self._opening_name(text, sentence.start, sentence.end)) is not None:
                return person
        return None

    def _opening_name(self, text: str, start: int, end: int) -> Actor | None:
        """An unlisted person who opens the sentence ('Mr Yadlin said ...', 'Jane Doe has ...'): two to four
        capitalised words, none of them a function word, followed by a lowercase one."""
        words = list(islice(self._vocabulary.word.finditer(text, start, end), _MAX_NAME_WORDS + 1))
        run = list(takewhile(lambda w: w.group(0)[0].isupper() and w.group(0).lower() not in self._not_names, words))
        if not 2 <= len(run) <= _MAX_NAME_WORDS or len(run) == len(words) or POSSESSIVE.search(run[-1].group(0)):
            return None  # one word may be an adverb or a place; "Mr Smith's lawyer" names someone else
        return unlisted_actor(text[run[0].start() : run[-1].end()], run[0].start())

    def _anaphor(self, ctx: CueContext) -> str | None:
        """PERSONAL ('he', 'she'), NON_PERSONAL ('it', 'they', 'the group') or None: the words from the sentence's
        start to the cue are, openers ('But', 'However,') and auxiliaries or adverbs aside, one anaphor."""
        if not self._pronouns and not self._nouns:
            return None
        words = [
            w.group(0).lower() for w in self._vocabulary.word.finditer(ctx.text, ctx.sentence.start, ctx.cue_start)
        ][: _MAX_OPENING_WORDS + 1]
        if len(words) > _MAX_OPENING_WORDS:
            return None
        while words and words[0] in self._openers:
            words = words[1:]
        while words and words[-1] in self._between:
            words = words[:-1]
        if len(words) == 1 and words[0] in self._pronouns:
            return PERSONAL if words[0] in self._personal else NON_PERSONAL
        if len(words) == 2 and words[0] in self._vocabulary.determiners and words[1] in self._nouns:
            return ROLE
        return None

    @staticmethod
    def _fits(mention: Mention, kind: str) -> bool:
        category = mention.entity.category
        if kind == ROLE:
            return category == ORGANIZATION
        return category != PLACE and (category == PERSON) == (kind == PERSONAL)

    def _accused(self, text: str, mentions: list[Mention], sentence_start: int) -> Mention | None:
        """The first fitting name right after the sentence's last accusation verb (an article aside)."""
        if self._accusation is None or not mentions:
            return None
        accusations = list(self._accusation.finditer(text, sentence_start, mentions[-1].start + 1))
        if not accusations:
            return None
        after = accusations[-1].end()
        following = [m for m in mentions if m.start >= after]
        if not following:
            return None
        gap = [w.group(0).lower() for w in self._vocabulary.word.finditer(text, after, following[0].start)]
        return following[0] if not self._vocabulary.strip_articles(gap) else None

    def _first_actor(self, text: str, mentions: list[Mention], sentence_start: int) -> Mention | None:
        """The first name of the sentence not after a preposition ('by Israel', 'in Gaza' name no subject)."""
        for mention in mentions:
            before = [w.group(0).lower() for w in self._vocabulary.word.finditer(text, sentence_start, mention.start)]
            before = list(self._vocabulary.strip_articles(before))
            if before and before[-1] in self._vocabulary.blocking_preps:
                continue
            return mention
        return None
