"""Actors: who acts in a cue's clause (force owner, bare organ, subject, speaker, neighbour) and who acts with it."""

from __future__ import annotations

import re
from itertools import islice

from .agentless import AgentlessActors
from .armed_groups import ArmedGroups
from .both_states import BothStates
from .captions import CaptionSubjects
from .clients import Clients
from .context import Actor, Attribution, CueContext, SentenceReading, Span
from .continued_speech import ContinuedSpeech
from .coordination import Coordination
from .gazetteer import DEMONYM_ADJ, PERSON, PLACE, Gazetteer, Mention
from .gerunds import GerundSubjects
from .lexicon import CompiledRule
from .lexicon_schema import Lexicon
from .mention_neighbours import organization_named, state_seat
from .named_sources import NamedSources
from .names import POSSESSIVE, Names, unlisted_actor
from .nominal import ACT_NOUN_CLASS, GovernedNouns
from .non_actors import FalsehoodAuthors, FirstPersonLeadIns, acting_mentions, stands_aside
from .owners import ForceOwners
from .passives import Passives
from .referents import Referents
from .unowned import UnownedForces
from .words import Vocabulary, content_clause, outside_asides, own_subject_after_dash

# Words at the head of a clause among which a bare organ noun may stand as its subject ("Die neue Regierung").
_ORGAN_SUBJECT_WORDS = 4


class Actors:
    """The actor words of one language (text.json), compiled once."""

    def __init__(self, lexicon: Lexicon, vocabulary: Vocabulary, gazetteer: Gazetteer, referents: Referents):
        rules = lexicon.text
        self._vocabulary = vocabulary
        self._gazetteer = gazetteer
        self._names = Names(lexicon, vocabulary)
        self._clients = Clients(lexicon, vocabulary, self._names.not_names)  # "A spokesman for Yukos denied"
        self._passives = Passives(lexicon, vocabulary, self._names)
        self._owner_preps = {w.lower() for w in rules.owner_prepositions}
        self._coordinators = {w.lower() for w in rules.coordinators}
        self._coordination = Coordination(lexicon, vocabulary)
        self._verb_second = lexicon.grammar.verb_second
        self._noun_markers = vocabulary.determiners  # before a cue, they make it a noun ("the deployment of")
        self._compounds = lexicon.grammar.compounds
        self._referents = referents
        self.owners = ForceOwners(vocabulary, self._owner_preps, self._compounds, self._verb_second, self._coordinators)
        self._gerunds = GerundSubjects(lexicon, vocabulary)
        self._armed_groups = ArmedGroups(lexicon, vocabulary)
        self._unowned = UnownedForces(lexicon, vocabulary)
        self._governed = GovernedNouns(lexicon, vocabulary)
        self._falsehoods = FalsehoodAuthors(lexicon)
        self._first_person_leads = FirstPersonLeadIns(lexicon, vocabulary)
        self._agentless = AgentlessActors(lexicon, vocabulary, gazetteer)
        self._both_states = BothStates(lexicon, vocabulary, gazetteer)
        self._captions = CaptionSubjects(lexicon, vocabulary, gazetteer, self._names)
        self._continued_speech = ContinuedSpeech(lexicon, vocabulary, gazetteer)
        self._named_sources = NamedSources(lexicon, vocabulary, self._names.not_names)
        # Subordinators that open a clause without a comma ("... as Hezbollah denies ..."): the conjunctions that
        # neither coordinate names ("and") nor open relative clauses ("who", "that").
        self._subordinators = (
            vocabulary.conjunctions - self._coordinators - {w.lower() for w in rules.relative_pronouns}
        )
        # "The government's decision to ban ...": the act nouns (cues.json) a possessive organ may own.
        self._act_nouns = {w.lower() for w in lexicon.cues.classes.get(ACT_NOUN_CLASS, [])}

    def actor(self, ctx: CueContext, reading: SentenceReading) -> Actor | None:
        """The cue's actor: a deployment's force owner, a passive's agent, a bare organ, the clause's subject, else a
        fallback."""
        mentions = acting_mentions(
            self._names, self._vocabulary, self._owner_preps, ctx, reading.mentions, self._falsehoods
        )
        mentions = [m for m in mentions if not self._first_person_leads.names_object(ctx, m)]
        attributions = reading.attributions
        mentions = outside_asides(self._vocabulary.relative, ctx.text, ctx.sentence.start, ctx.cue_start, mentions)
        if (controller := self._gerunds.subject(ctx, mentions)) is not None:  # "warns France against deploying"
            return self._names.subject(ctx.text, controller)
        if (owner := self._governed.owner_within(ctx, mentions)) is not None:  # "the change in the US position"
            return self._names.subject(ctx.text, owner)
        actor = self.owners.owner(ctx, mentions, attributions) if ctx.rule.type == "deployment" else None
        # "Troops were sent by Kenya": the agent, unless the forces have an owner ("Kenyan troops were sent by NATO").
        if (actor is None or actor.via != "owner") and (agent := self._passives.agent(ctx, reading)) is not None:
            return agent
        late = actor is not None and actor.mention_start > ctx.cue_start and not self._verb_second
        before = self._vocabulary.word.findall(ctx.text, ctx.start, ctx.cue_start)[-1:] if late else []
        if before and before[0].lower() not in self._noun_markers:
            # "Russia to deploy North Korean troops": the sender is the verb's subject (not "the deployment of ...").
            subject = self._subject(ctx.text, ctx.cue_start, (ctx.start, ctx.cue_start), mentions, attributions)
            actor = subject if subject is not None and subject.entity.country else actor
        if actor is None and ctx.rule.type == "deployment":
            actor = self._armed_groups.subject(ctx, mentions)  # "Drusische Milizen haben ... eingenommen"
        if actor is None:  # a bare organ, else the body a name runs ("the Hamas-run ministry denied ...")
            actor = self._bare_organ(ctx, mentions, reading) or self._names.controlled_bodies.body(ctx, reading)
        if actor is None and ctx.rule.type == "deployment" and self._governed.governed(ctx, mentions):
            return None  # spoken about, not run by the clause's subject
        if actor is None and ctx.rule.type == "denial":
            actor = self._names.unlisted_subject(ctx, mentions) or self._clients.client(ctx, mentions)
        if actor is None:
            actor = self._subject(ctx.text, ctx.cue_start, (ctx.start, ctx.end), mentions, attributions)
        if actor is None:
            actor = self._fallback_actor(ctx, mentions, attributions) or self._speaking_organ(ctx, reading)
        if actor is None and (pair := self._both_states.pair(ctx)) is not None:
            actor = pair[0]  # "Beide Länder haben ... bestritten": the first of the two states named before
        if actor is None:
            actor = self._referents.clause_subject(ctx)  # "Er wies die Vorwürfe zurück": who was named before
        if actor is None and ctx.rule.jurisdiction:  # "In den USA ist X künftig verboten": where the rule holds
            actor = self._names.jurisdiction(ctx, mentions)
        if actor is None and ctx.rule.type == "deployment":
            actor = self._unowned.actor(ctx, reading)  # "Tausende Polizisten sind im Einsatz"
        return actor

    @staticmethod
    def may_act(rule: CompiledRule, actor: Actor) -> bool:
        """Whether the actor may act for the rule: an institutional rule's (a German policy shift's) actor is a state,
        an organ or an organisation, never a person the lists know without a state (a union official, a driver); a
        body with no forces (WHO, UNRWA: entities.json "unarmed") deploys none, whichever path (the learned actor model,
        a referent) reached it."""
        if not actor.entity.may_act_for(rule.type):
            return False
        return not (rule.institutional and actor.entity.category == PERSON and actor.entity.country is None)

    def agentless(self, ctx: CueContext, reading: SentenceReading) -> Actor | None:
        """The last fallback, after the engine's noun subjects: a clause whose subject only refers back ("Nun habe
        diese ... verboten") takes the subject of the sentence before; a caption the cue opens, whom its colon names;
        reported speech that names no speaker, who spoke in the sentence before ("Die Vorwürfe seien absurd")."""
        return (
            self._agentless.actor(ctx, reading)
            or self._captions.subject(ctx, reading)
            or self._continued_speech.speaker(ctx, reading)
            or self._named_sources.source(ctx, reading)
        )

    # ------------------------------------------------------------------ which names may act

    def _excluded(self, text: str, mention: Mention, attributions: list[Attribution], clause_start: int) -> bool:
        vocabulary = self._vocabulary
        if mention.entity.category == PLACE or stands_aside(vocabulary, self._names, text, mention, clause_start):
            return True
        if any(a.start <= mention.start < a.end for a in attributions):
            return True
        window = [
            w for w in self._vocabulary.word.finditer(text, max(clause_start, mention.start - 80), mention.start)
        ][-6:]
        # Skip an article between the preposition and the name ("in der Ukraine", "of the UN").
        lowered = vocabulary.strip_articles([w.group(0).lower() for w in window[-3:]])
        words = window[-3:][: len(lowered)]
        if lowered and lowered[-1] in self._coordinators:
            # The second of two coordinated names shares the first one's preposition: "between Russia and Ukraine".
            earlier = [w.group(0) for w in window[:-1]]
            while earlier and (earlier[-1][0].isupper() or earlier[-1].lower() in vocabulary.determiners):
                earlier.pop()
            if earlier and earlier[-1].lower() in vocabulary.blocking_preps:
                return True
        if lowered and lowered[-1] in vocabulary.blocking_preps:
            head = words[-2] if len(words) >= 2 else None
            organ_before = (
                head is not None
                and vocabulary.organ_nouns is not None
                and vocabulary.organ_nouns.fullmatch(head.group(0))
            )
            return not organ_before  # "the government of Liberia" is Liberia acting
        following = self._vocabulary.word.search(text, mention.end, min(len(text), mention.end + 40))
        if following is None or mention.entity.category == DEMONYM_ADJ:
            return False
        gap = text[mention.end : following.start()]
        # A German possessor precedes a (capitalised) noun; an English "X's" always does.
        possessor = (
            mention.genitive
            and gap in (" ", "")
            and (not vocabulary.nouns_capitalized or following.group(0)[0].isupper())
        )
        modifier = gap == "-" and following.group(0)[0].isupper()  # "EU-Mission", but "US-Präsident" acts
        if possessor or modifier:
            # "Mali's transitional government" acts; "Nordkoreas Handeln", "Baku's accusations" do not.
            heads = [
                w.group(0)
                for w in self._vocabulary.word.finditer(text, following.start(), min(len(text), following.start() + 60))
            ][:3]
            acting = any(
                (vocabulary.organ_nouns is not None and vocabulary.organ_nouns.fullmatch(word))
                or vocabulary.force.fullmatch(word)
                for word in (heads[:1] if modifier else heads)
            )
            return not acting
        return False

    # ------------------------------------------------------------------ bare organs

    def _bare_organ(self, ctx: CueContext, mentions: list[Mention], reading: SentenceReading) -> Actor | None:
        """'Die Regierung wies ... zurück', 'The defence ministry rejected ...': an organ named without its state
        opens the clause before the cue; it acts for the state the article is about."""
        organ_nouns = self._vocabulary.organ_nouns
        if organ_nouns is None:
            return None
        text, ctx_start, cue_start = ctx.text, ctx.start, ctx.cue_start
        words = list(islice(self._vocabulary.word.finditer(text, ctx_start, cue_start), _ORGAN_SUBJECT_WORDS + 3))
        starts = {m.start for m in mentions}
        for position, word in enumerate(words[:_ORGAN_SUBJECT_WORDS]):
            head = self._act_owner(text, word)
            # A hyphenated organ counts by its head: "Taliban-Regierung", "Junta-Führung".
            if organ_nouns.fullmatch(head) or organ_nouns.fullmatch(head.rsplit("-", 1)[-1]):
                if head != word.group(0):
                    return self._owned_act(ctx, mentions, reading, head, word.start())
                if self._referents.role(word.group(0)) == "organisation":
                    return None  # "the agency said ...": an organisation named before, not the article's state
                modifier = word.group(0).rsplit("-", 1)[0] if "-" in word.group(0) else ""
                if modifier and not organ_nouns.fullmatch(modifier.removesuffix("s")) and word.start() not in starts:
                    return None  # "TikTok-Sprecher Hughes": an unlisted body's spokesman speaks for no state
                if any(m.entity.category == DEMONYM_ADJ and ctx_start <= m.start < word.start() for m in mentions):
                    return None  # "Die russische Botschaft in Berlin": the adjective names the state, not the seat
                following = words[position + 1 : position + 3]
                if (seat := state_seat(following, mentions, self._vocabulary.location_preps)) is not None:
                    return Actor(seat.text, seat.entity, "subject", mention_start=seat.start)
                if any(ctx_start <= m.start < cue_start for m in mentions):
                    return None
                if (person := reading.dominant.titled(word.group(0), word.start())) is not None:
                    return Actor(person.text, person.entity, "subject", mention_start=word.start())
                state = reading.dominant.get(ctx.sentence.start, ctx.sentence.end)
                if state is None:
                    return None
                # The organ's name runs over the organ words that follow: "prime minister's office".
                last = position
                while last + 1 < len(words) and organ_nouns.fullmatch(POSSESSIVE.sub("", words[last + 1].group(0))):
                    last += 1
                return Actor(text[word.start() : words[last].end()], state, "organ", mention_start=word.start())
            if word.group(0).lower() not in self._vocabulary.determiners and not self._organ_modifier(word.group(0)):
                return None
        return None

    def _owned_act(
        self, ctx: CueContext, mentions: list[Mention], reading: SentenceReading, organ: str, start: int
    ) -> Actor | None:
        """'The government's decision to ban ...': a possessive organ owns the act and stands for the one state the
        article names most, not for either of two named as often, nor where the clause names a state itself."""
        if any(ctx.start <= m.start < ctx.cue_start for m in mentions):
            return None
        state = reading.dominant.sole(ctx.sentence.start, ctx.sentence.end)
        return None if state is None else Actor(organ, state, "organ", mention_start=start)

    def _act_owner(self, text: str, word: re.Match[str]) -> str:
        """The word without its possessive when it owns an act noun ("government's decision"), else as it is (the
        act noun may be the cue itself, so it is read from the text)."""
        token = word.group(0)
        if POSSESSIVE.search(token) and (following := self._vocabulary.word.search(text, word.end())) is not None:
            if following.group(0).lower() in self._act_nouns:
                return POSSESSIVE.sub("", token)
        return token

    def _speaking_organ(self, ctx: CueContext, reading: SentenceReading) -> Actor | None:
        """'The government announced that the rules ... will be relaxed', '..., ministers said': a policy step whose
        only speaker is a bare organ acts for the one state the article names most (as a bare organ subject does)."""
        if ctx.rule.type != "policy_shift" or (organ_nouns := self._vocabulary.organ_nouns) is None:
            return None
        for attribution in (a for a in reading.attributions if a.position != "after"):  # as a named speaker's
            words = self._vocabulary.word.findall(ctx.text, attribution.start, attribution.end)
            *modifiers, head = [w for w in words if w.lower() not in self._vocabulary.determiners] or [""]
            if (
                organ_nouns.fullmatch(head)
                and self._referents.role(head) != "organisation"  # "the agency said": an organisation, no state
                and all(organ_nouns.fullmatch(w) or w.islower() for w in modifiers)  # "the interior ministry"
                and not any(attribution.start <= m.start < attribution.end for m in reading.mentions)  # "Hamas-run"
            ):
                state = reading.dominant.sole(ctx.sentence.start, ctx.sentence.end)
                source = ctx.text[attribution.start : attribution.end]
                return None if state is None else Actor(source, state, "organ", mention_start=attribution.start)
        return None

    def _organ_modifier(self, word: str) -> bool:
        """A lowercase adjective before an organ noun ('The interim government', 'Die neue Regierung')."""
        nouns_capitalized = self._vocabulary.nouns_capitalized
        return (
            word[0].islower()
            and not nouns_capitalized
            or (nouns_capitalized and word[0].islower() and word.lower().endswith(self._vocabulary.adjective_suffixes))
        )

    # ------------------------------------------------------------------ subjects

    def _subject(
        self, text: str, cue_start: int, span: Span, mentions: list[Mention], attributions: list[Attribution]
    ) -> Actor | None:
        """The subject among a clause's names: the first before the cue, else (verb-second) the first after it."""
        ctx_start, ctx_end = span
        in_ctx = [
            m
            for m in mentions
            if ctx_start <= m.start < ctx_end and not self._excluded(text, m, attributions, ctx_start)
        ]
        before = [m for m in in_ctx if m.start < cue_start]
        if (boundary := self._subordinate_end(text, ctx_start, cue_start)) is not None:
            # "Britain sends a destroyer as Houthis deny ...": the cue's subject follows the subordinator (which
            # is then no preposition); the names before it belong to the main clause.
            own = [
                m
                for m in mentions
                if boundary <= m.start < cue_start and not self._excluded(text, m, attributions, boundary)
            ]
            before = own or before
        # Only verb-second languages put the subject after the verb ("Das bestritt Russland"); in English a
        # name after the cue is its object ("denied that Russian instructors ...").
        # A name known only by its form is no subject there: "... dem Militärbündnis OVKS einzufrieren" is the object.
        after = (
            [m for m in in_ctx if not m.entity.generic]
            if self._verb_second
            else [m for m in in_ctx if m.start >= cue_start and cue_start >= ctx_end]
        )
        chosen = before[0] if before else (after[0] if after else None)
        if chosen is None:
            return None
        chosen = organization_named(text, chosen, mentions)
        return self._names.subject(text, chosen)

    def _subordinate_end(self, text: str, start: int, end: int) -> int | None:
        """End of the last subordinator between start and end that opens a clause with a new subject
        ("... as Phnom Penh denies"), else None. Only where a capital marks a name: a German noun has one anyway,
        and German subordinate clauses stand after a comma."""
        if self._vocabulary.nouns_capitalized:
            return None
        found = None
        for word in self._vocabulary.word.finditer(text, start, end):
            if word.group(0).lower() not in self._subordinators:
                continue
            following = self._vocabulary.word.search(text, word.end(), end)
            if following is None or text[word.end() : following.start()] != " ":
                continue
            if following.group(0)[0].isupper() or following.group(0).lower() in self._vocabulary.determiners:
                found = word.end()
        return found

    def _fallback_actor(
        self, ctx: CueContext, mentions: list[Mention], attributions: list[Attribution]
    ) -> Actor | None:
        """No actor in the cue clause: earlier clauses (apposition: "Russia's president, Vladimir Putin, denied"),
        the colon lead-in ("Mexiko rückt ab: ... kündigte an, ... zu schicken"), then later clauses
        ("In a major U-turn, Germany agreed ...")."""
        text, sentence, clauses, clause_index = ctx.text, ctx.sentence, ctx.clauses, ctx.clause_index
        # The speaker of "X said it would ...": a state or organisation named as the sentence's source acts.
        for attribution in attributions:
            if attribution.position != "after":
                for mention in mentions:
                    if attribution.start <= mention.start < attribution.end and mention.entity.category != PLACE:
                        return Actor(mention.text, mention.entity, "speaker", mention_start=mention.start)
        spans = (
            []
            if own_subject_after_dash(self._vocabulary, text, clauses[clause_index][0], ctx.cue_start)
            else [clauses[i] for i in range(clause_index - 1, -1, -1)]
        )
        if sentence.lead_start < sentence.start:
            spans.append((sentence.lead_start, sentence.start))
        # A later clause that is the content of the cue ("denied claims that PKK militants ...", "dass ...") or a
        # relative clause names what is denied or sent, never who acts.
        spans.extend(
            (start, end)
            for start, end in clauses[clause_index + 1 :]
            if not content_clause(self._vocabulary, text, clauses, (start, end))
        )
        for start, end in spans:
            actor = self._subject(text, end, (start, end), mentions, attributions)
            if actor is not None:
                return actor
        return None

    # ------------------------------------------------------------------ coordinated actors

    def partners(self, ctx: CueContext, actor: Actor, reading: SentenceReading) -> list[Actor]:
        """Actors coordinated with this one (coordination.py): 'France, Germany and Italy', 'US- und britische
        Soldaten', 'Frankreich und die Niederlande', 'UK joins US in ...'."""
        text = ctx.text
        if actor.entity.generic and (span := self._names.pairs.partner(text, ctx.start, actor)) is not None:
            return [unlisted_actor(text[span[0] : span[1]], span[0])]  # "Both Kenteris and Thanou denied"
        if (pair := self._both_states.pair(ctx)) is not None and actor.entity.key in {a.entity.key for a in pair}:
            return [a for a in pair if a.entity.key != actor.entity.key]  # "Berichte, die beide Staaten dementieren"
        # "Sweden and Canada have said they ...": a speaker phrase opening on a later partner is its own subject.

        def said(mention: Mention) -> list[Attribution]:
            return [a for a in reading.attributions if a.start != mention.start or mention.start < actor.mention_start]

        head = next((m for m in reading.mentions if m.start == actor.mention_start), None)
        head_free = head is not None and not self._excluded(text, head, said(head), ctx.sentence.start)

        def excluded(mention: Mention, run: list[Mention]) -> bool:
            # A list after a passive agent acts as a whole ("decisions by Norway and Denmark to resume aid"): its
            # later names share the agent word, not a blocking preposition.
            first = min([m.start for m in run] + [actor.mention_start])
            before = self._vocabulary.strip_articles(
                [w.lower() for w in self._vocabulary.word.findall(text, max(ctx.sentence.start, first - 30), first)]
            )
            # A list whose own actor stands free shares its place ("after Japan, Italy and other countries froze"),
            # unless a preposition governs the list ("zwischen Russland und der Ukraine").
            governed = bool(before) and before[-1] in self._vocabulary.blocking_preps
            free = head_free and not (governed and before[-1] not in self._subordinators)
            shared = mention in run and (self._coordination.opened(list(before)) or free)
            return self._excluded(text, mention, said(mention), first if shared else ctx.sentence.start)

        return self._coordination.partners(ctx, actor, reading, excluded)
