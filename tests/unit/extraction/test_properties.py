"""Property tests: any Unicode input is handled, offsets slice exactly, output is deterministic."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from schemas import Article
from streams.extraction import extract

# Cue-rich fragments mixed into random text so that the interesting code paths actually run.
FRAGMENTS = [
    "Russland hat 3.000 Soldaten nach Belarus verlegt.",
    "Nordkorea bestritt die Berichte.",
    "Russia sent at least 500 troops to Kursk, officials said.",
    "Moscow denied the reports.",
    "The EU lifted sanctions.",
    "Seoul könnte seine Haltung ändern.",
    "\u200b",
    "\u202e",
    "\x00",
    "\n\n",
    "  ",
    "Nr. 5.",
    "U.S. troops",
    "נורה",
    "مرحبا",
    "3.",
    ":",
    "„",
    "“",
    "İ",
    "ß",
]
texts = st.lists(st.one_of(st.text(min_size=1, max_size=80), st.sampled_from(FRAGMENTS)), min_size=1, max_size=12).map(
    "".join
)
langs = st.sampled_from(["de", "en", None])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=texts, lang=langs)
def test_never_raises_slices_exactly_and_is_deterministic(text: str, lang: str | None) -> None:
    article = Article(id="prop", text=text, lang=lang)
    first = extract(article)
    assert first == extract(article)
    for event in first.events:
        for evidence in (event.evidence, *(m.evidence for m in event.mentions)):
            assert text[evidence.start : evidence.end] == evidence.text
            assert evidence.text.strip() == evidence.text and evidence.text
        assert 0.0 <= event.confidence <= 1.0
