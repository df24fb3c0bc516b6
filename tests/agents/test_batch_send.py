"""Records sent as one aiokafka batch per topic partition (streams/kafka/batch_send.py): the partitions the default
partitioner gives their keys, every record once in its order, batches that fill up continued in the next one, the
transaction's producer under its lock, records without key and partition through the producer's own send."""

from __future__ import annotations

import asyncio
from typing import Any

from aiokafka.partitioner import DefaultPartitioner
from aiokafka.producer.message_accumulator import BatchBuilder
from aiokafka.record.default_records import DefaultRecordBatch
from aiokafka.structs import RecordMetadata, TopicPartition

from streams.kafka.batch_send import BatchRecord, SentBatch, delivered, send_batches
from streams.kafka.partitioner import default_partition
from streams.worker.records import OutboundRecord

PARTITIONS = {"stories": 4, "alerts": 3}


class FakeAiokafkaProducer:
    """The part of aiokafka's AIOKafkaProducer send_batches uses; keeps what each batch holds once built."""

    def __init__(self, batch_size: int = 512 * 1024, lock: asyncio.Lock | None = None) -> None:
        self.batch_size = batch_size
        self.lock = lock
        self.batches: list[tuple[str, int, list[tuple[bytes | None, bytes | None, list[tuple[str, bytes]]]]]] = []
        self.singles: list[tuple[str, bytes | None, list[tuple[str, bytes]]]] = []
        self.next_offset: dict[tuple[str, int], int] = {}

    async def partitions_for(self, topic: str) -> set[int]:
        return set(range(PARTITIONS[topic]))

    def create_batch(self) -> BatchBuilder:
        return BatchBuilder(self.batch_size, 0)

    async def send_batch(self, batch: BatchBuilder, topic: str, *, partition: int) -> asyncio.Future[RecordMetadata]:
        if self.lock is not None:
            assert self.lock.locked(), "a transaction's records are queued under faust's lock for it"
        records = [
            (record.key, record.value, list(record.headers))
            for record in DefaultRecordBatch(bytes(batch._build()))  # noqa: SLF001 (what the producer sends)
        ]
        self.batches.append((topic, partition, records))
        return self._delivered(topic, partition, len(records))

    async def send(
        self, topic: str, value: bytes | None = None, key: bytes | None = None, headers: Any = None
    ) -> asyncio.Future[RecordMetadata]:
        self.singles.append((topic, value, list(headers or [])))
        return self._delivered(topic, 0, 1)

    def _delivered(self, topic: str, partition: int, records: int) -> asyncio.Future[RecordMetadata]:
        offset = self.next_offset.get((topic, partition), 0)
        self.next_offset[(topic, partition)] = offset + records
        future: asyncio.Future[RecordMetadata] = asyncio.get_running_loop().create_future()
        future.set_result(RecordMetadata(topic, partition, TopicPartition(topic, partition), offset, 0, 0, 0))
        return future


class FakeFaustProducer:
    """faust's aiokafka driver: its producer, and a producer and lock per transactional id."""

    def __init__(self, producer: FakeAiokafkaProducer, transactional: dict[str, FakeAiokafkaProducer]) -> None:
        self.producer = producer
        self._transaction_producers = transactional
        self._trn_locks = {tid: p.lock for tid, p in transactional.items()}

    def _ensure_producer(self) -> FakeAiokafkaProducer:
        return self.producer


def records() -> list[OutboundRecord]:
    made = []
    for index in range(60):
        topic = "stories" if index % 3 else "alerts"
        made.append(
            OutboundRecord(
                topic=topic,
                key=f"story-{index % 17}".encode(),
                value=b'{"n":%d}' % index,
                headers=(("ce_id", b"%d" % index), ("content-type", b"application/json")),
                partition=1 if index % 10 == 0 else None,
            )
        )
    return made


def partition_of(record: OutboundRecord) -> int:
    if record.partition is not None:
        return record.partition
    all_partitions = list(range(PARTITIONS[record.topic]))
    return int(DefaultPartitioner()(record.key, all_partitions, all_partitions))


def test_each_record_goes_once_to_its_partition_in_order() -> None:
    producer = FakeAiokafkaProducer()
    sent = asyncio.run(send_batches(FakeFaustProducer(producer, {}), records(), transactional_id=None))
    assert len(sent) == len(producer.batches), "one batch per topic partition, each one to await"
    assert len({(topic, partition) for topic, partition, _ in producer.batches}) == len(producer.batches)
    for topic, partition, batch in producer.batches:
        expected = [r for r in records() if r.topic == topic and partition_of(r) == partition]
        assert batch == [(r.key, r.value, list(r.headers)) for r in expected]
    assert sum(len(batch) for _, _, batch in producer.batches) == len(records())


def test_a_full_batch_is_sent_and_the_next_one_continues_in_order() -> None:
    producer = FakeAiokafkaProducer(batch_size=200)  # a few records a batch
    many = [BatchRecord("stories", 2, b"key-%d" % index, b"value %d " % index + b"x" * 40) for index in range(25)]

    async def send() -> list[RecordMetadata]:
        return await delivered(await send_batches(FakeFaustProducer(producer, {}), many, transactional_id=None))

    acknowledged = asyncio.run(send())
    assert len(producer.batches) > 3
    assert [value for _, _, batch in producer.batches for _, value, _ in batch] == [r.value for r in many]
    # Each batch's metadata names its first record; its count leads to the next batch's first offset.
    assert [m.offset for m in acknowledged] == [
        sum(len(batch) for _, _, batch in producer.batches[:i]) for i in range(len(producer.batches))
    ]


def test_a_transactions_records_use_its_producer_under_its_lock() -> None:
    plain, in_transaction = FakeAiokafkaProducer(), FakeAiokafkaProducer(lock=asyncio.Lock())
    faust_producer = FakeFaustProducer(plain, {"app-group-2": in_transaction})

    async def send() -> list[Any]:
        return await send_batches(faust_producer, records(), transactional_id="app-group-2")

    sent = asyncio.run(send())
    assert not plain.batches and in_transaction.batches
    assert all(isinstance(item, SentBatch) for item in sent)
    assert sum(item.records for item in sent if isinstance(item, SentBatch)) == len(records())


def test_records_without_key_or_partition_go_through_the_producers_send() -> None:
    producer = FakeAiokafkaProducer()
    letters = [BatchRecord("alerts", None, None, b"dead letter %d" % i, (("dlq_reason", b"x"),)) for i in range(3)]
    asyncio.run(send_batches(FakeFaustProducer(producer, {}), letters, transactional_id=None))
    assert not producer.batches
    assert producer.singles == [("alerts", r.value, [("dlq_reason", b"x")]) for r in letters]


def test_default_partition_is_aiokafkas_default_partitioner() -> None:
    for index in range(200):
        key = b"story %d" % index
        for partitions in (1, 3, 4, 12):
            all_partitions = list(range(partitions))
            assert default_partition(key, partitions) == DefaultPartitioner()(key, all_partitions, all_partitions)
