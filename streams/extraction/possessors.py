"""Possessors of nominal cues: 'Spain's decision to recognise ...', 'the Israeli decision to open ...', 'US supply of
ATACMS', 'Putin U-turn on ...': the state, body or person named right before the act's noun acts, whoever the
sentence's subject is ('Israel criticised Spain's decision to recognise ...')."""

from __future__ import annotations

from .context import Actor, CueContext, SentenceReading
from .gazetteer import COUNTRY, DEMONYM_ADJ, METONYM, PLACE, Mention
from .lexicon import TermCompiler, compile_terms
from .lexicon_schema import Lexicon
from .nominal import ActAgents
from .nominal_agents import NominalAgents
from .words import Vocabulary

# The cues.json class of nouns that name a government's act ('decision', 'recognition', 'supply', 'U-turn') and the
# words that may join them to the cue ('decision to'): without it a language has no possessor reading.
ACT_NOUN_CLASS = "ACT_NOUN"
# The cues.json classes of nouns whose owner stands inside the cue, right before them ('hit with US sanctions',
# 'targeted by the latest UK sanctions'), and of the words that may stand between that owner and the noun.
OWNED_ACT_CLASS = "OWNED_ACT"
OWNED_ACT_MODIFIER_CLASS = "OWNED_ACT_MODIFIER"
# ... and of the words that introduce that owner as the agent of a passive ('hit with', 'targeted by'): after an active
# verb the name is what the act targets ('the US lifted Russia sanctions').
OWNED_ACT_AGENT_CLASS = "OWNED_ACT_AGENT"
# ... and of nouns an abbreviation glued to them owns ("US-Kehrtwende", "EU-Kurswechsel"), unlike those it is the goal
# or topic of ("EU-Beitritt", "Nato-Beitritt", "EZB-Zinssenkung" named in passing).
GLUED_OWNED_CLASS = "GLUED_OWNED"
# ... and of nouns only a state owns that way ('US military aid'; 'UNRWA funding' is what the agency receives).
OWNED_BY_STATE_CLASS = "OWNED_BY_STATE"
# ... and of the names that own such a noun right after an active verb too ('lifting EU sanctions', 'an EU sanctions
# target'): the sanctioning powers, never what sanctions target.
SANCTION_OWNER_CLASS = "SANCTION_OWNER"
_MAX_WORDS_BETWEEN = 3  # possessor ... cue: "Spain's recent decision to"
_MAX_COMPOUND = 3  # owner ... owned noun inside the cue: "US military aid", "Morrison government sanctions"
_MAX_VERB_WORDS = (
    3  # the cue's verb (a particle, a short subject) before a sanctioning power: "hopes rise for an EU ban"
)
_STATES = (COUNTRY, DEMONYM_ADJ, METONYM)  # who owns a state's aid: "UK funding", "American weapons shipments"


def _abbreviation(name: str) -> bool:
    """A name written as an abbreviation ("US", "EU", "UN"): glued to a noun it owns the act ("US-Embargo",
    "EU-Kehrtwende"); a full name glued to one is what the act concerns ("Russland-Sanktionen", "China-Kurswechsel")."""
    letters = [c for c in name if c.isalpha()]
    return 2 <= len(letters) <= 4 and all(c.isupper() for c in letters)


class Possessors:
    """The act nouns of one language (the ACT_NOUN class of cues.json), compiled once."""

    def __init__(self, lexicon: Lexicon, compiler: TermCompiler, vocabulary: Vocabulary):
        self._vocabulary = vocabulary
        self._deployment_agents = NominalAgents(lexicon, compiler, vocabulary)
        classes = lexicon.cues.classes
        self._glued = compile_terms(compiler, [f"{{{GLUED_OWNED_CLASS}}}"]) if GLUED_OWNED_CLASS in classes else None
        self._act_nouns = compile_terms(compiler, [f"{{{ACT_NOUN_CLASS}}}"]) if ACT_NOUN_CLASS in classes else None
        owned = all(name in classes for name in (OWNED_ACT_CLASS, OWNED_ACT_MODIFIER_CLASS, OWNED_ACT_AGENT_CLASS))
        self._act_agents = ActAgents(lexicon, compiler, vocabulary)
        self._sanction_owners = (
            compile_terms(compiler, [f"{{{SANCTION_OWNER_CLASS}}}"]) if SANCTION_OWNER_CLASS in classes else None
        )
        self._state_owned = (
            compile_terms(compiler, [f"{{{OWNED_BY_STATE_CLASS}}}"]) if OWNED_BY_STATE_CLASS in classes else None
        )
        self._owned = (
            tuple(
                compile_terms(compiler, [f"{{{name}}}"])
                for name in (OWNED_ACT_CLASS, OWNED_ACT_MODIFIER_CLASS, OWNED_ACT_AGENT_CLASS)
            )
            if owned
            else None
        )

    def actor(self, ctx: CueContext, reading: SentenceReading) -> Actor | None:
        """The name whose act the cue's noun is: a possessive or a state adjective before it ("Spain's decision to",
        "the Israeli decision to"), or a bare name before an act noun that opens the cue ("US supply of")."""
        if ctx.rule.type == "deployment":
            # A deployment's force has its owner already ("Russian troops"), which the actor stage reads, unless a
            # participle names who decided the act its noun names ("die von Belarus angekündigte Verstärkung").
            return self._deployment_agents.actor(ctx, reading)
        if (inner := self._inner_owner(ctx, reading)) is not None:
            return inner
        if (agent := self._act_agents.agent(ctx, reading.mentions)) is not None:  # "the decision by Jordan to withdraw"
            return self._named(ctx.text, agent)
        if self._act_nouns is None:
            return None
        text, word = ctx.text, self._vocabulary.word
        before = [m for m in reading.mentions if ctx.sentence.start <= m.end <= ctx.cue_start]
        if not before or (owner := before[-1]).entity.category == PLACE:
            return None
        between = self._words_after(owner, text, ctx.cue_start)
        first = word.match(text, ctx.cue_start)
        if first is None or len(between) > _MAX_WORDS_BETWEEN:
            return None
        if self._vocabulary.nouns_capitalized and not first.group(0)[0].isupper():
            return None  # a verb follows the genitive, which then ends a noun phrase: "Die Vorwürfe Russlands wies"
        if not all(self._act_nouns.fullmatch(w) for w in between):
            return None
        # A bare name before the cue is its subject ("Russia sends troops") unless the cue opens with an act noun or
        # the name, an abbreviation, is glued to the cue's noun ("US-Kehrtwende": the US turn).
        glued = (
            self._glued is not None
            and text[owner.end : ctx.cue_start] == "-"
            and _abbreviation(owner.text)
            and self._glued.fullmatch(first.group(0)) is not None
        )
        if not (owner.genitive or owner.entity.category == DEMONYM_ADJ or between or glued) and not (
            self._act_nouns.fullmatch(first.group(0)) or self._sanctions_of(owner, first.group(0))
        ):
            return None
        return self._named(text, owner)

    def _sanctions_of(self, owner: Mention, noun: str) -> bool:
        """A sanctioning power right before an owned act noun that opens the cue: "an EU sanctions target"."""
        return (
            self._owned is not None
            and self._sanction_owners is not None
            and self._sanction_owners.fullmatch(owner.text) is not None
            and self._owned[0].fullmatch(noun) is not None
        )

    def _inner_owner(self, ctx: CueContext, reading: SentenceReading) -> Actor | None:
        """The state or body named inside the cue right before its owned act noun ("hit with US sanctions", "targeted
        by the latest UK sanctions"), or a few lowercase words of a compound before it ("the suspension of US military
        aid", "new Morrison government sanctions"): the sentence's subject is then what the act targets, not who acts.
        A noun only a state owns (OWNED_BY_STATE: "UK funding" is the UK's, "UNRWA funding" is for the agency) needs a
        state; a sanctioning power (SANCTION_OWNER) owns the noun right after the cue's verb too ("lifting EU sanctions")."""
        if self._owned is None:
            return None
        acts, modifiers, agents = self._owned
        text, word, cue_end = ctx.text, self._vocabulary.word, ctx.cue.end()
        for owner in reversed([m for m in reading.mentions if ctx.cue_start <= m.start and m.end < cue_end]):
            if owner.entity.category == PLACE:
                continue
            after = self._words_after(owner, text, cue_end)
            while after and modifiers.fullmatch(after[0]):
                after = after[1:]
            before = [w.group(0) for w in word.finditer(text, ctx.cue_start, owner.start)]
            while before and (modifiers.fullmatch(before[-1]) or before[-1].lower() in self._vocabulary.determiners):
                before = before[:-1]
            # A sanctioning power owns the noun right after the cue's verb (and its particle) too ("lifting (the) EU
            # sanctions", "hopes for an EU ban on"), never farther on ("suspend talks with X over US sanctions").
            sanctioning = (
                len(before) <= _MAX_VERB_WORDS
                and self._sanction_owners is not None
                and self._sanction_owners.fullmatch(owner.text)
            )
            if not (before and agents.fullmatch(before[-1])) and not sanctioning:
                continue
            # The noun right after the owner ("EU sanctions list"), else the last of a short lowercase compound.
            heads = after[:1]
            if 1 < len(after) <= _MAX_COMPOUND and all(w.islower() for w in after):
                heads.append(after[-1])
            for head in heads:
                if acts.fullmatch(head) or (
                    self._state_owned is not None
                    and owner.entity.category in _STATES
                    and self._state_owned.fullmatch(head)
                ):
                    return self._named(text, owner)
        return None

    def _words_after(self, owner: Mention, text: str, end: int) -> list[str]:
        """The words from the owner's end to end, without the possessive's "s" the word pattern may split off."""
        words = [w.group(0) for w in self._vocabulary.word.finditer(text, owner.end, end)]
        if owner.genitive and words and words[0].lower() in ("s", "’s", "'s"):
            return words[1:]
        return words

    def _named(self, text: str, owner: Mention) -> Actor:
        """The owner as an actor, its name without the genitive ending."""
        name = text[owner.start : owner.end]
        if owner.genitive:
            name = self._vocabulary.without_genitive(name)
        return Actor(name, owner.entity, "subject", mention_start=owner.start)
