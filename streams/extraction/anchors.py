"""The extractor's first pass: each cue term anchored on its rarest required word, all found in one scan."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from operator import itemgetter

from .lexicon import CLASS_REF, CompiledRule
from .literals import LiteralWords

# Occurrences per million characters assumed for an anchor token the language's counts lack, by its length in letters
# (index; the last entry for five and more): short words ("als", "in") are common, long ones mostly rare.
_UNCOUNTED_ANCHOR_COST = (1000.0, 1000.0, 1000.0, 300.0, 50.0, 5.0)
# A bound on the memoised sets of terms (a process meets a few thousand; this only stops a pathological feed).
_MAX_CACHED_TERM_SETS = 50_000

# Per (rule, term) of a sentence's hits, in order: (rule index, term index, the term's literal words).
OrderedTerms = tuple[tuple[int, int, tuple[str, ...]], ...]


class AnchorChooser:
    """Which literal tokens a term's matches must contain, chosen to propose as few places as possible."""

    def __init__(self, classes: dict[str, list[str]], anchor_counts: Mapping[str, float]):
        self._classes = classes
        self._counts = {token.lower(): count for token, count in anchor_counts.items()}
        self._class_cache: dict[str, tuple[list[str], float]] = {}

    def anchors(self, term: str) -> list[str]:
        """Literal tokens of which a match of the term must contain one: its rarest literal token, or the anchors of
        one of its classes when these are rarer together ("als {FALSEHOOD}" -> the falsehood words). Rarity comes
        from the language's anchor counts (anchors.json), else from length; the choice changes only how many places
        the first pass proposes, never what matches."""
        return self._cheapest(term)[0]

    def _cheapest(self, term: str) -> tuple[list[str], float]:
        options: list[tuple[list[str], float]] = []
        for token in term.split(" "):
            if token == "...":
                continue
            ref = CLASS_REF.match(token)
            options.append(self._class_anchors(ref.group(1)) if ref else ([token], self._token_cost(token)))
        return min(options, key=itemgetter(1))  # the first of equals: the term's own order decides ties

    def _class_anchors(self, name: str) -> tuple[list[str], float]:
        if name not in self._class_cache:
            anchors: list[str] = []
            cost = 0.0
            for member in self._classes[name]:
                member_anchors, member_cost = self._cheapest(member)
                anchors.extend(member_anchors)
                cost += member_cost
            self._class_cache[name] = (anchors, cost)
        return self._class_cache[name]

    def _token_cost(self, token: str) -> float:
        counted = self._counts.get(token.lower())
        if counted is not None:
            return counted
        return _UNCOUNTED_ANCHOR_COST[min(len(token.strip("*")), len(_UNCOUNTED_ANCHOR_COST) - 1)]


class AnchorScanner:
    """The cheap first pass over a whole (lowercased) article: where may which rules match?

    An Aho-Corasick automaton over the rules' anchor words finds every anchor in one linear pass
    (several times faster than a regex alternation); word boundaries are checked per hit.
    Most articles have no hit and stop here.
    """

    def __init__(self, chooser: AnchorChooser, rule_terms: list[list[str]]):
        variants: dict[str, dict[tuple[bool, bool], set[tuple[int, int]]]] = {}
        for rule_index, terms in enumerate(rule_terms):
            for term_index, term in enumerate(terms):
                for anchor in chooser.anchors(term):
                    stem = anchor.strip("*").lower()
                    bounds = (not anchor.startswith("*"), not anchor.endswith("*"))
                    variants.setdefault(stem, {}).setdefault(bounds, set()).add((rule_index, term_index))
        stems = [stem for stem in variants if stem]  # an empty anchor ("*") marks no place
        self.stems = stems
        # Per stem (by its index in the automaton): its word-boundary variants, each with the terms anchored there.
        self._variants = [
            tuple((left, right, frozenset(rules)) for (left, right), rules in sorted(variants[stem].items()))
            for stem in stems
        ]
        # An Aho-Corasick automaton: about three times faster per character than pyahocorasick's trie walk (measured
        # on the end-to-end workload, 3.6 against 11.5 µs per article), and the scan reads every character of every
        # article; compact, as it reads whole articles between the rest of the extraction (see LiteralWords).
        self._stems = LiteralWords(stems, compact=True)

    def scan(self, lowered: str) -> list[tuple[int, frozenset[tuple[int, int]]]]:
        """(start offset, (rule index, term index) pairs that may match there), in text order."""
        return self.hits(self._stems.occurrences(lowered), lowered)

    def hits(self, matches: list[tuple[int, int, int]], lowered: str) -> list[tuple[int, frozenset[tuple[int, int]]]]:
        """scan's answer from an automaton's (word index, start, end) matches over lowered, overlapping ones included,
        whose words are the stems (by index) followed by any others, which mark no place (see proposals.FirstPass)."""
        # Padded with a non-word character on both sides, so the characters around a hit need no bounds checks.
        padded = f" {lowered} "
        hits: list[tuple[int, frozenset[tuple[int, int]]]] = []
        append = hits.append
        all_variants = self._variants
        stem_count = len(all_variants)
        # Every occurrence of every stem, overlapping ones included ("unit" in "units", "use" in "used").
        for stem_index, start, end in matches:
            if stem_index >= stem_count:
                continue
            before = padded[start]  # = lowered[start - 1]
            after = padded[end + 1]  # = lowered[end]
            before_is_word = before.isalnum() or before == "_"
            after_is_word = after.isalnum() or after == "_"
            for left, right, rules in all_variants[stem_index]:
                if (left and before_is_word) or (right and after_is_word):
                    continue
                append((start, rules))
        hits.sort(key=itemgetter(0))
        return hits


def any_term_whole(
    hits: list[tuple[int, frozenset[tuple[int, int]]]], lowered: str, rules: Sequence[CompiledRule]
) -> bool:
    """Whether a term of some hit has all its literal words (rules[rule].term_literals[term]) somewhere in the case-fold
    safe lowercased article. When none has, LanguageEngine.analyse's per-sentence check drops every term of every
    sentence, so it stops before splitting (an anchor is only a term's rarest word: in a quarter of the articles
    with hits of the end-to-end workload no term is whole)."""
    contains = lowered.__contains__
    seen: set[frozenset[tuple[int, int]]] = set()  # hits at the same anchor share their set of terms
    for _, terms in hits:
        if terms in seen:
            continue
        seen.add(terms)
        for rule_index, term_index in terms:
            if all(map(contains, rules[rule_index].term_literals[term_index])):
                return True
    return False


class TermOrder:
    """The (rule, term) pairs of a sentence's hits sorted, each with its term's literal words, memoised: an article's
    hits share a few dozen sets of terms (the scanner's own, shared objects), each sorted once per process."""

    def __init__(self, rules: Sequence[CompiledRule]):
        self._rules = rules
        self._of_set: dict[frozenset[tuple[int, int]], OrderedTerms] = {}
        self._of_sets: dict[tuple[frozenset[tuple[int, int]], ...], OrderedTerms] = {}

    def of(self, terms: frozenset[tuple[int, int]]) -> OrderedTerms:
        ordered = self._of_set.get(terms)
        if ordered is None:
            ordered = tuple((r, t, self._rules[r].term_literals[t]) for r, t in sorted(terms))
            if len(self._of_set) < _MAX_CACHED_TERM_SETS:
                self._of_set[terms] = ordered
        return ordered

    def of_union(self, term_sets: tuple[frozenset[tuple[int, int]], ...]) -> OrderedTerms:
        """of() the union of several hits' sets, memoised per tuple of the sets themselves: a sentence with several
        hits then builds no union (a new set per hit, hashed anew) once its combination has been seen."""
        ordered = self._of_sets.get(term_sets)
        if ordered is None:
            ordered = self.of(frozenset().union(*term_sets))
            if len(self._of_sets) < _MAX_CACHED_TERM_SETS:
                self._of_sets[term_sets] = ordered
        return ordered
