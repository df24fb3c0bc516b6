"""The word classes of a language that several stages read (from text.json and the {FORCE} cue class), and
helpers on the words of a span."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol, TypeVar

from .lexicon import TermCompiler, compile_terms, screened_terms
from .lexicon_schema import Lexicon
from .screens import ScreenedPattern

WORD = re.compile(r"[\w][\w.'’-]*[\w]|[\w]")


# Every cased letter lies in the first two Unicode planes (beyond them: CJK ideographs and unassigned code points),
# so the scan stops there (a tenth of the time of a full scan, at import).
_CASED_LETTERS_END = 0x20000


def _letter_class(categories: tuple[str, ...]) -> str:
    """A regex character class of every Unicode letter in the given categories, as ranges: name patterns then read
    Cyrillic or Greek capitals as they read Latin ones (re has no \\p{Lu})."""
    ranges: list[list[int]] = []
    for code in range(_CASED_LETTERS_END):
        if unicodedata.category(chr(code)) in categories:
            if ranges and ranges[-1][1] == code - 1:
                ranges[-1][1] = code
            else:
                ranges.append([code, code])
    return "[" + "".join(re.escape(chr(a)) + ("-" + re.escape(chr(b)) if b > a else "") for a, b in ranges) + "]"


# Capital (upper- and titlecase) and lowercase letters of any script.
UPPER = _letter_class(("Lu", "Lt"))
LOWER = _letter_class(("Ll",))


def word_pattern(elision_prefixes: Sequence[str]) -> re.Pattern[str]:
    """WORD, with the language's elided words ("l'", "d'") split off the word they are written onto, so that
    "l'Ukraine" reads as "l'" and "Ukraine" (either apostrophe; any case, "L'armée")."""
    if not elision_prefixes:
        return WORD
    stems = sorted({prefix.rstrip("'’").lower() for prefix in elision_prefixes}, key=lambda stem: (-len(stem), stem))
    elided = r"(?<!\w)(?i:" + "|".join(re.escape(stem) for stem in stems) + r")['’](?=\w)"
    return re.compile(elided + "|" + WORD.pattern)


@dataclass(frozen=True)
class Vocabulary:
    """Word classes shared by the stages, compiled once per language. Lowercase sets unless said otherwise."""

    determiners: frozenset[str]
    location_preps: frozenset[str]
    blocking_preps: frozenset[str]  # prepositions after which a name is no subject ("of", "gegen")
    bystander_preps: frozenset[str]  # "durch", "by", "für": what follows is not what is sent
    conjunctions: frozenset[str]
    # Auxiliaries and adverbs that may stand between a subject and its verb ('has', 'also', 'previously'): text.json
    # auxiliaries and focus_particles, a list and no suffix test, so 'family' or 'ally' stays a noun.
    adverbials: frozenset[str]
    relative: frozenset[str]  # relative pronouns as spelt (case kept)
    time_words: frozenset[str]  # time words and months
    adjective_suffixes: tuple[str, ...]
    genitive_suffixes: tuple[str, ...]  # "s" (Russlands), "'s" (Russia's): longest first, none empty
    nouns_capitalized: bool  # German: every noun has a capital, so a capital marks no name
    word: re.Pattern[str]  # a word of this language (WORD, or with its elisions split off)
    organ_nouns: re.Pattern[str] | None  # "Regierung", "government", "defence ministry"
    force: re.Pattern[str]  # the {FORCE} class: "Soldaten", "troops"
    force_screened: ScreenedPattern
    force_attribute_nouns: frozenset[str]  # "campaign" in "military campaign in X": no forces placed in X
    force_object_words: frozenset[str]  # "accused", "at" before "Israeli forces in X": no forces placed in X
    force_target_words: frozenset[str]  # "eliminate", "dislodge" before a force phrase: the forces fought, not sent
    force_owner_heads: re.Pattern[str] | None  # "troops", "invasion" after a state's name: it owns forces (unowned.py)

    @classmethod
    def of(cls, lexicon: Lexicon, compiler: TermCompiler) -> Vocabulary:
        rules = lexicon.text
        force = screened_terms(compiler, ["{FORCE}"])
        return cls(
            determiners=_lower(rules.determiners),
            location_preps=_lower(rules.location_prepositions),
            blocking_preps=_lower(rules.non_subject_prepositions),
            bystander_preps=_lower(rules.bystander_prepositions),
            conjunctions=_lower(rules.conjunctions),
            adverbials=_lower([*rules.auxiliaries, *rules.focus_particles]),
            relative=frozenset(rules.relative_pronouns),
            time_words=_lower([*rules.time_words, *rules.months]),
            adjective_suffixes=tuple(rules.adjective_suffixes),
            genitive_suffixes=tuple(sorted({s for s in rules.genitive_suffixes if s}, key=len, reverse=True)),
            nouns_capitalized=rules.nouns_capitalized,
            word=word_pattern(lexicon.grammar.elision_prefixes),
            organ_nouns=compile_terms(compiler, rules.organ_nouns) if rules.organ_nouns else None,
            force=force.pattern,
            force_screened=force,
            force_attribute_nouns=_lower(rules.force_attribute_nouns),
            force_object_words=_lower(rules.force_object_words),
            force_target_words=_lower(rules.force_target_words),
            force_owner_heads=(
                compile_terms(compiler, heads) if (heads := rules.referring.force_owner_heads) else None
            ),
        )

    def genitive_stems(self, word: str, min_stem: int = 0) -> Iterator[str]:
        """The word without each genitive ending it carries, longest ending first, where more than min_stem
        characters stay ('Russlands' -> 'Russland'; "Israel's" -> 'Israel')."""
        for suffix in self.genitive_suffixes:
            if word.endswith(suffix) and len(word) - len(suffix) > min_stem:
                yield word[: -len(suffix)]

    def without_genitive(self, word: str, min_stem: int = 0) -> str:
        """The word without its longest genitive ending (see genitive_stems), or the word itself."""
        return next(self.genitive_stems(word, min_stem), word)

    def strip_articles(self, words: Sequence[str], also: Collection[str] = ()) -> Sequence[str]:
        """The lowercased `words` without the articles (and the words in `also`) at their end: the words before a
        name, as far as the preposition or coordinator that governs it ('durch die' -> 'durch', 'und die' -> 'und')."""
        end = len(words)
        while end and (words[end - 1] in self.determiners or words[end - 1] in also):
            end -= 1
        return words[:end]

    def force_phrase_end(self, text: str, force: re.Match[str]) -> int:
        """End of a run of force words: 'peacekeeping troops', 'special forces units'."""
        end = force.end()
        while (following := self.force.match(text, end + 1)) is not None and text[end : end + 1] == " ":
            end = following.end()
        return end

    def after_bystander_preposition(self, text: str, position: int, limit: int) -> bool:
        """Whether the noun phrase at position follows 'durch', 'by', 'für', 'for' ... (at most an article between)."""
        nearest = [w.group(0).lower() for w in self.word.finditer(text, max(limit, position - 40), position)][-2:]
        words = self.strip_articles(nearest)
        return bool(words) and words[-1] in self.bystander_preps


def _lower(words: list[str]) -> frozenset[str]:
    return frozenset(w.lower() for w in words)


def words_before(word: re.Pattern[str], text: str, start: int, end: int, count: int) -> tuple[int, int]:
    if count == 0 or start >= end:
        return end, end
    words = list(word.finditer(text, max(start, end - 16 * count), end))[-count:]
    return (words[0].start(), end) if words else (end, end)


def words_after(word: re.Pattern[str], text: str, start: int, end: int, count: int) -> tuple[int, int]:
    if count == 0 or start >= end:
        return start, start
    words = list(word.finditer(text, start, min(end, start + 16 * count)))[:count]
    return (start, words[-1].end()) if words else (start, start)


@lru_cache(maxsize=4096)
def whole_word(word: str) -> re.Pattern[str]:
    """The word as a word of its own (no letter, digit or hyphen joined to it), compiled once per word: the resolvers
    ask it of the same names again and again across an article. The word comes first and the check before it follows
    as a lookbehind over the word (the same matches as the lookbehind put first): a pattern that opens with its
    literal lets the regex engine skip ahead to where the word stands instead of trying every position, about 20
    times faster over a whole German article."""
    escaped = re.escape(word)
    return re.compile(rf"{escaped}(?<![\w-]{escaped})(?![\w-])")


def may_be_name(word: str) -> bool:
    """A word that may be part of a name: it opens with a capital letter (any script)."""
    return word[0].isupper()


def next_is_capital(word: re.Pattern[str], text: str, position: int, limit: int) -> bool:
    following = word.search(text, position, min(limit, position + 40))
    return bool(following and following.group(0)[0].isupper())


# A dash with spaces around it that opens an aside, its first word captured ("Hamas - which is ... -"), and one that
# closes it.
_ASIDE_OPENING = re.compile(r"\s(?:-|–|—|--)\s+(\w+)")
_ASIDE_CLOSING = re.compile(r"\s(?:-|–|—|--)\s")


class _Located(Protocol):
    @property
    def start(self) -> int: ...


_L = TypeVar("_L", bound=_Located)


def outside_asides(relative: Collection[str], text: str, start: int, end: int, items: Sequence[_L]) -> list[_L]:
    """The items (mentions) of text[start:end] not inside a relative clause set off by dashes ("Hamas - which is
    banned ... by Israel, Canada and several others - has denied"): the names there describe a subject, they do not act."""
    asides = []
    for opening in _ASIDE_OPENING.finditer(text, start, end):
        if opening.group(1) in relative and (closing := _ASIDE_CLOSING.search(text, opening.end(), end)) is not None:
            asides.append((opening.start(), closing.start()))
    if not asides:
        return list(items)
    return [item for item in items if not any(a <= item.start < b for a, b in asides)]


# Dashes that separate two statements in a headline or sentence ("X schickt Soldaten – Rebellen bestreiten ...").
_DASHES = ("–", "—", "-", "--")


def own_subject_after_dash(vocabulary: Vocabulary, text: str, clause_start: int, cue_start: int) -> bool:
    """'Jakarta schickt Soldaten – Rebellen bestreiten Angriff': a dash opens a new statement whose words before
    the cue are its own subject, even one no list knows; the actor of the statement before it is not borrowed."""
    if text[max(0, clause_start - 3) : clause_start].strip() not in _DASHES:
        return False
    first = vocabulary.word.search(text, clause_start, cue_start)
    # "– eine Kehrtwende gegenüber ...": a noun phrase after the dash comments on the statement before it.
    return first is not None and first.group(0).lower() not in vocabulary.conjunctions | vocabulary.determiners


def content_clause(
    vocabulary: Vocabulary, text: str, clauses: Sequence[tuple[int, int]], span: tuple[int, int]
) -> bool:
    """Whether the clause span is opened by a word ("that") or begins with a conjunction or relative pronoun."""
    start, end = span
    previous_end = max((e for _, e in clauses if e <= start), default=start)
    if any(ch.isalpha() for ch in text[previous_end:start]):
        return True
    first = vocabulary.word.search(text, start, end)
    return first is not None and first.group(0) in (vocabulary.conjunctions | vocabulary.relative)
