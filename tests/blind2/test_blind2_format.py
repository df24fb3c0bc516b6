"""Format, shape, coverage and originality checks for the second blind article set (never scores the extractor)."""

from __future__ import annotations

from labelled_sets import ArticleSetChecks


class TestBlind2Format(ArticleSetChecks):
    """The promises of tests/blind2/README.md: 36 articles with events and 12 hard negatives per language."""

    SET_NAME = "blind2"
    ID_INFIX = "b2"
    SEEN_SETS = ("golden", "heldout")
    POSITIVES_PER_LANGUAGE = 36
    HARD_NEGATIVES_PER_LANGUAGE = 12
