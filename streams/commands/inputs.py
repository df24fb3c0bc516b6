"""The one input reader of `newsevents extract` and `newsevents feed`: files (or stdin) -> article messages.

Rules, the same for both commands:

* Format: `.jsonl`/`.ndjson` are JSON Lines, `.json` is one JSON object or an array of objects, any other file
  (and stdin) is recognised by its content: a document that parses as one JSON object or array is JSON, other
  content starting with `{` or `[` is JSON Lines, anything else is one plain-text article whose id is the file
  name (`stdin` for standard input). `fmt` overrides the detection.
* Encoding: a file must be UTF-8 (a byte-order mark is dropped). A file with NUL bytes or invalid UTF-8 is
  refused as a whole with a reason: it is binary or in another encoding, and none of it is sent or extracted.
* Size: every article larger than `max_bytes` (NEWSEVENTS_MAX_MESSAGE_BYTES) is reported by itself
  (`ArticleInput.too_large`); what happens to it is the caller's choice (extract skips it as the worker would
  dead-letter it; feed still sends it when the broker can take it).
* JSON Lines lines are kept byte for byte (feed sends them as they are: the pipeline, not feed, judges them).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

import orjson

FORMATS = ("auto", "jsonl", "json", "text")
_JSONL_SUFFIXES = {".jsonl", ".ndjson"}
_JSON_SUFFIXES = {".json"}
_UTF8_BOM = b"\xef\xbb\xbf"
STDIN = "-"


@dataclass(frozen=True, slots=True)
class ArticleInput:
    """One message for the raw topic: where it came from, its key (the article id when readable) and value."""

    origin: str  # "file.jsonl:3", "file.json[2]", "file.json", "story.txt", "stdin:1"
    key: bytes | None
    value: bytes
    max_bytes: int

    @property
    def too_large(self) -> bool:
        return len(self.value) > self.max_bytes


@dataclass(frozen=True, slots=True)
class InputProblem:
    """A file (or one of its parts) that yields no article, and why: one line for the user."""

    origin: str
    reason: str  # "unreadable", "binary", "not_utf8", "not_json", "not_an_object", "empty_text"
    detail: str

    def __str__(self) -> str:
        return f"{self.origin}: skipped ({self.reason}): {self.detail}"


def display_name(path: str) -> str:
    return "stdin" if path == STDIN else path


def detect_format(path: str) -> str:
    """The format by suffix: jsonl, json, or auto (decide by content)."""
    suffix = os.path.splitext(path)[1].lower()
    if suffix in _JSONL_SUFFIXES:
        return "jsonl"
    if suffix in _JSON_SUFFIXES:
        return "json"
    return "auto"


def article_key(value: bytes) -> bytes | None:
    """The article id of a JSON object as the record key, None when the value has no readable id."""
    try:
        data = orjson.loads(value)
    except orjson.JSONDecodeError:
        return None
    article_id = data.get("id") if isinstance(data, dict) else None
    return article_id.encode() if isinstance(article_id, str) else None


def read_inputs(
    path: str, fmt: str = "auto", *, max_bytes: int, stdin: BinaryIO | None = None
) -> Iterator[ArticleInput | InputProblem]:
    """The articles of one file ('-' = stdin), and a problem for each part that cannot be one."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    name = display_name(path)
    try:
        if path == STDIN:
            data = (stdin if stdin is not None else sys.stdin.buffer).read()
        else:
            with open(path, "rb") as handle:
                data = handle.read()
    except OSError as exc:
        yield InputProblem(name, "unreadable", f"cannot read: {exc.strerror or exc}")
        return
    if data.startswith(_UTF8_BOM):
        data = data[len(_UTF8_BOM) :]
    nul = data.find(b"\x00")
    if nul >= 0:
        yield InputProblem(
            name,
            "binary",
            f"a binary file (NUL byte at offset {nul}), not articles; give UTF-8 text, JSON or JSON Lines",
        )
        return
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        yield InputProblem(
            name,
            "not_utf8",
            f"not UTF-8 (invalid byte at offset {exc.start}); convert it first, e.g. `iconv -f latin1 -t utf-8 {name}`",
        )
        return

    if fmt == "auto" and path != STDIN:
        fmt = detect_format(path)
    if fmt == "auto":
        fmt = _sniff(data)
    if fmt == "jsonl":
        yield from _json_lines(name, data, max_bytes)
    elif fmt == "json":
        yield from _json_document(name, data, max_bytes)
    else:
        if not text.strip():
            yield InputProblem(name, "empty_text", "the file is empty")
            return
        article_id = "stdin" if path == STDIN else os.path.basename(path) or path
        yield ArticleInput(name, article_id.encode(), orjson.dumps({"id": article_id, "text": text}), max_bytes)


def _sniff(data: bytes) -> str:
    stripped = data.lstrip()
    if stripped[:1] not in (b"{", b"["):
        return "text"
    try:
        orjson.loads(data)
    except orjson.JSONDecodeError:
        return "jsonl"
    return "json"


def _json_lines(name: str, data: bytes, max_bytes: int) -> Iterator[ArticleInput]:
    for number, line in enumerate(data.split(b"\n"), start=1):
        line = line.rstrip(b"\r")
        if line.strip():
            yield ArticleInput(f"{name}:{number}", article_key(line), line, max_bytes)


def _json_document(name: str, data: bytes, max_bytes: int) -> Iterator[ArticleInput | InputProblem]:
    try:
        parsed = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        yield InputProblem(
            name, "not_json", f"not valid JSON ({exc}); a .json file holds one object or an array of objects"
        )
        return
    if isinstance(parsed, dict):
        value = orjson.dumps(parsed)
        yield ArticleInput(name, article_key(value), value, max_bytes)
        return
    if not isinstance(parsed, list):
        yield InputProblem(
            name, "not_an_object", f"expected a JSON object or an array of objects, got {type(parsed).__name__}"
        )
        return
    for index, item in enumerate(parsed):
        value = orjson.dumps(item)
        yield ArticleInput(f"{name}[{index}]", article_key(value), value, max_bytes)
