"""Names in a cue's sentence that cannot act: the author of the claim a denial rejects, a name in apposition after a
blocking preposition."""

from __future__ import annotations

import re
from collections.abc import Collection

from .context import CueContext
from .gazetteer import DEMONYM_ADJ, ORGANIZATION, Mention
from .lexicon import TermCompiler, compile_terms
from .lexicon_schema import Lexicon
from .names import Names
from .words import Vocabulary

# How far before a name its claim noun may stand, and how many words may part them ("des ukrainischen Präsidenten").
_OBJECT_OWNER_REACH = 80
_OBJECT_OWNER_WORDS = 3
# How far back the preposition and noun before an apposed name are looked for (as actors.py reads a name's context).
_APPOSITION_REACH = 80
_FIRST_PERSON_CLASS = "FIRST_PERSON"
# What may join a name to the falsehood noun it qualifies: a space, a hyphen, a possessive ("Hamas's lies").
_FALSEHOOD_JOIN = re.compile(r"(?:['’]s)?[ -]")
# The cue class of falsehood words (cues.json), which a denial calls the claim it rejects.
_FALSEHOOD_CLASS = "FALSEHOOD"


class FalsehoodAuthors:
    """Names that qualify a falsehood noun ("a Hamas lie", "Russian propaganda", "Kreml-Propaganda"): they name who
    made the claim a denial rejects, not who rejects it."""

    def __init__(self, lexicon: Lexicon):
        classes = lexicon.cues.classes
        self._falsehood = (
            compile_terms(TermCompiler(classes), [f"{{{_FALSEHOOD_CLASS}}}"]) if _FALSEHOOD_CLASS in classes else None
        )

    def authors(self, text: str, mention: Mention) -> bool:
        if self._falsehood is None:
            return False
        join = _FALSEHOOD_JOIN.match(text, mention.end)
        return join is not None and self._falsehood.match(text, join.end()) is not None


class FirstPersonLeadIns:
    """Names in a colon lead-in spoken in the first person ('Wir kennen Angela Merkel seit Jahren: Der Vorwurf ist
    haltlos'): the speaker is the "ich" or "wir" that opens it, the names after are whom they talk about, so they
    do not deny what follows the colon (cues.json FIRST_PERSON; a language without the class reads no such lead-in)."""

    def __init__(self, lexicon: Lexicon, vocabulary: Vocabulary):
        self._first_person = {w.lower() for w in lexicon.cues.classes.get(_FIRST_PERSON_CLASS, [])}
        self._word = vocabulary.word

    def names_object(self, ctx: CueContext, mention: Mention) -> bool:
        lead_start, start = ctx.sentence.lead_start, ctx.sentence.start
        if not self._first_person or not lead_start <= mention.start < start:
            return False
        first = self._word.search(ctx.text, lead_start, start)
        return first is not None and first.group(0).lower() in self._first_person


def acting_mentions(
    names: Names,
    vocabulary: Vocabulary,
    owner_preps: Collection[str],
    ctx: CueContext,
    mentions: list[Mention],
    falsehoods: FalsehoodAuthors,
) -> list[Mention]:
    """The names that may act for the cue's rule. Policies are shifted by listed bodies; a state adjective acts for
    organs and forces (any deployed force); the author of a denied claim does not deny it; a name that only qualifies
    the noun after it ("Qatar-based") does not act (a deployment's owner is read past it: "troops of the Iran-backed
    X Brigade"); nor does the author of the falsehood a denial names ("called it Russian propaganda")."""
    generic_ok, is_deployment = ctx.rule.type != "policy_shift", ctx.rule.type == "deployment"
    return [
        m
        for m in mentions
        if (generic_ok or not m.entity.generic)
        # A body with no forces is left out here, so that the actor stage goes on to another name; a company or relief
        # body stays, so that when it is the subject its own halt is dropped (Actors.may_act), not given to a state.
        and (m.entity.may_act_for(ctx.rule.type) or (m.entity.private and ctx.rule.type == "policy_shift"))
        and (
            is_deployment
            or not (names.qualifies_other_noun(ctx.text, m) or names.controlled_bodies.qualifies(ctx.text, m.end))
        )
        and not owns_the_object(vocabulary, owner_preps, ctx, m)
        and not left_by_the_cue(ctx, m)
        and not (ctx.rule.type == "denial" and falsehoods.authors(ctx.text, m))
    ]


def left_by_the_cue(ctx: CueContext, mention: Mention) -> bool:
    """Whether the name is the body an exit cue leaves: an organisation named from the cue on ("Nun will er die WHO
    verlassen", "Austritt aus dem Nordatlantikpakt der NATO") is what is left; the state or person before the cue leaves it."""
    return ctx.rule.exits and mention.entity.category == ORGANIZATION and mention.start >= ctx.cue_start


def owns_the_object(vocabulary: Vocabulary, owner_preps: Collection[str], ctx: CueContext, mention: Mention) -> bool:
    """Whether the name owns what the rule takes as its object (CompiledRule.objects, a denial's claim noun):
    "Den Vorwurf des ukrainischen Präsidenten ... weist sie zurück", "Die Vorwürfe Russlands wies Kiew zurück":
    the accuser is named in the genitive after the claim, and the claim's author does not deny it."""
    if not ctx.rule.objects:
        return False
    start = max(ctx.sentence.start, mention.start - _OBJECT_OWNER_REACH)
    claims = [m for o in ctx.rule.objects for m in o.pattern.finditer(ctx.text, start, mention.start)]
    if not claims:
        return False
    claim_end = max(m.end() for m in claims)
    between = vocabulary.word.findall(ctx.text, claim_end, mention.start)
    if not between:  # "die Vorwürfe Russlands": a genitive name right after the claim
        return mention.genitive and ctx.text[claim_end : mention.start] == " "
    # "des ukrainischen Präsidenten Wolodymyr Selenskyj", "claims of the Russian defence ministry": an owner
    # preposition or genitive article, then at most a title before the name
    return len(between) <= _OBJECT_OWNER_WORDS and between[0].lower() in owner_preps


def stands_aside(vocabulary: Vocabulary, names: Names, text: str, mention: Mention, clause_start: int) -> bool:
    """Whether the name stands where no subject does: in apposition after a blocking preposition, or qualifying the
    noun after it through a participle ("Iran-backed militias sent ...": the militias act, not Iran)."""
    return apposition_after_preposition(vocabulary, text, mention, clause_start) or names.controlled_bodies.qualifies(
        text, mention.end
    )


def apposition_after_preposition(vocabulary: Vocabulary, text: str, mention: Mention, clause_start: int) -> bool:
    """Whether the name stands in apposition to a capitalised noun that a blocking preposition governs: "aus der
    Weltgesundheitsorganisation WHO" names what is left, as "aus der WHO" would. An organ noun keeps its name
    ("der Regierung Maduro"), as it does without the preposition."""
    if mention.entity.category == DEMONYM_ADJ:
        return False
    window = list(vocabulary.word.finditer(text, max(clause_start, mention.start - _APPOSITION_REACH), mention.start))[
        -3:
    ]
    if len(window) < 2:
        return False
    noun = window[-1]
    if text[noun.end() : mention.start] != " " or not noun.group(0)[:1].isupper():
        return False
    if noun.group(0).lower() in vocabulary.time_words:  # "On Monday Russia denied ..."
        return False
    if vocabulary.organ_nouns is not None and vocabulary.organ_nouns.fullmatch(noun.group(0)):
        return False
    governing = vocabulary.strip_articles([w.group(0).lower() for w in window[-3:-1]])
    return bool(governing) and governing[-1] in vocabulary.blocking_preps
