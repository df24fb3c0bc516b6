"""Property tests: every input message becomes an Article or a dead-letter decision, by rules stated independently here."""

from __future__ import annotations

import base64
import json

import orjson
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from schemas import Article, DeadLetter, DeadLetterReason, Outcome, OutcomeStatus
from streams.settings import Settings
from streams.worker.decode import MAX_DETAIL_CHARS, MAX_ID_CHARS, Rejected, decode_article
from streams.worker.processing import MessageProcessor, SourceMessage
from streams.worker.records import DEAD_LETTER_ORIGINAL_MAX_BYTES

CAP = 8192
OPTIONAL_FIELDS = ("title", "lang", "url", "source", "published_at")
# The broker's default message.max.bytes: no record the worker derives from an input may exceed it.
BROKER_RECORD_LIMIT = 1_048_588
PROPERTY_SETTINGS = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# ------------------------------------------------------------------------------------------- strategies

wrong_types = st.one_of(
    st.integers(min_value=-(2**63), max_value=2**64 - 1),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.lists(st.integers(min_value=-(2**63), max_value=2**63 - 1), max_size=3),
    st.dictionaries(st.text(max_size=4), st.booleans(), max_size=3),
)
non_blank_text = st.text(min_size=1, max_size=200).filter(str.strip)
blank_text = st.text(alphabet=" \t\n\r\u00a0\u2003", max_size=6)
# What a producer might put in a field: a usable string, a blank one, a wrong type, or null.
field_kinds = st.sampled_from(["absent", "string", "blank", "wrong_type", "null"])


@st.composite
def article_objects(draw: st.DrawFn) -> dict[str, object]:
    """JSON objects that mix well-formed and defective article fields."""
    obj: dict[str, object] = {}

    def fill(name: str, kind: str, good: st.SearchStrategy) -> None:
        if kind == "string":
            obj[name] = draw(good)
        elif kind == "blank":
            obj[name] = draw(blank_text)
        elif kind == "wrong_type":
            obj[name] = draw(wrong_types)
        elif kind == "null":
            obj[name] = None

    fill("id", draw(field_kinds), st.one_of(non_blank_text, st.just("i" * (MAX_ID_CHARS + 1))))
    body_field = draw(st.sampled_from(["text", "body", "both"]))
    for name in ("text", "body") if body_field == "both" else (body_field,):
        fill(name, draw(field_kinds), non_blank_text)
    for name in draw(st.lists(st.sampled_from(OPTIONAL_FIELDS), unique=True, max_size=3)):
        fill(name, draw(field_kinds), st.text(max_size=30))
    if draw(st.booleans()):
        obj["unrelated"] = draw(wrong_types)  # unknown fields are ignored
    return obj


def field_defects(obj: dict[str, object]) -> set[DeadLetterReason]:
    """The reasons an article object must be rejected for, per the input contract of issue 2 (order-free)."""
    defects: set[DeadLetterReason] = set()
    article_id = obj.get("id")
    if not isinstance(article_id, str) or not article_id.strip() or len(article_id) > MAX_ID_CHARS:
        defects.add(DeadLetterReason.invalid_fields)
    body = obj["text"] if "text" in obj else obj.get("body")
    if not isinstance(body, str):
        defects.add(DeadLetterReason.invalid_fields)
    elif not body.strip():
        defects.add(DeadLetterReason.empty_text)
    if any(obj.get(name) is not None and not isinstance(obj[name], str) for name in OPTIONAL_FIELDS):
        defects.add(DeadLetterReason.invalid_fields)
    return defects


def decode(value: bytes | None) -> Article | Rejected:
    return decode_article(value, max_bytes=CAP)


def assert_well_formed_rejection(result: Article | Rejected) -> Rejected:
    assert isinstance(result, Rejected), f"expected a rejection, got {result!r}"
    assert isinstance(result.reason, DeadLetterReason)
    assert 0 < len(result.detail) <= MAX_DETAIL_CHARS
    return result


def assert_serializable(article: Article) -> None:
    """An accepted article can be re-encoded: no lone surrogates or other text that breaks producers downstream."""
    for value in article.model_dump().values():
        if isinstance(value, str):
            value.encode("utf-8")
    orjson.dumps(article.model_dump(mode="json"))


# ------------------------------------------------------------------------------------------- decoder


@PROPERTY_SETTINGS
@given(article_objects())
def test_objects_are_accepted_exactly_when_they_have_no_defect(obj: dict[str, object]) -> None:
    value = orjson.dumps(obj)
    assume(len(value) <= CAP)
    defects = field_defects(obj)
    result = decode(value)
    if not defects:
        assert isinstance(result, Article), result
        assert result.id == obj["id"]
        assert result.text == (obj["text"] if "text" in obj else obj["body"])
        for name in OPTIONAL_FIELDS:
            assert getattr(result, name) == obj.get(name)
        assert_serializable(result)
    else:
        rejected = assert_well_formed_rejection(result)
        assert rejected.reason in defects
        if rejected.article_id is not None:  # the id is only reported once it was read as a valid id
            assert rejected.article_id == obj["id"]


@PROPERTY_SETTINGS
@given(st.binary(max_size=CAP * 2))
def test_any_bytes_are_decided_deterministically(value: bytes) -> None:
    first, second = decode(value), decode(value)
    assert first == second
    if isinstance(first, Article):
        assert_serializable(first)
    else:
        assert_well_formed_rejection(first)
    if len(value) > CAP:
        assert first.reason is DeadLetterReason.too_large


@st.composite
def mutated_articles(draw: st.DrawFn) -> bytes:
    """A valid article's bytes after a few byte-level corruptions: truncation, inserted or overwritten bytes."""
    data = bytearray(orjson.dumps({"id": draw(non_blank_text), "text": draw(non_blank_text), "lang": "de"}))
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        position = draw(st.integers(min_value=0, max_value=len(data)))
        operation = draw(st.sampled_from(["truncate", "insert", "overwrite", "nul", "bad_utf8"]))
        if operation == "truncate":
            del data[position:]
        elif operation == "insert":
            data[position:position] = draw(st.binary(min_size=1, max_size=8))
        elif operation == "overwrite" and position < len(data):
            data[position] = draw(st.integers(min_value=0, max_value=255))
        elif operation == "nul":
            data[position:position] = b"\x00"
        elif operation == "bad_utf8":
            data[position:position] = draw(
                st.sampled_from([b"\xc3\x28", b"\xff", b"\xed\xa0\x80", b"\xf8\x88\x80\x80\x80"])
            )
    return bytes(data)


@PROPERTY_SETTINGS
@given(mutated_articles())
def test_corrupted_articles_get_the_reason_a_reference_parser_finds(value: bytes) -> None:
    result = decode(value)
    payload = value.removeprefix(b"\xef\xbb\xbf")
    try:
        text = payload.decode("utf-8")
    except UnicodeDecodeError:
        assert assert_well_formed_rejection(result).reason is DeadLetterReason.not_utf8
        return
    if not payload:
        assert assert_well_formed_rejection(result).reason is DeadLetterReason.not_json
        return
    try:
        # Python's json accepts a superset of RFC 8259 (NaN, lone surrogates), so only its refusals are decisive.
        parsed = json.loads(text)
    except ValueError:
        assert assert_well_formed_rejection(result).reason is DeadLetterReason.not_json
        return
    if isinstance(result, Article):
        assert isinstance(parsed, dict) and not field_defects(parsed)
        assert_serializable(result)
    elif not isinstance(parsed, dict):
        assert result.reason in (DeadLetterReason.not_an_object, DeadLetterReason.not_json)
    else:
        assert_well_formed_rejection(result)


@PROPERTY_SETTINGS
@given(st.integers(min_value=2, max_value=CAP - 40), st.booleans())
def test_the_size_cap_is_exact(filler: int, over: bool) -> None:
    value = orjson.dumps({"id": "cap", "text": "x" * filler})
    padded = value + b" " * (CAP - len(value) + (1 if over else 0))  # trailing whitespace is valid JSON
    result = decode(padded)
    if over:
        assert assert_well_formed_rejection(result).reason is DeadLetterReason.too_large
    else:
        assert isinstance(result, Article) and len(result.text) == filler


@PROPERTY_SETTINGS
@given(st.integers(min_value=1, max_value=5000), st.sampled_from(["[", '{"a":']))
def test_nesting_of_any_depth_is_decided_without_raising(depth: int, opener: str) -> None:
    closer = "]" if opener == "[" else "}"
    value = b'{"id": "deep", "text": "t", "nested": ' + (opener * depth + "1" + closer * depth).encode() + b"}"
    result = decode(value)
    if len(value) > CAP:
        assert result.reason is DeadLetterReason.too_large
    elif isinstance(result, Rejected):
        # orjson refuses nesting beyond 1024 levels; shallower documents are fine articles.
        assert result.reason is DeadLetterReason.not_json and depth >= 1000
    else:
        assert result.id == "deep"


@PROPERTY_SETTINGS
@given(st.sampled_from(["\\ud800", "\\udfff", "\\ud83d", "\\ude00x"]), st.sampled_from(["id", "text", "title"]))
def test_lone_surrogate_escapes_never_reach_an_article(escape: str, field: str) -> None:
    fields = {"id": '"s"', "text": '"fine"', "title": '"t"'}
    fields[field] = f'"a{escape}b"'
    value = "{" + ", ".join(f'"{name}": {literal}' for name, literal in fields.items()) + "}"
    assert assert_well_formed_rejection(decode(value.encode())).reason is DeadLetterReason.not_json


# ----------------------------------------------------------------------------- the dead-letter decision


def _unreachable_extractor(article: Article, *, time_budget_seconds: float | None = None) -> object:
    raise AssertionError("not reached: this test checks decoding only")


@PROPERTY_SETTINGS
@given(st.one_of(st.binary(max_size=CAP * 2), mutated_articles()))
def test_every_rejected_message_yields_a_dead_letter_and_an_outcome(value: bytes) -> None:
    """Whatever the bytes, the processor emits a DLQ record keeping them and one dead_letter outcome; never raises."""
    assume(not isinstance(decode(value), Article))
    settings_ = Settings(max_message_bytes=CAP)
    processor = MessageProcessor(settings_, extractor=_unreachable_extractor, extractor_version="props")
    result = processor.process(SourceMessage(topic="raw", partition=3, offset=17, timestamp=None, value=value))

    assert result.event_records == () and result.events == ()
    dlq_record, outcome_record = result.final_records
    assert dlq_record.topic == settings_.topic_dlq and outcome_record.topic == settings_.topic_processed
    letter = DeadLetter.model_validate_json(dlq_record.value)
    outcome = Outcome.model_validate_json(outcome_record.value)
    assert letter.reason is decode(value).reason
    assert outcome.status is OutcomeStatus.dead_letter and outcome.reason is letter.reason
    assert (
        (outcome.source_partition, outcome.source_offset) == (letter.source_partition, letter.source_offset) == (3, 17)
    )
    assert letter.original_size == len(value)
    assert base64.b64decode(letter.original_b64) == value[:DEAD_LETTER_ORIGINAL_MAX_BYTES]
    assert dict(dlq_record.headers)["dlq_reason"] == letter.reason.value.encode()


def test_the_largest_dead_letter_fits_the_broker_limit() -> None:
    """An input at the default 1 MiB cap that is rejected (invalid UTF-8) still yields a publishable DLQ record."""
    settings_ = Settings()
    value = b"\xff" * settings_.max_message_bytes
    processor = MessageProcessor(settings_, extractor=_unreachable_extractor, extractor_version="props")
    result = processor.process(SourceMessage(topic="raw", partition=0, offset=0, timestamp=None, value=value))
    assert result.outcome.reason is DeadLetterReason.not_utf8
    assert all(len(record.value) < BROKER_RECORD_LIMIT for record in result.final_records)
