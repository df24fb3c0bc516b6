"""Format, shape, coverage and originality checks for the third blind article set (never scores the extractor)."""

from __future__ import annotations

from labelled_sets import ArticleSetChecks


class TestBlind3Format(ArticleSetChecks):
    """The promises of tests/blind3/README.md: 36 articles with events and 12 hard negatives per language."""

    SET_NAME = "blind3"
    ID_INFIX = "b3"
    SEEN_SETS = ("golden", "heldout", "blind2")
    POSITIVES_PER_LANGUAGE = 36
    HARD_NEGATIVES_PER_LANGUAGE = 12
