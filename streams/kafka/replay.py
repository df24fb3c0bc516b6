"""`newsevents replay`: move the worker group's committed offsets on the raw topic back, so the workers process
those articles again (after a lexicon or model update). Event ids are deterministic: reprocessing an unchanged
article yields the same ids, so consumers that deduplicate by event_id see updates, not duplicates."""

from __future__ import annotations

from dataclasses import dataclass

from kafka import KafkaConsumer, TopicPartition
from kafka.errors import KafkaError
from kafka.structs import OffsetAndMetadata

from streams.kafka.connection import kafka_python_options
from streams.settings import Settings


class GroupActive(RuntimeError):
    """The group has running members: the broker only takes new offsets from an empty group."""


@dataclass(frozen=True, slots=True)
class Moved:
    partition: int
    before: int | None  # the committed offset, None when the group had none
    after: int


def _offset(value: int) -> OffsetAndMetadata:
    fields = OffsetAndMetadata._fields
    return OffsetAndMetadata(value, "", -1) if len(fields) == 3 else OffsetAndMetadata(value, "")  # kafka-python 3 / 2


def replay(settings: Settings, *, since_ms: int | None = None, dry_run: bool = False) -> list[Moved]:
    """Set the group's offsets on the raw topic to the first record at or after since_ms (None: the earliest)."""
    consumer = KafkaConsumer(
        group_id=settings.app_id,
        enable_auto_commit=False,
        client_id=f"{settings.app_id}-replay",
        **kafka_python_options(settings),
    )
    try:
        partitions = sorted(consumer.partitions_for_topic(settings.topic_raw) or ())
        if not partitions:
            raise LookupError(
                f"topic {settings.topic_raw!r} does not exist; create the topics with `newsevents topics create`"
            )
        tps = [TopicPartition(settings.topic_raw, p) for p in partitions]
        if since_ms is None:
            targets = consumer.beginning_offsets(tps)
        else:
            found = consumer.offsets_for_times({tp: since_ms for tp in tps})
            ends = consumer.end_offsets(tps)
            targets = {tp: (found[tp].offset if found.get(tp) is not None else ends[tp]) for tp in tps}
        moved = []
        for tp in tps:
            committed = consumer.committed(tp)
            moved.append(Moved(tp.partition, committed, targets[tp]))
        if not dry_run:
            try:
                consumer.commit({tp: _offset(targets[tp]) for tp in tps})
            except KafkaError as exc:
                raise GroupActive(
                    f"the broker refused new offsets for group {settings.app_id!r} ({type(exc).__name__}): it has running "
                    "members; stop every worker of the group first, then replay"
                ) from None
        return moved
    finally:
        consumer.close()
