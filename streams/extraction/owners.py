"""Owners of the forces a deployment cue sends: a listed force, a name right before or after the force noun."""

from __future__ import annotations

import re
from dataclasses import replace

from .context import UNOWNED, Actor, Attribution, CueContext, Place, SentenceReading
from .gazetteer import DEMONYM_ADJ, ORGANIZATION, PLACE, Mention
from .mention_neighbours import organization_named, past_modifier
from .unowned import owned_where_placed
from .words import Vocabulary

# Bound on per-clause work: real clauses stay far below it, adversarial ones cannot go quadratic.
_MAX_FORCES_PER_CLAUSE = 8
# Words between a cue and the forces it sends ("deployed 2,000 North Korean special forces"); where the subject stands
# before the verb, forces farther after the cue are another verb's object ("operating ... to eradicate Hamas
# battalions", "an operation overnight against PIJ fighters").
_MAX_OBJECT_WORDS = 5
# Only words and spaces between a word and the force phrase it governs (no comma, dash or quote).
_PLAIN_GAP = re.compile(r"[\w ]*")


class ForceOwners:
    """The force words of one language, with the prepositions that name an owner after them ("troops from X")."""

    def __init__(
        self, vocabulary: Vocabulary, owner_preps: set[str], compounds: bool, verb_second: bool, coordinators: set[str]
    ):
        self._vocabulary = vocabulary
        # What joins two names of one list: "Hamas and PIJ", "Hamas, PIJ" (the language's coordinators).
        joiners = "|".join(re.escape(w) for w in sorted(coordinators, key=len, reverse=True))
        self._joined = re.compile(rf",? (?:{joiners}) |, ", re.IGNORECASE) if joiners else re.compile(", ")
        self._owner_preps = owner_preps
        self._compounds = compounds
        self._verb_second = verb_second

    def _sent(self, ctx: CueContext, start: int) -> bool:
        """Whether forces (or their owner) at `start` may be what the cue sends: not far after it in a language whose
        subject precedes the verb."""
        if self._verb_second or start < ctx.cue.end():
            return True
        return len(self._vocabulary.word.findall(ctx.text, ctx.cue.end(), start)) <= _MAX_OBJECT_WORDS

    def owner(self, ctx: CueContext, mentions: list[Mention], attributions: list[Attribution]) -> Actor | None:
        """The owner of the forces the deployment cue sends, named in its clause."""
        text, ctx_start, ctx_end = ctx.text, ctx.start, ctx.end
        vocabulary = self._vocabulary
        in_ctx = [
            m
            for m in mentions
            if ctx_start <= m.start < ctx_end
            and not any(a.start <= m.start < a.end for a in attributions)
            and self._sent(ctx, m.start)
        ]
        forces = [f for f in vocabulary.force.finditer(text, ctx_start, ctx_end) if self._sent(ctx, f.start())]
        forces = forces[:_MAX_FORCES_PER_CLAUSE]
        if vocabulary.force_target_words:
            forces, in_ctx = self._untargeted(ctx, forces, in_ctx)
        for mention in in_ctx:
            # A listed force ("Bundeswehr") owns the clause's forces; one recognised only by its form ("M23 rebels")
            # only as the subject before them ("troops ... alongside M23 rebels" are not its troops).
            if mention.entity.is_force and not (
                mention.entity.generic and forces and mention.start > forces[0].start()
            ):
                return Actor(mention.text, mention.entity, "owner", mention_start=mention.start)
        # An organisation right after a force noun names it: "Söldnertruppe Wagner", "Wagner group".
        for force in forces:
            for mention in in_ctx:
                if mention.entity.category == ORGANIZATION and 0 <= mention.start - force.end() <= 2:
                    return Actor(mention.text, mention.entity, "owner", mention_start=mention.start)
        for force in forces:
            # An owner right before it: "nordkoreanische Soldaten", "US-Soldaten", "Russia's troops".
            # A learned proposal read at the force word itself ("besieged by Israeli forces"): whatever governs them,
            # those forces are the ones the proposal is about. The weak presence reading keeps the bystander rule
            # ("detained by Israeli forces in Gaza" places no one).
            is_cue = not ctx.rule.requires_foreign_location and force.start() <= ctx.cue_start < force.end()
            for mention in reversed(in_ctx):
                if (
                    not is_cue
                    and mention.end <= force.start()
                    and vocabulary.after_bystander_preposition(text, mention.start, ctx_start)
                ):
                    break  # "Verletzungen durch russische Kampfjets": those forces are not the ones sent
                if mention.end <= force.start() and mention.entity.category != PLACE:
                    gap = text[mention.end : force.start()]
                    if (
                        self._compounds
                        and gap != "-"
                        and mention.entity.category != DEMONYM_ADJ
                        and not mention.genitive
                    ):
                        break  # German glues a named owner to the noun ("US-Soldaten"); "aus Eriwan Truppen" is no owner
                    gap_words = self._vocabulary.word.findall(gap)
                    # Only an inflected adjective may stand between: "russische reguläre Truppen".
                    if (
                        not any(ch in gap for ch in ",;:")
                        and all(w[0].islower() and w.endswith(vocabulary.adjective_suffixes) for w in gap_words)
                        and len(gap_words) <= 1
                    ):
                        end = self._vocabulary.force_phrase_end(text, force)
                        return Actor(text[mention.start : end], mention.entity, "owner", end, mention.start)
                    break
            # An owner after it: "Truppen aus Nordkorea", "troops from North Korea", "Soldaten der USA".
            following = [m for m in in_ctx if m.start >= force.end() and m.entity.category != PLACE]
            if following:
                mention = following[0]
                between = [w.group(0).lower() for w in self._vocabulary.word.finditer(text, force.end(), mention.start)]
                if (between and len(between) <= 2 and between[0] in self._owner_preps) or (
                    not between and mention.genitive
                ):
                    mention = organization_named(text, past_modifier(text, mention, following), in_ctx)
                    return Actor(mention.text, mention.entity, "owner", mention_start=mention.start)
        return None

    def _untargeted(
        self, ctx: CueContext, forces: list[re.Match[str]], mentions: list[Mention]
    ) -> tuple[list[re.Match[str]], list[Mention]]:
        """The forces and names without those a fighting verb governs: "an operation to eliminate Hamas fighters",
        "to dislodge Russian troops" name the forces fought, not the ones sent. Forces that a presence reading finds
        ("battling Israeli forces in Jenin": forces present there, fought or not) stay."""
        text, words = ctx.text, self._vocabulary.force_target_words
        present = ctx.rule.requires_foreign_location
        cue = [f for f in forces if present and f.start() <= ctx.cue.start() < f.end()]
        targeted: list[Mention] = []
        for m in sorted(mentions, key=lambda m: m.start):
            # "against Hamas and PIJ fighters": a name joined to a targeted one is fought too.
            joined = bool(targeted) and self._joined.fullmatch(text, targeted[-1].end, m.start) is not None
            if (joined or self._governed_by(text, m.start, words)) and not any(
                0 <= f.start() - m.end <= 1 for f in cue
            ):
                targeted.append(m)
        kept = [
            f
            for f in forces
            if f in cue
            or not (self._governed_by(text, f.start(), words) or any(0 <= f.start() - m.end <= 1 for m in targeted))
        ]
        return kept, [m for m in mentions if m not in targeted]

    def owned_where_placed(
        self, actor: Actor, location: Place | None, ctx: CueContext, reading: SentenceReading
    ) -> Actor | None:
        sentence, heads = ctx.sentence, self._vocabulary.force_owner_heads
        if (
            actor.via == UNOWNED
            and not ctx.rule.dispatch
            and heads is not None
            and location is not None
            and location.country
            and actor.entity.country in (None, location.country)
        ):
            # "tanks pushed into Khan Younis" where the text names the place's land most (by its people: 'Palestinian
            # medics'): the one army it names owns them, not the land they push into. Another state named most (the
            # neighbour across the border) keeps them, and so does a dispatch ("troops were sent to Kharkiv"): a
            # defender reinforces its own town as often as an invader moves in.
            places = self._vocabulary.location_preps | self._vocabulary.blocking_preps
            occupier = reading.dominant.occupier(heads, location.country, places)
            if occupier is not None:
                return replace(actor, entity=occupier)
        dominant = reading.dominant
        return owned_where_placed(
            actor, location, lambda: dominant.sole(sentence.start, sentence.end) or dominant.officeholders_sole()
        )

    def stationed_abroad(self, text: str, actor: Actor, location: Place | None) -> bool:
        """'nordkoreanische Soldaten derzeit in Russland': foreign forces placed right after their noun phrase (farther
        away the place belongs to another verb: 'Israeli forces detained ... in the West Bank')."""
        if (
            actor.via != "owner"
            or actor.force_end < 0
            or location is None
            or location.preposition_start < actor.force_end
        ):
            return False
        if location.subdivision:
            return False
        if location.country is None or actor.entity.country in (None, location.country):
            return False  # at home, or a group of no state ("Hamas battalions in Rafah"): no one abroad
        vocabulary = self._vocabulary
        between = vocabulary.word.findall(text, actor.force_end, location.preposition_start)
        if len(between) > 2 or vocabulary.force_attribute_nouns.intersection(w.lower() for w in between):
            return False
        return not self._governed_by(text, actor.mention_start, self._vocabulary.force_object_words)

    def _governed_by(self, text: str, start: int, words: frozenset[str]) -> bool:
        """'accused Israeli forces in Gaza of ...', 'rockets at Turkish troops in Iraq': the forces are what another
        word (one of `words`) acts on (an article may stand between; a comma or dash before them ends that reading)."""
        vocabulary = self._vocabulary
        before = list(vocabulary.word.finditer(text, max(0, start - 40), start))[-2:]
        kept = vocabulary.strip_articles([w.group(0).lower() for w in before])
        if not kept or len(kept) < len(before) - 1:
            return False
        return kept[-1] in words and _PLAIN_GAP.fullmatch(text, before[len(kept) - 1].end(), start) is not None
