"""How every Kafka client (Faust worker, kafka-python admin/producer/consumer) connects, from one Settings object."""

from __future__ import annotations

import ssl
from typing import Any

import faust

from streams.settings import SecurityProtocol, Settings

_SSL_PROTOCOLS = (SecurityProtocol.SSL, SecurityProtocol.SASL_SSL)
_SASL_PROTOCOLS = (SecurityProtocol.SASL_PLAINTEXT, SecurityProtocol.SASL_SSL)


def bootstrap_list(settings: Settings) -> list[str]:
    """host:port entries of NEWSEVENTS_BOOTSTRAP_SERVERS (comma- or semicolon-separated)."""
    servers = [part.strip() for part in settings.bootstrap_servers.replace(";", ",").split(",")]
    return [server.removeprefix("kafka://") for server in servers if server]


def faust_broker_url(settings: Settings) -> str:
    """Faust's broker URL form: kafka://host1:port1;host2:port2."""
    return "kafka://" + ";".join(bootstrap_list(settings))


def ssl_context(settings: Settings) -> ssl.SSLContext | None:
    """A verifying client TLS context when the protocol uses TLS, else None."""
    if settings.security_protocol not in _SSL_PROTOCOLS:
        return None
    context = ssl.create_default_context(
        purpose=ssl.Purpose.SERVER_AUTH, cafile=str(settings.ssl_cafile) if settings.ssl_cafile else None
    )
    if settings.ssl_certfile:
        context.load_cert_chain(
            certfile=str(settings.ssl_certfile), keyfile=str(settings.ssl_keyfile) if settings.ssl_keyfile else None
        )
    return context


def faust_credentials(settings: Settings) -> faust.types.auth.CredentialsT | None:
    """Credentials for the Faust worker; the password leaves its SecretStr only here."""
    context = ssl_context(settings)
    if settings.security_protocol in _SASL_PROTOCOLS:
        assert settings.sasl_mechanism is not None and settings.sasl_password is not None  # enforced by Settings
        return faust.SASLCredentials(
            username=settings.sasl_username,
            password=settings.sasl_password.get_secret_value(),
            mechanism=settings.sasl_mechanism.value,
            ssl_context=context,
        )
    if context is not None:
        return faust.SSLCredentials(context)
    return None


def kafka_python_options(settings: Settings) -> dict[str, Any]:
    """Connection keyword arguments for kafka-python's KafkaAdminClient, KafkaProducer and KafkaConsumer."""
    options: dict[str, Any] = {
        "bootstrap_servers": bootstrap_list(settings),
        "security_protocol": settings.security_protocol.value,
    }
    if settings.security_protocol in _SASL_PROTOCOLS:
        assert settings.sasl_mechanism is not None and settings.sasl_password is not None  # enforced by Settings
        options["sasl_mechanism"] = settings.sasl_mechanism.value
        options["sasl_plain_username"] = settings.sasl_username
        options["sasl_plain_password"] = settings.sasl_password.get_secret_value()
    context = ssl_context(settings)
    if context is not None:
        options["ssl_context"] = context
    return options
