"""Real-news labels: events as character offsets into ../shared/train-pool passages (never their text), with a loader."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from schemas.models import ActorKind, EventType, Modality

from .pool import POOL_DIR, Passage, passage_by_id

LABEL_DIR = Path(__file__).resolve().parent / "labels"
BATCH_DIR = Path(__file__).resolve().parent / "batches"

Origin = Literal["random", "picked"]


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Span(_Strict):
    """Half-open character range [start, end) into the record's text (Python str indices)."""

    start: int = Field(ge=0)
    end: int = Field(gt=0)

    @model_validator(mode="after")
    def _ordered(self) -> Span:
        if self.end <= self.start:
            raise ValueError(f"span end {self.end} not after start {self.start}")
        return self


class LabelledEvent(_Strict):
    type: EventType
    actor: Span | None = Field(
        default=None, description="Where the text names the actor; null when only the code identifies it"
    )
    actor_code: str | None = Field(
        default=None, pattern=r"^[A-Z]{3}$", description="ISO 3166-1 alpha-3 of a state or state organ"
    )
    actor_kind: ActorKind
    location: Span | None = None
    location_code: str | None = Field(default=None, pattern=r"^[A-Z]{3}$")
    quantity: int | None = Field(default=None, ge=1)
    modality: Modality
    attribution: Span | None = None
    evidence: Span

    @model_validator(mode="after")
    def _identified(self) -> LabelledEvent:
        if self.actor is None and self.actor_code is None:
            raise ValueError("an event needs an actor span or an actor code")
        if self.type is not EventType.deployment and (self.location or self.quantity):
            raise ValueError("location and quantity belong to deployments only")
        return self


class PassageLabel(_Strict):
    """One annotator's reading of one passage."""

    passage: str = Field(description="record id:start-end into the pool record's text")
    sha: str = Field(pattern=r"^[0-9a-f]{16}$", description="text_hash of the passage when it was labelled")
    lang: Literal["de", "en"]
    batch: str
    origin: Origin
    annotator: str
    hard_negative: bool = Field(description="Looks like an event (cue words) but is none by the guideline")
    events: tuple[LabelledEvent, ...]


@dataclass(frozen=True)
class GoldEvent:
    """A label resolved against its passage text (what evaluation and training use)."""

    type: str
    actor_name: str | None
    actor_code: str | None
    actor_kind: str
    location_name: str | None
    location_code: str | None
    quantity: int | None
    modality: str
    attribution: str | None
    evidence_start: int
    evidence_end: int
    actor_start: int | None = None
    actor_end: int | None = None

    @property
    def key(self) -> tuple[str, str]:
        """What scoring matches on: the type and the actor's code, else its normalised name."""
        return self.type, self.actor_code or normalise_name(self.actor_name or "")


@dataclass(frozen=True)
class GoldPassage:
    passage: Passage
    label: PassageLabel
    events: tuple[GoldEvent, ...]


def normalise_name(name: str) -> str:
    """Case-folded words without punctuation around them: 'Weltgesundheitsorganisation (WHO)' has the word 'who'."""
    return " ".join(re.sub(r"[^\w'’-]+", " ", name.casefold()).replace("’", "'").split())


def _slice(record_text: str, span: Span | None) -> str | None:
    return None if span is None else record_text[span.start : span.end]


def resolve(label: PassageLabel, pool_dir: Path = POOL_DIR) -> GoldPassage:
    passage = passage_by_id(label.passage, label.lang, pool_dir)
    if passage.sha != label.sha:
        raise ValueError(
            f"{label.passage}: the pool text changed since it was labelled (hash {passage.sha} != {label.sha})"
        )
    from .pool import records_by_id  # the record text, since spans are record offsets

    record_text = records_by_id(label.lang, pool_dir)[passage.record_id].text
    events = []
    for event in label.events:
        for span in (event.actor, event.location, event.attribution, event.evidence):
            if span is not None and not (passage.start <= span.start and span.end <= passage.end):
                raise ValueError(f"{label.passage}: span {span.start}-{span.end} outside the passage")
        events.append(
            GoldEvent(
                type=event.type.value,
                actor_name=_slice(record_text, event.actor),
                actor_code=event.actor_code,
                actor_kind=event.actor_kind.value,
                location_name=_slice(record_text, event.location),
                location_code=event.location_code,
                quantity=event.quantity,
                modality=event.modality.value,
                attribution=_slice(record_text, event.attribution),
                evidence_start=event.evidence.start,
                evidence_end=event.evidence.end,
                actor_start=event.actor.start if event.actor else None,
                actor_end=event.actor.end if event.actor else None,
            )
        )
    return GoldPassage(passage=passage, label=label, events=tuple(events))


def label_files(lang: str | None = None, label_dir: Path = LABEL_DIR) -> list[Path]:
    langs = [lang] if lang else sorted(p.name for p in label_dir.iterdir() if p.is_dir())
    return sorted(path for code in langs for path in (label_dir / code).glob("*.jsonl"))


def read_labels(paths: Iterable[Path]) -> Iterator[PassageLabel]:
    for path in paths:
        with open(path, encoding="utf-8") as handle:
            for number, line in enumerate(handle, 1):
                if line.strip():
                    try:
                        yield PassageLabel.model_validate_json(line)
                    except ValueError as error:
                        raise ValueError(f"{path}:{number}: {error}") from None


def readings_of(lang: str, pid: str) -> list[GoldPassage]:
    """Every annotator's reading of one passage (for the adjudicator's view)."""
    return [
        resolve(label)
        for label in read_labels(label_files(lang))
        if label.passage == pid and label.annotator != "adjudicated"
    ]


def write_labels(path: Path, labels: Iterable[PassageLabel]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as handle:
        for label in labels:
            handle.write(json.dumps(label.model_dump(mode="json", exclude_none=True), ensure_ascii=False) + "\n")


def load_gold(
    lang: str, *, primary_only: bool = True, label_dir: Path = LABEL_DIR, pool_dir: Path = POOL_DIR
) -> list[GoldPassage]:
    """Every labelled passage of a language, resolved; of a doubly annotated passage the adjudicated (or first) reading."""
    chosen: dict[str, PassageLabel] = {}
    for label in read_labels(label_files(lang, label_dir)):
        current = chosen.get(label.passage)
        # An adjudicated reading wins; otherwise the first annotator's stays (the second one is for agreement only).
        if current is None or (label.annotator == "adjudicated" and primary_only):
            chosen[label.passage] = label
    return [resolve(label, pool_dir) for label in chosen.values()]
