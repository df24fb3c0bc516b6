"""A same-length view of an article's text in which older sources' encoding debris reads as what it stands for."""

from __future__ import annotations

import re
from collections.abc import Iterable

from schemas.models import Event

from .lexicon_text import SourceDebris


class SourceView:
    """The rules and the learned stage read the view; evidence offsets index it and the article's text alike, since
    every rewrite keeps its length ("Iraq #39;s troops" reads "Iraq's     troops": the padding goes after the word
    the entity touches, where a run of spaces is only a word break)."""

    def __init__(self, debris: SourceDebris):
        self._entities = debris.entities
        names = sorted(debris.entities, key=len, reverse=True)  # "#39;" before a shorter name it might contain
        parts = [rf"[ &](?P<entity>{'|'.join(map(re.escape, names))})(?P<tail>[^\s&;]*)"] if names else []
        if debris.escaped_markup:
            parts.append(r"(?P<tag>&lt;/?[A-Za-z][^&\n]{0,80}?&gt;)")
        self._pattern = re.compile("|".join(parts)) if parts else None
        self._signs = tuple(names) + (("&lt;",) if debris.escaped_markup else ())
        self._line_marks = debris.line_marks
        self._as_spaces = str.maketrans(debris.line_marks, " " * len(debris.line_marks))

    def read(self, text: str) -> str:
        """The view (the text itself, the same object, when it has no debris: most articles)."""
        view = text
        if self._line_marks and any(mark in view for mark in self._line_marks):
            view = view.translate(self._as_spaces)
        if self._pattern is not None and any(sign in view for sign in self._signs):
            view = self._pattern.sub(self._replacement, view)
        return view

    def _replacement(self, match: re.Match[str]) -> str:
        if match.group("tag") is not None:
            return " " * len(match.group())
        # The character joins the word it touches ("Iraq" + "'s", '"' + "we"); the padding follows that word.
        return (self._entities[match.group("entity")] + match.group("tail")).ljust(len(match.group()))


def _tidy(name: str) -> str:
    return " ".join(name.split())


def tidy_names(events: Iterable[Event]) -> tuple[Event, ...]:
    """Names read from a view keep its padding ("Russia's     army"): single spaces, as the source meant them."""
    return tuple(
        event.model_copy(
            update={
                "actor": event.actor.model_copy(update={"name": _tidy(event.actor.name)}),
                "attribution": None if event.attribution is None else _tidy(event.attribution),
            }
        )
        for event in events
    )
