"""Kafka's default partitioning with the faster murmur2 (streams/kafka/partitioner.py): the same hash as aiokafka's
and kafka-python's for every key, the same partition as aiokafka's DefaultPartitioner, and the worker's producer
uses it."""

from __future__ import annotations

from aiokafka.partitioner import DefaultPartitioner as AiokafkaPartitioner
from aiokafka.partitioner import murmur2 as aiokafka_murmur2
from hypothesis import given
from hypothesis import strategies as st
from kafka.partitioner.default import murmur2 as kafka_python_murmur2

from streams.kafka.partitioner import DefaultPartitioner, default_partition, murmur2
from streams.settings import Settings
from streams.worker.app import build_faust_app


@given(st.binary(max_size=200))
def test_murmur2_is_the_hash_of_aiokafka_and_kafka_python(key: bytes) -> None:
    assert murmur2(key) == aiokafka_murmur2(key) == kafka_python_murmur2(key)


def test_murmur2_of_every_length_and_of_bytes_with_the_high_bit_set() -> None:
    for length in range(0, 40):
        for key in (bytes(range(256 - length, 256)), bytes(length), b"\xff" * length, "ü€".encode() * length):
            assert murmur2(key) == aiokafka_murmur2(key), key
    assert murmur2(bytearray(b"story 7")) == aiokafka_murmur2(b"story 7")


@given(st.binary(max_size=80), st.integers(min_value=1, max_value=64))
def test_a_keyed_record_gets_the_partition_aiokafkas_default_partitioner_gives(key: bytes, partitions: int) -> None:
    all_partitions = list(range(partitions))
    available = all_partitions[::2]  # the default partitioner ignores availability for keyed records
    expected = AiokafkaPartitioner()(key, all_partitions, available)
    assert DefaultPartitioner()(key, all_partitions, available) == expected
    assert default_partition(key, partitions) == expected


def test_partitions_are_taken_from_the_list_given() -> None:
    all_partitions = [3, 5, 8, 13]
    for index in range(100):
        key = b"event-%d" % index
        assert DefaultPartitioner()(key, all_partitions, []) == AiokafkaPartitioner()(key, all_partitions, [])


def test_a_record_without_key_goes_to_an_available_partition_or_any() -> None:
    partitioner = DefaultPartitioner()
    assert {partitioner(None, [0, 1, 2, 3], [2]) for _ in range(50)} == {2}
    assert {partitioner(None, [0, 1, 2, 3], []) for _ in range(200)} == {0, 1, 2, 3}


def test_the_worker_producer_partitions_with_it() -> None:
    app = build_faust_app(Settings())
    assert isinstance(app.conf.producer_partitioner, DefaultPartitioner)
    producer = app.producer
    assert isinstance(producer.partitioner, DefaultPartitioner)
    assert isinstance(producer._settings_default()["partitioner"], DefaultPartitioner)
