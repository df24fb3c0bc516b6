"""Secrets are masked in every log record: messages, arguments, bytes reprs and tracebacks, whatever the logger."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import pytest

from streams.worker.log_redaction import REDACTED, redact_secrets_in_logs

SECRET = "s3cr3t-pa$$word\\with'quote"


@pytest.fixture
def captured() -> Iterator[io.StringIO]:
    """Log output of a fresh logger through a plain handler, with the masking factory installed."""
    original_factory = logging.getLogRecordFactory()
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    logger = logging.getLogger("test.redaction.aiokafka.conn")
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    redact_secrets_in_logs([SECRET])
    try:
        yield stream
    finally:
        logging.setLogRecordFactory(original_factory)
        logger.removeHandler(handler)


def _log() -> logging.Logger:
    return logging.getLogger("test.redaction.aiokafka.conn")


def test_secret_in_arguments_and_bytes_reprs_is_masked(captured: io.StringIO) -> None:
    _log().debug("Request %d: SaslAuthenticateRequest(sasl_auth_bytes=%r)", 3, b"\x00user\x00" + SECRET.encode())
    _log().info("password is %s", SECRET)
    _log().warning("settings: %r", {"password": SECRET})
    output = captured.getvalue()
    assert output.count(REDACTED) == 3, output
    assert "s3cr3t" not in output
    assert "Request 3: SaslAuthenticateRequest" in output  # the rest of the message stays readable


def test_secret_in_an_exception_traceback_is_masked(captured: io.StringIO) -> None:
    try:
        raise ValueError(f"could not log in with {SECRET}")
    except ValueError:
        _log().exception("login failed")
    output = captured.getvalue()
    assert "login failed" in output and "ValueError: could not log in with " + REDACTED in output
    assert "s3cr3t" not in output


def test_records_without_secrets_are_untouched(captured: io.StringIO) -> None:
    _log().info("consumed %d messages from %s", 5, "articles.raw")
    assert captured.getvalue() == "consumed 5 messages from articles.raw\n"
