"""Who says the statement a denial cue is part of: the source of a speech verb, an unlisted name opening the
sentence or its colon lead-in, or an organ speaking for its state."""

from __future__ import annotations

import re
from itertools import islice, takewhile

from .context import Actor, Attribution, CueContext, SentenceReading, clause_of
from .gazetteer import PERSON, PLACE, Mention
from .lexicon_schema import Lexicon
from .names import POSSESSIVE, unlisted_actor
from .words import Vocabulary, whole_word

MAX_SPEAKER_WORDS = 4  # an unlisted speaker's name: "Dr Jane Doe", "Elbit Systems UK"
_MAX_LEAD_IN_WORDS = 8  # words of a colon lead-in read for its speaker: "Walz betont immer wieder:"


def _capitalised(word: str) -> bool:
    """A word with a capital, past the opening quote of a quoted name ('"People"-Magazin')."""
    return word.lstrip('"„“«»‚')[:1].isupper()


def name_run(text: str, words: list[re.Match[str]], not_names: set[str], *, truncated: bool = False) -> Actor | None:
    """The capitalised words that open `words` (touching), as an unlisted name; not a pronoun or other `not_names`
    word. `truncated`: `words` was cut short, so a run to its end may go on and is no sure name."""
    run: list[re.Match[str]] = []
    for w in words:
        if not w.group(0)[0].isupper() or (run and text[run[-1].end() : w.start()] != " "):
            break
        run.append(w)
    if not run or (truncated and len(run) == len(words)) or run[0].group(0).lower() in not_names:
        return None
    if POSSESSIVE.search(run[-1].group(0)):
        return None  # "by Arouri's uncle": the name is a possessor, not the agent
    return unlisted_actor(text[run[0].start() : run[-1].end()], run[0].start())


def titled_person(
    text: str, words: list[re.Match[str]], mentions: list[Mention], titles: re.Pattern[str] | None
) -> Mention | None:
    """The listed person that closes the capitalised run opening `words` after title words ("by Health Minister Jane
    Doe", "by Foreign Secretary John Roe"): the run names that person, whom the lists know with a state. A surname
    alone needs a title (an organ noun, text.json) right before it: after another given name ("by Chris Wallace")
    it is someone else's (review 17, finding 5)."""
    run: list[re.Match[str]] = []
    for w in words:
        if not w.group(0)[0].isupper() or (run and text[run[-1].end() : w.start()] != " "):
            break
        run.append(w)
    if len(run) < 2:
        return None
    mention = next(
        (m for m in mentions if m.entity.category == PERSON and run[0].end() < m.start and m.end == run[-1].end()),
        None,
    )
    if mention is None or len(mention.text) >= len(mention.entity.canonical):
        return mention
    before = next((w.group(0) for w in reversed(run) if w.end() <= mention.start), "")
    return mention if titles is not None and titles.fullmatch(before) is not None else None


def speech_verbs(lexicon: Lexicon, vocabulary: Vocabulary) -> frozenset[str]:
    """Speech verbs whose speaker follows them ("sagte X"): the one-word source markers read after, no preposition."""
    prepositions = vocabulary.blocking_preps | vocabulary.location_preps
    return frozenset(
        m.term.lower()
        for m in lexicon.markers.attribution
        if m.source == "after" and " " not in m.term and "*" not in m.term and m.term.lower() not in prepositions
    )


class Speakers:
    """The speech verbs and name stop-words of one language (markers.json attribution, text.json), compiled once."""

    def __init__(self, lexicon: Lexicon, vocabulary: Vocabulary):
        rules = lexicon.text
        self._vocabulary = vocabulary
        self._pronouns = {w.lower() for w in rules.pronouns}
        # Capitalised words that open no name (pronouns, focus particles, conjunctions): Deniers reads them too.
        self.not_names = self._pronouns | {w.lower() for w in rules.focus_particles} | vocabulary.conjunctions
        self._verb_second = lexicon.grammar.verb_second
        # Words opening a clause after the statement that names who says it ("..., so Tom Berger"; cues.json
        # SPEAKER_AFTER): read for denials only, as a marker they would make "so Truppen" a source in any sentence.
        self._closing_words = {w.lower() for w in lexicon.cues.classes.get("SPEAKER_AFTER", [])}
        self._speech_verbs = speech_verbs(lexicon, vocabulary)

    def speaker(self, ctx: CueContext, reading: SentenceReading) -> Actor | None:
        """Who says the statement the cue is part of ("Hamas says the claim is false", "Israel said ... were not
        deliberately targeted", "..., the IDF said"): the nearest speech verb's source before the cue, else the
        first after it in another clause; its listed name, or its capitalised words ("Trend", "Dr Jane Doe")."""
        governing = [
            a
            for a in reading.attributions
            if (a.position != "after" or self._speech_after(ctx, a))
            and (a.marker_start < ctx.cue_start or clause_of(ctx.clauses, a.marker_start) != ctx.clause_index)
        ]
        before = [a for a in governing if a.marker_start < ctx.cue_start]
        source = before[-1] if before else (governing[0] if governing else None)
        source = source or self._closing_source(ctx)
        if source is None:
            source = next((a for a in reading.attributions if self._source_phrase(ctx, a)), None)
            if source is None:
                return self._opening_speaker(ctx, reading)
            if not self._listed_or_organ(reading, source) and not self._full_name(ctx, source):
                return None  # "laut seinem Anwalt", "laut Bericht": a role or claim noun names no one
        named = [m for m in reading.mentions if source.start <= m.start < source.end and m.entity.category != PLACE]
        if named:
            return Actor(named[0].text, named[0].entity, "speaker", mention_start=named[0].start)
        words = source.source.split()
        while source.position == "before" and len(words) > 1 and self._between_name_and_verb(words[-1]):
            words = words[:-1]  # "Maria Lindqvist has previously said": the name before auxiliaries and adverbs
        if source.position == "after" and words and _capitalised(words[0]):
            # "sagte Ines Brandt dem Sender": the speaker's name is the capitalised words the verb is followed by.
            words = list(takewhile(_capitalised, words))
        if not words or len(words) > MAX_SPEAKER_WORDS or not all(_capitalised(w) for w in words):
            return None
        if any(self._organ_word(w) for w in words):
            return self._organ_speaker(ctx, reading, source)  # "..., erklärte das Außenministerium in Moskau"
        name = " ".join(words)
        if words[0].lower() in self._vocabulary.determiners or name.lower() in self._pronouns:
            return None
        return unlisted_actor(name, source.start, via="speaker")

    def _between_name_and_verb(self, word: str) -> bool:
        """An auxiliary or adverb between a speaker's name and the speech verb ('has', 'also', 'previously'; listed in
        Vocabulary.adverbials, so 'Anna Petrova's family said' keeps its noun and names no speaker)."""
        return word.islower() and word in self._vocabulary.adverbials

    def _full_name(self, ctx: CueContext, source: Attribution) -> bool:
        """Whether the source opens with two or more capitalised words right after its marker ('laut Tom Berger'),
        no article or possessive before them."""
        first = self._vocabulary.word.search(ctx.text, source.start, source.end)
        words = list(takewhile(lambda w: w[:1].isupper(), source.source.split()))
        return first is not None and source.source.startswith(first.group(0)) and len(words) >= 2

    def _listed_or_organ(self, reading: SentenceReading, source: Attribution) -> bool:
        """Whether the source holds a name the lists know or opens with an organ noun ('des Außenministeriums')."""
        if any(source.start <= m.start < source.end and m.entity.category != PLACE for m in reading.mentions):
            return True
        return self._organ_word(source.source.split()[0])

    def _organ_word(self, word: str) -> bool:
        """Whether a capitalised word is an organ noun, also in the genitive a source phrase puts it in ('nach Angaben
        des Innenministeriums', 'aus Sicht der Regierung')."""
        organs = self._vocabulary.organ_nouns if self._vocabulary.nouns_capitalized else None
        return organs is not None and any(
            organs.fullmatch(form) for form in (word, *self._vocabulary.genitive_stems(word, min_stem=3))
        )

    def _organ_speaker(self, ctx: CueContext, reading: SentenceReading, source: Attribution) -> Actor | None:
        """An organ that says the statement acts for its seat ('das Außenministerium in Moskau'), else for the state the
        article is about, as a bare organ subject does; never as a person of that name."""
        seat = next((m for m in reading.mentions if 0 <= m.start - source.end <= 4 and m.entity.country), None)
        between = self._vocabulary.word.findall(ctx.text, source.end, seat.start) if seat is not None else []
        if seat is not None and len(between) == 1 and between[0].lower() in self._vocabulary.location_preps:
            return Actor(seat.text, seat.entity, "subject", mention_start=seat.start)
        return reading.dominant.organ(source.source, source.start, ctx.sentence)

    def _opening_speaker(self, ctx: CueContext, reading: SentenceReading) -> Actor | None:
        """'Ralf Köhler sagte, das sei eine Lüge': an unlisted name of two to four capitalised words opens the
        sentence right before a speech verb whose clause ends before the cue's (a listed name there is the subject
        stages')."""
        if not self._verb_second:
            return None
        if ctx.sentence.lead_start < ctx.sentence.start:
            return self._lead_in_speaker(ctx, reading)
        if ctx.clause_index == 0:
            return None
        text, first_end = ctx.text, ctx.clauses[0][1]
        words = list(islice(self._vocabulary.word.finditer(text, ctx.sentence.start, first_end), MAX_SPEAKER_WORDS + 2))
        if len(words) < 3 or words[-1].end() != first_end or words[-1].group(0).lower() not in self._speech_verbs:
            return None
        name = words[:-1]
        if name[0].group(0).lower() in self._vocabulary.determiners:
            return None  # "Der Sprecher sagte, ...": a role noun names no one
        if any(m.start < name[-1].end() for m in reading.mentions if m.start >= ctx.sentence.start):
            return None
        return name_run(text, name, self.not_names) if len(name) >= 2 else None

    def _lead_in_speaker(self, ctx: CueContext, reading: SentenceReading) -> Actor | None:
        """'Huber betont seit Wochen: „Das ist nicht wahr“': the unlisted name (one to four capitalised words, then a
        lowercase word) that opens a short colon lead-in says the statement after it."""
        text, start, end = ctx.text, ctx.sentence.lead_start, ctx.sentence.start
        words = list(islice(self._vocabulary.word.finditer(text, start, end), _MAX_LEAD_IN_WORDS + 1))
        if not words or len(words) > _MAX_LEAD_IN_WORDS or words[0].group(0).lower() in self._vocabulary.determiners:
            return None
        if any(start <= m.start < end for m in reading.mentions):
            return None  # a listed name there: the subject stages' (the lead-in is read as a clause)
        run = name_run(text, words, self.not_names)
        count = len(run.name.split()) if run is not None else 0
        if run is None or count > len(words) or (count < len(words) and not words[count].group(0)[0].islower()):
            return None
        if count == len(words) and not self._named_within(text, words[-1]):
            return None  # a headline's bare lead-in ("Tom Berger: ..."): a name only where the text names it again
        if count == 1 and not self._named_within(text, words[0]):
            return None  # "Dazu sagte er: ...": one capitalised word opening a sentence may be any word
        return run

    def _named_within(self, text: str, word: re.Match[str]) -> bool:
        """Whether the capitalised word recurs inside a sentence elsewhere in the text (a name, not an adverb)."""
        for other in whole_word(word.group(0)).finditer(text):
            before = text[max(0, other.start() - 3) : other.start()].rstrip()
            if other.start() != word.start() and before and before[-1] not in '.!?:"„“«»':
                return True
        return False

    def _source_phrase(self, ctx: CueContext, attribution: Attribution) -> bool:
        """A source phrase in the cue's own clause ("Die Gerüchte entbehren laut Polizei jeder Grundlage", "Nach
        Angaben des Ministeriums sind die Berichte falsch"): where the verb comes second, its source says the clause's
        statement (read when no speech verb governs the cue)."""
        return (
            self._verb_second
            and attribution.position == "after"
            and clause_of(ctx.clauses, attribution.marker_start) == ctx.clause_index
        )

    def _speech_after(self, ctx: CueContext, attribution: Attribution) -> bool:
        """A speech verb with its speaker after it, in a later clause than the cue ("«Das ist falsch», sagte X"):
        where the verb comes second, X says the statement the cue is part of."""
        return (
            self._verb_second
            and attribution.marker_start > ctx.cue_start
            and clause_of(ctx.clauses, attribution.marker_start) != ctx.clause_index
            and (verb := self._vocabulary.word.match(ctx.text, attribution.marker_start)) is not None
            and verb.group(0).lower() in self._speech_verbs
        )

    def _closing_source(self, ctx: CueContext) -> Attribution | None:
        """'„Das ist eine Lüge“, so Tom Berger', '..., so das Ministerium': a later clause that opens, right after a
        comma, with a closing source word and goes on with a capitalised word or an article holds the source."""
        if not self._closing_words or not self._verb_second:
            return None
        text, word = ctx.text, self._vocabulary.word
        for start, end in ctx.clauses[ctx.clause_index + 1 :]:
            opener = word.search(text, start, end)
            if opener is None or opener.group(0).lower() not in self._closing_words:
                continue
            if not text[max(0, opener.start() - 4) : opener.start()].rstrip().endswith(","):
                continue
            words = list(islice(word.finditer(text, opener.end(), end), MAX_SPEAKER_WORDS + 2))
            if words and (_capitalised(words[0].group(0)) or words[0].group(0).lower() in self._vocabulary.determiners):
                span_end = words[-1].end()
                return Attribution(
                    words[0].start(), span_end, text[words[0].start() : span_end], opener.start(), "after"
                )
        return None
