"""Which names a referring word may stand for, and which role noun a sentence's opening refers by."""

from __future__ import annotations

from .gazetteer import ORGANIZATION, PERSON, PLACE, Mention
from .lexicon_referring import Referent


def fits(mention: Mention, referent: Referent) -> bool:
    """Whether a name is one the referring word may stand for: a person, an organisation, or a state or organisation
    (no place, no person)."""
    category = mention.entity.category
    if referent == "organisation":
        return category == ORGANIZATION
    return category != PLACE and (category == PERSON) == (referent == "person")


def role_noun(opening: list[str], nouns: dict[str, Referent]) -> str | None:
    """The last role noun among the opening's words, lowercase ('The former minister has' -> 'minister'): a sentence
    before that uses it in lowercase ('met the president') calls someone unnamed by it; a title ('Senator Mary
    Collins') is part of a name."""
    return next((w.lower() for w in reversed(opening) if w.lower() in nouns), None)


def refers_on(opening: list[str], determiners: frozenset[str] | set[str], nouns: dict[str, Referent]) -> bool:
    """Whether a sentence's first two words only refer to a person named before ('The singer added ...', 'The
    38-year-old faced ...'): an article, then a person's role noun or an age. A 'she' after such sentences may stand
    for the name that opened the first of them."""
    if len(opening) < 2 or opening[0].lower() not in determiners:
        return False
    return nouns.get(opening[1].lower()) == "person" or opening[1][:1].isdigit()
