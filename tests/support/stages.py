"""One helper for the stage unit tests: a cue sentence read up to the stages' inputs (CueContext, SentenceReading)."""

from __future__ import annotations

from streams.extraction import _default_extractor
from streams.extraction.context import CueContext, DominantState, SentenceReading, clause_of
from streams.extraction.engine import LanguageEngine
from streams.extraction.text import Sentence


def engine(lang: str) -> LanguageEngine:
    return _default_extractor().engine(lang)


def cue_context(
    sentence: str, lang: str, kind: str, before: str = "", after: str = "", at: str | None = None
) -> CueContext:
    """The first cue of a `kind` rule in `sentence` (the first one starting where `at` first stands, if given), the
    sentence standing between the article texts `before` and `after` (a bare organ's dominant state is counted
    there, a denial's speaker may be named after it)."""
    compiled = engine(lang)
    text = before + sentence + after
    span = Sentence(len(before), len(before) + len(sentence), len(before))
    clauses = compiled.segmenter.clauses(text, span.start, span.end)
    matches = sorted(
        (match.start(), index, rule, match)
        for index, rule in enumerate(compiled.rules)
        if rule.type == kind
        for match in rule.pattern.finditer(text, span.start, span.end)
        if at is None or match.start() == text.index(at, span.start)
    )
    assert matches, f"no {kind} cue in {sentence!r}"
    _, _, rule, match = matches[0]
    index = clause_of(clauses, match.start())
    start, end = compiled._context(text, clauses, index)
    return CueContext(
        text=text, rule=rule, cue=match, sentence=span, clauses=clauses, clause_index=index, start=start, end=end
    )


def reading(ctx: CueContext, lang: str) -> SentenceReading:
    """The names and attributions of the cue's sentence, as the engine reads them; the text after the sentence (if
    any) is its following sentence."""
    compiled = engine(lang)
    rest = ctx.text[ctx.sentence.end :]
    start = len(ctx.text) - len(rest.lstrip())
    following = Sentence(start, len(ctx.text), start) if start < len(ctx.text) else None
    return compiled._read(ctx, following, DominantState(compiled.gazetteer, ctx.text))
