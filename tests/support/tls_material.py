"""Throw-away TLS material for tests, made with the system's openssl: a CA and a server certificate for 127.0.0.1."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class TlsMaterial:
    ca_pem: Path  # what clients (and the broker, for its own inter-broker connections) trust
    server_keystore_pem: Path  # the server's PKCS#8 key followed by its certificate and the CA: Kafka's PEM keystore


def _openssl(*args: str, cwd: Path) -> None:
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True, timeout=60)


def make_ca(directory: Path, name: str = "ca") -> tuple[Path, Path]:
    """A self-signed CA valid for a day: (certificate, key)."""
    directory.mkdir(parents=True, exist_ok=True)
    _openssl(
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "1",
        "-subj",
        f"/CN=newsevents test {name}",
        "-addext",
        "basicConstraints=critical,CA:TRUE",
        "-addext",
        "keyUsage=critical,keyCertSign,cRLSign",
        "-keyout",
        f"{name}.key",
        "-out",
        f"{name}.pem",
        cwd=directory,
    )
    return directory / f"{name}.pem", directory / f"{name}.key"


def make_server_material(directory: Path) -> TlsMaterial:
    """A CA and a certificate it signed for 127.0.0.1 and localhost, as Kafka's PEM keystore and truststore."""
    ca_pem, ca_key = make_ca(directory)
    (directory / "san.cnf").write_text(
        "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth,clientAuth\n"
    )
    _openssl(
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-subj",
        "/CN=localhost",
        "-keyout",
        "server.key",
        "-out",
        "server.csr",
        cwd=directory,
    )
    _openssl(
        "x509",
        "-req",
        "-in",
        "server.csr",
        "-CA",
        ca_pem.name,
        "-CAkey",
        ca_key.name,
        "-CAcreateserial",
        "-days",
        "1",
        "-extfile",
        "san.cnf",
        "-out",
        "server.crt",
        cwd=directory,
    )
    keystore = directory / "server-keystore.pem"
    keystore.write_text("".join((directory / name).read_text() for name in ("server.key", "server.crt", ca_pem.name)))
    keystore.chmod(0o600)
    return TlsMaterial(ca_pem=ca_pem, server_keystore_pem=keystore)
