"""The input reader `extract` and `feed` share (streams.commands.inputs): formats, encodings, sizes, stdin."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import orjson
import pytest
from support.agents import KURSK_ARTICLE, REPO_ROOT

from streams.commands.extract import run_extract
from streams.commands.inputs import ArticleInput, InputProblem, read_inputs
from streams.settings import Settings

BIG = 10_000


def _read(path: str, fmt: str = "auto", stdin: bytes = b"") -> list[ArticleInput | InputProblem]:
    return list(read_inputs(path, fmt, max_bytes=BIG, stdin=io.BytesIO(stdin)))


def test_json_object_file_is_one_article() -> None:
    [item] = _read(str(KURSK_ARTICLE))
    assert isinstance(item, ArticleInput) and item.key == b"tagesschau-2024-10-25-kursk"
    assert orjson.loads(item.value)["source"] == "tagesschau"


def test_json_array_items_are_articles_with_their_index(tmp_path: Path) -> None:
    path = tmp_path / "many.json"
    path.write_text(json.dumps([{"id": "a", "text": "x"}, {"id": "b", "text": "y"}]))
    items = _read(str(path))
    assert [(i.origin, i.key) for i in items] == [(f"{path}[0]", b"a"), (f"{path}[1]", b"b")]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b'{"id": "a", "text": "x"}\n{"id": "b", "text": "y"}\n', [b"a", b"b"]),  # JSON Lines without a suffix
        (b'{\n  "id": "p",\n  "text": "pretty"\n}\n', [b"p"]),  # a pretty-printed object
        (b'[{"id": "q", "text": "x"}]', [b"q"]),
        (b"Soldaten wurden verlegt.", [b"stdin"]),  # plain text
    ],
)
def test_stdin_and_unknown_suffixes_are_recognised_by_content(
    tmp_path: Path, content: bytes, expected: list[bytes]
) -> None:
    assert [i.key for i in _read("-", stdin=content)] == expected
    path = tmp_path / "input.dat"
    path.write_bytes(content)
    keys = [i.key for i in _read(str(path))]
    assert keys == [b"input.dat" if key == b"stdin" else key for key in expected]


def test_binary_and_non_utf8_files_are_refused_whole(tmp_path: Path) -> None:
    binary = tmp_path / "image.png"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    latin1 = tmp_path / "bericht.txt"
    latin1.write_bytes("Soldaten in Kursk, sagte der Präsident.".encode("latin-1"))
    [problem] = _read(str(binary))
    assert isinstance(problem, InputProblem) and problem.reason == "binary"
    [problem] = _read(str(latin1))
    assert isinstance(problem, InputProblem) and problem.reason == "not_utf8" and "iconv" in problem.detail


def test_bom_is_dropped_and_empty_text_reported(tmp_path: Path) -> None:
    bom = tmp_path / "bom.jsonl"
    bom.write_bytes(b'\xef\xbb\xbf{"id": "a", "text": "x"}\n')
    assert [i.key for i in _read(str(bom))] == [b"a"]
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n")
    [problem] = _read(str(empty))
    assert isinstance(problem, InputProblem) and problem.reason == "empty_text"


def test_oversize_articles_are_flagged_one_by_one(tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(
        orjson.dumps({"id": "small", "text": "x"}) + b"\n" + orjson.dumps({"id": "big", "text": "y" * BIG}) + b"\n"
    )
    items = _read(str(path))
    assert [(i.key, i.too_large) for i in items] == [(b"small", False), (b"big", True)]


def test_json_file_that_is_not_json_is_one_problem(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{"id": "a",')
    [problem] = _read(str(path))
    assert isinstance(problem, InputProblem) and problem.reason == "not_json"


def _extract(paths: list[str], stdin: bytes = b"") -> tuple[int, list[dict], str]:
    stdout, stderr = io.BytesIO(), io.StringIO()
    code = run_extract(
        paths, settings=Settings(max_message_bytes=BIG), stdin=io.BytesIO(stdin), stdout=stdout, stderr=stderr
    )
    return code, [orjson.loads(line) for line in stdout.getvalue().splitlines()], stderr.getvalue()


def test_extract_reads_the_example_json_article() -> None:
    code, events, errors = _extract([str(KURSK_ARTICLE)])
    assert code == 0 and errors == ""
    assert len(events) == 5
    assert {e["article_id"] for e in events} == {"tagesschau-2024-10-25-kursk"}
    assert {e["type"] for e in events} >= {"deployment", "denial"}


def test_extract_reads_a_pretty_printed_object_from_stdin() -> None:
    code, events, _ = _extract([], stdin=KURSK_ARTICLE.read_bytes())
    assert code == 0 and len(events) == 5


def test_extract_skips_oversize_articles_like_the_worker(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_bytes(
        orjson.dumps({"id": "big", "text": "Moscow denied the reports. " * 1000})
        + b"\n"
        + orjson.dumps({"id": "b", "lang": "en", "text": "Moscow denied the reports."})
        + b"\n"
    )
    code, events, errors = _extract([str(path)])
    assert code == 0 and [e["article_id"] for e in events] == ["b"]
    assert f"{path}:1: skipped (too_large)" in errors


def test_extract_refuses_a_binary_file(tmp_path: Path) -> None:
    path = tmp_path / "blob.bin"
    path.write_bytes(bytes(range(256)))
    code, events, errors = _extract([str(path)])
    assert code == 1 and events == []
    assert errors.strip().count("\n") == 0 and "skipped (binary)" in errors


def test_cli_extract_prints_the_five_example_events() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "streams.commands.cli", "extract", "fixtures/kursk-article.json"],
        cwd=REPO_ROOT,
        capture_output=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    events = [orjson.loads(line) for line in result.stdout.splitlines()]
    assert len(events) == 5 and b"Traceback" not in result.stderr


def test_extract_events_carry_the_article_and_drop_a_bad_date(tmp_path: Path) -> None:
    article = {
        "id": "b",
        "lang": "en",
        "text": "Moscow denied the reports.",
        "url": "https://example.org/b",
        "title": "Denial",
        "source": "Reuters",
        "published_at": "yesterday",
    }
    path = tmp_path / "one.json"
    path.write_text(json.dumps(article))
    code, events, errors = _extract([str(path)])
    [event] = events
    assert code == 0
    assert (event["article_url"], event["article_title"], event["source"], event["published_at"]) == (
        "https://example.org/b",
        "Denial",
        "Reuters",
        None,
    )
    assert errors == f"{path}: published_at 'yesterday' is not ISO 8601; the events have none\n"


def test_extract_of_an_article_that_names_its_language_does_not_build_the_detector() -> None:
    # Building the language detector takes about a second and 200 MB: `extract` of the example must not pay it.
    probe = (
        "import io\n"
        "from streams.extraction import detect\n"
        "from streams.commands.extract import run_extract\n"
        "from streams.settings import Settings\n"
        "out = io.BytesIO()\n"
        "run_extract(['fixtures/kursk-article.json'], settings=Settings(), stdout=out, stderr=io.StringIO())\n"
        "print(out.getvalue().count(b'\\n'), len(detect._detectors))\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], cwd=REPO_ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["5", "0"]
