"""Format, shape, coverage and originality checks for the held-out article set (never scores the extractor)."""

from __future__ import annotations

from labelled_sets import ArticleSetChecks


class TestHeldoutFormat(ArticleSetChecks):
    """The promises of tests/heldout/README.md: 31 articles with events and 11 hard negatives per language."""

    SET_NAME = "heldout"
    ID_INFIX = "ho"
    SEEN_SETS = ("golden",)
    POSITIVES_PER_LANGUAGE = 31
    HARD_NEGATIVES_PER_LANGUAGE = 11
