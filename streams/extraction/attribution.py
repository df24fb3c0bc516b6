"""Attribution: who a sentence's statement is attributed to ("officials said", "nach Angaben des Ministeriums")."""

from __future__ import annotations

import re

from .context import Actor, Attribution, CueContext, Span, clause_of
from .gazetteer import Gazetteer
from .lexicon import TermCompiler, compile_terms
from .lexicon_schema import Lexicon
from .text import Segmenter, Sentence
from .words import UPPER, Vocabulary, next_is_capital

_OPENING_QUOTES = '"„“«»‚'
# A quoted name that opens a compound ('das "People"-Magazin', 'die „Bild“-Zeitung'): its closing quote and hyphen.
_CLOSED_COMPOUND = re.compile(r'["“”»«‘]-(?=\w)')


def _rarest_literal(term: str) -> str:
    """The longest word a marker's match must spell, wildcards stripped: 'angaben' in 'nach angaben von' skips most
    sentences, where its first word 'nach' would let nearly every German sentence through to the regex."""
    words = [w.strip("*").lower() for w in term.split(" ") if w != "..."]
    return max(words, key=len)


def _in_quoted_compound(text: str, gap: str, word: re.Match[str]) -> bool:
    """Whether the quote marks between two words of a source phrase belong to a quoted name opening a compound: the
    opening quote before the name ('das "People') or its closing quote and hyphen before the head ('"-Magazin')."""
    stripped = gap.strip()
    if len(stripped) == 1 and stripped in _OPENING_QUOTES and gap.endswith(stripped):
        return _CLOSED_COMPOUND.match(text, word.end()) is not None
    return _CLOSED_COMPOUND.match(gap + word.group(0)) is not None and len(gap) == 2


class Attributions:
    """The source markers of one language (markers.json attribution), compiled once."""

    def __init__(
        self,
        lexicon: Lexicon,
        compiler: TermCompiler,
        vocabulary: Vocabulary,
        gazetteer: Gazetteer,
        segmenter: Segmenter,
    ):
        self._compiler = compiler
        self._vocabulary = vocabulary
        self._gazetteer = gazetteer
        self._segmenter = segmenter
        # Each source marker with the literal its match must contain, to skip it cheaply on most sentences.
        self._markers = [
            (self._regex(p.term, p.source), p.source, _rarest_literal(p.term)) for p in lexicon.markers.attribution
        ]
        self._stop_words = (vocabulary.location_preps | vocabulary.blocking_preps) - vocabulary.determiners
        self._name_joiners = frozenset(w.lower() for w in lexicon.grammar.name_joiners)
        self._openers = frozenset(w.lower() for w in lexicon.grammar.attribution_openers)

    def _regex(self, term: str, source: str) -> re.Pattern[str]:
        if source != "between":
            return compile_terms(self._compiler, [term])
        left, right = term.split(" ... ", 1)
        body = (
            self._compiler.term(left)
            + r"\s+(?P<src>\w[\w.'’-]*(?:\s+\w[\w.'’-]*){0,8}?)\s+"
            + self._compiler.term(right)
        )
        return re.compile(r"(?<!\w)" + body + r"(?!\w)", re.IGNORECASE)

    def find(self, text: str, sentence: Sentence, clauses: list[Span]) -> list[Attribution]:
        """The sentence's attributions (its colon lead-in included), in text order."""
        found = []
        lowered = text[sentence.lead_start : sentence.end].lower()
        for pattern, position, literal in self._markers:
            if literal not in lowered:
                continue
            for match in pattern.finditer(text, sentence.lead_start, sentence.end):
                if position == "between":
                    span = (match.start("src"), match.end("src"))
                elif position == "after":
                    span = self._phrase_after(text, match.end(), sentence.end)
                else:
                    clause_start = max([s for s, _ in clauses if s <= match.start()] or [sentence.lead_start])
                    span = self._phrase_before(text, clause_start, match.start())
                source = self._clean_source(text, *span)
                if source:
                    found.append(Attribution(span[0], span[1], source, match.start(), position))
        found.sort(key=lambda a: a.start)
        return found

    def _phrase_after(self, text: str, start: int, limit: int) -> Span:
        """A source noun phrase starting at `start`: 'des ukrainischen Militärgeheimdienstes', 'U.S. officials'."""
        vocabulary = self._vocabulary
        end = start
        count = 0
        for word in self._vocabulary.word.finditer(text, start, limit):
            gap = text[end : word.start()]
            # "Die Zeitung berichtete, Russland habe ...": a comma right after the verb ends its clause, no source;
            # later, any punctuation does, but for a quoted name opening a compound ('das "People"-Magazin').
            if count == 0:
                ends_clause = "," in gap
            else:
                ends_clause = any(ch in gap for ch in ',;:()"“”«»') and not _in_quoted_compound(text, gap, word)
            if ends_clause:
                break
            token = word.group(0)
            lower = token.lower()
            if lower in self._stop_words or lower in vocabulary.time_words or count >= 8:
                break
            if vocabulary.nouns_capitalized and not (
                token[0].isupper()
                or lower in vocabulary.determiners
                or lower in self._name_joiners
                or (
                    lower.endswith(vocabulary.adjective_suffixes)
                    and next_is_capital(vocabulary.word, text, word.end(), limit)
                )
            ):
                break  # German: a lowercase word that is not an article or adjective ends the noun phrase
            end = word.end()
            count += 1
        return start, end

    def _phrase_before(self, text: str, clause_start: int, end: int) -> Span:
        """The speaker before a speech verb: ', Defense Secretary William Perry said' -> back to a clause start."""
        words = list(self._vocabulary.word.finditer(text, clause_start, end))
        kept: list[re.Match[str]] = []
        for word in reversed(words):
            lower = word.group(0).lower()
            if (
                len(kept) >= 6
                or lower in self._vocabulary.conjunctions
                or lower in self._stop_words
                or lower in self._vocabulary.time_words
            ):
                break
            kept.append(word)
        return (kept[-1].start(), kept[0].end()) if kept else (end, end)

    def _clean_source(self, text: str, start: int, end: int) -> str | None:
        determiners = self._vocabulary.determiners
        words = list(self._vocabulary.word.finditer(text, start, end))
        while words and (words[0].group(0).lower() in determiners or words[0].group(0).lower() in self._openers):
            words.pop(0)
        kept = []
        for word in words:
            if (
                word.group(0).lower() in self._vocabulary.location_preps
                or word.group(0).lower() in self._vocabulary.time_words
            ):
                break
            kept.append(word)
        kept = kept[: len(self._vocabulary.strip_articles([w.group(0).lower() for w in kept], also=self._name_joiners))]
        if not kept:
            return None
        first = kept[0].start()
        if (
            first > start
            and text[first - 1] in _OPENING_QUOTES
            and _CLOSED_COMPOUND.search(text, first, kept[-1].end())
        ):
            first -= 1  # 'das "People"-Magazin': the name keeps its opening quote
        source = text[first : kept[-1].end()]
        return source if any(ch.isalpha() for ch in source) else None

    # ------------------------------------------------------------------ the cue's source

    @staticmethod
    def governing(ctx: CueContext, attributions: list[Attribution]) -> list[Attribution]:
        """The attributions that govern the cue: "X said" does only from another clause (", officials said") or
        from before it ("Officials said Russia ..."), not when it follows in the same clause ("... while
        inspectors said")."""
        return [
            a
            for a in attributions
            if a.position == "after"
            or a.marker_start < ctx.cue_start
            or clause_of(ctx.clauses, a.marker_start) != ctx.clause_index
        ]

    def source(
        self, ctx: CueContext, governing: list[Attribution], actor: Actor, following: Sentence | None
    ) -> str | None:
        """The name the event is attributed to: the first governing source, or for a denial the speaker the next
        sentence names for the actor."""
        text = ctx.text
        if governing:
            return self._full_name(text, governing[0])
        if ctx.rule.type == "denial" and following is not None:
            # "X denied the reports. ..., said X's UN envoy": the next sentence names the speaker of the denial.
            later = self.find(text, following, self._segmenter.clauses(text, following.start, following.end))
            for attribution in later:
                owners = self._gazetteer.find(text, attribution.start, attribution.end)
                if any(m.entity.key == actor.entity.key for m in owners):
                    return attribution.source
        return None

    def _full_name(self, text: str, attribution: Attribution) -> str:
        """A bare surname ('Yoon') is expanded to the fuller name used earlier ('Präsident Yoon Suk Yeol' -> 'Yoon Suk Yeol')."""
        source = attribution.source
        if " " in source or not source[:1].isupper() or self._gazetteer.find(source):
            return source
        organ_nouns = self._vocabulary.organ_nouns
        pattern = re.compile(r"(?<!\w)" + re.escape(source) + r"(?!\w)")
        # Bounded look-back so that an adversarial text with a name in every sentence stays linear.
        for earlier in pattern.finditer(text, max(0, attribution.start - 20_000), attribution.start):
            run = _capitalized_run(text, earlier.start(), earlier.end())
            words = [w for w in run.split(" ") if w]
            while words and organ_nouns is not None and organ_nouns.fullmatch(words[0]):
                words.pop(0)
            if len(words) > 1 and len(words) <= 4 and not self._gazetteer.find(" ".join(words)):
                return " ".join(words)
        return source


def _capitalized_run(text: str, start: int, end: int) -> str:
    """The run of capitalised words around text[start:end] on the same line ('Präsident Yoon Suk Yeol')."""
    while True:
        previous = re.search(rf"(?:^|(?<=\s))({UPPER}[\w-]*) $", text[max(0, start - 40) : start])
        if not previous:
            break
        start -= len(previous.group(1)) + 1
    while True:
        following = re.match(rf" ({UPPER}[\w-]*)(?!\w)", text[end : end + 40])
        if not following:
            break
        end += len(following.group(0))
    return text[start:end]
