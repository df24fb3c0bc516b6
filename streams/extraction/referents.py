"""Actors the cue's sentence only refers to: the person a pronoun or role noun stands for, and the state whose forces
a sentence counts without naming their owner."""

from __future__ import annotations

from dataclasses import replace
from itertools import islice, pairwise

from .context import UNOWNED, Actor, CueContext, Place, SentenceReading
from .gazetteer import COUNTRY, PERSON, Entity, Gazetteer, Mention
from .lexicon import TermCompiler, compile_terms
from .lexicon_schema import Lexicon
from .names import Names, _may_be_name, unlisted_actor
from .words import Vocabulary

UNOWNED_FORCE = "UNOWNED_FORCE"
# How far back a referring subject's antecedent is looked for (characters before its sentence).
_ANTECEDENT_WINDOW = 2000
# Words read from a clause's opening for its subject.
_MAX_OPENING_WORDS = 16


class Referents:
    """The referring words of one language (text.json, grammar.json), compiled once."""

    def __init__(self, lexicon: Lexicon, vocabulary: Vocabulary, gazetteer: Gazetteer, names: Names):
        rules = lexicon.text
        self._vocabulary = vocabulary
        self._gazetteer = gazetteer
        self._not_names = names.not_names
        self._referring = {w.lower() for w in rules.referring_pronouns}
        self._focus = {w.lower() for w in rules.focus_particles}
        self._pronouns = frozenset(w.lower() for w in rules.pronouns)
        self._owner_preps = {w.lower() for w in rules.owner_prepositions}
        # The forces that, counted without their owner, serve the article's state: cues.json's optional UNOWNED_FORCE
        # class (German: every force; English leaves it out, its force words also name attackers: "suicide bombers").
        classes = lexicon.cues.classes
        self._unowned = compile_terms(TermCompiler(classes), ["{UNOWNED_FORCE}"]) if UNOWNED_FORCE in classes else None

    # ------------------------------------------------------------------ people referred to

    def antecedent(self, ctx: CueContext) -> Actor | None:
        """'Er wies die Vorwürfe zurück': when the clause's subject only refers back, the person named before."""
        if not self._refers_back(ctx):
            return None
        listed = self._gazetteer.find_listed(
            ctx.text, max(0, ctx.sentence.start - _ANTECEDENT_WINDOW), ctx.sentence.start
        )
        return self._named_before(ctx, listed)

    def _refers_back(self, ctx: CueContext) -> bool:
        """Whether the cue clause's subject only refers to someone named earlier: a pronoun ('Er wies ... zurück',
        'Die Anschuldigungen weist sie zurück') or, where every noun has a capital, an article and one noun ('Der
        Musiker stritt ... ab', 'Der 52-Jährige hatte ... zurückgewiesen'); read from the clause's opening up to the
        word after the cue's first word (the subject of a verb-second clause opened by its object)."""
        text, vocabulary = ctx.text, self._vocabulary
        verb = vocabulary.word.match(text, ctx.cue_start)
        after = vocabulary.word.search(text, verb.end(), ctx.end) if verb is not None else None
        opening = list(islice(vocabulary.word.finditer(text, ctx.start, ctx.cue_start), _MAX_OPENING_WORDS))
        words = [w.group(0) for w in opening] + ([after.group(0)] if after is not None else [])
        if any(word.lower() in self._referring for word in words):
            return True
        if not vocabulary.nouns_capitalized:
            return False
        lead = [w.lower() for w in words[:3]]
        while lead and lead[0] in self._focus:
            lead = lead[1:]
        # "Der Musiker", "Der 52-Jährige": an article, then one capitalised noun right before the verb or cue.
        if len(opening) < 2 or opening[0].group(0).lower() not in vocabulary.determiners:
            return False
        noun = opening[1]
        return (
            _may_be_name(noun.group(0))
            and not noun.group(0).isupper()  # "Die DFL": an acronym names a body
            and noun.group(0).lower() not in self._not_names
            and not any(_may_be_name(w.group(0)) for w in opening[2:])
            # "Diese Meldungen entbehren ...": the object the rule requires is no one
            and not any(r.search(text, noun.start(), noun.end(), None) for r in ctx.rule.requires)
        )

    def _named_before(self, ctx: CueContext, listed: list[Mention]) -> Actor | None:
        """Whom the referring subject stands for: the person the text named last before the cue's sentence, a
        listed one (listed: the listed mentions there, in text order) or an unlisted first and last name ('Sean
        Combs') whose last name recurs in the text; named by that last name, as the text goes on to call them."""
        text, vocabulary = ctx.text, self._vocabulary
        start = max(0, ctx.sentence.start - _ANTECEDENT_WINDOW)
        best: Actor | None = None
        for first, last in pairwise(vocabulary.word.finditer(text, start, ctx.sentence.start)):
            a, b = first.group(0), last.group(0)
            if (
                text[first.end() : last.start()] != " "
                or not (_may_be_name(a) and _may_be_name(b))
                or a.lower() in self._not_names
                or a.lower() in vocabulary.blocking_preps
                or b.lower() in self._not_names
                or "-" in b
                or any(m.start <= first.start() < m.end or m.start <= last.start() < m.end for m in listed)
                or text.count(b) < 2
            ):
                continue
            best = unlisted_actor(b, last.start())
        person = next((m for m in reversed(listed) if m.entity.category == PERSON), None)
        if person is not None and (best is None or person.start > best.mention_start):
            # A person denying for themselves: their state's code stays off, as for pleas of innocence.
            return unlisted_actor(person.text, person.start)
        return best

    # ------------------------------------------------------------------ forces whose owner is not named

    def unowned_force(self, ctx: CueContext, reading: SentenceReading) -> Actor | None:
        """'Mehr als 30.000 Polizisten sind im Einsatz': a force whose owner no name in the sentence gives acts for the
        state the article is about (where the language lists such forces). The entity has no country when the article
        names no state: owned_where_placed takes the country of the place the forces are at or sent to."""
        if self._unowned is None or ctx.rule.requires_foreign_location:
            return None  # the weak "foreign troops in X" reading needs forces that a name owns
        vocabulary = self._vocabulary
        force = self._unowned.search(ctx.text, ctx.start, ctx.end)
        if force is None:
            return None
        words = vocabulary.word.findall(ctx.text, ctx.start, ctx.end)
        if any(word.lower() in self._pronouns for word in words):
            return None  # "Dazu werde er weitere Streitkräfte entsenden", "seine Truppe": the owner is unknown here
        after = vocabulary.word.findall(ctx.text, force.end(), min(ctx.end, force.end() + 40))[:2]
        if len(after) == 2 and after[0].lower() in self._owner_preps and after[1][0].isupper():
            return None  # "Soldaten des Nordens": an owner named in a way the lists do not know
        name = ctx.text[force.start() : vocabulary.force_phrase_end(ctx.text, force)]
        state = reading.dominant.get(ctx.sentence.start, ctx.sentence.end)
        entity = state if state is not None else Entity(name, None, "state", COUNTRY)
        return Actor(name, entity, UNOWNED, mention_start=force.start())


def owned_where_placed(actor: Actor, location: Place | None) -> Actor | None:
    """An unowned force in an article that names no state serves where it is ("Tausende Polizisten sind in München
    im Einsatz"); None when no place says where. Any other actor as it is."""
    if actor.via != UNOWNED or actor.entity.country is not None:
        return actor
    if location is None or not location.country or location.subdivision:
        return None
    return replace(actor, entity=Entity(location.country, location.country, "state", COUNTRY))
