"""Raw input bytes -> Article, or the reason it must be dead-lettered (pure, never raises)."""

from __future__ import annotations

from dataclasses import dataclass

import orjson
from pydantic import ValidationError

from schemas import Article, DeadLetterReason
from streams.stories.times import parse_iso8601

# Dead-letter details are for humans reading the DLQ; keep them short so a hostile message cannot bloat them.
MAX_DETAIL_CHARS = 300
MAX_ID_CHARS = 512
OPTIONAL_STRING_FIELDS = ("title", "lang", "url", "source", "published_at")
_UTF8_BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True, slots=True)
class Rejected:
    """Why a message cannot become an Article; article_id is set when the id could be read."""

    reason: DeadLetterReason
    detail: str
    article_id: str | None = None


def bounded(text: str, limit: int = MAX_DETAIL_CHARS) -> str:
    """Cut text to at most `limit` characters, marking the cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _type_name(value: object) -> str:
    return "null" if value is None else type(value).__name__


def decode_article(value: bytes | None, *, max_bytes: int) -> Article | Rejected:
    """Decode one input message value into an Article, or say why it is rejected."""
    if value is None or len(value) == 0:
        return Rejected(DeadLetterReason.not_json, "message has no value")
    if len(value) > max_bytes:
        return Rejected(DeadLetterReason.too_large, f"message is {len(value)} bytes, the cap is {max_bytes} bytes")
    if value.startswith(_UTF8_BOM):
        value = value[len(_UTF8_BOM) :]
    try:
        text = value.decode("utf-8")
    except UnicodeDecodeError as exc:
        return Rejected(DeadLetterReason.not_utf8, bounded(f"invalid UTF-8 at byte {exc.start}: {exc.reason}"))
    try:
        data = orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        # orjson also rejects nesting deeper than 1024 levels and lone surrogate escapes here.
        return Rejected(DeadLetterReason.not_json, bounded(f"not valid JSON: {exc}"))
    if not isinstance(data, dict):
        return Rejected(DeadLetterReason.not_an_object, f"expected a JSON object, got {_type_name(data)}")
    return _article_from_object(data)


def _article_from_object(data: dict[str, object]) -> Article | Rejected:
    article_id = data.get("id")
    if "id" not in data:
        return Rejected(DeadLetterReason.invalid_fields, "missing field 'id'")
    if not isinstance(article_id, str):
        return Rejected(DeadLetterReason.invalid_fields, f"field 'id' must be a string, got {_type_name(article_id)}")
    if not article_id.strip():
        return Rejected(DeadLetterReason.invalid_fields, "field 'id' is empty")
    if len(article_id) > MAX_ID_CHARS:
        return Rejected(DeadLetterReason.invalid_fields, f"field 'id' is longer than {MAX_ID_CHARS} characters")

    # `text` wins over `body` when both are present, as in schemas.Article.
    text_field = "text" if "text" in data else "body"
    if text_field not in data:
        return Rejected(DeadLetterReason.invalid_fields, "missing field 'text' (or 'body')", article_id)
    body = data[text_field]
    if not isinstance(body, str):
        return Rejected(
            DeadLetterReason.invalid_fields,
            f"field '{text_field}' must be a string, got {_type_name(body)}",
            article_id,
        )
    if not body.strip():
        return Rejected(DeadLetterReason.empty_text, f"field '{text_field}' is empty", article_id)
    for name in OPTIONAL_STRING_FIELDS:
        field_value = data.get(name)
        if field_value is not None and not isinstance(field_value, str):
            return Rejected(
                DeadLetterReason.invalid_fields,
                f"field '{name}' must be a string or null, got {_type_name(field_value)}",
                article_id,
            )
    fields = {name: data.get(name) for name in OPTIONAL_STRING_FIELDS}
    try:
        return Article(id=article_id, text=body, **fields)
    except ValidationError as exc:  # defensive: the checks above should already cover the model's rules
        return Rejected(
            DeadLetterReason.invalid_fields, bounded(f"invalid article: {exc.errors()[0]['msg']}"), article_id
        )


def is_iso8601(value: str) -> bool:
    """An ISO 8601 date or date-time as Python reads it (`Z`, offsets, fractions, a date alone)."""
    return parse_iso8601(value) is not None


def without_invalid_published_at(article: Article) -> tuple[Article, str | None]:
    """The article with `published_at` dropped when it is not ISO 8601 ("yesterday"), and the dropped value.

    A bad date is the producer's mistake in an optional field: the article's events are still worth having, so
    the value is dropped (and counted, newsevents_invalid_published_at_total) instead of dead-lettering the article.
    """
    if article.published_at is None or is_iso8601(article.published_at):
        return article, None
    return article.model_copy(update={"published_at": None}), article.published_at
