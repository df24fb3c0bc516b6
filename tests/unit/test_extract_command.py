"""`newsevents extract` logic: JSON Lines in, one event per line out, bad lines reported and skipped."""

from __future__ import annotations

import io
import json
from pathlib import Path

import orjson

from streams.commands.extract import run_extract
from streams.settings import Settings

ARTICLE = {"id": "a1", "lang": "en", "text": "Russia has sent at least 3,000 troops to Belarus, officials said."}


def _run(paths: list[str], *, plain_text: bool = False, stdin: bytes = b"", output: str | None = None):
    stdout, stderr = io.BytesIO(), io.StringIO()
    code = run_extract(
        paths,
        output=output,
        plain_text=plain_text,
        settings=Settings(),
        stdin=io.BytesIO(stdin),
        stdout=stdout,
        stderr=stderr,
    )
    lines = [orjson.loads(line) for line in stdout.getvalue().splitlines()]
    return code, lines, stderr.getvalue()


def test_json_lines_with_bad_lines(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text(
        "\n".join(
            [
                json.dumps(ARTICLE),
                "not json",
                json.dumps([1, 2]),
                json.dumps({"text": "no id"}),
                json.dumps({"id": "b", "body": "Moscow denied the reports."}),
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    code, events, errors = _run([str(source)])
    assert code == 0
    assert [(e["article_id"], e["type"], e["actor"]["country"]) for e in events] == [
        ("a1", "deployment", "RUS"),
        ("b", "denial", "RUS"),
    ]
    deployment = events[0]
    assert deployment["quantity"]["value"] == 3000 and deployment["location"]["country"] == "BLR"
    assert (
        ARTICLE["text"][deployment["evidence"]["start"] : deployment["evidence"]["end"]]
        == deployment["evidence"]["text"]
    )
    assert f"{source}:2: skipped (not_json)" in errors
    assert f"{source}:3: skipped (not_an_object)" in errors
    assert f"{source}:4: skipped (invalid_fields)" in errors


def test_stdin_and_output_file(tmp_path: Path) -> None:
    out = tmp_path / "events.jsonl"
    code, printed, _ = _run([], stdin=(json.dumps(ARTICLE) + "\n").encode(), output=str(out))
    assert code == 0 and printed == []
    assert [json.loads(line)["article_id"] for line in out.read_text(encoding="utf-8").splitlines()] == ["a1"]


def test_plain_text_files_use_the_file_name_as_id(tmp_path: Path) -> None:
    story = tmp_path / "story-17.txt"
    story.write_text(
        "Die Bundeswehr hat am Montag weitere 200 Soldaten nach Litauen verlegt, teilte das Ministerium mit.",
        encoding="utf-8",
    )
    code, events, _ = _run([str(story)], plain_text=True)
    assert code == 0
    [event] = events
    assert (event["article_id"], event["lang"], event["actor"]["country"]) == ("story-17.txt", "de", "DEU")


def test_nothing_readable_exits_nonzero(tmp_path: Path) -> None:
    code, events, errors = _run([str(tmp_path / "missing.jsonl")])
    assert code == 1 and events == [] and "cannot read" in errors
    bad = tmp_path / "bad.jsonl"
    bad.write_text("{oops\n", encoding="utf-8")
    assert _run([str(bad)])[0] == 1
    empty = tmp_path / "empty.jsonl"
    empty.write_text("", encoding="utf-8")
    assert _run([str(empty)])[0] == 0
