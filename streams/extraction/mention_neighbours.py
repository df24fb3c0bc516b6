"""How a name reads beside the names next to it: an organisation a state qualifies, a glued modifier, a seat."""

from __future__ import annotations

import re

from .gazetteer import COUNTRY, DEMONYM_ADJ, METONYM, ORGANIZATION, Mention
from .words import LOWER


def organization_named(text: str, mention: Mention, mentions: list[Mention]) -> Mention:
    """A state qualifying the organisation right after it names that organisation ("die libanesische Hisbollah",
    "Russia's Wagner group"): the organisation acts, not the state."""
    if mention.entity.category not in (DEMONYM_ADJ, COUNTRY, METONYM) or (
        mention.entity.category != DEMONYM_ADJ and not mention.genitive
    ):
        return mention
    following = next((m for m in mentions if m.start > mention.start), None)
    if (
        following is not None
        and following.entity.category == ORGANIZATION
        and not text[mention.end : following.start].strip()
    ):
        return following
    return mention


def past_modifier(text: str, mention: Mention, following: list[Mention]) -> Mention:
    """'troops of the UN-authorised Gang Suppression Force': a name glued to a lowercase word only qualifies the
    name after it, which owns the forces."""
    glued = re.match(rf"-{LOWER}[\w-]*\s+", text[mention.end : mention.end + 40])
    if glued is None:
        return mention
    after = next((m for m in following if m.start == mention.end + glued.end()), None)
    return after or mention


def state_seat(
    following: list[re.Match[str]], mentions: list[Mention], location_preps: frozenset[str]
) -> Mention | None:
    """'Die Taliban-Regierung in Kabul', 'vom Ministerium in Budapest': the state a location preposition and a name
    right after an organ (its next two words, `following`) name as the organ's seat."""
    if len(following) < 2 or following[0].group(0).lower() not in location_preps:
        return None
    seat = next((m for m in mentions if m.start == following[1].start()), None)
    if seat is None or seat.entity.category not in (COUNTRY, METONYM) or not seat.entity.country:
        return None
    return seat
