"""Member calls: a member state calling on a body it belongs to ("France urged the EU to lift ...") proposes a step."""

from __future__ import annotations

import re

from .clause_scope import ClauseScope
from .context import Actor, CueContext
from .gazetteer import ORGANIZATION, Gazetteer, Mention
from .screens import ScreenedPattern

# The guideline excludes "a demand by outsiders that a government change course"; a member of the EU calling on the EU
# to impose or lift sanctions is no outsider: the annotation convention (ANNOTATING.md, Sanctions) labels "a member
# state proposing EU sanctions" as that state's possible policy shift. Its actor is the caller, not the body called on.


class MemberCalls:
    """Demands addressed to a body with members (entities.json "members") by one of its member states."""

    def __init__(self, gazetteer: Gazetteer, clauses: ClauseScope, demands: ScreenedPattern):
        self._gazetteer = gazetteer
        self._clauses = clauses
        self._demands = demands

    def caller_of(self, ctx: CueContext, demand: re.Match[str]) -> Mention | None:
        """The member state that makes the demand: the body it belongs to is named between the demand and the cue
        ("called on the European Union to impose", "press its EU partners to lift"), and the last state named before
        the demand in the sentence (a country, its capital, an officeholder) is one of that body's members."""
        text = ctx.text
        bodies = [
            m.entity.members
            for m in self._gazetteer.find(text, demand.start(), ctx.cue.start())
            if m.entity.category == ORGANIZATION and m.entity.members
        ]
        if not bodies:
            return None
        named = [m for m in self._gazetteer.find(text, ctx.sentence.start, demand.start()) if m.entity.country]
        if not named or not any(named[-1].entity.country in members for members in bodies):
            return None
        return named[-1]

    def caller(self, ctx: CueContext) -> Actor | None:
        """The member state whose call on its own body governs a policy cue, as the cue's actor ("Italy, France and
        Germany called on the EU to impose sanctions": Italy, France and Germany, not the EU)."""
        if ctx.rule.type != "policy_shift":
            return None
        demand = self._clauses.governed(self._demands, ctx, ctx.sentence.start, ctx.cue.start())
        if demand is None or (mention := self.caller_of(ctx, demand)) is None:
            return None
        return Actor(mention.text, mention.entity, "caller", mention_start=mention.start)
