"""What the stages share: the readings they produce (Actor, Place, Attribution, Candidate), the cue they read
(CueContext), what is read once per cue sentence (SentenceReading) and per article (DominantState), and helpers
on spans of text."""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, replace
from typing import NamedTuple

from .gazetteer import COUNTRY, DEMONYM_ADJ, DEMONYM_NOUN, METONYM, PERSON, Entity, Gazetteer, Mention
from .lexicon import CompiledRule
from .text import Sentence

Span = tuple[int, int]
UNOWNED = "unowned"  # the via of a force named without its owner ("Polizisten sind im Einsatz"): referents.py
# The word right before a name: its title ("Innenministerin Johanna Mikl-Leitner", "Kreml-Sprecher Dmitri Peskow").
_TITLE = re.compile(r"([^\W\d_][\w-]*)[ \u00a0]+$")
# How far back an office noun looks for the officeholder it repeats (as a pronoun's antecedent search does).
_TITLE_WINDOW = 2000


@dataclass(frozen=True)
class Actor:
    name: str
    entity: Entity
    via: str  # owner | subject | speaker | organ (a bare organ noun standing for the article's state) | UNOWNED
    force_end: int = -1  # for owners: end of the force noun phrase they own
    mention_start: int = -1  # where the name stands, to find actors coordinated with it
    fallback: str = ""  # agentless.py: which fallback found an actor the cue's clause does not name


@dataclass(frozen=True)
class Place:
    name: str
    country: str | None
    key: str
    preposition_start: int = -1  # where "in"/"nach"/"to" ... introducing it stands
    # The country comes from a subdivision table (ISO 3166-2), not from a name the text itself marks as a state or
    # city: good enough for where troops go, too weak to make forces "foreign" on their own.
    subdivision: bool = False
    # A border named after the state beyond it ("an die Grenze zu Finnland"): troops go to the acting state's side.
    neighbour: str | None = None
    # A listed place the sentence names without a location preposition ("the Rafah operation", "Gaza's Nasser
    # hospital"): it says where, but neither parts the event from the same actor's others nor owns a force.
    named_only: bool = False


@dataclass(frozen=True)
class Attribution:
    start: int
    end: int
    source: str
    marker_start: int
    position: str  # after | before | between


@dataclass(frozen=True)
class Candidate:
    """One cue sentence's reading, before per-article merging."""

    type: str
    rule: str
    actor: Actor
    location: Place | None
    quantity: tuple[int, str, str] | None  # value, qualifier, unit
    attribution: str | None
    modality: str
    sentence_start: int
    sentence_end: int
    lead_start: int  # start of the colon lead-in this sentence belongs to (= sentence_start when none)
    cue_start: int
    confidence: float


class CueContext(NamedTuple):
    """One cue match where it stands: its rule, sentence and clause, and the span the stages read around it. A named
    tuple, as immutable as a frozen dataclass and built about twice as fast (one per cue found)."""

    text: str
    rule: CompiledRule
    cue: re.Match[str]
    sentence: Sentence
    clauses: list[Span]  # the sentence's clauses, in text order
    clause_index: int  # the clause the cue starts in
    start: int  # the cue's context: its clause, joined to the one before when it is a relative clause
    end: int
    sentence_lower: str | None = None  # the lowercased sentence where that mirrors the regexes' case folding

    @property
    def cue_start(self) -> int:
        return self.cue.start()

    def lower(self, start: int, end: int) -> str | None:
        """The lowercased text[start:end] when it lies in the sentence and sentence_lower is known, else None."""
        return view(self.sentence_lower, self.sentence, start, end)


@dataclass(frozen=True)
class SentenceReading:
    """What the stages read from the cue's sentence, once, when its first cue survives the scope checks."""

    mentions: list[Mention]  # names from the colon lead-in to the sentence end, the dateline left out
    attributions: list[Attribution]  # source markers ("officials said"), in text order
    following: Sentence | None  # the next sentence, where a denial's speaker may be named
    dominant: DominantState  # the state the article is mostly about


class DominantState:
    """The state an article is mostly about: most mentions outside the sentence at hand (dateline and headline
    included; the first named wins a tie). Mentions are found once, and only when a bare organ needs them; the
    sentence itself is left out because a name there may be what is denied ("denied that Serbia had ..."). Listed
    officeholders do not count: a text naming only people names visitors, accusers and both sides of a meeting as
    often as its own head of government (seventeenth session, mend17). A text that names no state at all goes by the
    home provinces it names ('Tirol', 'Bayern'; twenty-second session)."""

    _STATE_CATEGORIES = (COUNTRY, METONYM, DEMONYM_ADJ, DEMONYM_NOUN)
    # What tells which of the states that name an organ alike an article is about: its seats of power and its
    # officeholders ('Wien', 'Faymann'), not country names, which a German text on Austria's border names as often.
    _HOME_CATEGORIES = (METONYM, PERSON)

    def __init__(self, gazetteer: Gazetteer, text: str):
        self._gazetteer = gazetteer
        self._text = text
        self._states: MentionCounts | None = None  # (offset, country code) of each state mention
        self._home_evidence: list[tuple[int, str]] | None = None  # seats and officeholders (see home)
        self._officeholders: list[Mention] = []  # listed people with a state, in text order (see organ)
        self._officeholder_starts: list[int] = []
        self._officeholders_state: tuple[str, ...] | None = None  # the one state they point to, if any
        self._home_counts: dict[tuple[str | None, ...], MentionCounts] = {}  # the evidence for each set of candidates
        self._found: list[Mention] = []  # the listed names of the whole text (read once, with the states)
        self._force_owners: dict[str, set[str]] = {}  # per pattern of force heads: the states named owning forces
        self._named_states: dict[str, bool] = {}  # per country: whether the text names it as a state (occupier)

    def get(self, sentence_start: int, sentence_end: int) -> Entity | None:
        return _most_named(self._counts(sentence_start, sentence_end))

    def sole(self, sentence_start: int, sentence_end: int) -> Entity | None:
        """The state named more often than any other outside the sentence, None on a tie ("France and Germany met"):
        for readings too weak to choose between two states in play."""
        counts = self._counts(sentence_start, sentence_end)
        most = max(counts.values(), default=0)
        return _most_named(counts) if sum(count == most for count in counts.values()) == 1 else None

    def organ(self, noun: str, start: int, sentence: Sentence) -> Actor | None:
        """A bare office noun ('sagte der Kanzler', 'Der Minister wies ... zurück') repeats the title of the listed
        officeholder named last before it with a title ending in it ('Bundeskanzler Werner Faymann', 'Kreml-Sprecher
        Dmitri Peskow'): that person acts, for their state; else the organ acts for the state the article is about,
        which in a report on criticism from abroad is often the critic's."""
        if (person := self.titled(noun, start)) is not None:
            return Actor(person.text, person.entity, "subject", mention_start=start)
        state = self.get(sentence.start, sentence.end)
        return None if state is None else Actor(noun, state, "organ", mention_start=start)

    def titled(self, noun: str, before: int) -> Mention | None:
        """The one listed officeholder named before `before` (within the window) with a title ending in the noun:
        'Innenministerin' for 'Ministerin', never 'Innenminister' (the noun keeps its gender); None when two people
        hold such titles there ('Außenminister Kurz traf Außenminister Lawrow. Der Minister ...')."""
        if self._home_evidence is None:
            self._read()
        lowered, found = noun.lower(), None
        # Only the window's mentions, found by bisection: a long text asks for every office noun it repeats.
        starts = self._officeholder_starts
        window = self._officeholders[bisect_left(starts, before - _TITLE_WINDOW) : bisect_left(starts, before)]
        for mention in window:
            title = _TITLE.search(self._text, max(0, mention.start - 40), mention.start)
            if title is None or not title.group(1).lower().endswith(lowered):
                continue
            if found is not None and found.entity.canonical != mention.entity.canonical:
                return None
            found = mention
        return found

    def officeholders_sole(self) -> Entity | None:
        """The one state all the seats and listed officeholders of a text that names no state point to ('Präsident
        Yoon ...', 'schrieb Tusk'), None when they point to two ('Starmer met Zelensky') or to none: for forces counted
        with no owner and no place, which serve the state whose officeholders the story follows."""
        if self._home_evidence is None:
            self._read()
        assert self._home_evidence is not None
        if self._officeholders_state is None:  # read once: text-wide, asked for each such cue
            countries = {country for _, country in self._home_evidence}
            self._officeholders_state = (countries.pop(),) if len(countries) == 1 else ()
        return _most_named(dict.fromkeys(self._officeholders_state, 1))

    def occupier(self, heads: re.Pattern[str], place_country: str, place_words: frozenset[str]) -> Entity | None:
        """The one state the text names as an owner of forces or of a military operation ('Israeli tanks', "Israel's
        invasion", 'the IDF') when that is not the state of the place its unowned forces are at, and the text names
        that state only as a place (after one of place_words: 'in Iraq') or by demonyms, never as a state acting
        ('Iraq said', "Iraq's government"; 'Gaza', 'Palestinians' are places and people): troops pushing into a town
        of a land that takes no part in the story as a state are the invader's, not that land's. A state named as
        such may be defending its own ground ('Ukraine said ... troops were sent to Sumy'), and with no place the
        forces may be sent in response to the army named (review 17): then None, as when several states own forces."""
        owner = self.force_owner(heads)
        if owner is None or owner.country == place_country or self._named_as_state(place_country, place_words):
            return None
        return owner

    def force_owner(self, heads: re.Pattern[str]) -> Entity | None:
        """The one state the text names owning forces or a military operation (see occupier), else None."""
        if self._states is None:
            self._read()
        owners = self._force_owners.get(heads.pattern)
        if owners is None:
            owners = self._force_owners[heads.pattern] = {
                country
                for m in self._found
                if (country := m.entity.country)
                and (m.entity.is_force or (m.entity.category in self._STATE_CATEGORIES and self._owns(m, heads)))
            }
        if len(owners) != 1:
            return None
        code = next(iter(owners))
        return Entity(code, code, "state", COUNTRY)

    def _named_as_state(self, country: str, place_words: frozenset[str]) -> bool:
        """Whether the text names the country as a state outside a place phrase (once per country: a long text asks
        for every sentence)."""
        named = self._named_states.get(country)
        if named is None:
            named = self._named_states[country] = any(
                m.entity.country == country
                and m.entity.category in (COUNTRY, METONYM)
                and not self._after_place_word(m.start, place_words)
                for m in self._found
            )
        return named

    def _after_place_word(self, start: int, place_words: frozenset[str]) -> bool:
        """'in Iraq', 'into southern Lebanon': a preposition before the name, past at most two lowercase words."""
        for word in reversed(re.findall(r"\w+", self._text[max(0, start - 40) : start])[-3:]):
            if word.lower() in place_words:
                return True
            if not word.islower():
                return False
        return False

    def _owns(self, mention: Mention, heads: re.Pattern[str]) -> bool:
        """Whether a force or operation word follows the name after one space: 'Israeli troops', "Russia's invasion"."""
        return self._text[mention.end : mention.end + 1] == " " and heads.match(self._text, mention.end + 1) is not None

    def _counts(self, sentence_start: int, sentence_end: int) -> dict[str, int]:
        if self._states is None:
            self._read()
        assert self._states is not None
        return self._states.outside(sentence_start, sentence_end)

    def home(self, actor: Actor, sentence: Sentence) -> Actor:
        """An organ several states name alike ('Die Bundesregierung' in a Vienna paper) acts for the one of them whose
        seats and officeholders the article names most outside the sentence ('Wien', 'Faymann'); with none of the
        others ahead, for the data's default (Germany's 'Bundesregierung')."""
        if not actor.entity.shared:
            return actor
        if self._home_evidence is None:
            self._read()
        country = self._home_of(actor.entity, sentence.start, sentence.end)
        return (
            actor if country == actor.entity.country else replace(actor, entity=replace(actor.entity, country=country))
        )

    def _read(self) -> None:
        # Only listed names can be states: the organisations recognised by form (and what they displace,
        # which is organisations too) make no difference here, so that slower pass is left out.
        found = self._found = self._gazetteer.find_listed(self._text)
        beside = self._gazetteer.reference_points.beside
        self._home_evidence = [
            (m.start, country)
            for m in found
            if m.entity.category in self._HOME_CATEGORIES and (country := m.entity.country) and not m.entity.shared
        ]
        self._officeholders = [m for m in found if m.entity.category == PERSON and m.entity.country]
        self._officeholder_starts = [m.start for m in self._officeholders]
        # An organ several states name alike counts for the one the whole article is about (see home).
        states = [
            (m.start, (self._home_of(m.entity, 0, 0) or country) if m.entity.shared else country)
            for m in found
            if m.entity.category in self._STATE_CATEGORIES
            and (country := m.entity.country)
            # "an der Grenze zu Slowenien", "östlich von Australien": a neighbour of the story's place.
            and not beside(self._text, m.start, m.end, m.entity.category == DEMONYM_ADJ)
        ]
        # Domestic news often names no state at all ("in Bayern", "die Landesregierung in Tirol"): then its home
        # provinces stand for theirs. Only then: a text that names a state goes by the states it names. Places a
        # story happens in are no evidence (Israeli tanks in Gaza are not Palestine's), nor are officeholders alone
        # (see the class's docstring).
        self._states = MentionCounts(states or self._gazetteer.find_home_provinces(self._text))

    def _home_of(self, entity: Entity, start: int, end: int) -> str | None:
        """Which of the states that name the organ so the article's seats and officeholders outside text[start:end]
        point to most, when that is not the default."""
        assert self._home_evidence is not None
        candidates = (entity.country, *entity.shared)
        counts = self._home_counts.get(candidates)
        if counts is None:
            evidence = [(offset, country) for offset, country in self._home_evidence if country in candidates]
            counts = self._home_counts[candidates] = MentionCounts(evidence)
        state = _most_named(counts.outside(start, end))
        return state.country if state is not None and state.country in entity.shared else entity.country


def _most_named(counts: dict[str, int]) -> Entity | None:
    """The state named most often (counts in order of first naming), None when none is."""
    if not counts:
        return None
    code = max(counts, key=counts.__getitem__)  # dicts keep insertion order: the first named wins a tie
    return Entity(code, code, "state", COUNTRY)


class MentionCounts:
    """How often each country is named outside a span, in order of first naming there: each country's offsets are
    kept sorted, so a span costs two bisections per country, not a pass over every mention (a long text asks for
    every sentence; a megabyte of one repeated clause took 10 s)."""

    def __init__(self, mentions: list[tuple[int, str]]):
        self._offsets: dict[str, list[int]] = {}
        for offset, country in sorted(mentions):
            self._offsets.setdefault(country, []).append(offset)

    def outside(self, start: int, end: int) -> dict[str, int]:
        named: list[tuple[int, str, int]] = []  # (first offset outside the span, country, count)
        for country, offsets in self._offsets.items():
            inside_from, inside_to = bisect_left(offsets, start), bisect_left(offsets, end)
            count = len(offsets) - (inside_to - inside_from)
            if count:
                named.append((offsets[0] if inside_from else offsets[inside_to], country, count))
        return {country: count for _, country, count in sorted(named)}


def view(sentence_lower: str | None, sentence: Sentence, start: int, end: int) -> str | None:
    """The lowercased text[start:end] cut from the sentence's (None when that is None or the span leaves it)."""
    if sentence_lower is None or start < sentence.start or end > sentence.end:
        return None
    return sentence_lower[start - sentence.start : end - sentence.start]


def new_in_clause(candidate: Candidate, seen_keys: set[str], event_cues: list[tuple[int, int]]) -> bool:
    """Whether a cue's candidate is a further event of the clause the engine reads: one event per actor, type and
    clause, and another actor's cue of its own is its own ("Egypt will reopen the crossing after Washington threatened
    to ...", "Australia sends frigates after Iran sends warships"). A further deployment or denial needs its actor
    named after the cues of the clause's events, not the first event's own owner or subject read again under
    another key (policy shifts, whose actor the clause may name anywhere, were the first to have this rule)."""
    if candidate.actor.entity.key in seen_keys:
        return False
    if candidate.type == "policy_shift" or not event_cues:
        return True
    return candidate.actor.mention_start >= max(end for _, end in event_cues)


def clause_of(clauses: list[Span], position: int) -> int:
    for index, (_start, end) in enumerate(clauses):
        if position < end:
            return index
    return len(clauses) - 1


def inside(inner: re.Match[str], outer: re.Match[str]) -> bool:
    return outer.start() <= inner.start() and inner.end() <= outer.end()


def overlaps(a: re.Match[str], b: re.Match[str]) -> bool:
    return a.start() < b.end() and b.start() < a.end()
