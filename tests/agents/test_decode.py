"""The decoder turns every possible input into an Article or a clear dead-letter reason, and never raises."""

from __future__ import annotations

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from schemas import Article, DeadLetterReason
from streams.worker.decode import MAX_DETAIL_CHARS, Rejected, decode_article

CAP = 4096


def decode(value: bytes | None) -> Article | Rejected:
    return decode_article(value, max_bytes=CAP)


def reason_of(value: bytes | None) -> DeadLetterReason:
    result = decode(value)
    assert isinstance(result, Rejected), result
    return result.reason


def test_valid_article_with_all_fields() -> None:
    value = orjson.dumps(
        {
            "id": "a-1",
            "text": "Body.",
            "title": "T",
            "lang": "de",
            "url": "https://x",
            "source": "s",
            "published_at": "2024-10-25T09:36:00Z",
            "extra": [1],
        }
    )
    article = decode(value)
    assert isinstance(article, Article)
    assert (article.id, article.text, article.lang, article.title) == ("a-1", "Body.", "de", "T")


def test_body_is_accepted_as_text_and_text_wins_over_body() -> None:
    assert decode(b'{"id": "a", "body": "from body"}').text == "from body"
    assert decode(b'{"id": "a", "text": "from text", "body": "from body"}').text == "from text"


def test_utf8_bom_is_tolerated() -> None:
    assert isinstance(decode(b"\xef\xbb\xbf" + orjson.dumps({"id": "a", "text": "x"})), Article)


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        (None, DeadLetterReason.not_json),
        (b"", DeadLetterReason.not_json),
        (b"\xff\xfe\x00garbage", DeadLetterReason.not_utf8),
        (b'{"id": "a", "text": "caf\xe9"}', DeadLetterReason.not_utf8),
        (b"not json", DeadLetterReason.not_json),
        (b'{"id": "a", "text": "x"', DeadLetterReason.not_json),
        (b"[1, 2]", DeadLetterReason.not_an_object),
        (b'"a string"', DeadLetterReason.not_an_object),
        (b"null", DeadLetterReason.not_an_object),
        (b'{"text": "no id"}', DeadLetterReason.invalid_fields),
        (b'{"id": 7, "text": "numeric id"}', DeadLetterReason.invalid_fields),
        (b'{"id": "   ", "text": "blank id"}', DeadLetterReason.invalid_fields),
        (b'{"id": "a"}', DeadLetterReason.invalid_fields),
        (b'{"id": "a", "text": ["list"]}', DeadLetterReason.invalid_fields),
        (b'{"id": "a", "text": "ok", "lang": 5}', DeadLetterReason.invalid_fields),
        (b'{"id": "a", "text": ""}', DeadLetterReason.empty_text),
        (b'{"id": "a", "body": " \\n\\t "}', DeadLetterReason.empty_text),
        (orjson.dumps({"id": "a", "text": "x" * CAP}), DeadLetterReason.too_large),
    ],
)
def test_bad_inputs_get_their_reason(value: bytes | None, reason: DeadLetterReason) -> None:
    assert reason_of(value) is reason


def test_article_id_is_kept_when_readable() -> None:
    result = decode(b'{"id": "keep-me", "text": ""}')
    assert isinstance(result, Rejected) and result.article_id == "keep-me"


def test_overlong_id_is_rejected() -> None:
    assert reason_of(orjson.dumps({"id": "i" * 513, "text": "x"})) is DeadLetterReason.invalid_fields


def test_deeply_nested_json_is_rejected_not_crashing() -> None:
    assert reason_of(b"[" * 1500 + b"]" * 1500) is DeadLetterReason.not_json
    nested = b'{"id": "a", "text": "x", "deep": ' + b"[" * 1500 + b"]" * 1500 + b"}"
    assert reason_of(nested) is DeadLetterReason.not_json


def test_null_bytes_inside_text_are_text() -> None:
    article = decode(orjson.dumps({"id": "a", "text": "before\x00after"}))
    assert isinstance(article, Article) and "\x00" in article.text


def test_details_are_bounded() -> None:
    huge_garbage = b"{" + b"x" * (CAP - 10)
    result = decode(huge_garbage)
    assert isinstance(result, Rejected) and len(result.detail) <= MAX_DETAIL_CHARS


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=CAP + 64))
def test_any_bytes_decode_or_reject_without_raising(value: bytes) -> None:
    result = decode(value)
    assert isinstance(result, (Article, Rejected))
    if isinstance(result, Rejected):
        assert len(result.detail) <= MAX_DETAIL_CHARS


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**63 - 1)
    | st.floats(allow_nan=False)
    | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=20,
)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.dictionaries(
        st.sampled_from(["id", "text", "body", "title", "lang", "url", "source", "published_at", "x"]), json_values
    )
)
def test_any_json_object_decodes_or_rejects_without_raising(obj: dict) -> None:
    result = decode(orjson.dumps(obj))
    assert isinstance(result, (Article, Rejected))
    if isinstance(result, Article):
        assert result.id == obj["id"] and result.text.strip()
