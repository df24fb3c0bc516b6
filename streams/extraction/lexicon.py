"""Load lexicons/<lang>/*.json, validate them with the strict schema and compile them into regexes."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from itertools import compress
from pathlib import Path

from .lexicon_schema import LEXICON_FILES, Lexicon, Rule
from .literals import MIN_WORDS_FOR_AUTOMATON, LiteralWords
from .regexes import LazyPatterns, compile_source, trie_regex

DEFAULT_ROOT = Path(__file__).with_name("lexicons")

# Separators inside a multi-word term; a gap "..." allows a few words in between (separable verbs).
_SEP = r"[\W_]+"
_GAP = r"(?:[\W_]+\w+){0,15}?[\W_]+"
CLASS_REF = re.compile(r"^\{([A-Z_]+)\}$")
# Characters of a lowercased text for which "the case-insensitive regex matches here" and "the lowercased text
# holds the lowercased literal here" can disagree: the non-ASCII members of re's extra case-equivalence classes
# (re._casefix: 'ı' matches 'i', 'ſ' matches 's', Greek and Cyrillic variants) and 'İ', which str.lower() turns
# into two characters. Where none of them occurs, a literal the regex needs must occur in the lowercased text.
CASE_FOLD_UNSAFE = (
    "\xb5\u0130\u0131\u017f\u0345\u0390\u03b0\u03b2\u03b5\u03b8\u03b9\u03ba\u03bc\u03c0\u03c1\u03c2"
    "\u03c3\u03c6\u03d0\u03d1\u03d5\u03d6\u03f0\u03f1\u03f5\u0432\u0434\u043e\u0441\u0442\u044a\u0463"
    "\u1c80\u1c81\u1c82\u1c83\u1c84\u1c85\u1c86\u1c87\u1c88\u1e61\u1e9b\u1fbe\u1fd3\u1fe3\ua64b\ufb05\ufb06"
)
_CASE_FOLD_UNSAFE_CHAR = re.compile("[" + CASE_FOLD_UNSAFE + "]")


@dataclass(frozen=True)
class LiteralScreen:
    """Whether any of several terms can match in a passage, judged by their literal words alone (see
    TermCompiler.literals): a term can match only where all its literal words stand."""

    unscreened: bool  # some term has no literal word (or an empty one): it may match anywhere
    single: tuple[str, ...]  # the terms with one literal word
    # The terms with more, grouped by their longest literal word (the likeliest to be missing, tested first): the
    # keys, and per key the other literal words of each of its terms. A passage that lacks a key spares its terms.
    keys: tuple[str, ...]
    rests: tuple[tuple[tuple[str, ...], ...], ...]
    # The single words, then the keys, found in one pass where they are many (see literals.MIN_WORDS_FOR_AUTOMATON):
    # a disqualifier screen of a hundred words took some 20 µs per clause as substring tests, one pass about 1 µs.
    finder: LiteralWords | None = field(default=None, compare=False, repr=False)

    @classmethod
    def of(cls, term_literals: tuple[tuple[str, ...], ...]) -> LiteralScreen:
        single = tuple(dict.fromkeys(literals[0] for literals in term_literals if len(literals) == 1))
        by_key: dict[str, list[tuple[str, ...]]] = {}
        for literals in term_literals:
            if len(literals) > 1:
                key = max(literals, key=len)  # the first of the longest
                if key not in single:  # where the key stands, that single word does too: the term adds nothing
                    by_key.setdefault(key, []).append(tuple(word for word in literals if word != key))
        keys = tuple(by_key)
        words = single + keys
        return cls(
            unscreened=any(not literals for literals in term_literals) or "" in words,
            single=single,
            keys=keys,
            rests=tuple(tuple(dict.fromkeys(rests)) for rests in by_key.values()),
            finder=LiteralWords(words) if len(words) >= MIN_WORDS_FOR_AUTOMATON and "" not in words else None,
        )

    def admits(self, passage: str) -> bool:
        if self.unscreened:
            return True
        contains = passage.__contains__
        if self.finder is None:
            if any(map(contains, self.single)):
                return True
            # The keys are tested in C (compress over map); only the terms of a key the passage holds are looked at.
            present: Iterable[tuple[tuple[str, ...], ...]] = compress(self.rests, map(contains, self.keys))
        else:
            found = self.finder.occurrences(passage)
            single_count = len(self.single)
            if any(index < single_count for index, _, _ in found):
                return True
            present = (self.rests[index - single_count] for index in sorted({index for index, _, _ in found}))
        for rests in present:
            for rest in rests:
                if all(map(contains, rest)):
                    return True
        return False


@dataclass(frozen=True)
class CompiledRule:
    id: str
    type: str
    whole: LazyPatterns  # one regex of all the rule's terms (see pattern)
    term_patterns: LazyPatterns  # one per term, so that only the terms whose anchor occurs run
    # Per term, lowercased literals every match has (TermCompiler.literals): cheaper to check than the regex.
    term_literals: tuple[tuple[str, ...], ...]
    screen: LiteralScreen  # the same, for the rule's pattern as a whole (its matches are its terms' matches)
    term_starts: tuple[StartFinder | None, ...]  # per term, where its matches may begin (None: anywhere)
    requires: tuple[ScreenedPattern, ...]
    requires_foreign_location: bool
    modality: str | None
    confidence: float
    words: frozenset[str] = frozenset()  # every literal word its terms spell out, classes expanded
    personal: bool = False  # its actor is a person even where a list codes them with their state
    jurisdiction: bool = False  # with no agent named, the state or body after a location preposition acts
    speaker_acts: bool = False
    force_subject: bool = False  # a force must stand before the cue (what the force itself does)
    # Words that name what the cue acts on (a denial's required claim nouns; a learned proposal keeps those of its
    # type's rules): capitalised, they are its object ("Vorwürfe zurückgewiesen"), not who acts.
    objects: tuple[ScreenedPattern, ...] = ()

    @property
    def pattern(self) -> re.Pattern[str]:
        """All the rule's terms in one regex."""
        return self.whole[0]


class TermCompiler:
    """Turns the small term language of the lexicon (see lexicon_schema) into regex source."""

    def __init__(self, classes: dict[str, list[str]]):
        self._classes = classes
        self._class_cache: dict[str, str] = {}

    def token(self, token: str) -> str:
        if ref := CLASS_REF.match(token):
            return "(?:" + self.class_regex(ref.group(1)) + ")"
        core = re.escape(token.strip("*"))
        return (r"\w*" if token.startswith("*") else "") + core + (r"\w*" if token.endswith("*") else "")

    def term(self, term: str) -> str:
        parts: list[str] = []
        pending_gap = False
        for token in term.split(" "):
            if token == "...":
                pending_gap = True
                continue
            if parts:
                parts.append(_GAP if pending_gap else _SEP)
            parts.append(self.token(token))
            pending_gap = False
        return "".join(parts)

    def terms(self, terms: list[str]) -> str:
        return "(?<!\\w)(?:" + "|".join(self.term(t) for t in terms) + ")(?!\\w)"

    def class_regex(self, name: str) -> str:
        if name not in self._class_cache:
            self._class_cache[name] = "(?!x)x"  # guards against a class that includes itself
            self._class_cache[name] = self._alternation(self._classes[name])
        return self._class_cache[name]

    def _alternation(self, terms: list[str]) -> str:
        """The terms as one alternation; single words are factored into a trie per wildcard form, since a plain
        alternation of a long class (the force nouns) is tried word by word at every position. Every term is
        matched between word boundaries, so the order of the alternatives does not change what matches."""
        words: dict[tuple[bool, bool], list[str]] = {}
        others: list[str] = []
        for term in terms:
            if " " in term or CLASS_REF.match(term) or not term.strip("*"):
                others.append(term)
                continue
            words.setdefault((term.startswith("*"), term.endswith("*")), []).append(term.strip("*"))
        parts = [
            (r"\w*" if leading else "") + "(?:" + trie_regex(cores) + ")" + (r"\w*" if trailing else "")
            for (leading, trailing), cores in sorted(words.items())
        ]
        parts.extend(self.term(term) for term in others)
        return "|".join(parts) if parts else "(?!x)x"

    def words(self, terms: list[str]) -> frozenset[str]:
        """The lowercased literal words the terms (and the classes they use) spell out, wildcards stripped."""
        found: set[str] = set()
        pending = list(terms)
        seen_classes: set[str] = set()
        while pending:
            for token in pending.pop().split(" "):
                if ref := CLASS_REF.match(token):
                    if ref.group(1) not in seen_classes:
                        seen_classes.add(ref.group(1))
                        pending.extend(self._classes[ref.group(1)])
                elif token != "...":
                    found.add(token.strip("*").lower())
        return frozenset(found)

    def literals(self, term: str) -> tuple[str, ...]:
        """Lowercased literal tokens (wildcards stripped) that every match of the term contains, leaving out any
        whose lowercasing is not a plain one-to-one case fold (see CASE_FOLD_UNSAFE)."""
        found = []
        for token in term.split(" "):
            if token == "..." or CLASS_REF.match(token):
                continue
            core = token.strip("*")
            lowered = core.lower()
            if len(lowered) == len(core) and not _CASE_FOLD_UNSAFE_CHAR.search(lowered) and lowered not in found:
                found.append(lowered)
        return tuple(found)

    def first_words(self, term: str) -> tuple[frozenset[str], frozenset[str]] | None:
        """The lowercased literal words a match of the term can open with, split into those it opens with exactly
        and those (leading wildcard, '*truppen') that end its first word; None when a word's lowercasing is no plain
        case fold (see CASE_FOLD_UNSAFE), so that the lowercased text cannot be relied on to show it."""
        exact: set[str] = set()
        ending: set[str] = set()
        pending = [term]
        seen_classes: set[str] = set()
        while pending:
            first = pending.pop().split(" ")[0]
            if ref := CLASS_REF.match(first):
                if ref.group(1) not in seen_classes:
                    seen_classes.add(ref.group(1))
                    pending.extend(self._classes[ref.group(1)])
                continue
            core = first.strip("*")
            if self.literals(core) != (core.lower(),):
                return None
            (ending if first.startswith("*") else exact).add(core.lower())
        return frozenset(exact), frozenset(ending)


class StartFinder:
    """Where in a sentence a term's match may begin: at an opening word it spells (or the start of the word that a
    '*word' opening ends), found with a plain substring search over the lowercased sentence. Trying the term's regex
    only there gives what its finditer gives, without the regex engine's attempt at every character."""

    def __init__(self, exact: frozenset[str], ending: frozenset[str]):
        words = sorted(exact | ending)
        # Many opening words (a class such as the force nouns): one automaton pass finds them all; few: a regex
        # prefix tree, searched again after each occurrence, is as fast (see literals.MIN_WORDS_FOR_AUTOMATON).
        self._words = LiteralWords(words) if len(words) >= MIN_WORDS_FOR_AUTOMATON else None
        self._opens_word = tuple(word in exact for word in words)  # per word: a match may begin where it begins
        self._ends_word = tuple(word in ending for word in words)  # per word: ... at the start of the word it ends
        self._exact = re.compile(trie_regex(exact)) if exact and self._words is None else None
        self._ending = re.compile(trie_regex(ending)) if ending and self._words is None else None

    def finditer(
        self, pattern: re.Pattern[str], text: str, sentence_lower: str, start: int, end: int, first_only: bool = False
    ) -> list[re.Match[str]]:
        """pattern.finditer(text, start, end) as a list (only its first match with first_only); sentence_lower is
        lowered text[start:end] (case-fold safe)."""
        candidates: set[int] = set()
        if self._words is not None:
            for index, at, _ in self._words.occurrences(sentence_lower):
                if self._opens_word[index]:
                    candidates.add(start + at)
                if self._ends_word[index]:
                    candidates.add(start + _word_start(sentence_lower, at))
        for regex, opens_word in ((self._exact, True), (self._ending, False)):
            if regex is None:
                continue
            position = 0
            while (occurrence := regex.search(sentence_lower, position)) is not None:
                at = occurrence.start()
                candidates.add(start + (at if opens_word else _word_start(sentence_lower, at)))
                position = occurrence.start() + 1  # occurrences may overlap ('unit' in 'units')
        found: list[re.Match[str]] = []
        resume = start
        for candidate in sorted(candidates):
            if candidate < resume:
                continue  # inside the previous match, as finditer skips it
            match = pattern.match(text, candidate, end)
            if match is not None:
                if match.end() == candidate:
                    return list(pattern.finditer(text, start, end))  # an empty match: leave its rules to finditer
                found.append(match)
                if first_only:
                    break
                resume = match.end()
        return found


def _word_start(lowered: str, at: int) -> int:
    """The start of the word that lowered[at] is in (or opens): a leading wildcard spans the word up to its ending."""
    while at > 0 and (lowered[at - 1].isalnum() or lowered[at - 1] == "_"):
        at -= 1
    return at


@dataclass(frozen=True)
class ScreenedPattern:
    """Terms compiled into one regex, with the cheap checks that spare most searches the regex: no match where a
    literal word of every term is missing (LiteralScreen), none but where an opening word stands (StartFinder).
    Each search takes the lowercased passage when it is case-fold safe, else None (then the regex runs as is)."""

    pattern: re.Pattern[str]
    screen: LiteralScreen
    starts: StartFinder | None

    def search(self, text: str, start: int, end: int, passage_lower: str | None) -> re.Match[str] | None:
        if passage_lower is None:
            return self.pattern.search(text, start, end)
        if not self.screen.admits(passage_lower):
            return None
        if self.starts is None:
            return self.pattern.search(text, start, end)
        found = self.starts.finditer(self.pattern, text, passage_lower, start, end, first_only=True)
        return found[0] if found else None

    def finditer(self, text: str, start: int, end: int, passage_lower: str | None) -> list[re.Match[str]]:
        if passage_lower is None or self.starts is None:
            return list(self.pattern.finditer(text, start, end))
        if not self.screen.admits(passage_lower):
            return []
        return self.starts.finditer(self.pattern, text, passage_lower, start, end)


def screened_terms(compiler: TermCompiler, terms: list[str]) -> ScreenedPattern:
    """compile_terms(compiler, terms) with its screens."""
    openings = [opening for term in terms if (opening := compiler.first_words(term)) is not None]
    starts = None
    if terms and len(openings) == len(terms):  # a start screen needs the opening words of every term
        exact = frozenset[str]().union(*(opening[0] for opening in openings))
        ending = frozenset[str]().union(*(opening[1] for opening in openings))
        starts = StartFinder(exact, ending)
    screen = LiteralScreen.of(tuple(compiler.literals(term) for term in terms))
    return ScreenedPattern(compile_terms(compiler, terms), screen, starts)


def case_fold_safe(lowered: str, start: int, end: int) -> bool:
    """True when lowered[start:end] has none of the CASE_FOLD_UNSAFE characters (always so for ASCII)."""
    return _CASE_FOLD_UNSAFE_CHAR.search(lowered, start, end) is None


def compile_terms(compiler: TermCompiler, terms: list[str]) -> re.Pattern[str]:
    return compile_source(compiler.terms(terms) if terms else None)


def lazy_terms(compiler: TermCompiler, term_lists: Sequence[list[str]]) -> LazyPatterns:
    """compile_terms of each list, done when a pattern is first used (the sources are built now, the regexes later)."""
    return LazyPatterns([compiler.terms(terms) if terms else None for terms in term_lists])


def compile_rule(compiler: TermCompiler, rule: Rule) -> CompiledRule:
    """A lexicon rule ready to run: its patterns (compiled on first use), literal screens and requirements."""
    requires = tuple(screened_terms(compiler, [f"{{{name}}}"]) for name in rule.requires)
    return CompiledRule(
        id=rule.id,
        type=rule.type,
        whole=lazy_terms(compiler, [rule.terms]),
        term_patterns=lazy_terms(compiler, [[term] for term in rule.terms]),
        term_literals=tuple(compiler.literals(term) for term in rule.terms),
        screen=LiteralScreen.of(tuple(compiler.literals(term) for term in rule.terms)),
        term_starts=tuple(
            StartFinder(*opening) if (opening := compiler.first_words(term)) is not None else None
            for term in rule.terms
        ),
        requires=requires,
        # A denial requires the claim it denies; the other types' requirements may name who acts (a deployment's
        # force, a rate decision's central bank, the NATO or EU a state leaves, which is also an actor elsewhere).
        objects=requires if rule.type == "denial" else (),
        requires_foreign_location=rule.requires_foreign_location,
        personal=rule.personal,
        jurisdiction=rule.jurisdiction,
        modality=rule.modality,
        confidence=rule.confidence,
        words=compiler.words(rule.terms),
        speaker_acts=rule.speaker_acts,
        force_subject=rule.force_subject,
    )


def read_lexicon(folder: Path) -> Lexicon:
    """Validate every file of one language folder; raises pydantic.ValidationError on any unknown key."""
    sections = {}
    for name in LEXICON_FILES:
        with (folder / f"{name}.json").open(encoding="utf-8") as handle:
            sections[name] = json.load(handle)
    lexicon = Lexicon.model_validate(sections)
    if lexicon.language.code != folder.name:
        raise ValueError(f"{folder}: language.code {lexicon.language.code!r} differs from the folder name")
    return lexicon


def available_languages(root: Path = DEFAULT_ROOT) -> tuple[str, ...]:
    """Languages shipped: every folder under the lexicon root that has a language.json."""
    return tuple(sorted(p.name for p in root.iterdir() if (p / "language.json").is_file()))


def lexicon_fingerprint(root: Path = DEFAULT_ROOT) -> str:
    """Short stable hash of all lexicon files, part of the extractor version."""
    digest = hashlib.sha256()
    for path in sorted(root.glob("*/*.json")):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()[:10]


@cache
def load_lexicon(lang: str, root: Path = DEFAULT_ROOT) -> Lexicon:
    return read_lexicon(root / lang)
