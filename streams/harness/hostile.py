"""Hostile input for the worker: malformed messages labelled with the verdict they must get, and the exact reconciliation."""

from __future__ import annotations

import base64
import random
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import orjson
from prometheus_client.parser import text_string_to_metric_families

from schemas import DeadLetter, Outcome
from streams.harness.faults import FaultBench
from streams.harness.feeding import Delivered, make_producer, send_all
from streams.harness.processes import RssSampler, rss_bytes
from streams.harness.reading import read_all
from streams.harness.reliability import GroupProgress, SyntheticText
from streams.settings import Settings
from streams.worker.records import DEAD_LETTER_ORIGINAL_MAX_BYTES

OK = "ok"
# orjson refuses nesting deeper than this; the decoder relies on it for deeply nested documents.
JSON_MAX_DEPTH = 1024


@dataclass(frozen=True, slots=True)
class HostileMessage:
    """One message to produce, the kind of hostility it carries and the verdict the worker must reach."""

    kind: str
    key: bytes | None
    value: bytes | None
    expected: str  # "ok" or a DeadLetterReason value


Maker = Callable[[random.Random, str, int], tuple[bytes | None, str]]


def _json(obj: Any) -> bytes:
    return orjson.dumps(obj)


def _words(rng: random.Random, size: int) -> str:
    """Filler text of about `size` bytes without sentence punctuation (no events, cheap to extract)."""
    vocabulary = ("Wetter", "Markt", "river", "garden", "Zug", "library", "Brücke", "music", "Schule", "market")
    parts, length = [], 0
    while length < size:
        word = rng.choice(vocabulary)
        parts.append(word)
        length += len(word.encode()) + 1
    return " ".join(parts).encode()[:size].decode("utf-8", errors="ignore")


def _random_bytes(rng: random.Random, ident: str, cap: int) -> tuple[bytes, str]:
    data = bytearray(rng.randbytes(rng.randint(1, 300)))
    data.insert(rng.randint(0, len(data)), 0xFF)  # 0xFF never occurs in UTF-8: guaranteed invalid
    return bytes(data), "not_utf8"


def _invalid_utf8_in_json(rng: random.Random, ident: str, cap: int) -> tuple[bytes, str]:
    bad = rng.choice([b"\xc3\x28", b"\xc0\xaf", b"\xed\xa0\x80", b"\xf8\x88\x80\x80\x80", b"\xe9"])
    return b'{"id": "' + ident.encode() + b'", "text": "Truppen ' + bad + b' verlegt"}', "not_utf8"


def _not_json(rng: random.Random, ident: str, cap: int) -> tuple[bytes, str]:
    choices = [
        b"{" + rng.randbytes(20).hex().encode(),
        b"id: " + ident.encode() + b", text: Truppen",
        _json({"id": ident, "text": "abgeschnitten"})[: rng.randint(1, 20)],
        b"{'id': 'single quotes', 'text': 'x'}",
        b'{"id": "' + ident.encode() + b'", "text": NaN}',
    ]
    return rng.choice(choices), "not_json"


def _null_bytes(rng: random.Random, ident: str, cap: int) -> tuple[bytes, str]:
    return b"\x00" * rng.randint(1, 2000), "not_json"


def _empty(rng: random.Random, ident: str, cap: int) -> tuple[bytes | None, str]:
    return rng.choice([b"", None]), "not_json"  # None: a tombstone, a message without a value


def _json_not_object(rng: random.Random, ident: str, cap: int) -> tuple[bytes, str]:
    return rng.choice(
        [b"42", b'"a string"', b"[1, 2, 3]", b"null", b"true", _json([{"id": ident, "text": "x"}])]
    ), "not_an_object"


def _wrong_types(rng: random.Random, ident: str, cap: int) -> tuple[bytes, str]:
    choices = [
        {"id": rng.randint(0, 10**9), "text": "Soldaten"},
        {"id": ident, "text": ["Soldaten", "verlegt"]},
        {"id": ident, "text": {"nested": "object"}},
        {"id": ident, "text": 3.14},
        {"id": ident, "text": "Soldaten", "lang": 49},
        {"id": ident, "text": "Soldaten", "title": True},
        {"id": None, "text": "Soldaten"},
        {"id": "x" * 600, "text": "Soldaten"},
    ]
    return _json(rng.choice(choices)), "invalid_fields"


def _missing_fields(rng: random.Random, ident: str, cap: int) -> tuple[bytes, str]:
    return _json(
        rng.choice([{}, {"text": "Soldaten ohne id"}, {"id": ident}, {"identifier": ident, "content": "x"}])
    ), "invalid_fields"


def _blank_text(rng: random.Random, ident: str, cap: int) -> tuple[bytes, str]:
    return _json(
        {"id": ident, rng.choice(["text", "body"]): rng.choice(["", " ", "\n\t ", "\u00a0\u2003"])}
    ), "empty_text"


def _deep_nesting(rng: random.Random, ident: str, cap: int) -> tuple[bytes, str]:
    depth = rng.randint(JSON_MAX_DEPTH + 1, min(5000, cap // 3))
    opener, closer = rng.choice([(b"[", b"]"), (b'{"a":', b"}")])
    return (
        b'{"id": "' + ident.encode() + b'", "text": "x", "deep": ' + opener * depth + b"1" + closer * depth + b"}",
        "not_json",
    )


def _lone_surrogate(rng: random.Random, ident: str, cap: int) -> tuple[bytes, str]:
    escape = rng.choice([b"\\ud800", b"\\udfff", b"\\ud83d"])
    return b'{"id": "' + ident.encode() + b'", "text": "Truppen ' + escape + b' verlegt"}', "not_json"


def _over_cap(rng: random.Random, ident: str, cap: int) -> tuple[bytes, str]:
    value = _json({"id": ident, "text": _words(rng, cap)})
    return value + b" " * rng.randint(1, 4096), "too_large"  # trailing whitespace: valid JSON, only too big


def _near_cap(rng: random.Random, ident: str, cap: int) -> tuple[bytes, str]:
    value = _json({"id": ident, "text": _words(rng, cap - 200)})
    return value + b" " * (cap - len(value) - rng.randint(0, 100)), OK  # at most the cap: accepted


def _nul_in_text(rng: random.Random, ident: str, cap: int) -> tuple[bytes, str]:
    return _json({"id": ident, "text": "Der Zug\u0000 kam\u0000 an", "title": "\u0000"}), OK


def _bom_prefixed(rng: random.Random, ident: str, cap: int) -> tuple[bytes, str]:
    return b"\xef\xbb\xbf" + _json({"id": ident, "body": "Das Konzert fand statt"}), OK


MALFORMED_KINDS: dict[str, Maker] = {
    "random_bytes": _random_bytes,
    "invalid_utf8_in_json": _invalid_utf8_in_json,
    "not_json": _not_json,
    "null_bytes": _null_bytes,
    "empty_or_tombstone": _empty,
    "json_not_object": _json_not_object,
    "wrong_types": _wrong_types,
    "missing_fields": _missing_fields,
    "blank_text": _blank_text,
    "deep_nesting": _deep_nesting,
    "lone_surrogate": _lone_surrogate,
    "over_cap": _over_cap,
}
# Odd but valid: these must be processed, not dead-lettered.
ODD_GOOD_KINDS: dict[str, Maker] = {"near_cap": _near_cap, "nul_in_text": _nul_in_text, "bom_prefixed": _bom_prefixed}
# Huge messages are rarer than the rest, so a run stays within its disk and time budget.
_WEIGHTS = {"over_cap": 0.2, "near_cap": 0.2, "deep_nesting": 0.5}


def hostile_messages(
    malformed: int, *, good: int, cap: int, texts: Sequence[SyntheticText], prefix: str, seed: int = 7
) -> list[HostileMessage]:
    """`malformed` bad messages of every kind, shuffled with `good` valid articles (synthetic and odd ones)."""
    rng = random.Random(seed)
    makers = {**MALFORMED_KINDS, **ODD_GOOD_KINDS}
    bad_kinds = list(MALFORMED_KINDS)
    bad_weights = [_WEIGHTS.get(kind, 1.0) for kind in bad_kinds]
    kinds = rng.choices(bad_kinds, weights=bad_weights, k=malformed)
    odd = list(ODD_GOOD_KINDS)
    kinds += [rng.choice(odd) if rng.random() < 0.1 else "synthetic" for _ in range(good)]
    rng.shuffle(kinds)
    messages = []
    for number, kind in enumerate(kinds):
        ident = f"{prefix}-{number:07d}"
        if kind == "synthetic":
            text = texts[number % len(texts)]
            body = {"id": ident, "text": text.text, **({"lang": text.lang} if text.lang else {})}
            value, expected = _json(body), OK
        else:
            value, expected = makers[kind](rng, ident, cap)
        messages.append(HostileMessage(kind, ident.encode(), value, expected))
    return messages


# ------------------------------------------------------------------------------------------- reconciliation


def metric_samples(metrics_text: str, name: str) -> list[tuple[dict[str, str], float]]:
    """All samples named `name` (e.g. newsevents_dead_letters_total) in Prometheus text format, with their labels."""
    return [
        (sample.labels, sample.value)
        for family in text_string_to_metric_families(metrics_text)
        for sample in family.samples
        if sample.name == name
    ]


@dataclass
class Reconciliation:
    """Per-message verdicts found on the output topics and counters on /metrics, against the labels."""

    messages: int
    expected: dict[str, int]  # verdict -> count
    outcomes: dict[str, int]  # verdict found on articles.processed -> count
    dead_letters: dict[str, int]  # reason found on articles.dlq -> count
    missing_outcomes: int
    duplicate_outcomes: int
    wrong_verdicts: int
    missing_dead_letters: int
    unexpected_dead_letters: int
    dead_letters_not_keeping_original: int
    metrics_consumed: float
    metrics_ok: float
    metrics_dead_letters: dict[str, float]
    examples: list[str]

    def mismatches(self) -> list[str]:
        problems = []
        if self.missing_outcomes or self.duplicate_outcomes or self.wrong_verdicts:
            problems.append(
                f"outcomes: {self.missing_outcomes} missing, {self.duplicate_outcomes} duplicate, {self.wrong_verdicts} wrong"
            )
        if self.missing_dead_letters or self.unexpected_dead_letters or self.dead_letters_not_keeping_original:
            problems.append(
                f"dlq: {self.missing_dead_letters} missing, {self.unexpected_dead_letters} unexpected, "
                f"{self.dead_letters_not_keeping_original} without the original bytes"
            )
        if self.outcomes != self.expected:
            problems.append(f"verdict counts {self.outcomes} != expected {self.expected}")
        bad_expected = {reason: n for reason, n in self.expected.items() if reason != OK}
        if self.dead_letters != bad_expected:
            problems.append(f"dlq counts {self.dead_letters} != expected {bad_expected}")
        if self.metrics_consumed != self.messages:
            problems.append(f"/metrics consumed {self.metrics_consumed} != {self.messages} messages")
        if self.metrics_ok + sum(self.metrics_dead_letters.values()) != self.metrics_consumed:
            problems.append(
                f"/metrics ok {self.metrics_ok} + dead letters {self.metrics_dead_letters} != consumed {self.metrics_consumed}"
            )
        if (
            self.metrics_ok != self.expected.get(OK, 0)
            or {r: n for r, n in self.metrics_dead_letters.items() if n} != bad_expected
        ):
            problems.append(
                f"/metrics ok {self.metrics_ok}, dead letters {self.metrics_dead_letters} != expected {self.expected}"
            )
        return problems + self.examples


def reconcile(
    settings: Settings, sent: Sequence[tuple[HostileMessage, Delivered]], metrics_text: str
) -> Reconciliation:
    """Match every produced message (by partition and offset) with its outcome and dead letter, and the counters."""
    where = {(d.partition, d.offset): message for message, d in sent}
    outcomes: dict[tuple[int, int], list[Outcome]] = defaultdict(list)
    for record in read_all(settings, [settings.topic_processed], read_committed=True):
        outcome = Outcome.model_validate_json(record.value)
        outcomes[(outcome.source_partition, outcome.source_offset)].append(outcome)
    letters: dict[tuple[int, int], list[DeadLetter]] = defaultdict(list)
    for record in read_all(settings, [settings.topic_dlq], read_committed=True):
        letter = DeadLetter.model_validate_json(record.value)
        if letter.source_topic != settings.topic_raw:
            continue  # the stories agent's (a story-events position): not one of the messages sent
        letters[(letter.source_partition, letter.source_offset)].append(letter)

    missing = duplicate = wrong = missing_letters = unexpected_letters = not_keeping = 0
    verdicts: Counter = Counter()
    letter_reasons: Counter = Counter()
    examples: list[str] = []
    for position, message in where.items():
        found = outcomes.get(position, [])
        if not found:
            missing += 1
            continue
        duplicate += len(found) - 1
        verdict = (
            OK if found[0].status.value == OK else found[0].reason.value if found[0].reason is not None else "none"
        )
        verdicts[verdict] += 1
        if verdict != message.expected:
            wrong += 1
            if len(examples) < 5:
                examples.append(f"{message.kind} at {position}: expected {message.expected}, got {verdict}")
        message_letters = letters.get(position, [])
        letter_reasons.update(letter.reason.value for letter in message_letters)
        if message.expected == OK:
            unexpected_letters += len(message_letters)
            continue
        if len(message_letters) != 1 or message_letters[0].reason.value != message.expected:
            missing_letters += 1
            continue
        original = message.value or b""
        letter = message_letters[0]
        if (
            letter.original_size != len(original)
            or base64.b64decode(letter.original_b64) != original[:DEAD_LETTER_ORIGINAL_MAX_BYTES]
        ):
            not_keeping += 1

    dead_letter_metrics = {
        labels["reason"]: value for labels, value in metric_samples(metrics_text, "newsevents_dead_letters_total")
    }
    ok_metric = sum(
        value
        for labels, value in metric_samples(metrics_text, "newsevents_articles_processed_total")
        if labels.get("status") == OK
    )
    consumed = sum(value for _, value in metric_samples(metrics_text, "newsevents_articles_consumed_total"))
    return Reconciliation(
        messages=len(where),
        expected=dict(Counter(message.expected for message in where.values())),
        outcomes=dict(verdicts),
        dead_letters=dict(letter_reasons),
        missing_outcomes=missing,
        duplicate_outcomes=duplicate,
        wrong_verdicts=wrong,
        missing_dead_letters=missing_letters,
        unexpected_dead_letters=unexpected_letters,
        dead_letters_not_keeping_original=not_keeping,
        metrics_consumed=consumed,
        metrics_ok=ok_metric,
        metrics_dead_letters=dead_letter_metrics,
        examples=examples,
    )


# ------------------------------------------------------------------------------------------- runs


def hostile_flood(bench: FaultBench, *, malformed: int, good: int) -> tuple[Reconciliation, dict[str, Any]]:
    """Produce the labelled mix to a running worker, wait until all is committed, then reconcile every message."""
    settings = bench.settings
    messages = hostile_messages(
        malformed, good=good, cap=settings.max_message_bytes, texts=bench.texts, prefix=settings.app_id
    )
    worker = bench.start_worker()
    baseline_rss = rss_bytes(worker.process.pid)
    started = time.monotonic()
    producer = make_producer(settings)
    try:
        delivered = send_all(producer, settings.topic_raw, [(message.key, message.value) for message in messages])
    finally:
        producer.close()
    with GroupProgress(settings) as progress:
        progress.wait_committed(len(messages), timeout=120 + len(messages) / 100, worker=worker)
    elapsed = time.monotonic() - started
    health_status, health = worker.health()
    final_rss = rss_bytes(worker.process.pid)
    result = reconcile(settings, list(zip(messages, delivered, strict=True)), worker.metrics())
    exit_code = worker.terminate()
    figures = {
        "messages": len(messages),
        "malformed": malformed,
        "good": good,
        "kinds": dict(Counter(message.kind for message in messages)),
        "expected": result.expected,
        "outcomes": result.outcomes,
        "dead_letters": result.dead_letters,
        "metrics_consumed": result.metrics_consumed,
        "metrics_ok": result.metrics_ok,
        "metrics_dead_letters": {reason: n for reason, n in result.metrics_dead_letters.items() if n},
        "mismatches": result.mismatches(),
        "seconds": round(elapsed, 1),
        "messages_per_second": round(len(messages) / elapsed, 1),
        "worker_alive_until_stopped": health_status == 200 and health["consuming"],
        "worker_exit_code": exit_code,
        "rss_mib_start": round(baseline_rss / 2**20, 1),
        "rss_mib_end": round(final_rss / 2**20, 1),
    }
    return result, figures


def oversize_flood(bench: FaultBench, *, waves: int, per_wave: int, size: int) -> dict[str, Any]:
    """Waves of messages far above the cap; the worker's peak resident memory per wave shows whether it is bounded."""
    settings = bench.settings
    assert size > settings.max_message_bytes
    worker = bench.start_worker()
    baseline = rss_bytes(worker.process.pid)
    sampler = RssSampler(worker.process.pid)
    sampler.start()
    peaks = []
    producer = make_producer(settings, max_request_size=size + 64 * 1024)
    try:
        with GroupProgress(settings) as progress:
            for wave in range(waves):
                sampler.reset()
                payload = b'{"id": "oversize-%d-%d", "text": "' + b"x" * size + b'"}'
                send_all(producer, settings.topic_raw, [(None, payload % (wave, n)) for n in range(per_wave)])
                progress.wait_committed((wave + 1) * per_wave, timeout=300, worker=worker)
                peaks.append(sampler.reset())
    finally:
        producer.close()
        sampler.stop()
    too_large = sum(
        value
        for labels, value in metric_samples(worker.metrics(), "newsevents_dead_letters_total")
        if labels["reason"] == "too_large"
    )
    exit_code = worker.terminate()
    return {
        "waves": waves,
        "messages_per_wave": per_wave,
        "message_bytes": size + 40,
        "cap_bytes": settings.max_message_bytes,
        "flooded_mib": round(waves * per_wave * size / 2**20, 1),
        "dead_lettered_too_large": too_large,
        "rss_mib_baseline": round(baseline / 2**20, 1),
        "rss_mib_peak_per_wave": [round(peak / 2**20, 1) for peak in peaks],
        "worker_exit_code": exit_code,
    }
