"""Security on the real broker: SASL (PLAIN, SCRAM-SHA-512) end to end, fast failure on bad credentials, no leaked
secrets, and a web endpoint bound only where configured."""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest
from support.tls_material import TlsMaterial, make_ca, make_server_material

from streams.harness.broker import LocalBroker, loopback_broker
from streams.harness.processes import free_ports
from streams.harness.worker import PROJECT_ROOT, WorkerProcess, isolated_settings, settings_env
from streams.kafka.preflight import KafkaUnavailable, check_kafka
from streams.settings import Settings

pytestmark = [pytest.mark.integration, pytest.mark.slow]

USER = "newsroom"
# Random per run, so finding it anywhere in the output can only mean a leak. Letters, digits and '-' only:
# the broker's JAAS config takes no quotes or separators.
PASSWORD = "pw-" + secrets.token_hex(12)
WRONG_PASSWORD = "pw-" + secrets.token_hex(12)
MECHANISMS = ["PLAIN", "SCRAM-SHA-512"]
FAIL_FAST_SECONDS = 15.0  # interpreter start, imports and one refused handshake; the clients alone retried 30 s+
CLI_TIMEOUT_SECONDS = 120


@pytest.fixture(scope="module")
def sasl_broker(tmp_path_factory: pytest.TempPathFactory, kafka_jars: Path) -> Iterator[LocalBroker]:
    """A broker whose client listener requires SASL (PLAIN and SCRAM-SHA-512) for user USER."""
    yield from _running_broker(tmp_path_factory.mktemp("kafka-sasl"), sasl_users={USER: PASSWORD})


def _running_broker(base_dir: Path, **security: Any) -> Iterator[LocalBroker]:
    """A started broker on free loopback ports with the given security settings, stopped when the caller is done."""
    broker = loopback_broker(base_dir, **security)
    try:
        broker.start()
        yield broker
    finally:
        broker.stop(timeout=20)


def _sasl_settings(broker: LocalBroker, work_dir: Path, mechanism: str, password: str, **overrides: Any) -> Settings:
    return isolated_settings(
        broker.bootstrap_servers,
        work_dir,
        security_protocol="SASL_PLAINTEXT",
        sasl_mechanism=mechanism,
        sasl_username=USER,
        sasl_password=password,
        **overrides,
    )


def _cli(settings: Settings, *args: str) -> tuple[subprocess.CompletedProcess[str], float]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("NEWSEVENTS_")}
    env.update(settings_env(settings))
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "streams.commands.cli", *args],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=CLI_TIMEOUT_SECONDS,
    )
    return result, time.monotonic() - started


def _assert_no_secret(where: str, text: str) -> None:
    for secret in (PASSWORD, WRONG_PASSWORD):
        assert secret not in text, f"a SASL password appears in {where}"


@pytest.mark.parametrize("mechanism", MECHANISMS)
def test_right_credentials_work_for_worker_and_every_cli_client(
    sasl_broker: LocalBroker, tmp_path: Path, mechanism: str
) -> None:
    settings = _sasl_settings(sasl_broker, tmp_path, mechanism, PASSWORD, log_level="debug")
    outputs: dict[str, str] = {}

    created, _ = _cli(settings, "topics", "create")
    outputs["topics create"] = created.stdout + created.stderr
    assert created.returncode == 0, created.stderr

    worker = WorkerProcess(settings, tmp_path / "worker.log")
    try:
        worker.wait_healthy()
        articles = tmp_path / "articles.jsonl"
        lines = [
            orjson.dumps({"id": f"sasl-{n}", "text": "Poland has sent 2,000 soldiers to Lithuania, officials said."})
            for n in range(5)
        ]
        articles.write_bytes(b"\n".join([*lines, b"{not json"]) + b"\n")
        fed, _ = _cli(settings, "feed", str(articles))
        outputs["feed"] = fed.stdout + fed.stderr
        assert fed.returncode == 0, fed.stderr

        tailed, _ = _cli(
            settings, "tail", settings.topic_processed, "--from-beginning", "--max", "6", "--timeout", "60"
        )
        outputs["tail"] = tailed.stdout + tailed.stderr
        assert tailed.returncode == 0, tailed.stderr
        outcomes = [orjson.loads(line) for line in tailed.stdout.splitlines()]
        assert sorted(o["status"] for o in outcomes) == ["dead_letter"] + ["ok"] * 5

        outputs["/metrics"] = worker.metrics()
        outputs["/health"] = worker.get("/health")[1].decode()
        assert worker.terminate() == 0
    finally:
        worker.kill()
    outputs["worker log (debug level)"] = worker.log_path.read_text(errors="replace")
    for where, text in outputs.items():
        _assert_no_secret(where, text)


COMMANDS = [["worker"], ["topics", "create"], ["feed", "ARTICLES"], ["tail", "TOPIC", "--timeout", "5"]]
WRONG = [(mechanism, WRONG_PASSWORD, command) for mechanism in MECHANISMS for command in COMMANDS]
WRONG.append(("SCRAM-SHA-256", PASSWORD, ["worker"]))  # a mechanism the broker does not enable


@pytest.mark.parametrize(("mechanism", "password", "command"), WRONG, ids=[f"{m}-{c[0]}" for m, _, c in WRONG])
def test_wrong_credentials_fail_fast_with_a_clear_message(
    sasl_broker: LocalBroker, tmp_path: Path, mechanism: str, password: str, command: list[str]
) -> None:
    settings = _sasl_settings(sasl_broker, tmp_path, mechanism, password)
    articles = tmp_path / "articles.jsonl"
    articles.write_bytes(orjson.dumps({"id": "x", "text": "Soldaten wurden verlegt."}) + b"\n")
    args = [{"ARTICLES": str(articles), "TOPIC": settings.topic_raw}.get(arg, arg) for arg in command]

    result, seconds = _cli(settings, *args)

    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert seconds < FAIL_FAST_SECONDS, f"{command} took {seconds:.1f}s to fail"
    assert "rejected the credentials" in result.stderr and mechanism in result.stderr and USER in result.stderr, (
        result.stderr
    )
    assert "Traceback" not in output, output
    _assert_no_secret(f"the output of {' '.join(command)}", output)


def test_unreachable_broker_is_reported_within_the_timeout() -> None:
    (closed_port,) = free_ports(1)
    settings = Settings(bootstrap_servers=f"127.0.0.1:{closed_port}")
    started = time.monotonic()
    with pytest.raises(KafkaUnavailable, match=f"127.0.0.1:{closed_port}"):
        check_kafka(settings, timeout=2.0)
    assert time.monotonic() - started < 5.0


# ----------------------------------------------------------------------------------------- web bind address


def _listening_addresses(port: int) -> set[str]:
    """Local addresses with a TCP socket in LISTEN state on `port` (from /proc/net/tcp and tcp6)."""
    found = set()
    for table, width in (("/proc/net/tcp", 8), ("/proc/net/tcp6", 32)):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address_hex, port_hex = local.split(":")
            if state != "0A" or int(port_hex, 16) != port:
                continue
            raw = bytes.fromhex(address_hex)
            # The kernel prints each 32-bit word in host (little-endian) order.
            words = b"".join(raw[i : i + 4][::-1] for i in range(0, len(raw), 4))
            family = socket.AF_INET if width == 8 else socket.AF_INET6
            found.add(socket.inet_ntop(family, words))
    return found


def _connects(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=2):
            return True
    except OSError:
        return False


@pytest.mark.parametrize("web_host", ["127.0.0.1", "127.0.0.2"])
def test_web_endpoint_listens_only_on_the_configured_address(
    kafka_broker: LocalBroker, tmp_path: Path, web_host: str
) -> None:
    settings = isolated_settings(kafka_broker.bootstrap_servers, tmp_path, web_host=web_host)
    if web_host == "127.0.0.1":
        assert Settings().web_host == "127.0.0.1"  # the default outside containers
    worker = WorkerProcess(settings, tmp_path / "worker.log")
    try:
        worker.wait_healthy()
        assert _listening_addresses(settings.web_port) == {web_host}
        assert _connects(web_host, settings.web_port)
        other = "127.0.0.2" if web_host == "127.0.0.1" else "127.0.0.1"
        assert not _connects(other, settings.web_port)
        assert worker.terminate() == 0
    finally:
        worker.kill()


# ------------------------------------------------------------------------------------------------------------ TLS


@pytest.fixture(scope="module")
def tls_material(tmp_path_factory: pytest.TempPathFactory) -> TlsMaterial:
    return make_server_material(tmp_path_factory.mktemp("tls"))


@pytest.fixture(scope="module")
def tls_broker(
    tmp_path_factory: pytest.TempPathFactory, kafka_jars: Path, tls_material: TlsMaterial
) -> Iterator[LocalBroker]:
    """A broker whose client listener speaks TLS only, with a certificate for 127.0.0.1 from a test CA."""
    yield from _running_broker(
        tmp_path_factory.mktemp("kafka-tls"),
        tls_keystore_pem=tls_material.server_keystore_pem,
        tls_truststore_pem=tls_material.ca_pem,
    )


def test_tls_listener_works_for_worker_and_every_cli_client(
    tls_broker: LocalBroker, tls_material: TlsMaterial, tmp_path: Path
) -> None:
    settings = isolated_settings(
        tls_broker.bootstrap_servers, tmp_path, security_protocol="SSL", ssl_cafile=tls_material.ca_pem
    )
    created, _ = _cli(settings, "topics", "create")
    assert created.returncode == 0, created.stderr

    worker = WorkerProcess(settings, tmp_path / "worker.log")
    try:
        worker.wait_healthy()
        fed, _ = _cli(settings, "feed", str(PROJECT_ROOT / "fixtures" / "kursk-article.json"))
        assert fed.returncode == 0, fed.stderr
        tailed, _ = _cli(
            settings, "tail", settings.topic_processed, "--from-beginning", "--max", "1", "--timeout", "60"
        )
        assert tailed.returncode == 0, tailed.stderr
        [outcome] = [orjson.loads(line) for line in tailed.stdout.splitlines()]
        assert outcome["status"] == "ok" and outcome["events"] >= 3, outcome
        events, _ = _cli(
            settings, "tail", settings.topic_deployment, "--from-beginning", "--max", "1", "--timeout", "30"
        )
        assert events.returncode == 0 and orjson.loads(events.stdout.splitlines()[0])["actor"]["country"] == "PRK", (
            events.stdout
        )
        assert worker.terminate() == 0
    finally:
        worker.kill()


def test_plaintext_client_on_the_tls_listener_is_not_served(tls_broker: LocalBroker, tmp_path: Path) -> None:
    settings = isolated_settings(tls_broker.bootstrap_servers, tmp_path)
    with pytest.raises(KafkaUnavailable):
        check_kafka(settings, timeout=3)


def test_a_broker_certificate_from_an_untrusted_ca_fails_fast_with_a_clear_message(
    tls_broker: LocalBroker, tmp_path: Path
) -> None:
    other_ca, _ = make_ca(tmp_path / "other", name="other-ca")
    settings = isolated_settings(tls_broker.bootstrap_servers, tmp_path, security_protocol="SSL", ssl_cafile=other_ca)
    result, seconds = _cli(settings, "topics", "create")
    assert result.returncode == 1 and seconds < FAIL_FAST_SECONDS, (seconds, result.stderr)
    assert "not trusted: self-signed certificate in certificate chain" in result.stderr, result.stderr
    assert "NEWSEVENTS_SSL_CAFILE" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
