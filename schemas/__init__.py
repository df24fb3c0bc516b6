"""Public data contract of newsevents: the records that cross Kafka and the offline CLI."""

from schemas.models import (
    SCHEMA_VERSION,
    Actor,
    ActorKind,
    Article,
    DeadLetter,
    DeadLetterReason,
    Event,
    EventType,
    Evidence,
    Location,
    Mention,
    Modality,
    Outcome,
    OutcomeStatus,
    Quantity,
    QuantityQualifier,
)

__all__ = [
    "SCHEMA_VERSION",
    "Actor",
    "ActorKind",
    "Article",
    "DeadLetter",
    "DeadLetterReason",
    "Event",
    "EventType",
    "Evidence",
    "Location",
    "Mention",
    "Modality",
    "Outcome",
    "OutcomeStatus",
    "Quantity",
    "QuantityQualifier",
]
