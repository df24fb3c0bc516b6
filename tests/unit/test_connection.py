"""TLS and SASL settings reach both the Faust worker's credentials and every kafka-python client's options."""

from __future__ import annotations

import ssl
import subprocess
from pathlib import Path

import faust
import pytest

from streams.kafka.connection import faust_broker_url, faust_credentials, kafka_python_options
from streams.settings import Settings


@pytest.fixture(scope="module")
def client_certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate and key made with the system's openssl (also used as the CA file)."""
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "client.pem", folder / "client.key"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=newsevents-test",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


def test_plaintext_has_no_credentials() -> None:
    settings = Settings(bootstrap_servers="a:1, b:2")
    assert faust_credentials(settings) is None
    assert kafka_python_options(settings) == {"bootstrap_servers": ["a:1", "b:2"], "security_protocol": "PLAINTEXT"}
    assert faust_broker_url(settings) == "kafka://a:1;b:2"


def test_sasl_ssl_reaches_faust_and_kafka_python(client_certificate: tuple[Path, Path]) -> None:
    cert, key = client_certificate
    settings = Settings(
        security_protocol="SASL_SSL",
        sasl_mechanism="SCRAM-SHA-512",
        sasl_username="worker",
        sasl_password="s3cret",
        ssl_cafile=cert,
        ssl_certfile=cert,
        ssl_keyfile=key,
    )
    credentials = faust_credentials(settings)
    assert isinstance(credentials, faust.SASLCredentials)
    assert (credentials.username, credentials.password, str(credentials.mechanism.value)) == (
        "worker",
        "s3cret",
        "SCRAM-SHA-512",
    )
    assert isinstance(credentials.ssl_context, ssl.SSLContext)
    assert credentials.ssl_context.verify_mode is ssl.CERT_REQUIRED and credentials.ssl_context.check_hostname

    options = kafka_python_options(settings)
    assert options["security_protocol"] == "SASL_SSL"
    assert (options["sasl_mechanism"], options["sasl_plain_username"], options["sasl_plain_password"]) == (
        "SCRAM-SHA-512",
        "worker",
        "s3cret",
    )
    assert isinstance(options["ssl_context"], ssl.SSLContext)
    # The CA file was loaded into the trust store.
    assert any(
        item.get("subject") == ((("commonName", "newsevents-test"),),) for item in options["ssl_context"].get_ca_certs()
    )


def test_ssl_only_uses_ssl_credentials(client_certificate: tuple[Path, Path]) -> None:
    cert, _ = client_certificate
    settings = Settings(security_protocol="SSL", ssl_cafile=cert)
    credentials = faust_credentials(settings)
    assert isinstance(credentials, faust.SSLCredentials)
    assert "sasl_mechanism" not in kafka_python_options(settings)


def test_unreadable_ca_file_fails_at_start_up(tmp_path: Path) -> None:
    settings = Settings(security_protocol="SSL", ssl_cafile=tmp_path / "missing.pem")
    with pytest.raises((FileNotFoundError, ssl.SSLError)):
        kafka_python_options(settings)
