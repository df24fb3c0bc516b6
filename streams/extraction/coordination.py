"""Coordinated actors: the names that act together with a cue's actor ('France, Germany and the Netherlands', 'the
US, UK and other countries', 'UK joins US in imposing ...', 'Spanien schließt sich den USA an')."""

from __future__ import annotations

import re
from collections.abc import Callable

from .context import Actor, CueContext, SentenceReading
from .gazetteer import PLACE, Mention
from .lexicon_schema import Lexicon
from .words import Vocabulary

# How far after the last listed name a closing phrase may end ("and other Western countries").
_CLOSER_REACH = 40

Excluded = Callable[[Mention, list[Mention]], bool]  # (partner, the run it stands in) -> whether it cannot act


def _words(phrase: str) -> str:
    """A pattern for a phrase's words, any whitespace between them."""
    return r"\s+".join(re.escape(w) for w in phrase.split())


class Coordination:
    """The list words of one language (text.json: coordinators, list_closers, partner_frames), compiled once."""

    def __init__(self, lexicon: Lexicon, vocabulary: Vocabulary):
        rules = lexicon.text
        self._vocabulary = vocabulary
        self._coordinators = {w.lower() for w in rules.coordinators}
        self._closers = {w.lower() for w in rules.list_closers}
        self._frames = [self._frame(f) for f in rules.partner_frames]
        # Words before a list that leave its names acting: 'decisions by Norway and Denmark', 'states such as ...'.
        self._openers = {tuple(w.lower().split()) for w in [*rules.passive_agents, *rules.list_openers]}

    def opened(self, words: list[str]) -> bool:
        """Whether the (lowercased, article-free) words before a list end in a list opener."""
        return any(tuple(words[-len(o) :]) == o for o in self._openers)

    @staticmethod
    def _frame(frame: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
        """'joins * in' -> the words before the partner (at the end of the gap before it) and after it."""
        before, after = (part.strip() for part in frame.split("*", 1))
        return (
            re.compile(r"(?:^|\s)" + _words(before) + r"(?:\s+(\w+))?\s*$", re.IGNORECASE),
            re.compile(r"^\s*" + _words(after) + r"\b", re.IGNORECASE),
        )

    def _link(self, gap: str) -> str | None:
        """What a gap between two names is: 'comma', 'coordinator' (also ', and', 'and the', ', the'), else None."""
        words = re.findall(r",|[^\s,]+", gap.lower())
        words = list(self._vocabulary.strip_articles(words))
        comma = bool(words) and words[0] == ","
        rest = " ".join(words[1:] if comma else words)
        if rest in self._coordinators:
            return "coordinator"
        return "comma" if comma and not rest else None

    def _closed_after(self, text: str, mention: Mention) -> bool:
        """Whether a coordinator and a closing word follow the name: 'the US, UK and other countries'."""
        words = [w.lower() for w in self._vocabulary.word.findall(text, mention.end, mention.end + _CLOSER_REACH)]
        gap_end = text.find(" ", mention.end)
        if gap_end < 0 or text[mention.end : gap_end + 1].strip() not in ("", ","):
            return False
        for size in (1, 2):
            if " ".join(words[:size]) in self._coordinators and size < len(words):
                return words[size] in self._closers
        return False

    def runs(self, text: str, mentions: list[Mention], index: int) -> list[Mention]:
        """The names listed with mentions[index]: joined by a coordinator, or by commas in a list a coordinator closes."""
        members: list[Mention] = []
        joined = False  # a coordinator, not only commas, joins a name to the list
        for step in (1, -1):
            position = index
            while 0 <= position + step < len(mentions):
                left, right = sorted((mentions[position], mentions[position + step]), key=lambda m: m.start)
                link = self._link(text[left.end : right.start])
                if link is None:
                    break
                position += step
                members.append(mentions[position])
                joined = joined or link == "coordinator"
        if joined:
            return members
        # A comma alone lists names only when a coordinator closes the list ("France, Germany and Italy", "the US,
        # UK and other countries").
        last = max([*members, mentions[index]], key=lambda m: m.start)
        return members if members and self._closed_after(text, last) else []

    def framed(self, text: str, actor: Actor, mentions: list[Mention], cue_start: int) -> list[Mention]:
        """Partners named in a frame between the actor and the cue: 'UK joins US in imposing ...'."""
        found = []
        for mention in mentions:
            if not actor.mention_start < mention.start < cue_start:
                continue
            before, after = text[actor.mention_start : mention.start], text[mention.end : mention.end + _CLOSER_REACH]
            for frame_before, frame_after in self._frames:
                opening = frame_before.search(before)
                # At most an article between the frame's words and the partner: "schließt sich den USA an".
                if (
                    opening
                    and frame_after.search(after)
                    and (opening.group(1) is None or opening.group(1).lower() in self._vocabulary.determiners)
                ):
                    found.append(mention)
                    break
        return found

    def partners(self, ctx: CueContext, actor: Actor, reading: SentenceReading, excluded: Excluded) -> list[Actor]:
        """Actors coordinated with this one, in the cue's sentence."""
        text, mentions = ctx.text, reading.mentions
        index = next((i for i, m in enumerate(mentions) if m.start == actor.mention_start), None)
        if index is None:
            return []
        run = self.runs(text, mentions, index)
        framed = self.framed(text, actor, [m for m in mentions if m.end <= ctx.sentence.end], ctx.cue_start)
        partners = []
        keys = {actor.entity.key}
        for mention in run + framed:
            if mention.entity.category != PLACE and mention.entity.key not in keys and not excluded(mention, run):
                keys.add(mention.entity.key)
                partners.append(Actor(mention.text, mention.entity, actor.via, mention_start=mention.start))
        return partners
