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
        self._entity = re.compile(rf"[ &]({'|'.join(map(re.escape, names))})") if names else None
        self._tag = re.compile(r"&lt;/?[A-Za-z][^&\n]{0,80}?&gt;") if debris.escaped_markup else None
        self._signs = tuple(names)
        self._line_marks = debris.line_marks
        self._as_spaces = str.maketrans(debris.line_marks, " " * len(debris.line_marks))

    def read(self, text: str) -> str:
        """The view (the text itself, the same object, when it has no debris: most articles)."""
        view = text
        if self._line_marks and any(mark in view for mark in self._line_marks):
            view = view.translate(self._as_spaces)
        if self._tag is not None and "&lt;" in view:
            view = self._tag.sub(lambda tag: " " * len(tag.group()), view)
        if self._entity is not None and any(sign in view for sign in self._signs):
            view = "".join(map(self._clause, _CLAUSE_END.split(view)))
        return view

    def _clause(self, clause: str) -> str:
        """Each entity becomes its character, touching the words beside it ("Israel" + "'s"); the clause's padding goes
        to its end, before its punctuation, where a run of spaces breaks no phrase ("Israel's ground operation")."""
        if self._entity is None or not any(sign in clause for sign in self._signs):
            return clause
        return self._entity.sub(lambda entity: self._entities[entity.group(1)], clause).ljust(len(clause))


# Where a clause ends for the padding: punctuation, except a decimal point or thousands comma ("$10.5", "3,000").
_CLAUSE_END = re.compile(r"([:!?\n]|[,.](?!\d))")


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
