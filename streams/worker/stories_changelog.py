"""The stories agent's Faust tables: their changelog records sent as batches and awaited before a batch is acked."""

from __future__ import annotations

import asyncio
import importlib.util
from collections import defaultdict
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import faust
from aiokafka.structs import RecordMetadata

from streams.kafka.batch_send import BatchRecord, SentBatch, delivered, send_batches
from streams.settings import STORY_TABLES, Settings, TableStore

# Table names; their changelog topics are <app id>-<name>-changelog.
STORIES_TABLE, WATERMARKS_TABLE = STORY_TABLES  # their changelog topics: Settings.changelog_topics


@dataclass(frozen=True, slots=True)
class ChangelogChange:
    """What ChangelogTable.send_changelog returns: faust's on_key_set and on_key_del read `.message.partition`."""

    message: BatchRecord


class ChangelogTable(faust.Table):
    """faust.Table whose changelog records are sent together and can be awaited: a story update counts as stored (and
    its input may be acked) only once the broker acknowledged them.

    Faust puts each change into its producer buffer as a FutureMessage, which a background task sends one record at a
    time; records reached the broker in requests of ~4 (profile: 1,794 of 2,649 produce requests for 8,000 generated
    articles carried only changelog records), and the FutureMessage, its serialization and per-record send cost ~30 %
    of the stories agent's Kafka work. Here a change is kept as its record until changelog_acknowledged(), which hands
    them to the producer as one batch per changelog partition (batch_send), in the transaction faust's
    TransactionManager would have sent each of them in, and then records the last offset of each batch as faust's
    completion callback does (the offset a RocksDB store keeps)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.unsent: list[BatchRecord] = []

    def send_changelog(
        self,
        partition: int | None,
        key: Any,
        value: Any,
        key_serializer: Any = None,
        value_serializer: Any = None,
    ) -> Any:
        # The stories tables hold bytes (key_type and value_type bytes: faust's "raw" codec leaves them as they are)
        # and are written only while an event of the batch is current (partition_for_key gives its partition).
        if partition is None or not isinstance(key, bytes) or not isinstance(value, bytes | None):
            raise TypeError(f"a {self.name} table change needs bytes and a partition: {key!r} on {partition!r}")
        record = BatchRecord(self.changelog_topic.get_topic_name(), partition, key, value)
        self.unsent.append(record)
        return ChangelogChange(record)

    async def changelog_acknowledged(self) -> None:
        pending, self.unsent = self.unsent, []
        if not pending:
            return
        await self.app.maybe_start_producer()
        if self.app.in_transaction:
            # Each change in the transaction of its partition, as faust's TransactionManager.send names it.
            group = self.app.assignor.group_for_topic(pending[0].topic)
            by_partition: dict[int, list[BatchRecord]] = defaultdict(list)
            for record in pending:
                by_partition[record.partition or 0].append(record)
            sent = [
                batch
                for partition, records in by_partition.items()
                for batch in await send_batches(
                    self.app.producer, records, transactional_id=f"{self.app.conf.id}-{group}-{partition}"
                )
            ]
        else:
            sent = await send_batches(self.app.producer, pending, transactional_id=None)
        acknowledged = await delivered(sent)
        last_offsets: dict[int, RecordMetadata] = {}
        for batch, metadata in zip(sent, acknowledged, strict=True):
            assert isinstance(batch, SentBatch), "changelog records name their partition"
            last = metadata._replace(offset=metadata.offset + batch.records - 1)
            if batch.partition not in last_offsets or last.offset > last_offsets[batch.partition].offset:
                last_offsets[batch.partition] = last
        for metadata in last_offsets.values():
            # faust's completion callback of a changelog record (the persisted offset, kept at the commit under
            # exactly-once), once per partition with its last offset: it reads only the result's partition and offset.
            done: asyncio.Future[RecordMetadata] = asyncio.get_running_loop().create_future()
            done.set_result(metadata)
            self._on_changelog_sent(done)


class FaustStoryStore:
    """The StoryStore of a running worker: two Faust tables with changelog topics, stories and watermarks."""

    def __init__(self, stories: ChangelogTable, watermarks: ChangelogTable) -> None:
        self.stories = stories
        self.watermarks = watermarks

    def get(self, key: bytes) -> bytes | None:
        return self.stories.get(key)

    def watermark(self, partition: int) -> float | None:
        value = self.watermarks.get(str(partition).encode())
        return None if value is None else float(value)

    def items(self) -> Iterable[tuple[bytes, bytes]]:
        return self.stories.items()

    def write(self, partition: int, changes: Mapping[bytes, bytes | None], watermark: float | None) -> None:
        for key, value in changes.items():
            if value is not None:
                self.stories[key] = value
            elif key in self.stories:
                del self.stories[key]
        if watermark is not None and watermark != self.watermark(partition):
            self.watermarks[str(partition).encode()] = repr(watermark).encode()

    async def changelog_acknowledged(self) -> None:
        await asyncio.gather(self.stories.changelog_acknowledged(), self.watermarks.changelog_acknowledged())

    def __len__(self) -> int:
        return len(self.stories)


def table_store_url(store: TableStore) -> str:
    """RocksDB (on disk under the data dir: a restart reads only the changelog's tail) where rocksdict is
    installed, else memory (the table is rebuilt from its changelog at every start)."""
    if store is TableStore.auto:
        store = TableStore.rocksdb if importlib.util.find_spec("rocksdict") is not None else TableStore.memory
    return "rocksdb://" if store is TableStore.rocksdb else "memory://"


def story_tables(app: Any, settings: Settings, on_recover: Callable[[], Awaitable[None]]) -> FaustStoryStore:
    """The two tables, partitioned like the story-events topic they are updated from."""

    def table(name: str, help_text: str, callback: Callable[[], Awaitable[None]] | None) -> ChangelogTable:
        return app.tables.add(
            ChangelogTable(
                app,
                name=name,
                default=None,
                beacon=app.tables.beacon,
                partitions=settings.partitions,
                key_type=bytes,
                value_type=bytes,
                store=table_store_url(settings.table_store),
                help=help_text,
                on_recover=callback,
            )
        )

    return FaustStoryStore(
        table(STORIES_TABLE, "Open stories by story key", on_recover),
        table(WATERMARKS_TABLE, "Latest event time seen per story-events partition", None),
    )
