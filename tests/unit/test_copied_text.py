"""No text of the repository copies eight words in a row from ../shared (train pool, corpus, external sets).

Test sentences and documentation examples are written by us: a paraphrase with other names, other numbers and
other wording. The one shared text the repository may copy is the example article (the fixture and its golden
item). The guard reads the repository's files (tracked, or new and not ignored) and streams the shared files once:
a few seconds, so the fast lane runs it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from support.copied_text import (
    SHARED_FOLDERS,
    WINDOW,
    copies,
    file_texts,
    repo_files,
    windows,
    words,
)
from support.labelled_sets import REPO_ROOT, SHARED_DIR

NEWS = "The defence ministry said on Tuesday that 1,200 soldiers had been moved to the northern border overnight."


@pytest.mark.skipif(
    not all((SHARED_DIR / folder).is_dir() for folder in SHARED_FOLDERS), reason="shared texts not present here"
)
def test_no_repository_text_shares_eight_words_with_the_shared_texts() -> None:
    copied = copies(repo_files())
    assert not copied, (
        f"{len(copied)} windows of {WINDOW} words copied from ../shared (reword them: other names, numbers, wording):\n"
        + "\n".join(copied)
    )


def test_the_guard_reads_the_files_that_hold_text() -> None:
    names = {path.relative_to(REPO_ROOT).as_posix() for path in repo_files()}
    assert {"README.md", "docs/real-news.md", "tests/unit/test_copied_text.py"} <= names
    assert {"tests/unit/extraction/sentences/en/cues.jsonl", "fixtures/kursk-article.json"} <= names
    for folder in ("bench/", "deploy/", "streams/extraction/lexicons/", "streams/worker/", "tests/sets/"):
        assert any(name.startswith(folder) for name in names), folder


def test_windows_are_runs_of_eight_lowercased_words() -> None:
    assert words("U.S.-led troops, 1,200 of them") == ["u", "s", "led", "troops", "1", "200", "of", "them"]
    assert list(windows("one two three four five six seven")) == []
    assert list(windows("One two three four five six seven eight nine")) == [
        ("one", "two", "three", "four", "five", "six", "seven", "eight"),
        ("two", "three", "four", "five", "six", "seven", "eight", "nine"),
    ]


def _shared(tmp_path: Path, *records: dict[str, str]) -> Path:
    shared = tmp_path / "shared"
    for folder in (*SHARED_FOLDERS, "examples"):
        (shared / folder).mkdir(parents=True)
    lines = "".join(json.dumps(record) + "\n" for record in records)
    (shared / "corpus" / "news.jsonl").write_text(lines, encoding="utf-8")
    return shared


def _repo_file(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / "repo" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_a_copied_sentence_is_caught_whatever_its_case_punctuation_or_line_breaks(tmp_path: Path) -> None:
    shared = _shared(tmp_path, {"id": "a-1", "title": "Troops moved north", "text": f"Earlier report. {NEWS}"})
    copied = "the Defence Ministry said on Tuesday\nthat 1.200 soldiers"
    sentence = _repo_file(tmp_path, "tests/cues.jsonl", json.dumps({"text": copied, "note": "copied"}) + "\n")
    docs = _repo_file(tmp_path, "docs/notes.md", f"An example: *{copied}*.\n")
    found = copies([sentence, docs], tmp_path / "repo", shared)
    assert found == [
        "docs/notes.md, tests/cues.jsonl <- news.jsonl: 'defence ministry said on tuesday that 1 200'",
        "docs/notes.md, tests/cues.jsonl <- news.jsonl: 'ministry said on tuesday that 1 200 soldiers'",
        "docs/notes.md, tests/cues.jsonl <- news.jsonl: 'the defence ministry said on tuesday that 1'",
    ]


def test_a_reworded_sentence_is_not_a_copy(tmp_path: Path) -> None:
    shared = _shared(tmp_path, {"title": "Troops moved north", "text": NEWS})
    # The same construction and cue with other names, numbers and wording; seven shared words in a row are allowed.
    reworded = "The interior ministry said on Friday that 800 police officers had been sent to the southern coast."
    seven = "the defence ministry said on Tuesday that"
    path = _repo_file(tmp_path, "tests/cues.jsonl", json.dumps({"text": reworded, "note": seven}) + "\n")
    assert copies([path], tmp_path / "repo", shared) == []


def test_only_the_title_and_text_of_a_shared_record_count(tmp_path: Path) -> None:
    url = "https://example.org/news/the-defence-ministry-said-on-tuesday-that-troops-moved"
    shared = _shared(tmp_path, {"id": "a-1", "url": url, "title": "A title", "text": "A short text."})
    path = _repo_file(tmp_path, "tests/urls.md", url)
    assert copies([path], tmp_path / "repo", shared) == []


def test_the_example_article_may_be_copied(tmp_path: Path) -> None:
    shared = _shared(tmp_path, {"title": "Troops moved north", "text": NEWS})
    (shared / "examples" / "article.json").write_text(json.dumps({"title": "Example", "text": NEWS}), encoding="utf-8")
    path = _repo_file(tmp_path, "fixtures/article.json", json.dumps({"text": NEWS}))
    assert copies([path], tmp_path / "repo", shared) == []


def test_python_strings_are_read_decoded_and_comments_as_written(tmp_path: Path) -> None:
    # The string's escaped line break would glue "n" to "soldiers" in the source; its decoded value is read too.
    source = '# had been moved to the northern border overnight\nTEXT = "that 1,200\\nsoldiers had been moved to"\n'
    path = _repo_file(tmp_path, "tests/test_x.py", source)
    assert file_texts(path) == [source, "that 1,200\nsoldiers had been moved to"]
    shared = _shared(tmp_path, {"title": "", "text": NEWS})
    assert [line.split(": ", 1)[1] for line in copies([path], tmp_path / "repo", shared)] == [
        "'had been moved to the northern border overnight'",
        "'that 1 200 soldiers had been moved to'",
    ]
