"""A clause's span run over a parenthesis that interrupts it ("am Samstag (21 Uhr/ZDF) bestreiten"): scope's reach."""

from __future__ import annotations

from collections.abc import Collection

from .context import Span


def before_parenthesis(
    text: str, clauses: list[Span], index: int, start: int, determiners: Collection[str] = frozenset()
) -> int:
    """A clause's start, run back over a parenthesis of several words that interrupts it ("muss das Gruppenspiel am
    Samstag (21 Uhr/ZDF) bestreiten") to the clause it began in: a disqualifier there ('Gruppenspiel') is the cue's
    object. A one-word parenthesis names what stands before it, which then is another phrase; see past_parenthesis.
    Run back over an abbreviation too when an article opens the phrase it shortens: that phrase is the clause's
    subject ("Der Deutsche Wetterdienst (DWD) hat ... die Alarmstufe rot ausgerufen": a weather service's warning is
    no policy), unlike a phrase a preposition opens ("Neben Polizei und Rotem Kreuz (DRK) ist die Bundeswehr ...")."""
    if index >= 2 and text[max(0, start - 2) : start].strip() == ")":
        inner_start, inner_end = clauses[index - 1]
        inner = text[inner_start:inner_end]
        words = inner.split()
        opening = text[clauses[index - 2][0] : clauses[index - 2][1]].split()[:1]
        abbreviation = (
            len(words) == 1
            and len(words[0]) > 1
            and words[0].isupper()
            and bool(opening)
            and opening[0].lower() in determiners
        )
        if "(" in text[clauses[index - 2][1] : inner_start] and ")" not in inner and (len(words) > 1 or abbreviation):
            start = clauses[index - 2][0]
    return start


def past_parenthesis(text: str, clauses: list[Span], index: int, end: int) -> int:
    """A clause's end, run on over a parenthesis that interrupts it ("bestreiten am Sonntag (18.00 Uhr) ihr
    Achtelfinale") to the clause it goes on in. Not over one word, which names what stands before it ("Syrian
    Democratic Forces (SDF) have withdrawn": a new subject follows), and only forward: before a parenthesis often
    stands such a name ("Polizei, Feuerwehr und Rotem Kreuz (DRK) ist die Bundeswehr im Einsatz")."""
    if text[end : end + 2].strip() == "(" and index + 2 < len(clauses):
        inner_start, inner_end = clauses[index + 1]
        inner = text[inner_start:inner_end]
        if ")" in text[inner_end : clauses[index + 2][0]] and "(" not in inner and len(inner.split()) > 1:
            end = clauses[index + 2][1]
    return end
