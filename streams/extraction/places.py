"""Places: where a deployment goes, read from the place phrases after the location prepositions of the cue's
clause ("nach Russland", "to the border with Finland", "in die an Finnland grenzende Region Karelien")."""

from __future__ import annotations

import re
from dataclasses import replace

from .context import Attribution, CueContext, Place
from .gazetteer import (
    COUNTRY,
    DEMONYM_ADJ,
    DEMONYM_NOUN,
    METONYM,
    ORGANIZATION,
    PERSON,
    PLACE,
    SUBDIVISION,
    Gazetteer,
    Mention,
)
from .lexicon import TermCompiler, compile_terms
from .lexicon_schema import Lexicon
from .words import Vocabulary

# Words a destination's premodifier may span before its place noun ("in die seit Jahren belagerte Stadt").
_MAX_PREMODIFIER_WORDS = 6

# Words of a place phrase that opens a sentence alone before a relative clause ("In der Stadt Tartus, die ...").
_MAX_FRONTED_PLACE_WORDS = 5

_Words = list[re.Match[str]]


class Places:
    """The place words of one language (text.json), compiled once."""

    def __init__(self, lexicon: Lexicon, compiler: TermCompiler, vocabulary: Vocabulary, gazetteer: Gazetteer):
        rules = lexicon.text
        self._vocabulary = vocabulary
        self._gazetteer = gazetteer
        self._place_modifiers = compile_terms(compiler, rules.place_modifiers)
        self._place_links = {w.lower() for w in rules.place_links}
        self._border_nouns = re.compile(compiler.terms(rules.border_nouns), re.IGNORECASE)
        self._border_links = compile_terms(compiler, rules.border_links)
        self._present_participle = tuple(rules.present_participle_endings)
        self._adjective_borders = rules.adjective_borders
        self._place_relatives = {w.lower() for w in rules.place_relatives}
        # cues.json GENITIVE_ARTICLE ("der", "des"): the only articles that tie an owner to a place noun ("Osten der
        # Ukraine"); another determiner after the noun opens a phrase of its own. Optional: without it any does.
        self._genitive_articles = {w.lower() for w in lexicon.cues.classes.get("GENITIVE_ARTICLE", [])}
        self._relative_pronouns = {w.lower() for w in rules.relative_pronouns}

    def location(self, ctx: CueContext, mentions: list[Mention], attributions: list[Attribution]) -> Place | None:
        """The place after the first location preposition that follows the cue, else after the last one before it."""
        text, cue = ctx.text, ctx.cue
        places: list[tuple[int, Place]] = []
        words = list(self._vocabulary.word.finditer(text, ctx.start, ctx.end))
        by_start = {m.start: m for m in mentions}
        covered_until = -1
        for index, word in enumerate(words):
            if word.group(0).lower() not in self._vocabulary.location_preps:
                continue
            if any(a.start <= word.start() < a.end for a in attributions):
                continue
            if word.start() < covered_until:
                continue  # "in die zwischen Sudan und Südsudan umstrittene Region Abyei": inside the destination read
            if places and word.group(0).lower() in self._place_links:
                continue  # "in die Region um X nahe der Grenze": a landmark that locates the place before it
            place = self._place_phrase(text, words, index + 1, by_start)
            if place is not None:
                place = replace(place, preposition_start=word.start())
                places.append((word.start(), place))
                name_at = text.find(place.name, word.start(), ctx.end)
                covered_until = name_at + len(place.name) if name_at >= 0 else covered_until
                if word.start() >= cue.start():
                    break
        if not places and (earlier := self._place_before_clause(ctx, by_start, attributions)) is not None:
            return earlier
        if not places:
            return None if ctx.rule.requires_foreign_location else self._named_place(ctx, mentions, attributions)
        after = [p for pos, p in places if pos >= cue.start()]
        return after[0] if after else places[-1][1]

    def _place_before_clause(
        self, ctx: CueContext, by_start: dict[int, Mention], attributions: list[Attribution]
    ) -> Place | None:
        """The place a cue's clause points back to across its comma: the last place of the clause before a 'wo'
        clause ('In Syrien liegt ein Flugplatz, wo Kampfjets stationiert sind'), or a place phrase that opens the sentence
        alone before a relative clause interrupts the cue's ('In Mali, wo Islamisten kämpfen, sind Soldaten im Einsatz')."""
        if ctx.clause_index == 0:
            return None
        opening = self._clause_words(ctx, ctx.clause_index)
        if opening and opening[0].group(0).lower() in self._place_relatives:
            source = self._clause_words(ctx, ctx.clause_index - 1)
        elif ctx.clause_index == 2 and self._opens_relative(self._clause_words(ctx, 1)):
            source = self._clause_words(ctx, 0)
            if (
                len(source) > _MAX_FRONTED_PLACE_WORDS
                or source[0].group(0).lower() not in self._vocabulary.location_preps
            ):
                return None
        else:
            return None
        found = None
        for index, word in enumerate(source):
            if word.group(0).lower() in self._vocabulary.location_preps and not any(
                a.start <= word.start() < a.end for a in attributions
            ):
                found = self._place_phrase(ctx.text, source, index + 1, by_start) or found
        return found

    def _opens_relative(self, words: _Words) -> bool:
        return bool(words) and words[0].group(0).lower() in self._relative_pronouns | self._place_relatives

    def _clause_words(self, ctx: CueContext, index: int) -> _Words:
        start, end = ctx.clauses[index]
        return list(self._vocabulary.word.finditer(ctx.text, start, end))

    @staticmethod
    def _named_place(ctx: CueContext, mentions: list[Mention], attributions: list[Attribution]) -> Place | None:
        """With no place phrase after a location preposition: a listed place the cue's sentence names in another
        way ("the Rafah operation", "Gaza's Nasser hospital", "tanks massed near Khan Younis" as a premodifier or
        possessive), the one nearest the cue. States are left out (they are actors and targets as often as places),
        and so is a place inside an attribution ("reports from Rafah say")."""
        cue = ctx.cue.start()
        listed = [
            m
            for m in mentions
            if m.entity.category == PLACE
            and m.entity.country
            and ctx.sentence.start <= m.start < ctx.sentence.end
            and not any(a.start <= m.start < a.end for a in attributions)
        ]
        if not listed:
            return None
        nearest = min(listed, key=lambda m: abs(m.start - cue))
        name = nearest.entity.canonical if nearest.genitive else nearest.text  # "Gaza's": Gaza
        return Place(name, nearest.entity.country, nearest.entity.canonical.lower(), named_only=True)

    def _place_phrase(self, text: str, words: _Words, index: int, by_start: dict[int, Mention]) -> Place | None:
        vocabulary = self._vocabulary
        hint: Mention | None = None
        place_noun: re.Match[str] | None = None  # the last generic place noun seen ("Region", "border", "Osten")
        linked = False  # a link word followed the place noun: "border with", "Region um", "Osten der"
        skipped_adjectives = 0
        start_word = None
        while index < len(words):
            word = words[index]
            lower = word.group(0).lower()
            mention = by_start.get(word.start())
            if mention is not None and mention.entity.category == DEMONYM_ADJ:
                hint = mention
                start_word = start_word or word
                index += 1
                continue
            if mention is not None and mention.entity.category in (COUNTRY, PLACE, METONYM, DEMONYM_NOUN):
                if self._is_attribute(words, index + 1):
                    return None  # "in die an Finnland grenzende Region": the place named is the region, not Finland
                entity = mention.entity
                if linked and place_noun is not None and self._border_link(text, place_noun, word):
                    # "an die Grenze zu Polen", "to the border with Finland": the place is the border as the text
                    # names it; the neighbour is not where the troops go (the actor stage decides whose side it is).
                    phrase = text[place_noun.start() : mention.end]
                    return Place(phrase, None, phrase.lower(), neighbour=entity.country)
                if place_noun is not None and (linked or mention.genitive) and entity.category == COUNTRY:
                    # "im Osten der Ukraine", "the south of Lebanon": a part of the country named.
                    phrase = text[place_noun.start() : mention.end]
                    return Place(phrase, entity.country, phrase.lower())
                key = (
                    entity.country
                    if entity.category in (COUNTRY, METONYM) and entity.country
                    else entity.canonical.lower()
                )
                return Place(mention.text, entity.country, key)
            if mention is not None and mention.entity.category in (ORGANIZATION, PERSON):
                return None
            if lower in vocabulary.determiners:
                if (
                    place_noun is not None
                    and not linked
                    and self._genitive_articles
                    and lower not in self._genitive_articles
                ):
                    break  # "an der Grenze weitere Truppen": the object after the place, no genitive owner
                linked = linked or place_noun is not None  # a genitive article: "Osten der Ukraine"
                index += 1
                continue
            if self._gazetteer.is_place_noun(lower):
                place_noun = word
                start_word = start_word or word
                index += 1
                continue
            if (attribute_end := self._attribute_end(words, index)) is not None:
                index = attribute_end  # "in die an Finnland grenzende Region Karelien": read on after the attribute
                continue
            if place_noun is not None and lower in self._place_links:
                linked = True
                index += 1
                continue
            if (
                word.group(0)[0].islower()
                and place_noun is None
                and hint is None
                and (head := self._premodified_head(text, words, index)) is not None
            ):
                index = head  # "in die seit Jahren belagerte Stadt X", "into the gold-mining province of X"
                continue
            if (
                word.group(0)[0].islower()
                and skipped_adjectives < 2
                and index + 1 < len(words)
                and (words[index + 1].group(0)[0].isupper() or self._gazetteer.is_place_noun(words[index + 1].group(0)))
                and (
                    self._place_modifiers.fullmatch(word.group(0))
                    or vocabulary.nouns_capitalized
                    and lower.endswith(vocabulary.adjective_suffixes)
                )
            ):
                # An ordinary adjective before a name or place noun ("occupied West Bank", "grenzende Region").
                skipped_adjectives += 1
                index += 1
                continue
            break
        name_words: list[re.Match[str]] = []
        while index < len(words) and len(name_words) < 3:
            word = words[index]
            token = word.group(0)
            if not token[0].isupper() or token.lower() in vocabulary.time_words:
                break
            if name_words and text[name_words[-1].end() : word.start()].strip() not in ("", "-"):
                break
            name_words.append(word)
            index += 1
        if name_words and index < len(words) and self._border_nouns.fullmatch(words[index].group(0)):
            return None  # "the Kosovar border": a border named after a neighbour, no place
        if name_words:
            name = text[name_words[0].start() : name_words[-1].end()]
            known = self._gazetteer.lookup_place(name)
            if known is not None:
                return Place(
                    name,
                    known.country,
                    known.key if known.category == COUNTRY else known.canonical.lower(),
                    subdivision=known.kind == SUBDIVISION,
                )
            if not vocabulary.nouns_capitalized or place_noun is not None:
                country = hint.entity.country if hint else None
                return Place(name, country, name.lower())
        if hint is not None and place_noun is not None:
            noun_end = words[index - 1].end() if index > 0 else hint.end
            name = text[start_word.start() : noun_end] if start_word else hint.text
            if self._border_nouns.fullmatch(place_noun.group(0)):
                # "an die syrische Grenze": the border with that state, read as "Grenze zu Syrien" is (the actor stage
                # puts it on the actor's side, as the German labels code a border); else no named place.
                return (
                    Place(name, None, name.lower(), neighbour=hint.entity.country) if self._adjective_borders else None
                )
            return Place(name, hint.entity.country, hint.entity.country or name.lower())
        if place_noun is not None and self._gazetteer.is_compound_place(place_noun.group(0)):
            # A compound that names the place by itself: "Sinai-Halbinsel", "Nordgrenze", "Grenzregion".
            return Place(place_noun.group(0), None, place_noun.group(0).lower())
        return None

    def _premodified_head(self, text: str, words: _Words, index: int) -> int | None:
        """Index of the place noun a destination's premodifier leads to ('seit Jahren belagerte Stadt Djibo',
        'gold-mining province of Pataz'), when it follows within a few words, unbroken by punctuation, and is itself
        followed by a name or a link word ('province of') or names the place as a compound ('X-Riff')."""
        for ahead in range(index, min(index + _MAX_PREMODIFIER_WORDS + 1, len(words))):
            if ahead > index and text[words[ahead - 1].end() : words[ahead].start()].strip() not in ("", "-"):
                return None
            word = words[ahead].group(0)
            if ahead > index and word.lower() in self._vocabulary.location_preps:
                return None  # "to missions in Lebanon": a second preposition opens a place of its own
            if ahead == index or not self._gazetteer.is_place_noun(word):
                continue
            if self._gazetteer.is_compound_place(word) and "-" in word:
                return ahead
            if ahead + 1 < len(words) and not text[words[ahead].end() : words[ahead + 1].start()].strip():
                following = words[ahead + 1].group(0)
                if (
                    following[0].isupper() and following.lower() not in self._vocabulary.time_words
                ) or following.lower() in self._place_links:
                    return ahead
            return None
        return None

    def _attribute_end(self, words: _Words, index: int) -> int | None:
        """Index after a participle attribute opened by a preposition ('an Finnland grenzende'), else None."""
        if not self._present_participle or words[index].group(0).lower() not in self._vocabulary.blocking_preps:
            return None
        for ahead in range(index + 2, min(index + 5, len(words) - 1)):
            if self._is_attribute(words, ahead):
                return ahead + 1
        return None

    def _is_attribute(self, words: _Words, index: int) -> bool:
        """A verb-final language embeds a place in an attribute before its noun: 'an Finnland grenzende Region'."""
        if not self._vocabulary.nouns_capitalized or index + 1 >= len(words):
            return False
        following = words[index].group(0)
        return (
            following[0].islower()
            and following.lower().endswith(self._present_participle)
            and words[index + 1].group(0)[0].isupper()
        )

    def _border_link(self, text: str, place_noun: re.Match[str], name: re.Match[str]) -> bool:
        """'Grenze zu Polen', 'border with Finland': a border (or front) named after the neighbour beyond it."""
        return (
            self._border_nouns.search(place_noun.group(0)) is not None
            and self._border_links.search(text, place_noun.end(), name.start()) is not None
        )
