"""The schema of lexicons/<lang>/anchors.json, apart from the first pass (anchors.py) so that mypyc compiles that."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

ANCHOR_COUNTS_FILE = "anchors.json"


class AnchorCounts(BaseModel):
    """lexicons/<lang>/anchors.json (optional; counted in the train pool by `python -m streams.dataset.anchor_counts`):
    how often the words that cue terms may anchor on occur in the language's news. Words it lacks (a cue added since)
    are costed by their length: a stale file slows the first pass a little and never changes what is found."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    source: str = Field(default="", description="What was counted: the files and their size")
    per_million_chars: dict[str, float] = Field(
        default_factory=dict,
        description="Anchor token as terms write it ('führ*', 'wahr') -> occurrences per million characters",
    )


def load_anchor_counts(folder: Path) -> dict[str, float]:
    """The anchor counts of one language folder (empty when it has none)."""
    path = folder / ANCHOR_COUNTS_FILE
    if not path.is_file():
        return {}
    return AnchorCounts.model_validate_json(path.read_bytes()).per_million_chars
