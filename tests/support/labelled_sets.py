"""Loading and format checks shared by the hand-labelled sets under tests/sets (golden and the article sets)."""

from __future__ import annotations

import json
import re
from collections import Counter
from functools import cache
from pathlib import Path

import pycountry

from schemas import EventType, Modality, enum_values

REPO_ROOT = Path(__file__).resolve().parents[2]
SETS_DIR = REPO_ROOT / "tests" / "sets"
SHARED_DIR = REPO_ROOT.parent / "shared"
LANGUAGES = ("de", "en")
EVENT_TYPES = enum_values(EventType)
MODALITIES = set(enum_values(Modality))
ITEM_KEYS = {"id", "lang", "text", "title", "hard_negative", "events", "note"}
EVENT_KEYS = {"type", "actor_name", "actor_country", "location_name", "location_country", "quantity", "modality"}
# Any sentence-sized window of this many characters found verbatim elsewhere counts as copied.
COPY_WINDOW = 60

Item = tuple[Path, int, dict]


def language_folders(root: Path) -> tuple[str, ...]:
    """The language folders under root (a new language's labelled set is picked up by being there)."""
    return tuple(sorted(p.name for p in root.iterdir() if p.is_dir() and any(p.glob("*.jsonl"))))


def load_items(root: Path) -> list[Item]:
    """Every item of root/<lang>/*.jsonl with its file and line number."""
    items = []
    for lang in language_folders(root):
        for path in sorted((root / lang).glob("*.jsonl")):
            for line_no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
                assert line.strip(), f"{path.name}:{line_no}: blank line"
                items.append((path, line_no, json.loads(line)))
    return items


def where(path: Path, line_no: int) -> str:
    return f"{path.parent.name}/{path.name}:{line_no}"


def is_alpha3(code: str) -> bool:
    return pycountry.countries.get(alpha_3=code) is not None


def repeated(values: list[str]) -> list[str]:
    return sorted(value for value, n in Counter(values).items() if n > 1)


def check_unique_ids_and_texts(items: list[Item]) -> None:
    """Ids are unique across every language; no text is labelled twice."""
    assert not (ids := repeated([item["id"] for _, _, item in items])), f"duplicate ids: {ids}"
    assert not (texts := repeated([item["text"] for _, _, item in items])), (
        f"duplicate texts: {[t[:60] for t in texts]}"
    )


def check_item_basics(path: Path, item: dict) -> None:
    """Keys, language folder, note, and the hard-negative flag that matches negatives.jsonl."""
    assert set(item) == ITEM_KEYS, f"keys {sorted(item)}"
    assert item["lang"] == path.parent.name
    assert isinstance(item["text"], str) and item["text"].strip()
    assert isinstance(item["note"], str) and item["note"].strip() and "\n" not in item["note"]
    assert isinstance(item["hard_negative"], bool)
    assert isinstance(item["events"], list)
    if item["hard_negative"]:
        assert item["events"] == [], "a hard negative has no events"
    else:
        assert item["events"], "an item that is not a hard negative has at least one event"
    # negatives.jsonl holds exactly the hard negatives; other files hold positives (and mixed paragraphs).
    assert item["hard_negative"] == (path.stem == "negatives")


def _numbers_written(text: str) -> set[int]:
    return {int(re.sub(r"[.,\s\u202f]", "", m)) for m in re.findall(r"\d[\d.,\s\u202f]*\d|\d", text)}


def check_event_fields(item: dict, searchable: str) -> None:
    """Every event follows the guideline's fields; names and numbers are written in `searchable`."""
    for event in item["events"]:
        assert set(event) == EVENT_KEYS, f"keys {sorted(event)}"
        assert event["type"] in EVENT_TYPES
        assert event["modality"] in MODALITIES
        assert isinstance(event["actor_name"], str) and event["actor_name"] in searchable, (
            f"actor_name {event['actor_name']!r} must be written as in the text"
        )
        if event["actor_country"] is not None:
            assert is_alpha3(event["actor_country"]), event["actor_country"]
        if event["type"] != "deployment":
            assert event["location_name"] is None and event["location_country"] is None
            assert event["quantity"] is None
            continue
        if event["location_name"] is None:
            assert event["location_country"] is None, "no country without a place"
        else:
            assert event["location_name"] in searchable, f"location {event['location_name']!r} not in text"
        if event["location_country"] is not None:
            assert is_alpha3(event["location_country"]), event["location_country"]
        quantity = event["quantity"]
        assert quantity is None or (type(quantity) is int and quantity > 0)
        if quantity is not None:
            # Written as digits with any separator, or as a small number word.
            assert quantity in _numbers_written(searchable) or quantity <= 12, (
                f"quantity {quantity} not written in the text"
            )


def shared_reference_texts() -> str:
    """The shared corpus and external sets, which no labelled text may copy from."""
    folders = (SHARED_DIR / "corpus", SHARED_DIR / "eval" / "external")
    return "\n".join(path.read_text(encoding="utf-8") for folder in folders for path in sorted(folder.glob("*.jsonl")))


def copied_from(items: list[Item], reference: str, *, skip_ids: frozenset[str] = frozenset()) -> list[str]:
    """Ids of items sharing a COPY_WINDOW-character window with the reference text."""
    copied = []
    for _, _, item in items:
        if item["id"] in skip_ids:
            continue
        text = item["text"]
        windows = {text[start : start + COPY_WINDOW] for start in range(0, max(1, len(text) - COPY_WINDOW + 1), 20)}
        if any(len(window) == COPY_WINDOW and window in reference for window in windows):
            copied.append(item["id"])
    return copied


@cache
def set_items(name: str) -> tuple[Item, ...]:
    """The items of tests/sets/<name>, read once per session."""
    return tuple(load_items(SETS_DIR / name))


def set_texts(names: tuple[str, ...]) -> str:
    """The raw lines of the named sets, to search for copied text."""
    return "\n".join(
        path.read_text(encoding="utf-8") for name in names for path in sorted((SETS_DIR / name).glob("*/*.jsonl"))
    )
