"""The local KRaft broker manager against real JVMs: lifecycle, durability across restarts, SASL, a 3-node cluster."""

from __future__ import annotations

import asyncio
import dataclasses
import signal
import subprocess
import sys
import textwrap
import time
import uuid
from pathlib import Path

import pytest
from aiokafka import AIOKafkaProducer
from aiokafka.errors import KafkaConnectionError
from kafka import KafkaConsumer, KafkaProducer
from kafka.admin import KafkaAdminClient
from kafka.errors import KafkaTimeoutError

from streams.harness.broker import BrokerConfig, LocalBroker, loopback_broker
from streams.harness.jars import BrokerError
from streams.harness.processes import free_ports

pytestmark = pytest.mark.integration


def _topic() -> str:
    return f"broker-test-{uuid.uuid4().hex[:8]}"


def _produce(bootstrap: str, topic: str, values: list[bytes], **client_options) -> None:
    producer = KafkaProducer(bootstrap_servers=bootstrap, acks="all", **client_options)
    try:
        for value in values:
            producer.send(topic, value).get(timeout=30)
    finally:
        producer.close()


def _consume_all(bootstrap: str, topic: str, expected: int, **client_options) -> list[bytes]:
    """Read a topic from the start until `expected` records arrived or 30 s passed."""
    consumer = KafkaConsumer(
        topic, bootstrap_servers=bootstrap, auto_offset_reset="earliest", enable_auto_commit=False, **client_options
    )
    values: list[bytes] = []
    deadline = time.monotonic() + 30
    try:
        while len(values) < expected and time.monotonic() < deadline:
            for records in consumer.poll(timeout_ms=500).values():
                values.extend(record.value for record in records)
    finally:
        consumer.close()
    return values


def test_session_broker_is_running_and_start_is_idempotent(kafka_broker: LocalBroker) -> None:
    status = kafka_broker.status()
    assert status.running and status.pid is not None
    assert status.bootstrap == f"127.0.0.1:{kafka_broker.config.port}" == kafka_broker.bootstrap_servers
    assert status.rss_bytes is not None and 50 * 2**20 < status.rss_bytes < 2 * 2**30

    started = time.monotonic()
    kafka_broker.start()
    assert time.monotonic() - started < 5, "start() on a running broker must not launch or wait for a new JVM"
    assert kafka_broker.status().pid == status.pid


def test_session_broker_round_trip(kafka_broker: LocalBroker, create_topics) -> None:
    topic = _topic()
    create_topics(kafka_broker.bootstrap_servers, {topic: 3})
    values = [f"message {i}".encode() for i in range(20)]
    _produce(kafka_broker.bootstrap_servers, topic, values)
    assert sorted(_consume_all(kafka_broker.bootstrap_servers, topic, len(values))) == sorted(values)


def test_broker_refuses_auto_topic_creation(kafka_broker: LocalBroker) -> None:
    topic = _topic()
    producer = KafkaProducer(bootstrap_servers=kafka_broker.bootstrap_servers, max_block_ms=2000)
    try:
        with pytest.raises(KafkaTimeoutError):
            producer.send(topic, b"a typo in a topic name must not create it").get(timeout=5)
    finally:
        producer.close()
    admin = KafkaAdminClient(bootstrap_servers=kafka_broker.bootstrap_servers)
    try:
        assert topic not in admin.list_topics()
    finally:
        admin.close()


def test_stop_then_restart_with_same_data_dir_keeps_messages(broker_factory, create_topics) -> None:
    broker = broker_factory()
    topic = _topic()
    create_topics(broker.bootstrap_servers, [topic])
    _produce(broker.bootstrap_servers, topic, [b"before restart"])
    cluster_id = (broker.data_dir / "meta.properties").read_text()

    broker.stop()
    broker.stop()  # idempotent
    assert not broker.status().running
    assert not broker.pid_path.exists()

    broker.start()
    assert broker.status().running
    assert (broker.data_dir / "meta.properties").read_text() == cluster_id, "restart must not reformat the storage"
    _produce(broker.bootstrap_servers, topic, [b"after restart"])
    assert _consume_all(broker.bootstrap_servers, topic, 2) == [b"before restart", b"after restart"]


def test_killed_broker_recovers_its_log(broker_factory, create_topics) -> None:
    broker = broker_factory()
    topic = _topic()
    create_topics(broker.bootstrap_servers, [topic])
    values = [f"acked {i}".encode() for i in range(50)]
    _produce(broker.bootstrap_servers, topic, values)

    pid = broker.status().pid
    broker.kill()
    assert not broker.status().running
    broker.start()
    assert broker.status().pid != pid
    assert _consume_all(broker.bootstrap_servers, topic, len(values)) == values


def test_second_broker_on_a_taken_port_fails_clearly(kafka_broker: LocalBroker, tmp_path) -> None:
    intruder = LocalBroker(
        BrokerConfig(base_dir=tmp_path, port=kafka_broker.config.port, controller_port=kafka_broker.config.port + 1)
    )
    with pytest.raises(BrokerError, match="already in use"):
        intruder.start(timeout=10)
    assert not intruder.status().running


def test_another_manager_instance_sees_and_stops_the_broker(broker_factory) -> None:
    """The CLI starts the broker in one process and stops it from another: state lives in files, not in memory."""
    broker = broker_factory()
    other = LocalBroker(broker.config)
    assert other.status().pid == broker.status().pid
    other.start(timeout=10)  # already running with this config: returns once ready, same JVM
    assert other.status().pid == broker.status().pid

    with pytest.raises(BrokerError, match="other settings already runs"):
        LocalBroker(dataclasses.replace(broker.config, port=free_ports(1)[0])).start(timeout=10)
    assert broker.status().running, "a refused start must leave the running broker alone"

    other.stop()
    assert not broker.status().running


SASL_USERS = {"alice": "alice-secret", "bob": "bob-secret"}


@pytest.fixture(scope="module")
def sasl_broker(tmp_path_factory, kafka_jars):
    broker = loopback_broker(tmp_path_factory.mktemp("kafka-sasl"), sasl_users=SASL_USERS)
    try:
        broker.start()
        yield broker
    finally:
        broker.stop(timeout=20)


@pytest.mark.parametrize("mechanism", ["PLAIN", "SCRAM-SHA-512"])
def test_sasl_right_credentials_produce_and_consume(sasl_broker: LocalBroker, create_topics, mechanism: str) -> None:
    topic = _topic()
    create_topics(sasl_broker.bootstrap_servers, [topic], **sasl_broker.client_config())
    credentials = {
        "security_protocol": "SASL_PLAINTEXT",
        "sasl_mechanism": mechanism,
        "sasl_plain_username": "bob",
        "sasl_plain_password": SASL_USERS["bob"],
    }
    _produce(sasl_broker.bootstrap_servers, topic, [mechanism.encode()], **credentials)
    assert _consume_all(sasl_broker.bootstrap_servers, topic, 1, **credentials) == [mechanism.encode()]


@pytest.mark.parametrize("mechanism", ["PLAIN", "SCRAM-SHA-512"])
@pytest.mark.parametrize(("username", "password"), [("alice", "wrong-password"), ("mallory", "alice-secret")])
def test_sasl_wrong_credentials_fail_fast(
    sasl_broker: LocalBroker, caplog: pytest.LogCaptureFixture, mechanism: str, username: str, password: str
) -> None:
    async def connect() -> None:
        producer = AIOKafkaProducer(
            bootstrap_servers=sasl_broker.bootstrap_servers,
            security_protocol="SASL_PLAINTEXT",
            sasl_mechanism=mechanism,
            sasl_plain_username=username,
            sasl_plain_password=password,
        )
        try:
            await producer.start()
        finally:
            await producer.stop()

    server_log = sasl_broker.logs_dir / "server.log"
    rejections_before = server_log.read_text().count("Failed authentication")
    started = time.monotonic()
    with pytest.raises(KafkaConnectionError):
        asyncio.run(connect())
    assert time.monotonic() - started < 10, "a wrong password must fail at once, not after retries"
    assert "SaslAuthenticationFailed" in caplog.text
    assert server_log.read_text().count("Failed authentication") > rejections_before


def test_sasl_broker_seen_from_another_manager_instance_is_ready(sasl_broker: LocalBroker) -> None:
    """The readiness probe's inter-broker credentials persist in the broker dir, so `broker start` twice works."""
    started = time.monotonic()
    LocalBroker(sasl_broker.config).start(timeout=10)
    assert time.monotonic() - started < 5


def test_sasl_broker_rejects_unauthenticated_clients(sasl_broker: LocalBroker) -> None:
    with pytest.raises(Exception, match="(?i)bootstrap"):
        KafkaProducer(bootstrap_servers=sasl_broker.bootstrap_servers, bootstrap_timeout_ms=2000).close()


@pytest.mark.slow
def test_three_node_cluster_survives_one_stopped_node(cluster_factory, create_topics) -> None:
    cluster = cluster_factory(3)
    topic = _topic()
    create_topics(cluster.bootstrap_servers, {topic: 4}, replication_factor=3)
    first = [f"all nodes {i}".encode() for i in range(20)]
    _produce(cluster.bootstrap_servers, topic, first)

    cluster.stop_node(0)
    assert not cluster.nodes[0].status().running
    # acks=all with min.insync.replicas=2 still succeeds on two of three replicas.
    second = [f"two nodes {i}".encode() for i in range(20)]
    _produce(cluster.bootstrap_servers, topic, second)

    cluster.start_node(0)
    assert all(node.status().running for node in cluster.nodes)
    assert sorted(_consume_all(cluster.bootstrap_servers, topic, 40)) == sorted(first + second)


def test_test_brokers_die_with_the_process_that_started_them(tmp_path) -> None:
    """A test run killed with SIGKILL must not leave a JVM behind (die_with_parent, used by every fixture)."""
    port, controller_port = free_ports(2)
    script = textwrap.dedent(
        f"""
        import os, signal
        from pathlib import Path
        from streams.harness.broker import BrokerConfig, LocalBroker
        broker = LocalBroker(BrokerConfig(Path({str(tmp_path)!r}), port={port}, controller_port={controller_port},
                                          die_with_parent=True))
        broker.start()
        print(broker.status().pid, flush=True)
        os.kill(os.getpid(), signal.SIGKILL)
        """
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert result.returncode == -signal.SIGKILL, result.stderr
    pid = int(result.stdout.strip())
    deadline = time.monotonic() + 30
    while Path(f"/proc/{pid}").exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not Path(f"/proc/{pid}").exists(), "the broker JVM outlived the process that started it"
    assert not LocalBroker(BrokerConfig(tmp_path, port=port, controller_port=controller_port)).status().running
