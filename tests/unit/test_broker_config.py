"""Local broker manager without a JVM: config validation, rendered properties, cluster ids, jar cache, pid guard."""

from __future__ import annotations

import base64
import hashlib
import os
import socket
import stat
from pathlib import Path

import pytest

from streams.harness import broker as broker_module
from streams.harness import jars as jars_module
from streams.harness.broker import BrokerConfig, LocalBroker, new_cluster_id, stored_cluster_id
from streams.harness.jars import KAFKA_LOCAL_DIR, BrokerError, ensure_jars
from streams.harness.processes import free_ports
from streams.settings import Settings


def _properties(text: str) -> dict[str, str]:
    pairs = (line.split("=", 1) for line in text.splitlines() if line and not line.startswith("#"))
    return {key: value for key, value in pairs}


def test_heap_flags_start_at_half_the_maximum() -> None:
    assert BrokerConfig(Path("x")).heap_flags == ("-Xms256m", "-Xmx512m")
    assert BrokerConfig(Path("x"), heap="1g").heap_flags == ("-Xms512m", "-Xmx1024m")
    assert BrokerConfig(Path("x"), heap="100m").heap_flags == ("-Xms64m", "-Xmx100m")


@pytest.mark.parametrize(
    "overrides",
    [
        {"heap": "512"},
        {"heap": "lots"},
        {"port": 9093},
        {"replication_factor": 1, "min_insync_replicas": 2},
        {"sasl_users": {"alice": 'pass"word'}},
        {"sasl_users": {"alice": ""}},
        {"sasl_users": {"al ice": "secret"}},
        {"sasl_users": {"alice": "a,b"}},
        {"sasl_users": {"newsevents-internal-broker": "secret"}},
    ],
)
def test_invalid_config_is_rejected(overrides: dict) -> None:
    with pytest.raises(ValueError):
        BrokerConfig(Path("x"), **overrides)


def test_single_node_properties(tmp_path: Path) -> None:
    node = LocalBroker(BrokerConfig(tmp_path, port=19092, controller_port=19093))
    props = _properties(node.render_properties())
    assert props["process.roles"] == "broker,controller"
    assert props["controller.quorum.voters"] == "1@127.0.0.1:19093"
    assert props["listeners"] == "PLAINTEXT://127.0.0.1:19092,CONTROLLER://127.0.0.1:19093"
    assert props["advertised.listeners"] == "PLAINTEXT://127.0.0.1:19092"
    assert props["log.dirs"] == str(tmp_path.resolve() / "data")
    assert props["auto.create.topics.enable"] == "false"
    assert props["group.initial.rebalance.delay.ms"] == "0"
    for key in (
        "offsets.topic.replication.factor",
        "transaction.state.log.replication.factor",
        "transaction.state.log.min.isr",
        "share.coordinator.state.topic.replication.factor",
        "share.coordinator.state.topic.min.isr",
        "min.insync.replicas",
    ):
        assert props[key] == "1", key
    assert not any(key.startswith("sasl.") or ".sasl." in key for key in props)


def test_cluster_node_properties(tmp_path: Path) -> None:
    config = BrokerConfig(
        tmp_path,
        port=19192,
        controller_port=19193,
        node_id=2,
        quorum_voters=((1, 19093), (2, 19193), (3, 19293)),
        replication_factor=3,
        min_insync_replicas=2,
    )
    props = _properties(LocalBroker(config).render_properties())
    assert props["node.id"] == "2"
    assert props["controller.quorum.voters"] == "1@127.0.0.1:19093,2@127.0.0.1:19193,3@127.0.0.1:19293"
    assert props["offsets.topic.replication.factor"] == "3"
    assert props["transaction.state.log.min.isr"] == "2"
    assert props["min.insync.replicas"] == "2"


def test_sasl_properties_enable_plain_and_scram(tmp_path: Path) -> None:
    node = LocalBroker(BrokerConfig(tmp_path, port=19092, controller_port=19093, sasl_users={"alice": "s3cret"}))
    props = _properties(node.render_properties())
    assert props["listeners"].startswith("SASL_PLAINTEXT://127.0.0.1:19092,")
    assert props["inter.broker.listener.name"] == "SASL_PLAINTEXT"
    assert props["sasl.enabled.mechanisms"] == "PLAIN,SCRAM-SHA-512"
    plain = props["listener.name.sasl_plaintext.plain.sasl.jaas.config"]
    assert 'user_alice="s3cret"' in plain and plain.endswith(";")
    assert "ScramLoginModule" in props["listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config"]
    assert node.client_config()["security_protocol"] == "SASL_PLAINTEXT"


def test_properties_file_is_private(tmp_path: Path) -> None:
    node = LocalBroker(BrokerConfig(tmp_path, port=19092, controller_port=19093, sasl_users={"alice": "s3cret"}))
    node._write_properties()
    assert stat.S_IMODE(node.properties_path.stat().st_mode) == 0o600


def test_from_settings() -> None:
    plain = BrokerConfig.from_settings(Settings(broker_dir=Path("d"), broker_port=1234, controller_port=1235))
    assert (plain.base_dir, plain.port, plain.controller_port, plain.sasl_users) == (Path("d"), 1234, 1235, None)
    sasl = BrokerConfig.from_settings(
        Settings(
            security_protocol="SASL_PLAINTEXT",
            sasl_mechanism="SCRAM-SHA-512",
            sasl_username="worker",
            sasl_password="pw-1",
        )
    )
    assert sasl.sasl_users == {"worker": "pw-1"}
    with pytest.raises(BrokerError, match="SSL"):
        BrokerConfig.from_settings(Settings(security_protocol="SSL"))


def test_cluster_ids_look_like_kafkas() -> None:
    ids = {new_cluster_id() for _ in range(200)}
    assert len(ids) == 200
    for cluster_id in ids:
        assert len(cluster_id) == 22 and not cluster_id.startswith("-")
        assert len(base64.urlsafe_b64decode(cluster_id + "==")) == 16


def test_stored_cluster_id_is_stable(tmp_path: Path) -> None:
    first = stored_cluster_id(tmp_path / "new")
    assert stored_cluster_id(tmp_path / "new") == first


def test_free_ports_are_distinct_and_bindable() -> None:
    ports = free_ports(6)
    assert len(set(ports)) == 6
    for port in ports:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", port))


def test_taken_port_fails_before_any_jvm(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(broker_module, "ensure_jars", lambda *_: pytest.fail("must not fetch jars"))
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        node = LocalBroker(BrokerConfig(tmp_path, port=port, controller_port=free_ports(1)[0]))
        with pytest.raises(BrokerError, match=f"127.0.0.1:{port} is already in use"):
            node.start(timeout=5)


def test_foreign_pid_in_pid_file_is_not_our_broker(tmp_path: Path) -> None:
    node = LocalBroker(BrokerConfig(tmp_path))
    tmp_path.mkdir(exist_ok=True)
    node.pid_path.write_text(f"{os.getpid()}\n")  # alive, but pytest, not kafka.Kafka
    status = node.status()
    assert (status.running, status.pid, status.rss_bytes) == (False, None, None)
    node.stop()  # nothing to stop, and nothing signalled
    assert not node.pid_path.exists()


def test_cached_jars_skip_maven(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "kafka_2.13-4.0.0.jar").write_bytes(b"")
    digest = hashlib.sha256((KAFKA_LOCAL_DIR / "pom.xml").read_bytes()).hexdigest()
    (tmp_path / ".pom-sha256").write_text(digest + "\n")
    monkeypatch.setattr(jars_module.subprocess, "run", lambda *a, **k: pytest.fail("Maven must not run"))
    assert ensure_jars(tmp_path) == tmp_path.resolve()


def test_missing_maven_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_which = jars_module.shutil.which
    monkeypatch.setattr(jars_module.shutil, "which", lambda name: None if name == "mvn" else real_which(name))
    (tmp_path / ".pom-sha256").write_text("outdated\n")
    with pytest.raises(BrokerError, match=r"Maven \(mvn\) is not on PATH"):
        ensure_jars(tmp_path)


def test_tls_properties_put_a_pem_keystore_on_the_client_listener(tmp_path: Path) -> None:
    keystore, truststore = tmp_path / "server.pem", tmp_path / "ca.pem"
    node = LocalBroker(
        BrokerConfig(
            tmp_path, port=19092, controller_port=19093, tls_keystore_pem=keystore, tls_truststore_pem=truststore
        )
    )
    props = _properties(node.render_properties())
    assert props["listeners"].startswith("SSL://127.0.0.1:19092,") and props["inter.broker.listener.name"] == "SSL"
    assert props["ssl.keystore.type"] == "PEM" and props["ssl.keystore.location"] == str(keystore)
    assert props["ssl.truststore.location"] == str(truststore)
    assert "SSL:SSL" in props["listener.security.protocol.map"]
    assert node.client_config() == {"security_protocol": "SSL", "ssl_cafile": str(truststore)}


def test_tls_with_sasl_makes_a_sasl_ssl_listener(tmp_path: Path) -> None:
    node = LocalBroker(
        BrokerConfig(
            tmp_path,
            port=19092,
            controller_port=19093,
            sasl_users={"alice": "s3cret"},
            tls_keystore_pem=tmp_path / "server.pem",
            tls_truststore_pem=tmp_path / "ca.pem",
        )
    )
    props = _properties(node.render_properties())
    assert props["listeners"].startswith("SASL_SSL://")
    assert "ScramLoginModule" in props["listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config"]
    assert node.client_config()["security_protocol"] == "SASL_SSL"


def test_tls_needs_both_pem_files(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="both"):
        BrokerConfig(tmp_path, port=19092, controller_port=19093, tls_keystore_pem=tmp_path / "server.pem")
