"""Armed groups that act for no state: 'Drusische Milizen haben ... eingenommen', 'Syrische Rebellen sind ...
vorgedrungen'. The group noun (text.json referring.armed_groups) is the subject of the cue's clause: no name stands
before it but the adjective that qualifies it, and no preposition or genitive article governs it. The group itself acts
(the labels name it, with no country): its adjective says where it fights, not whose forces these are."""

from __future__ import annotations

import re

from .context import Actor, CueContext
from .gazetteer import ORGANIZATION, PLACE, Entity, Mention
from .lexicon import TermCompiler, compile_terms
from .lexicon_schema import Lexicon
from .words import Vocabulary

ARMED_GROUP = "armed_group"
# Endings of adjectives of origin or creed ('syrischen', 'islamistische'): they qualify the group after them.
_ORIGIN_ENDINGS = ("ische", "ischen", "ischer")


class ArmedGroups:
    """The armed-group nouns of one language, compiled once."""

    def __init__(self, lexicon: Lexicon, vocabulary: Vocabulary):
        terms = lexicon.text.referring.armed_groups
        self._pattern = compile_terms(TermCompiler(lexicon.cues.classes), terms) if terms else None
        self._vocabulary = vocabulary
        rules = lexicon.text
        self._owner_preps = {w.lower() for w in rules.owner_prepositions}
        # Words after which the noun is governed, not the subject: "von Rebellen", "gegen die Miliz", "der Rebellen".
        self._governing = (
            vocabulary.blocking_preps
            | vocabulary.bystander_preps
            | self._owner_preps
            | {w.lower() for w in rules.location_prepositions}
        )

    def subject(self, ctx: CueContext, mentions: list[Mention]) -> Actor | None:
        """The armed group that is the subject before the cue, with the adjective before it; None if another name or
        a force noun stands before it in the clause, or a preposition governs it."""
        if self._pattern is None:
            return None
        text, vocabulary = ctx.text, self._vocabulary
        group = self._pattern.search(text, ctx.start, ctx.cue_start)
        if group is None:
            # A cue that opens with the group ("{ARMED_GROUP} ... eingenommen"): the group is its subject.
            group = self._pattern.match(text, ctx.cue_start, ctx.end)
        if group is None:
            return None
        words = list(vocabulary.word.finditer(text, ctx.start, group.start()))
        start = group.start()
        if words and words[-1].end() == start - 1 and self._adjective(words[-1].group(0), words[-2:-1]):
            start = words.pop().start()  # "Drusische Milizen", "die regierungsfeindlichen Kämpfer"
        lowered = [w.group(0).lower() for w in words]
        before = vocabulary.strip_articles(lowered)
        if before and before[-1] in self._governing:
            return None
        if len(before) < len(lowered) and lowered[len(before)] in self._governing:
            return None  # "der Rebellen": a genitive article (also an owner preposition) governs it
        after = vocabulary.word.findall(text, group.end(), min(ctx.end, group.end() + 40))[:2]
        if len(after) == 2 and after[0].lower() in self._owner_preps and after[1][0].isupper():
            return None  # "Kämpfer des Nordens": an owner the lists do not know, no guess
        if vocabulary.force.search(text, ctx.start, start) is not None:
            return None  # "Die Armee hat die von Rebellen gehaltene Stadt eingenommen"
        if any(
            ctx.start <= m.start < start and m.entity.category != PLACE and not self._placed(ctx, m) for m in mentions
        ):
            return None  # "Russland hat Milizen ... verlegt": the state sends them
        name = text[start : group.end()]
        return Actor(name, Entity(name, None, ARMED_GROUP, ORGANIZATION), "subject", mention_start=start)

    def _adjective(self, word: str, before: list[re.Match[str]]) -> bool:
        """Whether the word before the group qualifies it: an adjective ending that opens the sentence ('Syrische
        Rebellen'), follows an article ('die regierungsfeindlichen Kämpfer') or is one of origin ('islamistischen');
        not an article ('der Islamisten' is a genitive) nor a verb ('In Syrien haben Aufständische ...')."""
        vocabulary, lowered = self._vocabulary, word.lower()
        if not word.endswith(vocabulary.adjective_suffixes) or lowered in vocabulary.determiners:
            return False
        return (
            word[0].isupper()
            or lowered.endswith(_ORIGIN_ENDINGS)
            or bool(before and before[0].group(0).lower() in vocabulary.determiners)
        )

    def _placed(self, ctx: CueContext, mention: Mention) -> bool:
        """Whether the name follows a preposition ('In Syrien haben Rebellen ...'): where, not who."""
        words = [w.group(0).lower() for w in self._vocabulary.word.finditer(ctx.text, ctx.start, mention.start)]
        before = self._vocabulary.strip_articles(words[-2:])
        return bool(before) and before[-1] in self._governing
