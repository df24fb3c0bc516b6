"""A state organ named by its seat in a city or region ('Die Polizei in Bologna bestritt, ...', 'Die Behörden in
Köln wiesen die Berichte zurück'): it denies for the country the place lies in. A seat that is a state or a capital
('die Regierung in Paris') is the actor stages' (gazetteer.state_seat); this reads the places they leave out."""

from __future__ import annotations

import re
from itertools import islice

from .context import Actor, CueContext, SentenceReading
from .gazetteer import COUNTRY, PLACE, Entity, Gazetteer
from .words import Vocabulary

_OPENING_WORDS = 6  # an article, the organ, the preposition, a place of up to two words and the next word


class SeatedOrgans:
    """The organ nouns, articles, location prepositions and auxiliaries of one language, and where its places lie."""

    def __init__(self, vocabulary: Vocabulary, gazetteer: Gazetteer, auxiliaries: set[str]):
        self._vocabulary, self._gazetteer, self._auxiliaries = vocabulary, gazetteer, auxiliaries

    def organ(self, ctx: CueContext, reading: SentenceReading) -> Actor | None:
        """The organ that opens the cue's clause as article, organ noun, location preposition and a listed place with
        a country, followed by the cue or one auxiliary: it acts for that country, named as written ('Polizei in
        Bologna'). Only where nouns are capitalised (the organ nouns are German data)."""
        vocabulary, text = self._vocabulary, ctx.text
        organs = vocabulary.organ_nouns if vocabulary.nouns_capitalized else None
        if organs is None:
            return None
        words = list(islice(vocabulary.word.finditer(text, ctx.start, ctx.cue_start), _OPENING_WORDS + 1))
        if (
            len(words) < 4
            or words[0].group(0).lower() not in vocabulary.determiners
            or organs.fullmatch(words[1].group(0)) is None
            or words[2].group(0).lower() not in vocabulary.location_preps
        ):
            return None
        if any(m.start == words[3].start() and m.entity.category != PLACE for m in reading.mentions):
            return None  # a state, a capital or an organisation there: the actor stages'
        place, end = self._place(text, words[3:5])
        if place is None or not place.country:
            return None
        rest = [w for w in words if w.start() >= end]
        if rest and rest[0].group(0).lower() not in self._auxiliaries:
            return None  # the cue or its auxiliary follows the place: "Die Polizei in Köln hat ... bestritten"
        country = place.country
        name = text[words[1].start() : end]
        return Actor(name, Entity(country, country, "state", COUNTRY), "organ", mention_start=words[1].start())

    def _place(self, text: str, words: list[re.Match[str]]) -> tuple[Entity | None, int]:
        """The place of one or two capitalised words ('Bologna', 'Bad Ems') and where it ends."""
        for count in (2, 1):
            if len(words) >= count and all(w.group(0)[:1].isupper() for w in words[:count]):
                name = text[words[0].start() : words[count - 1].end()]
                if (place := self._gazetteer.lookup_place(name)) is not None and place.category == PLACE:
                    return place, words[count - 1].end()
        return None, -1
