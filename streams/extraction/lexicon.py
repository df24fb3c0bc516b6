"""Load lexicons/<lang>/*.json, validate them with the strict schema and compile them into regexes."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .lexicon_schema import LEXICON_FILES, Lexicon, Rule
from .regexes import LazyPatterns, compile_source, trie_regex
from .screens import LiteralScreen, ScreenedPattern, StartFinder

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
_CASE_FOLD_UNSAFE_CHARS = tuple(CASE_FOLD_UNSAFE)


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
    starts: StartFinder | None  # the same for the rule's pattern as a whole (None: anywhere)
    requires: tuple[ScreenedPattern, ...]
    requires_foreign_location: bool
    modality: str | None
    confidence: float
    words: frozenset[str] = frozenset()  # every literal word its terms spell out, classes expanded
    personal: bool = False  # its actor is a person even where a list codes them with their state
    jurisdiction: bool = False  # with no agent named, the state or body after a location preposition acts
    dispatch: bool = False  # forces sent or posted: a defender reinforcing as often as an invader (no occupier)
    institutional: bool = False  # a state, organ or organisation acts: a person the lists give no state does not
    speaker_acts: bool = False
    claim_before: bool = False  # a bare reply ("Die Polizei widersprach."): its claim may stand in the sentence before
    force_subject: bool = False  # a force must stand before the cue (what the force itself does)
    exits: bool = False  # the cue leaves a body: an organisation named from the cue on is left, it does not leave
    opening_subject: bool = False  # the cue follows the sentence's opening name at once (a headline's participle)
    learned: bool = False  # a learned proposal's rule (proposals.py): its own actor model reads what rules cannot
    # Words that name what the cue acts on (a denial's required claim nouns; a learned proposal keeps those of its
    # type's rules): capitalised, they are its object ("Vorwürfe zurückgewiesen"), not who acts.
    objects: tuple[ScreenedPattern, ...] = ()

    @property
    def pattern(self) -> re.Pattern[str]:
        """All the rule's terms in one regex."""
        return self.whole[0]

    def requirement_ruled_out(self, sentence_lower: str, lead_in: bool) -> bool:
        """Whether the screens of a requirement show it met nowhere in the (case-fold safe) lowercased sentence; lead_in:
        the sentence has a colon lead-in. Scope.rejects then rejects every cue of the rule at its first check, since
        the span it searches lies in the sentence (the cue's clause context; a denial's, with no lead-in), so the
        engine does not search the rule's terms: on the end-to-end workload four in ten rules with a hit term in a
        sentence are spared (extraction -5 % in instructions)."""
        if not self.requires or self.claim_before or (self.type == "denial" and lead_in):
            return False
        return not all(requirement.may_match(sentence_lower) for requirement in self.requires)

    def cues(self, text: str, start: int, end: int, passage_lower: str | None) -> list[re.Match[str]]:
        """pattern.finditer(text, start, end) as a list; passage_lower, text[start:end] lowercased where that is
        case-fold safe (else None), lets the regex be tried only where a term may begin (see StartFinder): a denial
        rule's pattern, tried at every character, was the costliest single regex of a German article."""
        if passage_lower is None or self.starts is None:
            return list(self.pattern.finditer(text, start, end))
        return self.starts.finditer(self.pattern, text, passage_lower, start, end)


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


def start_finder(compiler: TermCompiler, terms: list[str]) -> StartFinder | None:
    """Where a match of the terms' joint pattern may begin, or None when that cannot be known."""
    openings = [opening for term in terms if (opening := compiler.first_words(term)) is not None]
    if not terms or len(openings) != len(terms):  # a start screen needs the opening words of every term
        return None
    exact = frozenset[str]().union(*(opening[0] for opening in openings))
    ending = frozenset[str]().union(*(opening[1] for opening in openings))
    return StartFinder(exact, ending)


def screened_terms(compiler: TermCompiler, terms: list[str]) -> ScreenedPattern:
    """compile_terms(compiler, terms) with its screens."""
    screen = LiteralScreen.of(tuple(compiler.literals(term) for term in terms))
    return ScreenedPattern(compile_terms(compiler, terms), screen, start_finder(compiler, terms))


def learned_disqualifiers(
    lexicon: Lexicon, compiler: TermCompiler, disqualifiers: dict[str, ScreenedPattern]
) -> dict[str, ScreenedPattern]:
    """The disqualifiers that drop a learned-stage proposal: those of every type, except that the deployment ones
    lose markers.json's clauses.learned_disqualifier_exceptions (deployment-only: a casualty word such as "killed"
    drops a lexicon cue, while a learned proposal stands on an anchor word that names the move). An exception that
    is no deployment disqualifier of cues.json (a typo, or a disqualifier edited since) fails here, at load."""
    exceptions = lexicon.markers.clauses.learned_disqualifier_exceptions
    if not exceptions:
        return disqualifiers
    deployment = lexicon.cues.disqualifiers.get("deployment", [])
    if unknown := sorted(set(exceptions) - set(deployment)):
        raise ValueError(f"learned_disqualifier_exceptions name no deployment disqualifier of cues.json: {unknown}")
    kept = [term for term in deployment if term not in exceptions]
    return {**disqualifiers, "deployment": screened_terms(compiler, kept)}


def case_fold_safe(lowered: str, start: int, end: int) -> bool:
    """True when lowered[start:end] has none of the CASE_FOLD_UNSAFE characters (always so for ASCII)."""
    if start == 0 and end == len(lowered):
        # A whole article: one substring search per character (in C) takes two thirds of the character class's time
        # over a German article (5.6 against 8.1 µs; the class is tried at every character); a sentence, the class.
        return not any(map(lowered.__contains__, _CASE_FOLD_UNSAFE_CHARS))
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
        # Only a denial rule's pattern is searched whole over a sentence (Scope.denies, DeniedContent.holds); the
        # engine runs each rule's terms one by one.
        starts=start_finder(compiler, rule.terms) if rule.type == "denial" else None,
        requires=requires,
        # A denial requires the claim it denies; the other types' requirements may name who acts (a deployment's
        # force, a rate decision's central bank, the NATO or EU a state leaves, which is also an actor elsewhere).
        objects=requires if rule.type == "denial" else (),
        requires_foreign_location=rule.requires_foreign_location,
        personal=rule.personal,
        jurisdiction=rule.jurisdiction,
        dispatch=rule.dispatch,
        institutional=rule.institutional,
        modality=rule.modality,
        confidence=rule.confidence,
        words=compiler.words(rule.terms),
        speaker_acts=rule.speaker_acts,
        claim_before=rule.claim_before,
        force_subject=rule.force_subject,
        exits=rule.exits,
        opening_subject=rule.opening_subject,
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
