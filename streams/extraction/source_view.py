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
        # Not "_signed": mypyc names the field "__signed", which C compilers read as a keyword.
        self._meaning_of_sign = {**debris.entities, **debris.currency_words}
        self._entity_names = tuple(names)
        self._entity = rf"[ &](?P<entity>{'|'.join(map(re.escape, names))})" if names else ""
        self._currency_signs = tuple(f"{word} " for word in debris.currency_words)
        self._mojibake = debris.mojibake
        # By the signs an article may hold: its kinds, and of the currency words only those it has (see _signs_in).
        self._patterns: dict[tuple[str, ...], re.Pattern[str]] = {}
        self._tag = re.compile(r"&lt;/?[A-Za-z][^&\n]{0,80}?&gt;") if debris.escaped_markup else None
        self._line_marks = debris.line_marks
        self._as_spaces = str.maketrans(debris.line_marks, " " * len(debris.line_marks))
        self._dateline = _dateline(debris.dateline_agencies) if debris.dateline_agencies else None
        # A language that declares no debris (German) reads every text as it is, without looking for any.
        self._reads_debris = bool(
            names
            or debris.currency_words
            or debris.mojibake
            or debris.line_marks
            or debris.escaped_markup
            or self._dateline is not None
        )

    def read(self, text: str) -> str:
        """The view (the text itself, the same object, when it has no debris: most articles)."""
        if not self._reads_debris:
            return text
        view = text
        if self._line_marks and any(mark in view for mark in self._line_marks):
            view = view.translate(self._as_spaces)
        if self._tag is not None and "&lt;" in view:
            view = self._tag.sub(lambda tag: " " * len(tag.group()), view)
        if self._dateline is not None and (dateline := self._dateline.match(view)) is not None:
            view = " " * dateline.end() + view[dateline.end() :]
        signs = self._signs_in(view)
        return self._signs_read(view, self._pattern(signs)) if signs else view

    def _signs_in(self, text: str) -> tuple[str, ...]:
        """The signs the text may hold, by cheap substring checks: "entity", each currency word's sign that it has
        ("pounds "), "mojibake" (an ASCII text holds none); in the order of the pattern's alternatives."""
        entity = ";" in text and any(name in text for name in self._entity_names)  # each ends in ";"
        currency = tuple(sign for sign in self._currency_signs if sign in text)
        mojibake = self._mojibake and not text.isascii() and any(lead in text for lead in _MOJIBAKE_LEADS)
        return (("entity",) if entity else ()) + currency + (("mojibake",) if mojibake else ())

    def _pattern(self, signs: tuple[str, ...]) -> re.Pattern[str]:
        pattern = self._patterns.get(signs)
        if pattern is None:
            words = [sign[:-1] for sign in signs if sign in self._currency_signs]
            alternatives = [
                self._entity if "entity" in signs else "",
                # Each word first, then the boundary before it as a lookbehind over it (the same matches as "\b"
                # before the words): the regex engine then looks only where a word's first letter stands, not at
                # every character, and a text with one currency word (most) gets a literal prefix, searched fast.
                rf"(?P<currency>{'|'.join(map(_word_first, words))}) (?=\d)" if words else "",
                rf"(?P<mojibake>{_MOJIBAKE.pattern})" if "mojibake" in signs else "",
            ]
            pattern = self._patterns[signs] = re.compile("|".join(filter(None, alternatives)))
        return pattern

    def _signs_read(self, view: str, pattern: re.Pattern[str]) -> str:
        """Each sign becomes what it stands for; the clause it stands in is padded at its end (see the class)."""
        signs = list(pattern.finditer(view))
        pieces: list[str] = []
        done, index = 0, 0
        while index < len(signs):
            start = signs[index].start()
            clause_end = _CLAUSE_END.search(view, signs[index].end())
            end = clause_end.start() if clause_end is not None else len(view)
            clause: list[str] = []
            cursor = start
            while index < len(signs) and signs[index].start() < end:  # a sign holds no clause end: it ends before
                sign = signs[index]
                clause += [view[cursor : sign.start()], self._meaning(sign)]
                cursor, index = sign.end(), index + 1
            clause.append(view[cursor:end])
            pieces += [view[done:start], "".join(clause).ljust(end - start)]
            done = end
        pieces.append(view[done:])
        return "".join(pieces) if signs else view

    def _meaning(self, sign: re.Match[str]) -> str:
        """What a sign stands for: an entity's character, a currency word's sign ("pounds 21m": "£21m"), or the
        character whose UTF-8 bytes a source read as Latin-1 ("â\\x80\\x99": "’"); undecodable debris stays."""
        found = sign.group()
        if sign.lastgroup != "mojibake":
            return self._meaning_of_sign[sign.group(sign.lastgroup or 0)]
        try:
            decoded = found.encode("latin-1").decode("utf-8")
        except UnicodeError:
            return found
        return decoded if len(decoded) == 1 else found


def _dateline(agencies: list[str]) -> re.Pattern[str]:
    """A wire dateline at the text's start: a place in capitals ('OKLAHOMA CITY', 'WASHINGTON, D.C.', 'PARIS,
    France'), an agency in brackets after it or an agency alone, then a dash. Anchored and opening with a capital
    pair, so a text that starts otherwise fails at its first characters."""
    agency = "|".join(map(re.escape, sorted(agencies, key=len, reverse=True)))
    caps = r"[A-Z][A-Z.'\-]+"
    place = rf"{caps}(?:[ /]{caps}){{0,3}}(?:, [A-Z][A-Za-z.'\-]*(?: [A-Z][A-Za-z.'\-]*){{0,2}})?"
    return re.compile(rf"[ \t]*(?:{place}(?:[ \t]*\((?:{agency})\))?|(?:{agency}))[ \t]+(?:--?|\u2013|\u2014)[ \t]+")


# A character's UTF-8 bytes read as Latin-1: a lead byte, then one to three continuation bytes.
_MOJIBAKE = re.compile(r"[\xc2-\xf4][\x80-\xbf]{1,3}")
# The lead bytes of the characters news text mojibakes (Latin-1 signs and letters, Latin Extended-A, punctuation
# U+2000-U+2FFF): a cheap check before the regex scans a text, which would cost a modern article ~9 % of its extraction.
_MOJIBAKE_LEADS = "\xc2\xc3\xc4\xc5\xe2"
# Where a clause ends for the padding: punctuation, except a decimal point or thousands comma ("$10.5", "3,000").
_CLAUSE_END = re.compile(r"[:!?\n]|[,.](?!\d)")


def _word_first(word: str) -> str:
    """The word, then what "\\b" before it asks of the character before it, as a lookbehind over the word."""
    before = "(?<!" if re.match(r"\w", word) else "(?<="  # "\\b" before a word character: no word character before
    return f"{re.escape(word)}{before}\\w{re.escape(word)})"


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
