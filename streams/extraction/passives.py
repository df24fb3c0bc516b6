"""Passive clauses: the agent after 'by'/'von'/'vom' acts, not the clause's grammatical subject ('Two frigates were
sent to the Aegean by Greece', 'Die Vorwürfe wurden von Kenia zurückgewiesen', 'a village raided by the Israeli
army'). The words are grammar.json "passive" data (lexicon_passive.py); a language without them has no such reading."""

from __future__ import annotations

import re
from itertools import islice

from .context import Actor, CueContext, SentenceReading
from .gazetteer import COUNTRY, DEMONYM_ADJ, METONYM, PLACE, SUBDIVISION, Mention
from .lexicon_schema import Lexicon
from .mention_neighbours import state_seat
from .names import Names
from .speakers import titled_person
from .words import Vocabulary

# Words read after the participle for its agent ("were sent to the northern border region by Kenya").
_MAX_WORDS_AFTER = 10
# Words read before it in a verb-final clause ("Die Vorwürfe wurden am Montag vom Ministerium in Rom zurückgewiesen").
_MAX_WORDS_BEFORE = 16
_NO_AGENT = (PLACE, SUBDIVISION)  # "by the border", "von der Grenze": where, never who
_ROUTE = (COUNTRY, METONYM, PLACE, SUBDIVISION)  # after 'durch': the way the forces take ("durch Polen verlegt")


class Passives:
    """The passive words of one language (grammar.json "passive"), compiled once."""

    def __init__(self, lexicon: Lexicon, vocabulary: Vocabulary, names: Names):
        passive = lexicon.grammar.passive
        self._vocabulary = vocabulary
        self._names = names
        self._auxiliaries = frozenset(w.lower() for w in passive.auxiliaries)
        self._agents = frozenset(w.lower() for w in passive.agents)
        self._not_places = frozenset(w.lower() for w in passive.agents_not_places)
        self._agent_words = self._agents | self._not_places
        self._route_ends = frozenset(w.lower() for w in passive.route_ends)
        self._endings = tuple(passive.participle_endings)
        self._long_endings = tuple(e for e in self._endings if len(e) > 1)  # 't' alone is too weak
        self._no_organ_words = vocabulary.blocking_preps | vocabulary.location_preps
        self._reach = passive.auxiliary_reach
        self._reduced = passive.reduced

    def agent(self, ctx: CueContext, reading: SentenceReading) -> Actor | None:
        """The listed agent of a passive cue: its last word a participle, a passive auxiliary next to it (or, where
        the language has reduced passives, the agent word right after it), the agent word then a listed name."""
        if not self._auxiliaries or not self._endings:
            return None
        text, word = ctx.text, self._vocabulary.word
        cue_words = list(word.finditer(text, ctx.cue.start(), ctx.cue.end()))
        last = cue_words[-1].group(0) if cue_words else ""
        if not last[:1].islower() or not last.endswith(self._endings):
            return None  # no participle: "Soldaten" is a noun, "zurück" a particle
        participle = cue_words[-1]
        before = list(word.finditer(text, ctx.start, participle.start()))[-_MAX_WORDS_BEFORE:]
        after = list(islice(word.finditer(text, participle.end(), ctx.end), _MAX_WORDS_AFTER))
        if self._reach:  # the subject first: the auxiliary right before the participle, the agent after it
            nearby = before[-self._reach :]
            reduced = self._reduced and bool(after) and after[0].group(0).lower() in self._agents
            if not reduced and not any(w.group(0).lower() in self._auxiliaries for w in nearby):
                return None
            if (index := self._agent_index(after)) is None or (index and self._participle(after[index - 1])):
                return None  # "sent to the region controlled by X": the agent of another participle
            return self._first_agent(ctx, reading, after[index:])
        # Verb-final: the auxiliary anywhere in the clause; the agent between it and the participle ("wurden von X
        # verlegt"), or, where it follows the participle ("..., dass Truppen von X verlegt wurden"), before it.
        auxiliaries = [i for i, w in enumerate(before) if w.group(0).lower() in self._auxiliaries]
        if auxiliaries:
            return self._first_agent(ctx, reading, before[auxiliaries[0] + 1 :][::-1])
        if any(w.group(0).lower() in self._auxiliaries for w in after[:3]):
            return self._first_agent(ctx, reading, before[::-1])
        return None

    def _agent_index(self, words: list[re.Match[str]]) -> int | None:
        return next((i for i, w in enumerate(words) if w.group(0).lower() in self._agent_words), None)

    def _participle(self, word: re.Match[str]) -> bool:
        """A word with a participle's ending of two letters or more ("controlled", "drawn"; "t" alone is too weak)."""
        text = word.group(0)
        return text[:1].islower() and len(text) > 4 and text.endswith(self._long_endings)

    def _first_agent(self, ctx: CueContext, reading: SentenceReading, words: list[re.Match[str]]) -> Actor | None:
        """The name after the first agent word among `words` (in reading order away from the participle)."""
        text, vocabulary, mentions = ctx.text, self._vocabulary, reading.mentions
        for word in words:
            lowered = word.group(0).lower()
            if lowered not in self._agent_words:
                continue
            if any(m.start <= word.start() < m.end for m in mentions):
                continue  # "von der Leyen": part of a name, no agent word
            rest = list(islice(vocabulary.word.finditer(text, word.end(), ctx.end), 4))
            while rest and rest[0].group(0).lower() in vocabulary.determiners:
                rest = rest[1:]
            mention = next((m for m in mentions if rest and m.start == rest[0].start()), None)
            # "by Foreign Secretary Jane Doe"
            mention = mention or titled_person(text, rest, mentions, vocabulary.organ_nouns)
            if mention is None:
                return self._organ(ctx, reading, rest)
            if not self._acts(ctx, mention, lowered in self._not_places):
                return None
            return self._names.subject(text, mention)
        return None

    def _organ(self, ctx: CueContext, reading: SentenceReading, words: list[re.Match[str]]) -> Actor | None:
        """'by the ministry', 'von der neuen Regierung': an organ noun (after at most two lowercase adjectives) acts for
        the state its seat names ('vom Ministerium in Budapest'), else for the state the article is about."""
        vocabulary, text = self._vocabulary, ctx.text
        organ_nouns = vocabulary.organ_nouns
        if organ_nouns is None:
            return None
        for word in words[:3]:
            if (organ := organ_nouns.match(text, word.start())) is not None and not text[organ.end() :][:1].isalnum():
                break
            lowered = word.group(0).lower()
            if not word.group(0)[:1].islower() or lowered in self._no_organ_words:
                return None  # "by the end of", "by Friday": no organ
        else:
            return None
        following = list(islice(vocabulary.word.finditer(text, organ.end(), ctx.end), 2))
        if (seat := state_seat(following, reading.mentions, vocabulary.location_preps)) is not None:
            return Actor(seat.text, seat.entity, "subject", mention_start=seat.start)
        state = reading.dominant.get(ctx.sentence.start, ctx.sentence.end)
        if state is None:
            return None
        return Actor(organ.group(0), state, "organ", mention_start=organ.start())

    def _acts(self, ctx: CueContext, mention: Mention, not_place: bool) -> bool:
        """Whether the name after the agent word is who acts: no place, nor (after 'durch') a state the forces pass,
        nor where a route starts ("von Polen nach Litauen"); a state's adjective, a possessor or a name in a compound
        only before an organ or a force ("by the Israeli army", "by Peru's navy", "von UN-Truppen"; not "by Chilean
        truckers", "by Arouri's uncle", "abhängig von Kubas Handeln", "durch UN-Experten")."""
        category = mention.entity.category
        if category in _NO_AGENT or (not_place and category in _ROUTE):
            return False
        following = self._vocabulary.word.search(ctx.text, mention.end, ctx.end)
        if following is None:
            return category != DEMONYM_ADJ
        if following.group(0).lower() in self._route_ends:
            return False
        # A state's adjective, a possessor ("von Kubas Handeln") or a name glued to a noun ("UN-Experten") acts only
        # through that noun.
        if category != DEMONYM_ADJ and not mention.genitive and ctx.text[mention.end : following.start()] != "-":
            return True
        organ, at = self._vocabulary.organ_nouns, following.start()
        return bool((organ is not None and organ.match(ctx.text, at)) or self._vocabulary.force.match(ctx.text, at))
