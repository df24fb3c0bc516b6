"""Real local Kafka brokers for integration tests: started only by tests that request these fixtures, always stopped.
And `--extraction-sources`: the run reads the extraction from its sources, whatever compiled build lies beside them."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest

from streams.harness.broker import LocalBroker, loopback_broker
from streams.harness.cluster import LocalCluster
from streams.harness.jars import BrokerError, ensure_jars

SOURCES_OPTION = "--extraction-sources"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        SOURCES_OPTION,
        action="store_true",
        help="import streams/extraction from its .py sources, whatever compiled build lies beside them (`make test` "
        "runs the extraction's tests once more this way: the suite itself runs against the compiled build)",
    )


def pytest_configure(config: pytest.Config) -> None:
    if not config.getoption(SOURCES_OPTION):
        return
    if "streams.extraction" in sys.modules:  # a plugin or conftest imported it first: too late to choose
        raise pytest.UsageError(f"{SOURCES_OPTION}: streams.extraction was imported before the option took effect")
    from streams.dataset import sources_only  # (importing it chooses the sources already; said here explicitly)

    sources_only(Path(__file__).resolve().parents[1] / "streams" / "extraction")


def _fail(what: str, error: BrokerError) -> None:
    # A missing Java/Maven or a broker that cannot start is a broken environment: fail loudly, never skip.
    pytest.fail(f"{what}: {error}", pytrace=False)


def _start(what: str, server: LocalBroker | LocalCluster) -> None:
    try:
        server.start()
    except BrokerError as error:
        _fail(f"{what} did not start", error)


@pytest.fixture(scope="session")
def kafka_jars() -> Path:
    """Kafka's class path, fetched by Maven on the first run of the suite and cached afterwards."""
    try:
        return ensure_jars()
    except BrokerError as error:
        _fail("cannot prepare the Kafka broker jars", error)
        raise  # unreachable: pytest.fail raises


@pytest.fixture(scope="session")
def kafka_broker(tmp_path_factory: pytest.TempPathFactory, kafka_jars: Path) -> Iterator[LocalBroker]:
    """One single-node KRaft broker on free loopback ports, shared by the whole session."""
    broker = loopback_broker(tmp_path_factory.mktemp("kafka"))
    _start("the session's Kafka broker", broker)  # a start that times out kills its JVM itself
    try:
        yield broker
    finally:
        broker.stop(timeout=20)


@pytest.fixture
def broker_factory(tmp_path_factory: pytest.TempPathFactory, kafka_jars: Path) -> Iterator[Callable[..., LocalBroker]]:
    """make(start=True, **BrokerConfig fields) -> a broker of the test's own (fault tests stop, kill and restart it)."""
    brokers: list[LocalBroker] = []

    def make(*, start: bool = True, **config: Any) -> LocalBroker:
        broker = loopback_broker(config.pop("base_dir", None) or tmp_path_factory.mktemp("kafka-own"), **config)
        brokers.append(broker)
        if start:
            _start("a test's own Kafka broker", broker)
        return broker

    try:
        yield make
    finally:
        for broker in brokers:
            broker.stop(timeout=20)


@pytest.fixture
def cluster_factory(
    tmp_path_factory: pytest.TempPathFactory, kafka_jars: Path
) -> Iterator[Callable[..., LocalCluster]]:
    """make(size=3, start=True, **LocalCluster options) -> a KRaft cluster on loopback, stopped after the test."""
    clusters: list[LocalCluster] = []

    def make(size: int = 3, *, start: bool = True, **options: Any) -> LocalCluster:
        options.setdefault("die_with_parent", True)
        cluster = LocalCluster(tmp_path_factory.mktemp("kafka-cluster"), size, **options)
        clusters.append(cluster)
        if start:
            _start("the Kafka cluster", cluster)
        return cluster

    try:
        yield make
    finally:
        for cluster in clusters:
            cluster.stop(timeout=20)


@pytest.fixture(scope="session")
def create_topics() -> Callable[..., None]:
    """create(bootstrap_servers, topics, partitions=1, replication_factor=1, configs=None, **client_options).

    topics: names, or a mapping name -> partition count. Returns once every partition has a leader.
    client_options: kafka-python security settings (e.g. LocalBroker.client_config() on a SASL broker).
    """
    from kafka.admin import KafkaAdminClient
    from kafka.errors import UnknownBrokerIdError

    def create(
        bootstrap_servers: str,
        topics: Sequence[str] | Mapping[str, int],
        partitions: int = 1,
        replication_factor: int = 1,
        configs: Mapping[str, str] | None = None,
        **client_options: Any,
    ) -> None:
        counts = dict(topics) if isinstance(topics, Mapping) else dict.fromkeys(topics, partitions)
        specs = {
            name: {"num_partitions": count, "replication_factor": replication_factor, "configs": dict(configs or {})}
            for name, count in counts.items()
        }
        # A freshly started multi-node cluster may still hand a new client metadata that names a controller the
        # client has not learned of yet (UnknownBrokerIdError): a new client, a moment later, sees the full cluster.
        deadline = time.monotonic() + 20
        while True:
            admin = KafkaAdminClient(bootstrap_servers=bootstrap_servers, **client_options)
            try:
                admin.create_topics(specs, timeout_ms=30_000, wait_for_metadata=True)
                return
            except UnknownBrokerIdError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)
            finally:
                admin.close()

    return create
