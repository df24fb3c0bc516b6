"""Building blocks of the lexicon schema: the strict base model, the term syntax and its checks, ISO codes, names."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict

from schemas import ActorKind, EventType, Modality, QuantityQualifier, enum_values

# A term is a space-separated sequence of token patterns, matched case-insensitively on word boundaries: "foo" exact
# word, "foo*" word starting with foo, "*foo" word ending with foo (compounds), "{CLASS}" any term of a class from
# cues.json, "..." a gap of a few words ("weist ... zurück"). Deliberately small: a new language is data, not code.
_TOKEN = re.compile(r"^(?:\.\.\.|\{[A-Z_]+\}|\*?[^\s*{}]+\*?)$")

# The names come from the public schema's enums but stay plain strings here: the learned stage spells its features
# with them, and str() of an enum member is "EventType.deployment". A type checker cannot read a Literal built at run
# time, so it sees str.
if TYPE_CHECKING:
    EventTypeName = str
    ModalityName = str
    QualifierName = str
    ActorKindName = str
else:
    EventTypeName = Literal[enum_values(EventType)]
    ModalityName = Literal[enum_values(Modality)]
    QualifierName = Literal[enum_values(QuantityQualifier)]
    # People are listed in people.json as officeholders, never as organisations.
    ActorKindName = Literal[tuple(kind.value for kind in ActorKind if kind is not ActorKind.person)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def check_terms(terms: list[str]) -> list[str]:
    for term in terms:
        tokens = term.split(" ")
        if not term.strip() or any(not _TOKEN.match(token) for token in tokens):
            raise ValueError(f"malformed term {term!r}: tokens are word, word*, *word, {{CLASS}} or ...")
        if tokens[0] == "..." or tokens[-1] == "...":
            raise ValueError(f"term {term!r} must not start or end with a gap")
    return terms


def check_country(code: str) -> str:
    if not re.fullmatch(r"[A-Z]{3}", code):
        raise ValueError(f"{code!r} is not an ISO 3166-1 alpha-3 code")
    return code


Terms = Annotated[list[str], AfterValidator(check_terms)]
Term = Annotated[str, AfterValidator(lambda term: check_terms([term])[0])]
Alpha3 = Annotated[str, AfterValidator(check_country)]
