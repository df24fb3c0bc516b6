"""Forces a sentence counts without naming their owner ('Mehr als 30.000 Soldaten sind im Einsatz'): they act for the
state the article is about, else for the state where they are (text.json referring.unowned_forces)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from .context import UNOWNED, Actor, CueContext, Place, SentenceReading
from .gazetteer import COUNTRY, Entity
from .lexicon import TermCompiler, compile_terms
from .lexicon_schema import Lexicon
from .words import Vocabulary

PRONOUN = (
    "pronoun"  # the fallback of unowned forces in a clause with a pronoun ("its forces"): only an occupier owns them
)
# Force words of one clause tried for one without an owner phrase after it (a bound for adversarial clauses).
_MAX_FORCES = 8


class UnownedForces:
    """The unowned-force words of one language, compiled once."""

    def __init__(self, lexicon: Lexicon, vocabulary: Vocabulary):
        rules, terms = lexicon.text, lexicon.text.referring.unowned_forces
        self._vocabulary = vocabulary
        self._all_pronouns = frozenset(w.lower() for w in rules.pronouns)
        self._pronoun_verbs = frozenset(w.lower() for w in rules.pronoun_verbs)
        self._conjunctions = frozenset(w.lower() for w in rules.conjunctions)
        self._owner_preps = {w.lower() for w in rules.owner_prepositions}
        self._unowned = compile_terms(TermCompiler(lexicon.cues.classes), terms) if terms else None

    def actor(self, ctx: CueContext, reading: SentenceReading) -> Actor | None:
        """The first force of the clause whose owner no name gives, acting for the state the article is about (where
        the language lists such forces). Not for the state whose army the article names: in war reports that is the
        attacker as often as the owner (mend17). The entity has no country when the article names no state:
        owned_where_placed takes the country of the place the forces are at or sent to."""
        if self._unowned is None or ctx.rule.requires_foreign_location:
            return None  # the weak "foreign troops in X" reading needs forces that a name owns
        vocabulary, text = self._vocabulary, ctx.text
        # "Dazu werde er weitere Streitkräfte entsenden", "seine Truppe", "It says troops ...": the owner is unknown
        # here, unless the one army the text names is pushing into a land that is no party (owners.py, occupier).
        pronoun = any(self._pronoun(text, word, ctx.end) for word in vocabulary.word.finditer(text, ctx.start, ctx.end))
        heads = vocabulary.force_owner_heads
        if pronoun and (heads is None or reading.dominant.force_owner(heads) is None):
            return None  # no occupier can own them: the noun-subject and agentless readings may still find one
        for count, force in enumerate(self._unowned.finditer(text, ctx.start, ctx.end)):
            if count == _MAX_FORCES:
                break
            if vocabulary.after_bystander_preposition(text, force.start(), ctx.start):
                continue  # "die Bodenoffensive gegen die Terror-Miliz": what the act targets does not act
            if any(a.start <= force.start() < a.end for a in reading.attributions):
                continue  # "a journalist accompanying the troops said": the source's words, not the act's forces
            if self._unknown_name_before(text, force.start(), ctx.start):
                continue  # "Bancroft troops deployed": an owner the lists do not know
            after = vocabulary.word.findall(text, force.end(), min(ctx.end, force.end() + 40))[:2]
            if (
                len(after) == 2
                and after[0].lower() in self._owner_preps
                and after[1][0].isupper()
                and vocabulary.force.fullmatch(after[1]) is None
            ):
                # "Soldaten des Nordens", "Polizisten der Policía Nacional": an owner the lists do not know (a later
                # force may still be unowned); "Soldaten der Armee" name no owner.
                continue
            name = text[force.start() : vocabulary.force_phrase_end(text, force)]
            # A jurisdiction rule's forces serve where they are ("Tausende Polizisten sind in München im Einsatz" in
            # an article about Ukraine): not the article's state, the place's (owned_where_placed), else none.
            if pronoun:
                return Actor(
                    name, Entity(name, None, "state", COUNTRY), UNOWNED, mention_start=force.start(), fallback=PRONOUN
                )
            state = None
            if not ctx.rule.jurisdiction:
                state = reading.dominant.get(ctx.sentence.start, ctx.sentence.end)
            entity = state if state is not None else Entity(name, None, "state", COUNTRY)
            return Actor(name, entity, UNOWNED, mention_start=force.start())
        return None

    def _pronoun(self, text: str, word: re.Match[str], end: int) -> bool:
        """Whether the word is a pronoun, not the verb it may also be: "im Einsatz sein" ends its clause or stands
        before a conjunction ("werden im Einsatz sein und ..."), where "sein" owns no noun."""
        lowered = word.group(0).lower()
        if lowered not in self._all_pronouns:
            return False
        if lowered not in self._pronoun_verbs:
            return True
        following = self._vocabulary.word.search(text, word.end(), end)
        return following is not None and following.group(0).lower() not in self._conjunctions

    def _unknown_name_before(self, text: str, force_start: int, start: int) -> bool:
        """A capitalised word right before the force, not opening the clause, in a language whose common nouns are
        lowercase: an owner's name the lists do not know ("Bancroft troops"). Listed names are mentions and own the
        force before this reading is tried."""
        if self._vocabulary.nouns_capitalized:
            return False
        before = list(self._vocabulary.word.finditer(text, start, force_start))[-2:]
        return len(before) == 2 and text[before[-1].end() : force_start] == " " and before[-1].group(0)[:1].isupper()


def owned_where_placed(actor: Actor, location: Place | None, home: Callable[[], Entity | None]) -> Actor | None:
    """An unowned force in an article that names no state serves where it is ("Tausende Polizisten sind in München
    im Einsatz"); where the sentence names no place at all, the state the rest of the article is about alone (home:
    "Mehr als 30.000 Polizisten sind im Einsatz" in a report on Paris), else none. Any other actor as it is."""
    if actor.via != UNOWNED or actor.entity.country is not None:
        return actor
    if actor.fallback == PRONOUN:
        return None  # "It says troops ...": whose, only an occupier tells
    if location is None:
        state = home()
        return None if state is None else replace(actor, entity=state)
    if not location.country or location.named_only:
        return None
    return replace(actor, entity=Entity(location.country, location.country, "state", COUNTRY))
