"""The segmenter (streams/extraction/text.py): splitting only around cue hits gives the sentences a full split gives."""

from __future__ import annotations

import re
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from streams.extraction import text as text_module
from streams.extraction.lexicon import load_lexicon
from streams.extraction.text import _CANDIDATE, MAX_SENTENCE_CHARS, Segmenter

# Words and punctuation that exercise every boundary rule: abbreviations, initials, ordinals before months,
# colon lead-ins, closing quotes, lowercase continuations and overlong sentences.
_PIECES = [
    "Die",
    "Bundeswehr",
    "entsendet",
    "Soldaten",
    "nach",
    "Litauen",
    "am",
    "3",
    "Oktober",
    "76",
    "Division",
    "Dr",
    "Müller",
    "sagte",
    "z",
    "B",
    "The",
    "U",
    "S",
    "sent",
    "troops",
    "George",
    "W",
    "Bush",
    "said",
    "it",
    "Reuters",
    "meldet",
    "und",
    "der",
    "x" * 60,
    "iPhone",
    "eBay",
    "McDonald",
    "YouTube",
]
# "" glues two pieces: "troopsReuters" is a headline running into the next sentence, "saidiPhone" is not.
_SEPARATORS = ["", " ", " ", " ", ". ", ".", ": ", "! ", "? ", "… ", '." ', ".» ", "...", ", ", ".) ", "  ", "\u00a0"]


@st.composite
def lines_with_positions(draw):
    parts = draw(st.lists(st.tuples(st.sampled_from(_PIECES), st.sampled_from(_SEPARATORS)), min_size=1, max_size=80))
    line = "".join(word + separator for word, separator in parts)
    if draw(st.booleans()):
        line = line + "y " * (MAX_SENTENCE_CHARS // 2 + 10)  # a sentence long enough to be cut
    prefix = draw(st.sampled_from(["", "Titel\n", "Eins. Zwei\n\n"]))
    text = prefix + line + draw(st.sampled_from(["", "\nNext line.", "\n"]))
    start, end = len(prefix), len(prefix) + len(line)
    non_space = [i for i in range(start, end) if not text[i].isspace()]
    positions = sorted(draw(st.sets(st.sampled_from(non_space), max_size=6))) if non_space else []
    return text, start, end, positions


@pytest.mark.parametrize("lang", ["de", "en"])
@settings(max_examples=300, deadline=None)
@given(case=lines_with_positions())
def test_sentences_near_agrees_with_splitting_the_whole_line(lang: str, case) -> None:
    text, start, end, positions = case
    segmenter = Segmenter(load_lexicon(lang).text)
    full = segmenter.sentences(text, start, end)
    near = segmenter.sentences_near(text, start, end, positions)
    indices = [full.index(sentence) for sentence in near]  # every sentence found is one of the line's, same lead
    assert indices == sorted(set(indices))
    if full:
        assert near[0] == full[0]
    for position in positions:
        holding = [i for i, s in enumerate(full) if s.start <= position < s.end]
        assert holding, "every non-space character lies in a sentence"
        index = holding[0]
        assert index in indices
        successor = indices.index(index) + 1
        # The sentence after a hit sentence is its real successor (read for "..., said X's envoy").
        if index + 1 < len(full):
            assert indices[successor] == index + 1
        else:
            assert successor == len(indices)


def test_colon_lead_in_reaches_back_to_the_sentence_before() -> None:
    segmenter = Segmenter(load_lexicon("de").text)
    text = "Erster Satz. Die Agentur meldet: Russland verlegt Truppen. Dritter Satz. Vierter."
    hit = text.index("verlegt")
    near = segmenter.sentences_near(text, 0, len(text), [hit])
    holding = next(s for s in near if s.start <= hit < s.end)
    assert text[holding.lead_start : holding.end] == "Die Agentur meldet: Russland verlegt Truppen."
    assert [text[s.start : s.end] for s in near] == [
        "Erster Satz.",
        "Russland verlegt Truppen.",
        "Dritter Satz.",
    ]


class _CountedCandidates:
    """The segmenter's candidate regex, counting the candidates it hands out (each one is a boundary decision)."""

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern = pattern
        self.handed_out: list[int] = []

    def finditer(self, text: str, start: int = 0, end: int = sys.maxsize):
        for match in self.pattern.finditer(text, start, end):
            self.handed_out.append(match.start())
            yield match

    def __getattr__(self, name: str):
        return getattr(self.pattern, name)


def test_only_the_text_around_a_hit_is_split(monkeypatch) -> None:
    # The count is taken at the module's candidate regex, not by patching a method of the instance: a compiled
    # build (make compile) has no instance dict and calls its own methods directly, but reads module globals.
    segmenter = Segmenter(load_lexicon("en").text)
    filler = "Nothing happens here. " * 2000
    text = filler + "Russia sent troops to Belarus. The end. " + filler
    counted = _CountedCandidates(text_module._CANDIDATE_OR_GLUED)  # English reads glue points too
    monkeypatch.setattr(text_module, "_CANDIDATE_OR_GLUED", counted)
    assert [text[s.start : s.end] for s in segmenter.sentences(text, 0, 200)][:2] == ["Nothing happens here."] * 2
    assert counted.handed_out, "the count must see the candidates of a split"
    counted.handed_out.clear()
    near = segmenter.sentences_near(text, 0, len(text), [text.index("sent")])
    assert [text[s.start : s.end] for s in near][-2:] == ["Russia sent troops to Belarus.", "The end."]
    assert len(counted.handed_out) < 40  # the first sentence, a step back from the hit and two forward: not 4,000
    assert all(p < 60 or abs(p - text.index("sent")) < 400 for p in counted.handed_out)


_CERTAIN_PIECES = [
    *_PIECES,
    "Mär",
    "bzw",
    "Bzw",
    "U.S",
    "E.U",
    "Sept",
    "İnc",
    "ſept",
    "x2",
    "²²",
    "3",
    "ÄRA",
    "über",
    "Ölpreis",
]
_CERTAIN_SEPARATORS = [*_SEPARATORS, ".\n", ". «", ". „", ". (", ". 3", "?! ", ".. ", ". _", ".\t"]


@pytest.mark.parametrize("lang", ["de", "en"])
@settings(max_examples=400, deadline=None)
@given(parts=st.lists(st.tuples(st.sampled_from(_CERTAIN_PIECES), st.sampled_from(_CERTAIN_SEPARATORS)), max_size=40))
def test_the_one_regex_decision_is_only_taken_where_the_rules_agree(lang: str, parts) -> None:
    segmenter = Segmenter(load_lexicon(lang).text)
    text = "".join(word + separator for word, separator in parts)
    for match in _CANDIDATE.finditer(text):
        if segmenter._certain_boundary.match(text, match.start()):
            assert segmenter._is_boundary_by_rules(text, match), text[max(0, match.start() - 20) : match.end() + 5]


@settings(max_examples=2000, deadline=None)
@given(text=st.text(alphabet='ab .!?…:\n"»)] \t', max_size=16), data=st.data())
def test_candidates_are_the_punctuation_runs_before_whitespace_and_the_line_breaks(text: str, data) -> None:
    plain = re.compile(r"[.!?…:]+[\"'»«“”‘’)\]]*(?=\s)|\n")
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    expected = [m.span() for m in plain.finditer(text, start, end)]
    assert [m.span() for m in _CANDIDATE.finditer(text, start, end)] == expected


def _holding(sentences: list, positions: list[int]) -> list:
    """What the learned stage read of a split before: the distinct sentences that hold a position, in order."""
    out: list = []
    for sentence in sentences:
        if any(sentence.start <= p < sentence.end for p in positions) and (not out or out[-1] != sentence):
            out.append(sentence)
    return out


@pytest.mark.parametrize("lang", ["de", "en"])
@settings(max_examples=300, deadline=None)
@given(case=lines_with_positions(), data=st.data())
def test_hit_sentences_taken_from_another_split_are_the_ones_split_anew(lang: str, case, data) -> None:
    text, _, _, _ = case
    segmenter = Segmenter(load_lexicon(lang).text)
    non_space = [i for i, char in enumerate(text) if not char.isspace()]
    if not non_space:
        return
    rules = sorted(data.draw(st.sets(st.sampled_from(non_space), max_size=6)))
    model = sorted(data.draw(st.sets(st.sampled_from(non_space), min_size=1, max_size=6)))
    wanted = _holding(segmenter.sentences_with_hits(text, model), model)
    assert segmenter.hit_sentences(text, model, segmenter.sentences_with_hits(text, rules)) == wanted
    assert segmenter.hit_sentences(text, model) == wanted
    assert segmenter.hit_sentences(text, model, segmenter.sentences_with_hits(text, model)) == wanted


# The glued headline is not the first sentence: that one is split from the line's start, the others around a hit.
_GLUED = "Talks resume. Fuel prices rise as talks stallBritain to send 300 troops to Estonia. Talks end."


def test_a_link_headline_glued_to_the_next_sentence_ends_there() -> None:
    segmenter = Segmenter(load_lexicon("en").text)
    parts = [_GLUED[s.start : s.end] for s in segmenter.sentences(_GLUED)]
    assert parts == [
        "Talks resume.",
        "Fuel prices rise as talks stall",
        "Britain to send 300 troops to Estonia.",
        "Talks end.",
    ]


def test_a_hit_anywhere_around_a_glued_headline_gets_the_sentence_a_full_split_gives() -> None:
    # The sentence after the headline is longer than one backward step of the search, so that a step starts
    # reading inside the glued word from some hit positions.
    segmenter = Segmenter(load_lexicon("en").text)
    text = _GLUED.replace(" troops", " more" * 70 + " troops")
    full = segmenter.sentences(text)
    assert len(full) == 4
    for position in (p for p, char in enumerate(text) if not char.isspace()):
        near = segmenter.sentences_near(text, 0, len(text), [position])
        holding = next(s for s in full if s.start <= position < s.end)
        assert holding in near and all(s in full for s in near), position


@pytest.mark.parametrize(
    "text",
    [
        "McDonald and YouTube said the iPhone and eBay deals were off.",
        "Governor DeSantis met LeBron James and General MacArthur's heirs.",
        "Sales of the PlayStation rose, WhatsApp and TikTok said.",
        "Follow @bbcWorld, #refugeesWelcome and www.example.org/newsUpdates for more.",
        "A pro-government anti-warProtest is no headline.",
    ],
)
def test_camel_case_names_handles_and_addresses_stay_whole(text: str) -> None:
    assert len(Segmenter(load_lexicon("en").text).sentences(text)) == 1


def test_german_does_not_read_glued_headlines() -> None:
    text = "Die Preise steigen weiterBerlin schickt Soldaten nach Litauen."
    assert len(Segmenter(load_lexicon("de").text).sentences(text)) == 1


@settings(max_examples=2000, deadline=None)
@given(text=st.text(alphabet="abAB .:\n@-", max_size=16), data=st.data())
def test_the_english_candidates_are_the_plain_ones_and_the_capitals_of_glue_points(text: str, data) -> None:
    glue = re.compile(r"(?<=[a-z]{3})[A-Z](?=[a-z])")
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    expected = sorted(
        [m.span() for m in _CANDIDATE.finditer(text, start, end)] + [m.span() for m in glue.finditer(text, start, end)]
    )
    assert [m.span() for m in text_module._CANDIDATE_OR_GLUED.finditer(text, start, end)] == expected


def test_a_glued_word_longer_than_any_english_word_is_no_headline_end() -> None:
    # The look back from a glue point is bounded (linear splitting of hostile text): a run of lowercase letters that
    # long is no word, so the capital after it starts no sentence.
    segmenter = Segmenter(load_lexicon("en").text)
    assert len(segmenter.sentences("It was " + "a" * 40 + "Britain that sent troops.")) == 1
    assert len(segmenter.sentences("It was " + "a" * 20 + "Britain that sent troops.")) == 2


@pytest.mark.parametrize("lang", ["de", "en"])
@settings(max_examples=300, deadline=None)
@given(cases=st.lists(lines_with_positions(), min_size=1, max_size=3), data=st.data())
def test_a_sentence_left_to_later_is_the_one_split_at_once(lang: str, cases, data) -> None:
    # The rules split the sentence after a hit sentence only when a cue reads it; it must be the one split at once.
    text = "\n".join(case[0] for case in cases)
    segmenter = Segmenter(load_lexicon(lang).text)
    non_space = [i for i, char in enumerate(text) if not char.isspace()]
    if not non_space:
        return
    positions = sorted(data.draw(st.sets(st.sampled_from(non_space), min_size=1, max_size=8)))
    at_once = segmenter.sentences_with_hits(text, positions)
    later: dict = {}
    lazily = segmenter.sentences_with_hits(text, positions, later)
    assert _holding(lazily, positions) == _holding(at_once, positions)
    assert all(sentence in at_once for sentence in lazily)
    for index, sentence in enumerate(lazily):
        if any(sentence.start <= p < sentence.end for p in positions):
            after = at_once.index(sentence) + 1
            expected = at_once[after] if after < len(at_once) else None
            assert segmenter.sentence_after(text, lazily, index, later) == expected, (text, sentence)


def test_the_sentence_after_a_hit_sentence_is_not_split_until_it_is_asked_for() -> None:
    segmenter = Segmenter(load_lexicon("en").text)
    text = "Troops were sent. The ministry denied it. Talks went on.\nA new line."
    later: dict = {}
    lazily = segmenter.sentences_with_hits(text, [0], later)
    assert [text[s.start : s.end] for s in lazily] == ["Troops were sent."]
    after = segmenter.sentence_after(text, lazily, 0, later)
    assert after is not None and text[after.start : after.end] == "The ministry denied it."
    assert segmenter.sentences_with_hits(text, [0])[1] == after
