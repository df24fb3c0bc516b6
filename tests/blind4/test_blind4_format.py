"""Format, shape, coverage and originality checks for the fourth blind article set (never scores the extractor)."""

from __future__ import annotations

from labelled_sets import ArticleSetChecks


class TestBlind4Format(ArticleSetChecks):
    """The promises of tests/blind4/README.md: 36 articles with events and 12 hard negatives per language."""

    SET_NAME = "blind4"
    ID_INFIX = "b4"
    SEEN_SETS = ("golden", "heldout", "blind2", "blind3")
    POSITIVES_PER_LANGUAGE = 36
    HARD_NEGATIVES_PER_LANGUAGE = 12
