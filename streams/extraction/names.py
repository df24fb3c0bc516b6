"""Actor names as the text gives them: the unlisted name of a denial's subject, and a state's adjective with the
organ noun it qualifies."""

from __future__ import annotations

import re
from itertools import islice

from .context import Actor, CueContext
from .controllers import ControlledBodies
from .descriptors import Descriptors
from .gazetteer import COUNTRY, DEMONYM_ADJ, DEMONYM_NOUN, ORGANIZATION, PERSON, Entity, Mention
from .inverted_subjects import fronted_verb
from .lexicon_schema import Lexicon
from .name_pairs import NamePairs
from .words import Vocabulary, may_be_name

_MAX_NAME_WORDS = 4  # longest unlisted denier: "SPD-Generalsekretär Kevin Kühnert", "Former minister Jane Doe"
_MAX_OPENING_WORDS = 16  # words read back from the cue for it: a longer clause opening names no one by itself
# A short parenthesis between a name and its verb: "Michael Ballack (48) räumt", "Jane Doe (Labour) denied".
_ASIDE_BEFORE = re.compile(r"\s*\([^()]{1,30}\)\s*$")
# Shortest head of a compound noun read as an organ or force word ("Armee" in "Armeesprecher").
_MIN_COMPOUND_HEAD = 5
POSSESSIVE = re.compile(r"['’]s$")  # "prime minister's office": the organ word without its possessive


def unlisted_actor(name: str, start: int, via: str = "subject") -> Actor:
    """An actor the lists lack, named by capitalised words: an organisation when written in capitals, else a person."""
    category = ORGANIZATION if name.isupper() else PERSON
    return Actor(name, Entity(name, None, category, category, generic=True), via, mention_start=start)


def names_the_object(word: re.Pattern[str], ctx: CueContext, start: int, end: int) -> bool:
    """Whether the capitalised words at text[start:end], or they with the word right after them, hold what the cue's
    rule takes as its object (CompiledRule.objects: a claim noun such as 'Vorwürfe' for a denial): they say what is
    denied ("Vorwürfe zurückgewiesen") or qualify it ("Neue Vorwürfe"), not who acts."""
    following = word.match(ctx.text, end + 1)
    if following is not None and ctx.text[end : end + 1] == " ":
        end = following.end()
    return any(o.search(ctx.text, start, end, None) for o in ctx.rule.objects)


class Names:
    """The name words of one language (text.json), compiled once."""

    def __init__(self, lexicon: Lexicon, vocabulary: Vocabulary):
        rules = lexicon.text
        self._vocabulary = vocabulary
        # Words that may open a clause before its subject's name ("Auch Reifenhersteller Pirelli", "But Smith").
        self._openers = (
            vocabulary.determiners
            | vocabulary.conjunctions
            | vocabulary.time_words
            | {w.lower() for w in rules.focus_particles}
        )
        self._not_names = self._openers | {w.lower() for w in rules.pronouns}
        self._focus = {w.lower() for w in rules.focus_particles}
        self._auxiliaries = {w.lower() for w in rules.auxiliaries}
        self._passive = {w.lower() for w in rules.passive_auxiliaries}
        self._agent_preps = {w.lower() for w in rules.passive_agents}
        self._private_nouns = {w.lower() for w in rules.private_nouns}
        self.controlled_bodies = ControlledBodies(lexicon, vocabulary)
        self._descriptors = Descriptors(lexicon, vocabulary, self._openers)
        pair_words = set() if lexicon.grammar.verb_second else {w.lower() for w in rules.coordinators}  # name_pairs.py
        self.pairs = NamePairs(vocabulary, pair_words, self._openers, self._not_names)
        self._verb_second_language = lexicon.grammar.verb_second

    @property
    def not_names(self) -> frozenset[str]:
        """Lowercase words that open a clause or stand for someone but never name anyone (articles, pronouns)."""
        return self._not_names

    def unlisted_subject(self, ctx: CueContext, mentions: list[Mention]) -> Actor | None:
        """The unlisted subject before the cue (opening_subject), else one right after its finite verb when the
        clause opens with its object (inverted_subject)."""
        return (
            self._opening_subject(ctx, mentions)
            or self._appositive_subject(ctx, mentions)
            or self._inverted_subject(ctx, mentions)
            or self._passive_agent(ctx, mentions)
            or self._relative_subject(ctx, mentions)
        )

    def _appositive_subject(self, ctx: CueContext, mentions: list[Mention]) -> Actor | None:
        """'Thales, which makes drone components, denies ...', 'Sabri Saidam, a member of ..., denies ...', 'the
        hospital's director, Dr Jane Doe, denied ...': where the subject stands before the verb (not verb-second), a
        cue clause with no subject of its own (only lowercase words such as an auxiliary before the cue) takes it from
        the clauses before, passing over a relative clause or an apposition opened by an article: the nearest clause
        that is a name run and nothing else."""
        text, vocabulary = ctx.text, self._vocabulary
        if vocabulary.nouns_capitalized or self._verb_second_language:
            return None
        clause_start = ctx.clauses[ctx.clause_index][0]
        if ctx.clause_index == 0 or text[max(0, clause_start - 2) : clause_start].strip() != ",":
            return None
        if any(
            may_be_name(w.group(0)) or w.group(0).lower() in self._not_names
            for w in vocabulary.word.finditer(text, clause_start, ctx.cue_start)
        ):
            return None  # the clause has its own subject ("However, it insisted ...")
        for index in range(ctx.clause_index - 1, max(-1, ctx.clause_index - 3), -1):
            start, end = ctx.clauses[index]
            words = list(islice(vocabulary.word.finditer(text, start, end), _MAX_OPENING_WORDS))
            if not words:
                return None
            first = words[0].group(0)
            if first in vocabulary.relative or first in vocabulary.determiners:
                if any(start <= m.start < end and m.entity.country for m in mentions):
                    return None  # "X, a spokesman for Iran's ...": one who speaks for a state, the subject stage's
                continue  # "which makes ...", "a member of ...": a clause about the subject
            if index > 0 and text[max(0, start - 2) : start].strip() != ",":
                return None
            lead = 0
            while lead < len(words) and words[lead].group(0).lower() in self._openers and lead < 2:
                lead += 1
            run = words[lead:]
            if (
                not run
                or len(run) > _MAX_NAME_WORDS
                or any(not may_be_name(w.group(0)) or w.group(0).lower() in self._not_names for w in run)
                or text[run[-1].end() : end].strip(" ,")
            ):
                return None
            if any(run[0].start() <= m.start < run[-1].end() for m in mentions):
                return None  # a listed name: the subject stage's
            return unlisted_actor(text[run[0].start() : run[-1].end()], run[0].start())
        return None

    def _relative_subject(self, ctx: CueContext, mentions: list[Mention]) -> Actor | None:
        """'Ein Vorwurf, den Kühnert sofort zurückwies': in a verb-final relative clause, capitalised words right after
        the relative pronoun (an article aside) are its subject."""
        text, vocabulary = ctx.text, self._vocabulary
        comma = text.rfind(",", ctx.sentence.start, ctx.cue_start)
        if comma < 0 or not vocabulary.nouns_capitalized:
            return None
        # A relative clause follows its antecedent noun ("Ein Vorwurf, den ..."); after a verb ("erklärte, die
        # Berichte ...") the pronoun is an article.
        antecedent = list(islice(vocabulary.word.finditer(text, max(ctx.sentence.start, comma - 40), comma), 8))
        if not antecedent or not may_be_name(antecedent[-1].group(0)) or antecedent[-1].end() != comma:
            return None
        words = list(islice(vocabulary.word.finditer(text, comma, ctx.cue_start), _MAX_OPENING_WORDS))
        if len(words) < 2 or words[0].group(0) not in vocabulary.relative:
            return None
        if any(w.group(0).lower() in self._passive for w in words):
            return None  # "..., das Gerücht wurde aber dementiert": an article, not a relative pronoun
        rest = words[1:]
        while rest and rest[0].group(0).lower() in vocabulary.determiners:
            rest = rest[1:]
        run = []
        for word in rest:
            if not may_be_name(word.group(0)) or word.group(0).lower() in self._not_names:
                break
            run.append(word)
        # Only lowercase words (adverbs, an object pronoun) may stand between the name and the verb.
        if not run or len(run) > _MAX_NAME_WORDS or any(may_be_name(w.group(0)) for w in rest[len(run) :]):
            return None
        if vocabulary.nouns_capitalized and len(run) == 1 and len(rest) < len(words) - 1:
            return None  # "die der Musiker zurückwies": one noun after an article names no one
        if names_the_object(vocabulary.word, ctx, run[0].start(), run[-1].end()):
            return None  # "..., die Berichte zurückwies": the object, not a name
        if any(run[0].start() <= m.start < run[-1].end() for m in mentions):
            return None  # a listed name there is the subject stage's
        return unlisted_actor(text[run[0].start() : run[-1].end()], run[0].start())

    def _passive_agent(self, ctx: CueContext, mentions: list[Mention]) -> Actor | None:
        """'Die Vorwürfe wurden vom DJV zurückgewiesen', 'Spekulationen wurden von Kardinälen zurückgewiesen': in a
        passive clause the agent after 'von' before the cue acts (a listed name as listed, else the capitalised
        words there)."""
        text, vocabulary = ctx.text, self._vocabulary
        words = list(islice(vocabulary.word.finditer(text, ctx.start, ctx.cue_start), _MAX_OPENING_WORDS * 2))
        lowered = [w.group(0).lower() for w in words]
        if len(ctx.cue.group(0).split()) != 1 or "," in text[ctx.start : ctx.cue_start]:
            return None  # the cue must be the clause's participle
        # The agent stands nearest the participle ("Berichte von Reuters wurden von X bestritten"), after the
        # auxiliary ("Die von X behaupteten Vorwürfe werden bestritten": that X is no agent of the denial).
        for position in range(len(lowered) - 1, -1, -1):
            if lowered[position] not in self._agent_preps:
                continue
            if not any(w in self._passive for w in lowered[:position]):
                return None
            rest = words[position + 1 :]
            while rest and rest[0].group(0).lower() in vocabulary.determiners:
                rest = rest[1:]
            # Lowercase adjectives may open the agent's phrase: "von hochrangigen Kardinälen".
            while rest and rest[0].group(0)[0].islower() and rest[0].group(0).endswith(vocabulary.adjective_suffixes):
                rest = rest[1:]
            if not rest:
                return None
            listed = next((m for m in mentions if m.start == rest[0].start()), None)
            if listed is not None:
                return Actor(listed.text, listed.entity, "subject", mention_start=listed.start)
            run = []
            for candidate in rest:
                if not may_be_name(candidate.group(0)) or candidate.group(0).lower() in self._not_names:
                    break
                run.append(candidate)
            if not run or len(run) > _MAX_NAME_WORDS:
                return None
            return unlisted_actor(text[run[0].start() : run[-1].end()], run[0].start())
        return None

    def _inverted_subject(self, ctx: CueContext, mentions: list[Mention]) -> Actor | None:
        """'Die Vorwürfe wies Mockridge zurück', 'Die Vorwürfe hat Dotcom stets bestritten': in a verb-second clause
        opened by its object, capitalised words right after the finite verb (the cue's first word, or the
        auxiliary of a clause-final participle) and before a lowercase word are the subject."""
        text, vocabulary = ctx.text, self._vocabulary
        if not vocabulary.nouns_capitalized:
            return None  # English puts its subject first; a name after the verb is its object
        before_verb, verb = fronted_verb(vocabulary, self._auxiliaries, ctx, _MAX_OPENING_WORDS)
        if verb is None or not before_verb:
            return None
        opening = before_verb[0].group(0).lower()
        requires = ctx.rule.requires
        # "Gegenüber dem Spiegel bestreitet Ralf Schumacher ...", "Inzwischen hat X ... bestritten": a prepositional
        # phrase (up to the verb, no comma), one particle or a lone pronoun object ("Das bestritt Kickl") opens the
        # clause, so the subject follows the verb.
        phrase = opening in vocabulary.blocking_preps and "," not in text[before_verb[0].start() : verb.start()]
        phrase = phrase or (len(before_verb) == 1 and (opening in self._focus or opening in vocabulary.determiners))
        # "Berichte über ... wies Merkel zurück": a bare plural claim opens the clause as its object.
        claim_first = any(r.search(text, before_verb[0].start(), before_verb[0].end(), None) for r in requires)
        if not phrase and opening not in vocabulary.determiners and not claim_first:
            return None  # the clause must open with a noun phrase (its object), not with the verb or an adverb
        # Else the object the rule requires ("Vorwürfe") must be that noun phrase, and the words after the verb not it
        # ("Die Regierung hat Berichte zurückgewiesen" opens with its subject).
        if not phrase and (not requires or not any(r.search(text, ctx.start, verb.start(), None) for r in requires)):
            return None
        run: list[re.Match[str]] = []
        for word in vocabulary.word.finditer(text, verb.end(), ctx.end):
            if not may_be_name(word.group(0)) or word.group(0).lower() in self._not_names:
                break
            run.append(word)
            if len(run) > _MAX_NAME_WORDS:
                return None
        if not run or any(run[0].start() <= m.start < run[-1].end() for m in mentions):
            return None  # a listed name there is the subject stage's
        if names_the_object(vocabulary.word, ctx, run[0].start(), run[-1].end()):
            return None
        return unlisted_actor(text[run[0].start() : run[-1].end()], run[0].start())

    def _opening_subject(self, ctx: CueContext, mentions: list[Mention]) -> Actor | None:
        """A subject the gazetteer does not list, when no listed name stands before the cue in its clause (one after it
        is no subject then: "Michael Ballack (48) räumt mit den Gerüchten um Sophia ... auf"): the capitalised words
        that open the clause and stand right before the cue, an age or a party in parentheses aside ("Mockridge wies
        ... zurück", "SPD-Generalsekretär Kevin Kühnert wies ...", "Auch Reifenhersteller Pirelli dementiert", "Ms
        Smith denied", after a lowercase descriptor: "The oil giant Yukos denied"); not a pronoun, and where every noun
        has a capital, not one noun after an article ("Der Musiker stritt ... ab" names no one)."""
        text, vocabulary = ctx.text, self._vocabulary
        start, end = ctx.start, ctx.cue_start
        if (aside := _ASIDE_BEFORE.search(text, ctx.sentence.start, end)) is not None:
            # The parenthesis may have split the clause: the name is in the clause before it.
            end = aside.start()
            start = min(start, next((s for s, e in ctx.clauses if s <= end <= e), start))
        words = list(islice(vocabulary.word.finditer(text, start, end), _MAX_OPENING_WORDS))
        if not words or text[words[-1].end() : end].strip():
            return None  # the name must touch the cue (or its auxiliary, below)
        if len(ctx.cue.group(0).split()) == 1 or self._verb_second_language:
            words = self._before_finite_verb(words)  # the cue may end on a participle ("hat ... von sich gewiesen")
        if words and words[0].group(0).lower() in vocabulary.blocking_preps:
            return None  # "Vor Gericht hatte der Mann ...": a capitalised preposition opens no name
        while words and words[-1].group(0).lower() in self._focus and len(words) > 1:  # "Krah selbst bestreitet"
            words = words[:-1]
        first = len(words)
        while first > 0 and may_be_name(name := words[first - 1].group(0)) and name.lower() not in self._not_names:
            first -= 1
        described = self._descriptors.length(text, words[:first])  # "Greek sprinter Kostas Kenteris"
        opening = words[first - described].start() if described else end
        if any(start <= m.start < ctx.cue_start and not self._descriptors.inside(m, opening, end) for m in mentions):
            return None
        opening = first - described if described else self.pairs.opening(text, words, first)  # "Both X and Y"
        run, lead = words[first:], [w.group(0).lower() for w in words[:opening]]
        # After an article, lowercase adjectives may open the name: "Die 95-jährige Ursula Haverbeck".
        adjectives = 0
        while (
            adjectives < len(lead)
            and lead[-1 - adjectives] not in vocabulary.determiners
            and lead[-1 - adjectives].endswith(vocabulary.adjective_suffixes)
        ):
            adjectives += 1
        if not (adjectives and len(lead) > adjectives and lead[-1 - adjectives] in vocabulary.determiners):
            adjectives = 0
        if not run or len(run) > _MAX_NAME_WORDS or any(w not in self._openers for w in lead[: len(lead) - adjectives]):
            return None
        # One noun after an article names no one ("Der Musiker", "Der neue Trainer"); after an age it is a surname
        # ("Der 41-jährige Schmyt").
        aged = adjectives and any(ch.isdigit() for ch in lead[-1])
        if vocabulary.nouns_capitalized and len(run) == 1 and lead and not aged:
            if lead[-1] in vocabulary.determiners or adjectives:
                return None
        if len(run) == 1 and self._name_after_verb(ctx, mentions):
            return None  # "Zugleich wies Peking ... zurück": one capitalised word may be an adverb; the name after wins
        if names_the_object(vocabulary.word, ctx, run[0].start(), run[-1].end()):
            return None  # the headline "Vorwürfe zurückgewiesen": what is denied, not who denies
        return unlisted_actor(text[run[0].start() : run[-1].end()], run[0].start())

    def _before_finite_verb(self, words: list[re.Match[str]]) -> list[re.Match[str]]:
        """The words before the clause's finite auxiliary when the cue is its clause-final participle ("Zverev hat
        ... zurückgewiesen"): the subject stands right before the auxiliary. Without one, the words as they are."""
        for position, word in enumerate(words):
            if position > 0 and word.group(0).lower() in self._auxiliaries:
                return words[:position]
        return words

    def _name_after_verb(self, ctx: CueContext, mentions: list[Mention]) -> bool:
        """A listed name right after the cue's finite verb (an article aside): the inverted subject."""
        verb = self._vocabulary.word.match(ctx.text, ctx.cue_start)
        if verb is None:
            return False
        following = list(islice(self._vocabulary.word.finditer(ctx.text, verb.end(), ctx.end), 2))
        starts = [w.start() for w in following[:1]]
        if following and following[0].group(0).lower() in self._vocabulary.determiners:
            starts = [w.start() for w in following[:2]]
        return any(m.start in starts for m in mentions)

    def subject(self, text: str, mention: Mention) -> Actor:
        """A listed mention as the clause's subject, named as the text names it; where adjectives are written
        lowercase, a capitalised state adjective after an article opens an organisation's name instead ("Der Deutsche
        Journalisten-Verband hat ... zurückgewiesen" is the association, not Germany)."""
        if (organization := self._organization_opened_by(text, mention)) is not None:
            return organization
        return Actor(self._noun_phrase(text, mention), mention.entity, "subject", mention_start=mention.start)

    def _organization_opened_by(self, text: str, mention: Mention) -> Actor | None:
        vocabulary = self._vocabulary
        if not vocabulary.nouns_capitalized or mention.entity.category != DEMONYM_ADJ or not mention.text[0].isupper():
            return None
        before = [w.group(0).lower() for w in vocabulary.word.finditer(text, max(0, mention.start - 12), mention.start)]
        if not before or before[-1] not in vocabulary.determiners:
            return None  # at a sentence's start every word has a capital
        following = vocabulary.word.match(text, mention.end + 1)
        if (
            following is None
            or text[mention.end : following.start()] != " "
            or not may_be_name(following.group(0))
            or (vocabulary.organ_nouns is not None and vocabulary.organ_nouns.fullmatch(following.group(0)))
            or vocabulary.force.fullmatch(following.group(0))
        ):
            return None
        name = text[mention.start : following.end()]
        entity = Entity(name, None, ORGANIZATION, ORGANIZATION, generic=True)
        return Actor(name, entity, "subject", mention_start=mention.start)

    def jurisdiction(self, ctx: CueContext, mentions: list[Mention]) -> Actor | None:
        """A rule changed with no agent named ("In den USA ist Kaspersky künftig verboten", "dürfen in der EU nicht
        mehr verkauft werden"): the state or listed organisation it holds in, after a location preposition."""
        for mention in mentions:
            if not ctx.start <= mention.start < ctx.end or mention.entity.category not in (COUNTRY, ORGANIZATION):
                continue
            before = self._vocabulary.strip_articles(
                [w.group(0).lower() for w in self._vocabulary.word.finditer(ctx.text, ctx.start, mention.start)]
            )
            if mention.entity.generic or not before or before[-1] not in self._vocabulary.location_preps:
                continue
            return Actor(mention.text, mention.entity, "subject", mention_start=mention.start)
        return None

    def qualifies_other_noun(self, text: str, mention: Mention) -> bool:
        """Where every noun has a capital, a state's lowercase adjective right before a noun that is neither an organ
        nor a force (nor a compound ending in one: "Armeesprecher") names whose that noun is, not who acts: "die
        syrische Grenze", "der türkische Verband", "Syrische Rebellen", "chinesische Waren". Where nouns look like
        adjectives, only the listed nouns of private people and bodies count: "Russian MP", "French senator"."""
        vocabulary, category = self._vocabulary, mention.entity.category
        following = vocabulary.word.search(text, mention.end, min(len(text), mention.end + 40))
        if following is not None and text[mention.end : following.start()] == "-":
            # "the Hamas-run health ministry denied": the body run by the name acts, not the name.
            return self.controlled_bodies.joins(following.group(0))
        if category not in (DEMONYM_ADJ, DEMONYM_NOUN):  # "French" and "British" are nouns too
            return False
        if following is None or text[mention.end : following.start()] != " ":
            return False
        if not vocabulary.nouns_capitalized:
            return following.group(0).lower() in self._private_nouns
        if category != DEMONYM_ADJ or not following.group(0)[0].isupper():
            return False
        before = [w.group(0).lower() for w in vocabulary.word.finditer(text, max(0, mention.start - 12), mention.start)]
        if mention.text[0].isupper() and before and before[-1] in vocabulary.determiners:
            return False  # "Der Deutsche Journalisten-Verband": a capitalised adjective there opens a name
        organ_nouns = vocabulary.organ_nouns
        noun = following.group(0)
        # The noun may stand in the genitive: "Ein Sprecher des chinesischen Außenministeriums".
        for form in (noun, *vocabulary.genitive_stems(noun)):
            for start in range(len(form) - _MIN_COMPOUND_HEAD + 1):
                head = form[start:] if start == 0 else form[start].upper() + form[start + 1 :]
                if (organ_nouns is not None and organ_nouns.fullmatch(head)) or vocabulary.force.fullmatch(head):
                    return False
        return True

    def _noun_phrase(self, text: str, mention: Mention) -> str:
        """The name as the text gives it: a state's adjective runs over the organ words after it ("japanische
        Regierung", "British defence ministry"), the noun it qualifies; any other mention is its own name."""
        organ_nouns = self._vocabulary.organ_nouns
        if mention.entity.category not in (DEMONYM_ADJ, DEMONYM_NOUN) or organ_nouns is None:
            return mention.text
        end = mention.end
        for word in islice(self._vocabulary.word.finditer(text, mention.end), 3):
            if text[end : word.start()].strip() or not organ_nouns.fullmatch(POSSESSIVE.sub("", word.group(0))):
                break
            end = word.end()
        return text[mention.start : end]
