"""Eight-word windows shared between the repository's texts and ../shared (the copy guard's logic).

A project rule: no text of ../shared (train pool, corpus, external sets) is copied into the repository; test
sentences and documentation examples are written by us. Texts are compared as lowercased runs of \\w+ words, so
punctuation, case and line breaks do not hide a copy; a window of WINDOW words seen on both sides is a copy.
The repository is small, so its windows are built first; each shared file is then streamed once and only its
windows that the repository also holds are kept.
"""

from __future__ import annotations

import ast
import json
import re
import subprocess
from collections.abc import Iterable, Iterator
from pathlib import Path

from support.labelled_sets import REPO_ROOT, SHARED_DIR

WINDOW = 8
Window = tuple[str, ...]

# The texts the repository may not copy (folders of ../shared): the train pool, the corpus and the external sets.
SHARED_FOLDERS = ("train-pool", "corpus", "eval/external")
# The fields of a shared record that hold news text (ids, urls and labels are not prose).
SHARED_FIELDS = ("title", "text")
# The example article is the one shared text the project may copy (as a fixture and in the golden set).
EXAMPLES = "examples"

_WORD = re.compile(r"\w+")
# A JSON string literal (outside strings JSON has no quote marks), its body captured with escapes undecoded.
_JSON_STRING = re.compile(r'"([^"\\]*(?:\\.[^"\\]*)*)"')
# The fewest characters that can hold a window: WINDOW one-letter words and the separators between them.
_SHORTEST = 2 * WINDOW - 1


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def windows(text: str) -> Iterator[Window]:
    """Every run of WINDOW consecutive words of text."""
    found = words(text)
    return zip(*(found[start:] for start in range(WINDOW)), strict=False)


def _json_strings(raw: str) -> list[str]:
    """The string values and keys of a JSON text (or of JSON lines) long enough to hold a window, decoded."""
    return [
        json.loads(f'"{body}"') if "\\" in body else body
        for body in _JSON_STRING.findall(raw)
        if len(body) >= _SHORTEST
    ]


def file_texts(path: Path) -> list[str]:
    """The texts of a repository file, each windowed on its own.

    JSON is decoded (an escape such as \\n or \\u00e4 would otherwise split or glue words) and each string is a text;
    Python gives its whole source (comments included) and each string constant decoded; any other file its text.
    """
    try:
        raw = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return []  # not a text file
    if "\0" in raw:
        return []
    if path.suffix in (".json", ".jsonl"):
        return _json_strings(raw)
    if path.suffix == ".py":
        try:
            tree = ast.parse(raw)
        except SyntaxError:
            return [raw]  # a scratch file that does not parse is still read as text, not a crash of the guard
        constants = [node.value for node in ast.walk(tree) if isinstance(node, ast.Constant)]
        return [raw, *(value for value in constants if isinstance(value, str) and len(value) >= _SHORTEST)]
    return [raw]


def repo_files(root: Path = REPO_ROOT) -> list[Path]:
    """The repository's text files: tracked, or new and not ignored (so a copy is caught before its commit)."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=root,
        capture_output=True,
        check=True,
    ).stdout.decode()
    return [path for name in sorted(set(filter(None, listed.split("\0")))) if (path := root / name).is_file()]


def file_windows(files: Iterable[Path]) -> dict[Path, set[Window]]:
    """The windows of each file's texts."""
    return {path: {window for text in file_texts(path) for window in windows(text)} for path in files}


def shared_texts(path: Path) -> Iterator[str]:
    """The title and text of every record of a shared .jsonl file (or the record itself for a .json file)."""
    with path.open(encoding="utf-8") as lines:
        records = [json.load(lines)] if path.suffix == ".json" else (json.loads(line) for line in lines if line.strip())
        for record in records:
            for field in SHARED_FIELDS:
                if isinstance(value := record.get(field), str):
                    yield value


def shared_hits(candidates: Iterable[Window], files: Iterable[Path]) -> dict[Window, str]:
    """The candidate windows that the shared files hold, each with the first of the files holding it."""
    wanted = frozenset(candidates)
    hits: dict[Window, str] = {}
    for path in files:
        for text in shared_texts(path):
            for window in wanted.intersection(windows(text)):
                hits.setdefault(window, path.name)
    return hits


def shared_files(shared: Path = SHARED_DIR) -> list[Path]:
    return sorted(path for folder in SHARED_FOLDERS for path in (shared / folder).glob("*.jsonl"))


def example_windows(shared: Path = SHARED_DIR) -> set[Window]:
    """The windows of the example article, which the repository may copy."""
    found = (windows(text) for path in sorted((shared / EXAMPLES).glob("*.json")) for text in shared_texts(path))
    return set().union(*found)


def copies(files: Iterable[Path], root: Path = REPO_ROOT, shared: Path = SHARED_DIR) -> list[str]:
    """One line per copied window, sorted: the files holding it (relative to root), the shared file and the window."""
    per_file = file_windows(files)
    candidates = set().union(*per_file.values()) - example_windows(shared)
    hits = shared_hits(candidates, shared_files(shared))
    return sorted(
        f"{', '.join(sorted(path.relative_to(root).as_posix() for path, held in per_file.items() if window in held))}"
        f" <- {hits[window]}: {' '.join(window)!r}"
        for window in hits
    )
