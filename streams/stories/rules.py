"""Alert rules as data: a strict schema, the shipped default file, and which rule a story meets first."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

import orjson
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator

from schemas import EventType, Modality

DEFAULT_RULES_FILE = Path(__file__).resolve().parent / "alert_rules.json"
MODALITY_RANK = {Modality.possible: 1, Modality.reported: 2, Modality.asserted: 3}
# The ranks by wire value: a Modality is a str, so either looks its rank up here.
RANK_OF_MODALITY = {modality.value: rank for modality, rank in MODALITY_RANK.items()}


class AlertRule(BaseModel):
    """A story meets the rule when at least `min_sources` outlets (only `outlets`, when given) reported it with at
    least `min_modality`, and its confidence is at least `min_confidence`."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_.-]{0,63}$", description="Named in every alert the rule raises")
    description: str = Field(min_length=1)
    types: tuple[EventType, ...] = Field(default=tuple(EventType), min_length=1)
    min_sources: int = Field(ge=1, le=1000)
    min_modality: Modality = Modality.possible
    outlets: tuple[str, ...] | None = Field(default=None, min_length=1, description="Compared case-insensitively")
    min_confidence: float = Field(default=0.0, ge=0.0, le=1.0)

    @field_validator("outlets")
    @classmethod
    def _outlets_are_named(cls, value: tuple[str, ...] | None) -> tuple[str, ...] | None:
        if value is not None and any(not outlet.strip() for outlet in value):
            raise ValueError("an outlet name is empty")
        return value

    def outlet_counts(self, outlet: str) -> bool:
        return self.outlets is None or outlet.strip().casefold() in _folded(self.outlets)


@lru_cache(maxsize=256)
def _folded(outlets: tuple[str, ...]) -> frozenset[str]:
    # Cached: every story not alerted yet is checked against the rules at each of its events.
    return frozenset(outlet.strip().casefold() for outlet in outlets)


class _Compiled(NamedTuple):
    """A rule as the per-event check reads it: type values, modality floor and folded outlets looked up once."""

    rule: AlertRule
    types: frozenset[str]
    floor: int
    min_confidence: float
    outlets: frozenset[str] | None
    min_sources: int


class AlertRules(BaseModel):
    """The rules file: evaluated in order, the first rule a story meets raises its one alert."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    version: int = Field(ge=1, le=1, description="Format version of the rules file")
    rules: tuple[AlertRule, ...]
    # The rules as the per-event check reads them, compiled once: a story not alerted yet is checked against every
    # rule at each of its events, and reading the pydantic rules (enum members, the outlets' cache key) was some 5 %
    # of the stories agent's CPU on event-dense input.
    _compiled: tuple[_Compiled, ...] = PrivateAttr(default=())

    def model_post_init(self, context: Any) -> None:
        self._compiled = tuple(
            _Compiled(
                rule,
                frozenset(member.value for member in rule.types),
                RANK_OF_MODALITY[rule.min_modality],
                rule.min_confidence,
                None if rule.outlets is None else _folded(rule.outlets),
                rule.min_sources,
            )
            for rule in self.rules
        )

    @field_validator("rules")
    @classmethod
    def _unique_ids(cls, rules: tuple[AlertRule, ...]) -> tuple[AlertRule, ...]:
        ids = [rule.id for rule in rules]
        duplicates = sorted({rule_id for rule_id in ids if ids.count(rule_id) > 1})
        if duplicates:
            raise ValueError(f"rule ids must be unique, repeated: {', '.join(duplicates)}")
        return rules


def load_rules(path: Path | None = None) -> AlertRules:
    """The rules in `path` (JSON), or the shipped defaults; raises ValueError naming the file when it is invalid."""
    path = path or DEFAULT_RULES_FILE
    try:
        return AlertRules.model_validate(orjson.loads(path.read_bytes()))
    except (OSError, orjson.JSONDecodeError, ValueError) as error:
        raise ValueError(f"alert rules file {path}: {error}") from error


def _compiled_rules(rules: AlertRules) -> tuple[_Compiled, ...]:
    """rules._compiled, read from pydantic's own store of private values (BaseModel.__pydantic_private__): the
    attribute goes through BaseModel.__getattr__, whose descriptor check on a private attribute raises and catches an
    AttributeError at every read. That was ~7 % of the stories agent's CPU on a 30,000-event backlog: the check runs
    at every event of a story not alerted yet."""
    private = rules.__pydantic_private__
    return private["_compiled"] if private else rules._compiled  # type: ignore[no-any-return]


def first_rule_met(
    rules: AlertRules,
    *,
    event_type: EventType | str,
    outlet_modalities: Mapping[str, Modality | str],
    confidence: float | Callable[[], float],
) -> AlertRule | None:
    """The first rule (in file order) that a story of this type, reported by these outlets with these strongest
    modalities, meets; None when it meets none. Type and modalities as members or as their wire values (the
    stories agent passes values: making members of them cost more than the check). `confidence` may be a function
    giving it: called at most once, and only when a rule with a minimum confidence is reached."""
    type_value = event_type.value if isinstance(event_type, EventType) else event_type
    for rule in _compiled_rules(rules):
        if type_value not in rule.types:
            continue
        if rule.min_confidence > 0.0 and callable(confidence):
            confidence = confidence()
        if not callable(confidence) and confidence < rule.min_confidence:
            continue  # (a function is called only for a minimum above 0: the confidence it gives is never below 0)
        counted = 0
        for outlet, modality in outlet_modalities.items():
            if RANK_OF_MODALITY[modality] >= rule.floor and (
                rule.outlets is None or outlet.strip().casefold() in rule.outlets
            ):
                counted += 1
        if counted >= rule.min_sources:
            return rule.rule
    return None
