"""The lexicon's compiled screens (literals, start finders, case folding) never skip a cue regex that would match."""

from __future__ import annotations

import json
import re
import sys

import pytest
from support.labelled_sets import SETS_DIR

from schemas import Article
from streams.extraction import _default_extractor
from streams.extraction.lexicon import (
    CASE_FOLD_UNSAFE,
    TermCompiler,
    case_fold_safe,
    learned_disqualifiers,
    load_lexicon,
)

_ALL_CHARACTERS = "".join(chr(code) for code in range(sys.maxunicode + 1) if not 0xD800 <= code <= 0xDFFF)


def _lowered(char: str) -> str:
    """A character as the extractor's same-length lowercasing leaves it."""
    lowered = char.lower()
    return lowered if len(lowered) == 1 else char


def test_unsafe_characters_are_re_s_extra_case_equivalences() -> None:
    casefix = pytest.importorskip("re._casefix")
    members = {chr(code) for key, values in casefix._EXTRA_CASES.items() for code in (key, *values)}
    assert set(CASE_FOLD_UNSAFE) == {char for char in members if not char.isascii()} | {"\u0130"}


def test_a_whole_text_and_a_passage_are_checked_alike_for_unsafe_characters() -> None:
    # A whole text is checked by substring searches, a passage by a character class (speed, session 19).
    for char in CASE_FOLD_UNSAFE:
        text = f"die „Truppen“ ziehen ab {char} und kehren zurück"
        at = text.index(char)
        assert not case_fold_safe(text, 0, len(text)), char
        assert not case_fold_safe(text, at, at + 1) and not case_fold_safe(text, 1, len(text)), char
        assert case_fold_safe(text, 0, at) and case_fold_safe(text, at + 1, len(text)), char
    assert case_fold_safe("die „Truppen“ ziehen ab", 0, 23) and case_fold_safe("", 0, 0)


@pytest.mark.parametrize("lang", ["de", "en"])
def test_a_case_insensitive_match_of_a_literal_lowercases_to_it_unless_unsafe(lang: str) -> None:
    engine = _default_extractor().engine(lang)
    alphabet = {char for rule in engine.rules for literals in rule.term_literals for word in literals for char in word}
    assert alphabet
    for char in sorted(alphabet):
        for match in re.finditer(re.escape(char), _ALL_CHARACTERS, re.IGNORECASE):
            lowered = _lowered(match.group(0))
            assert lowered == char or not case_fold_safe(lowered, 0, 1), (char, match.group(0))


@pytest.mark.parametrize("lang", ["de", "en"])
def test_every_term_match_contains_the_term_s_literals(lang: str) -> None:
    engine = _default_extractor().engine(lang)
    samples = {
        "de": "Die Regierung setzt die Militärhilfe aus und stellt die Gespräche ein; sie weist die Berichte zurück.",
        "en": "The government halted all aid, rejected the reports as false and sent 3,000 troops; "
        "it reversed its policy.",
    }[lang]
    checked = 0
    for rule in engine.rules:
        for pattern, literals in zip(rule.term_patterns, rule.term_literals, strict=True):
            for match in pattern.finditer(samples):
                checked += 1
                assert all(literal in match.group(0).lower() for literal in literals), (rule.id, match.group(0))
    assert checked >= 4


def test_literals_leave_out_wildcards_classes_and_gaps() -> None:
    engine = _default_extractor().engine("de")
    compiler = engine._compiler
    assert compiler.literals("stell* ... {AID_OBJ} ... ein") == ("stell", "ein")
    assert compiler.literals("*Soldaten") == ("soldaten",)
    assert compiler.literals("{FORCE}") == ()
    assert compiler.literals("ſtop") == ()  # its lowercasing is no plain case fold: never required


def _labelled_texts(lang: str) -> list[str]:
    root = SETS_DIR / "golden" / lang
    return [
        json.loads(line)["text"]
        for path in sorted(root.glob("*.jsonl"))
        for line in path.read_text().splitlines()
        if line.strip()
    ]


@pytest.mark.parametrize("lang", ["de", "en"])
def test_a_rule_pattern_matches_only_where_one_of_its_terms_has_all_its_literals(lang: str) -> None:
    engine = _default_extractor().engine(lang)
    matched = 0
    for text in _labelled_texts(lang):
        lowered = text.lower()
        for rule in engine.rules:
            for match in rule.pattern.finditer(text):
                matched += 1
                window = lowered[match.start() : match.end()]
                assert any(all(literal in window for literal in literals) for literals in rule.term_literals), (
                    match.group(0)
                )
    assert matched > 50


@pytest.mark.parametrize("lang", ["de", "en"])
def test_organisations_by_form_are_only_looked_for_where_a_head_noun_or_acronym_stands(lang: str) -> None:
    generic = _default_extractor().engine(lang).gazetteer._generic
    found = 0
    for text in _labelled_texts(lang):
        for match in generic._pattern.finditer(text):
            found += 1
            assert generic._may_occur(text, match.start(), match.end()), match.group(0)
    assert found > 5


def test_a_literal_screen_admits_a_passage_where_one_term_has_all_its_literals() -> None:
    from streams.extraction.screens import LiteralScreen

    screen = LiteralScreen.of((("stell", "ein"), ("aussetzen",)))
    assert screen.admits("sie stellen die hilfe ein")
    assert screen.admits("sie wollen aussetzen")
    assert not screen.admits("sie stellen die hilfe bereit")  # 'ein' missing, 'aussetzen' missing
    assert LiteralScreen.of(((), ("x",))).admits("nothing here")  # a term without literals may match anywhere
    assert not LiteralScreen.of(()).admits("a rule without terms matches nothing")


def test_a_literal_screen_of_many_words_answers_as_one_of_few() -> None:
    from streams.extraction.literals import MIN_WORDS_FOR_AUTOMATON
    from streams.extraction.screens import LiteralScreen

    # Overlapping words ("send" in "resend", "sen" in "send"), a key that is also a single word, several terms a key.
    terms = (("resend",), ("sen",), ("truppen", "ein"), ("truppen", "aus"), ("stell", "hilfe", "ein"), ("ein", "x"))
    terms += tuple((f"wort{n}",) for n in range(MIN_WORDS_FOR_AUTOMATON))
    many = LiteralScreen.of(terms)
    assert many.finder is not None
    passages = [
        "sie senden",
        "truppen ein",
        "truppen raus",
        "stellen die hilfe ein",
        "stellen ein",
        "wort3",
        "",
        "x ein",
    ]
    for passage in passages:
        expected = any(all(word in passage for word in literals) for literals in terms)
        assert many.admits(passage) == expected, passage
    few = LiteralScreen.of(terms[:6])
    assert few.finder is None
    assert [few.admits(p) for p in passages] == [any(all(w in p for w in t) for t in terms[:6]) for p in passages]


def test_literal_words_are_found_where_they_overlap() -> None:
    from streams.extraction.literals import LiteralWords

    words = LiteralWords(["unit", "units", "nit", "ü"])
    assert sorted(words.occurrences("units über")) == [(0, 0, 4), (1, 0, 5), (2, 1, 4), (3, 6, 7)]
    assert words.any_in("a unit") and not words.any_in("none here")
    assert not LiteralWords([]).any_in("anything") and LiteralWords([]).occurrences("anything") == []
    with pytest.raises(ValueError):
        LiteralWords(["", "x"])
    with pytest.raises(ValueError):
        LiteralWords(["x", "x"])


@pytest.mark.parametrize("lang", ["de", "en"])
def test_the_compact_first_pass_finds_what_the_dfa_finds_in_the_same_order(lang: str) -> None:
    """The first pass reads each article with a contiguous NFA (LiteralWords(compact=True), cheaper in the worker's
    cold caches): the same overlapping matches in the same order as the DFA, which AnchorScanner.hits and
    word_openings read in that order."""
    from streams.extraction.literals import LiteralWords
    from streams.extraction.text import lower_same_length

    reader = _default_extractor().reader(lang)
    assert reader is not None
    words = list(reader.first_pass._words.words)
    compact, dfa = LiteralWords(words, compact=True), LiteralWords(words)
    texts = [lower_same_length(text) for text in _labelled_texts(lang)]
    texts += [" ".join(words[:200]), "".join(words[:50]), "", "ß ü \u0130 " + words[0] * 3]
    found = 0
    for text in texts:
        assert compact.occurrences(text) == dfa.occurrences(text)
        assert compact.any_in(text) == dfa.any_in(text)
        found += len(dfa.occurrences(text))
    assert found > 1000  # the texts meet the automaton's words many times


def test_many_opening_words_that_overlap_are_all_tried() -> None:
    from streams.extraction.literals import MIN_WORDS_FOR_AUTOMATON
    from streams.extraction.screens import StartFinder

    fillers = frozenset(f"q{n}z" for n in range(MIN_WORDS_FOR_AUTOMATON))
    finder = StartFinder(frozenset({"aab", "ab", "xy"}) | fillers, frozenset({"xy"}))
    assert finder._words is not None  # the automaton, not the regex prefix tree
    pattern = re.compile(r"ab|\w*xy|xy\w*", re.IGNORECASE)
    text = "AAB zzxy ab xyz"
    got = [m.span() for m in finder.finditer(pattern, text, text.lower(), 0, len(text))]
    assert got == [m.span() for m in pattern.finditer(text)] == [(1, 3), (4, 8), (9, 11), (12, 14)]


@pytest.mark.parametrize("lang", ["de", "en"])
def test_trying_a_term_only_where_it_may_begin_finds_what_finditer_finds(lang: str) -> None:
    import random

    from streams.extraction.text import lower_same_length

    engine = _default_extractor().engine(lang)
    texts = _labelled_texts(lang)
    texts += [t.upper() for t in texts[:40]] + [t.replace(" ", "_", 4) for t in texts[:40]]
    texts += ["US-Bodentruppen und Kampfjets: Truppen_verlegt, UNITS units unit's Air-defence systems-troops"]
    chooser = random.Random(5)
    compared = 0
    for text in texts:
        lowered = lower_same_length(text)
        if not case_fold_safe(lowered, 0, len(lowered)):
            continue
        spans = [(0, len(text))] + [tuple(sorted(chooser.sample(range(len(text) + 1), 2))) for _ in range(3)]
        for rule in engine.rules:
            for pattern, starts in zip(rule.term_patterns, rule.term_starts, strict=True):
                if starts is None:
                    continue
                for start, end in spans:
                    expected = [m.span() for m in pattern.finditer(text, start, end)]
                    got = [m.span() for m in starts.finditer(pattern, text, lowered[start:end], start, end)]
                    assert got == expected, (rule.id, pattern.pattern[:60], text[start:end])
                    compared += len(expected)
    assert compared > 100


@pytest.mark.parametrize("lang", ["de", "en"])
def test_a_denial_rule_s_cues_are_what_its_pattern_finds(lang: str) -> None:
    import random

    from streams.extraction.text import lower_same_length

    denials = [rule for rule in _default_extractor().engine(lang).rules if rule.type == "denial"]
    assert denials and all(rule.starts is not None for rule in denials)  # tried only where a term may begin
    chooser = random.Random(7)
    compared = 0
    for text in _labelled_texts(lang) + ["Das ist FREI ERFUNDEN, sagte er; US-Propaganda_seien Lügen. Lies! denied"]:
        lowered = lower_same_length(text)
        safe = case_fold_safe(lowered, 0, len(lowered))
        for start, end in [(0, len(text))] + [tuple(sorted(chooser.sample(range(len(text) + 1), 2))) for _ in range(3)]:
            for rule in denials:
                expected = [m.span() for m in rule.pattern.finditer(text, start, end)]
                assert [m.span() for m in rule.cues(text, start, end, None)] == expected
                if safe:
                    assert [m.span() for m in rule.cues(text, start, end, lowered[start:end])] == expected, rule.id
                compared += len(expected)
    assert compared > 50


def test_opening_words_that_overlap_are_all_tried() -> None:
    from streams.extraction.screens import StartFinder

    finder = StartFinder(frozenset({"aab", "ab"}), frozenset({"xy"}))
    pattern = re.compile(r"ab|\w*xy", re.IGNORECASE)
    text = "AAB zzxy ab"
    got = [m.span() for m in finder.finditer(pattern, text, text.lower(), 0, len(text))]
    assert got == [m.span() for m in pattern.finditer(text)] == [(1, 3), (4, 8), (9, 11)]


@pytest.mark.parametrize("lang", ["de", "en"])
def test_screened_patterns_search_and_iterate_as_their_regex_does(lang: str) -> None:
    import random

    from streams.extraction.text import lower_same_length

    engine = _default_extractor().engine(lang)
    scope = engine.scope
    screened = [engine.vocabulary.force_screened, scope.historical, scope.demands, *scope.disqualifiers.values()]
    screened += [requirement for rule in engine.rules for requirement in rule.requires]
    chooser = random.Random(11)
    found = 0
    ruled_out = 0  # searches that may_match spares (the engine skips a rule whose requirement it rules out)
    for text in _labelled_texts(lang):
        lowered = lower_same_length(text)
        if not case_fold_safe(lowered, 0, len(lowered)):
            continue
        for start, end in [(0, len(text))] + [tuple(sorted(chooser.sample(range(len(text) + 1), 2))) for _ in range(3)]:
            view = lowered[start:end]
            for item in screened:
                expected = item.pattern.search(text, start, end)
                got = item.search(text, start, end, view)
                assert (got and got.span()) == (expected and expected.span()), (
                    item.pattern.pattern[:60],
                    text[start:end],
                )
                assert [m.span() for m in item.finditer(text, start, end, view)] == [
                    m.span() for m in item.pattern.finditer(text, start, end)
                ]
                found += expected is not None
                if not item.may_match(view):
                    assert expected is None, (item.pattern.pattern[:60], text[start:end])
                    ruled_out += 1
    assert found > 50
    assert ruled_out > 50


def test_lowercasing_keeps_which_characters_are_word_characters() -> None:
    # StartFinder and the anchor scan read word boundaries off the lowercased text; the regexes read the original.
    word = re.compile(r"\w")
    for char in _ALL_CHARACTERS:
        lowered = _lowered(char)
        assert bool(word.match(char)) == (lowered.isalnum() or lowered == "_"), char


def test_rule_regexes_compile_on_first_use_and_prepare_compiles_them_all() -> None:
    from streams.extraction import Extractor

    extractor = Extractor(model_root=None)
    engine = extractor.engine("de")
    compiled = lambda: sum(p is not None for r in engine.rules for p in r.term_patterns._compiled)  # noqa: E731
    assert compiled() == 0  # building an engine compiles no rule regex: a one-article command starts fast
    extractor.extract(Article(id="a", text="Russland hat Soldaten nach Belarus verlegt.", lang="de"))
    used = compiled()
    assert 0 < used < sum(len(r.term_patterns) for r in engine.rules)
    extractor.prepare()  # a worker's start-up: everything now, nothing left for the first articles
    assert compiled() == sum(len(r.term_patterns) for r in engine.rules)
    assert all(r.whole._compiled[0] is not None for r in engine.rules)


def test_a_learned_disqualifier_exception_must_name_a_deployment_disqualifier() -> None:
    # markers.json clauses.learned_disqualifier_exceptions is matched as an exact cues.json term: a typo, or a
    # disqualifier edited since ('killed' -> 'kill*'), would silently keep the word for learned proposals too.
    lexicon = load_lexicon("en")
    compiler = TermCompiler(lexicon.cues.classes)
    assert "killed" in lexicon.markers.clauses.learned_disqualifier_exceptions
    learned = learned_disqualifiers(lexicon, compiler, {})
    assert learned["deployment"].pattern.search("troops killed two men") is None
    clauses = lexicon.markers.clauses.model_copy(update={"learned_disqualifier_exceptions": ["kiled"]})
    typo = lexicon.model_copy(update={"markers": lexicon.markers.model_copy(update={"clauses": clauses})})
    with pytest.raises(ValueError, match="kiled"):
        learned_disqualifiers(typo, compiler, {})
