"""Fail fast before a Kafka client starts: reach a bootstrap server and authenticate once, with a clear verdict."""

from __future__ import annotations

import asyncio
import ssl
import time

from aiokafka import errors
from aiokafka.conn import create_conn

from streams.kafka.connection import bootstrap_list, kafka_python_options
from streams.settings import Settings

# Long enough for a broker that is still starting (docker compose, `make demo`), short enough to notice a typo.
DEFAULT_CONNECT_TIMEOUT_SECONDS = 30.0
_RETRY_DELAY_SECONDS = 0.5
# The broker's verdict on our credentials: retrying cannot change it (the real clients would retry forever).
_AUTH_ERRORS = (
    errors.SaslAuthenticationFailed,
    errors.AuthenticationFailedError,
    errors.AuthenticationMethodNotSupported,
    errors.UnsupportedSaslMechanismError,
    errors.IllegalSaslStateError,
)


class KafkaUnavailable(RuntimeError):
    """No bootstrap server could be reached in time. The message names the servers, never credentials."""


class KafkaAuthenticationFailed(KafkaUnavailable):
    """A broker answered and refused our credentials or SASL mechanism."""


class KafkaCertificateRejected(KafkaUnavailable):
    """A broker answered with a TLS certificate we do not trust (or one for another host name)."""


def check_kafka(settings: Settings, *, timeout: float = DEFAULT_CONNECT_TIMEOUT_SECONDS) -> None:
    """Open one authenticated connection to any bootstrap server; raise KafkaUnavailable or KafkaAuthenticationFailed."""
    asyncio.run(_check(settings, timeout))


async def _check(settings: Settings, timeout: float) -> None:
    options = kafka_python_options(settings)
    del options["bootstrap_servers"]  # the same security keyword arguments aiokafka's connections take
    deadline = time.monotonic() + timeout
    last_errors: dict[str, str] = {}
    while True:
        for server in bootstrap_list(settings):
            host, _, port = server.rpartition(":")
            remaining = max(0.5, deadline - time.monotonic())
            try:
                connection = await asyncio.wait_for(
                    create_conn(
                        host,
                        int(port),
                        client_id=f"{settings.app_id}-preflight",
                        request_timeout_ms=int(remaining * 1000),
                        **options,
                    ),
                    timeout=remaining,
                )
            except _AUTH_ERRORS as error:
                raise KafkaAuthenticationFailed(_auth_message(settings, server, error)) from None
            except ssl.SSLCertVerificationError as error:
                # Like a refused password, retrying cannot change the broker's certificate or our trust in it.
                raise KafkaCertificateRejected(_certificate_message(server, error)) from None
            except (TimeoutError, OSError, errors.KafkaError) as error:
                last_errors[server] = _describe(error)
                continue
            connection.close()
            return
        if time.monotonic() >= deadline:
            reasons = "; ".join(f"{server}: {reason}" for server, reason in last_errors.items())
            raise KafkaUnavailable(
                f"no Kafka broker reachable within {timeout:.0f}s at {settings.bootstrap_servers} "
                f"(security protocol {settings.security_protocol.value}): {reasons}"
            )
        await asyncio.sleep(_RETRY_DELAY_SECONDS)


def _auth_message(settings: Settings, server: str, error: Exception) -> str:
    mechanism = settings.sasl_mechanism.value if settings.sasl_mechanism else "none"
    return (
        f"Kafka at {server} rejected the credentials of user {settings.sasl_username!r} "
        f"(SASL mechanism {mechanism}, security protocol {settings.security_protocol.value}): {_describe(error)}. "
        "Check NEWSEVENTS_SASL_USERNAME, NEWSEVENTS_SASL_PASSWORD and NEWSEVENTS_SASL_MECHANISM."
    )


def _certificate_message(server: str, error: ssl.SSLCertVerificationError) -> str:
    return (
        f"the TLS certificate of Kafka at {server} is not trusted: {error.verify_message or _describe(error)}. "
        "Check NEWSEVENTS_SSL_CAFILE (the CA that signed the broker's certificate) and that the certificate names "
        "the host in NEWSEVENTS_BOOTSTRAP_SERVERS."
    )


def _describe(error: BaseException) -> str:
    text = str(error).strip()
    name = type(error).__name__
    return text if name in text else f"{name}: {text}" if text else name
