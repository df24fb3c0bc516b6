"""A same-length view of an article's text in which older sources' encoding debris reads as what it stands for."""

from __future__ import annotations

import re
from collections.abc import Iterable

from schemas.models import Event

from .lexicon_text import SourceDebris


class SourceView:
    """The rules and the learned stage read the view; evidence offsets index it and the article's text alike, since
    every rewrite keeps its length: a sign that stands for one character becomes it, touching the words beside it
    ("Iraq #39;s troops": "Iraq's troops"), and its clause takes the padding at its end, before its punctuation, where
    a run of spaces breaks no phrase (after the word, "Israel's     ground operation" lost its deployment)."""

    def __init__(self, debris: SourceDebris):
        names = sorted(debris.entities, key=len, reverse=True)  # "#39;" before a shorter name it might contain
        self._signed = {**debris.entities, **debris.currency_words}
        words = "|".join(map(re.escape, debris.currency_words))
        alternatives = [
            *([rf"[ &](?P<entity>{'|'.join(map(re.escape, names))})"] if names else []),
            *([rf"\b(?P<currency>{words}) (?=\d)"] if words else []),
            *([rf"(?P<mojibake>{_MOJIBAKE.pattern})"] if debris.mojibake else []),
        ]
        self._sign = re.compile("|".join(alternatives)) if alternatives else None
        self._literal_signs = (*names, *(f"{word} " for word in debris.currency_words))
        self._mojibake = debris.mojibake
        self._tag = re.compile(r"&lt;/?[A-Za-z][^&\n]{0,80}?&gt;") if debris.escaped_markup else None
        self._line_marks = debris.line_marks
        self._as_spaces = str.maketrans(debris.line_marks, " " * len(debris.line_marks))

    def read(self, text: str) -> str:
        """The view (the text itself, the same object, when it has no debris: most articles)."""
        view = text
        if self._line_marks and any(mark in view for mark in self._line_marks):
            view = view.translate(self._as_spaces)
        if self._tag is not None and "&lt;" in view:
            view = self._tag.sub(lambda tag: " " * len(tag.group()), view)
        if self._signed_in(view):
            view = "".join(map(self._clause, _CLAUSE_END.split(view)))
        return view

    def _signed_in(self, text: str) -> bool:
        return any(sign in text for sign in self._literal_signs) or (
            self._mojibake and _MOJIBAKE.search(text) is not None
        )

    def _clause(self, clause: str) -> str:
        if self._sign is None or not self._signed_in(clause):
            return clause
        return self._sign.sub(self._meaning, clause).ljust(len(clause))

    def _meaning(self, sign: re.Match[str]) -> str:
        """What a sign stands for: an entity's character, a currency word's sign ("pounds 21m": "£21m"), or the
        character whose UTF-8 bytes a source read as Latin-1 ("â\\x80\\x99": "’"); undecodable debris stays."""
        mojibake = sign.group("mojibake") if self._mojibake else None
        if mojibake is None:
            return self._signed[sign.group("entity") or sign.group("currency")]
        try:
            decoded = mojibake.encode("latin-1").decode("utf-8")
        except UnicodeError:
            return mojibake
        return decoded if len(decoded) == 1 else mojibake


# A character's UTF-8 bytes read as Latin-1: a lead byte, then one to three continuation bytes.
_MOJIBAKE = re.compile(r"[\xc2-\xf4][\x80-\xbf]{1,3}")
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
