"""Keep secrets out of log output: each log record is masked before any handler formats it."""

from __future__ import annotations

import logging
import traceback
from collections.abc import Iterable

REDACTED = "**********"


def secret_spellings(secret: str) -> list[str]:
    """The secret as it may appear in a log line: verbatim, inside a str repr, inside a bytes repr."""
    spellings = {secret, repr(secret)[1:-1], repr(secret.encode("utf-8"))[2:-1]}
    return sorted((s for s in spellings if s), key=len, reverse=True)


def mask(text: str, spellings: Iterable[str]) -> str:
    for spelling in spellings:
        text = text.replace(spelling, REDACTED)
    return text


def redact_secrets_in_logs(secrets: Iterable[str]) -> None:
    """Install a log record factory masking the secrets in every record's message and traceback.

    A record factory sees every record of every logger (aiokafka logs SASL PLAIN requests, password included,
    at DEBUG), whichever handlers faust or the user configure later.
    """
    spellings = [spelling for secret in secrets if secret for spelling in secret_spellings(secret)]
    if not spellings:
        return
    make_record = logging.getLogRecordFactory()

    def masking_factory(*args: object, **kwargs: object) -> logging.LogRecord:
        record = make_record(*args, **kwargs)
        try:
            message = record.getMessage()
        except Exception:  # a malformed logging call: leave it to the handler's own error reporting
            return record
        if any(spelling in message for spelling in spellings):
            record.msg, record.args = mask(message, spellings), None
        if record.exc_info and record.exc_info[0] is not None:
            formatted = "".join(traceback.format_exception(*record.exc_info)).rstrip("\n")
            if any(spelling in formatted for spelling in spellings):
                record.exc_text = mask(formatted, spellings)  # formatters use exc_text when it is set
        return record

    logging.setLogRecordFactory(masking_factory)
