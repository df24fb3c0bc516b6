"""Format, uniqueness, coverage and originality checks for the hand-labelled golden sets."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pycountry
import pytest

GOLDEN_DIR = Path(__file__).resolve().parent
REPO_ROOT = GOLDEN_DIR.parent.parent
SHARED_DIR = REPO_ROOT.parent / "shared"
LANGUAGES = ("de", "en")
EVENT_TYPES = ("deployment", "denial", "policy_shift")
MODALITIES = {"asserted", "reported", "possible"}
ITEM_KEYS = {"id", "lang", "text", "title", "hard_negative", "events", "note"}
EVENT_KEYS = {"type", "actor_name", "actor_country", "location_name", "location_country", "quantity", "modality"}

# The minimums promised in issue 3 and in tests/golden/README.md.
MIN_ITEMS_PER_LANGUAGE = 100
MIN_POSITIVES_PER_TYPE = 20
MIN_HARD_NEGATIVES = 30

KURSK_ID = "tagesschau-2024-10-25-kursk"


def _load_items() -> list[tuple[Path, int, dict]]:
    items = []
    for lang in LANGUAGES:
        for path in sorted((GOLDEN_DIR / lang).glob("*.jsonl")):
            for line_no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
                assert line.strip(), f"{path.name}:{line_no}: blank line"
                items.append((path, line_no, json.loads(line)))
    return items


ITEMS = _load_items()


def _where(path: Path, line_no: int) -> str:
    return f"{path.parent.name}/{path.name}:{line_no}"


def _is_alpha3(code: str) -> bool:
    return pycountry.countries.get(alpha_3=code) is not None


def test_golden_files_exist_for_every_language() -> None:
    for lang in LANGUAGES:
        assert list((GOLDEN_DIR / lang).glob("*.jsonl")), f"no golden files for {lang}"


def test_ids_are_unique_across_all_languages() -> None:
    counts = Counter(item["id"] for _, _, item in ITEMS)
    duplicates = sorted(item_id for item_id, n in counts.items() if n > 1)
    assert not duplicates, f"duplicate ids: {duplicates}"


def test_texts_are_unique() -> None:
    counts = Counter(item["text"] for _, _, item in ITEMS)
    duplicates = [text[:60] for text, n in counts.items() if n > 1]
    assert not duplicates, f"duplicate texts: {duplicates}"


@pytest.mark.parametrize("path,line_no,item", ITEMS, ids=[_where(p, n) for p, n, _ in ITEMS])
def test_item_is_well_formed(path: Path, line_no: int, item: dict) -> None:
    assert set(item) == ITEM_KEYS, f"keys {sorted(item)}"
    assert item["lang"] == path.parent.name
    assert isinstance(item["id"], str) and item["id"]
    if item["id"] != KURSK_ID:
        assert item["id"].startswith(f"{item['lang']}-"), "ids carry their language prefix"
    assert isinstance(item["text"], str) and item["text"].strip()
    assert item["title"] is None or (isinstance(item["title"], str) and item["title"].strip())
    assert isinstance(item["note"], str) and item["note"].strip() and "\n" not in item["note"]
    assert isinstance(item["hard_negative"], bool)
    assert isinstance(item["events"], list)
    if item["hard_negative"]:
        assert item["events"] == [], "a hard negative has no events"
    else:
        assert item["events"], "an item that is not a hard negative has at least one event"
    # negatives.jsonl holds exactly the hard negatives; other files hold positives (and mixed paragraphs).
    assert item["hard_negative"] == (path.stem == "negatives")


@pytest.mark.parametrize("path,line_no,item", ITEMS, ids=[_where(p, n) for p, n, _ in ITEMS])
def test_events_follow_the_guideline_fields(path: Path, line_no: int, item: dict) -> None:
    searchable = item["text"] + "\n" + (item["title"] or "")
    for event in item["events"]:
        assert set(event) == EVENT_KEYS, f"keys {sorted(event)}"
        assert event["type"] in EVENT_TYPES
        assert event["modality"] in MODALITIES
        assert isinstance(event["actor_name"], str) and event["actor_name"] in searchable, (
            f"actor_name {event['actor_name']!r} must be written as in the text"
        )
        if event["actor_country"] is not None:
            assert _is_alpha3(event["actor_country"]), event["actor_country"]
        if event["type"] != "deployment":
            assert event["location_name"] is None and event["location_country"] is None
            assert event["quantity"] is None
            continue
        if event["location_name"] is None:
            assert event["location_country"] is None, "no country without a place"
        else:
            assert event["location_name"] in searchable, f"location {event['location_name']!r} not in text"
        if event["location_country"] is not None:
            assert _is_alpha3(event["location_country"]), event["location_country"]
        quantity = event["quantity"]
        assert quantity is None or (type(quantity) is int and quantity > 0)
        if quantity is not None:
            # The number must be written in the text (digits with any separator, or as a word).
            digits_in_text = {int(re.sub(r"[.,\s\u202f]", "", m)) for m in re.findall(r"\d[\d.,\s\u202f]*\d|\d", searchable)}
            assert quantity in digits_in_text or quantity <= 12, f"quantity {quantity} not written in the text"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_coverage_meets_the_minimums(lang: str) -> None:
    items = [item for _, _, item in ITEMS if item["lang"] == lang]
    assert len(items) >= MIN_ITEMS_PER_LANGUAGE
    assert sum(item["hard_negative"] for item in items) >= MIN_HARD_NEGATIVES
    for event_type in EVENT_TYPES:
        positives = sum(any(e["type"] == event_type for e in item["events"]) for item in items)
        assert positives >= MIN_POSITIVES_PER_TYPE, f"{lang}/{event_type}: {positives}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_modality_and_actor_kind_is_represented(lang: str) -> None:
    events = [e for _, _, item in ITEMS if item["lang"] == lang for e in item["events"]]
    assert {e["modality"] for e in events} == MODALITIES
    assert any(e["actor_country"] is None for e in events), "organisations / armed groups are covered"
    assert any(e["type"] == "deployment" and e["location_name"] is None for e in events)
    assert sum(len(item["events"]) >= 2 for _, _, item in ITEMS if item["lang"] == lang) >= 5


def test_kursk_item_matches_fixture_and_must_find_list() -> None:
    fixture = json.loads((REPO_ROOT / "fixtures" / "kursk-article.json").read_text(encoding="utf-8"))
    (kursk,) = [item for _, _, item in ITEMS if item["id"] == KURSK_ID]
    assert kursk["text"] == fixture["text"]
    assert kursk["lang"] == "de" and not kursk["hard_negative"]
    found = sorted(
        (e["type"], e["actor_country"], e["location_country"], e["quantity"] or 0) for e in kursk["events"]
    )
    assert found == sorted(
        [
            ("deployment", "PRK", "RUS", 0),
            ("deployment", "PRK", "RUS", 3000),
            ("deployment", "PRK", "RUS", 12000),
            ("denial", "PRK", None, 0),
            ("policy_shift", "KOR", None, 0),
        ]
    )
    # "must not find": no denial by Russia, no deployment attributed to Ukraine.
    assert not any(e["actor_country"] in {"RUS", "UKR"} for e in kursk["events"])


def _shared_texts() -> str:
    chunks = []
    for folder in (SHARED_DIR / "corpus", SHARED_DIR / "eval" / "external"):
        for path in sorted(folder.glob("*.jsonl")):
            chunks.append(path.read_text(encoding="utf-8"))
    return "\n".join(chunks)


@pytest.mark.skipif(not (SHARED_DIR / "corpus").is_dir(), reason="shared corpus not present on this machine")
def test_golden_texts_are_not_copied_from_the_shared_corpora() -> None:
    shared = _shared_texts()
    copied = []
    for _, _, item in ITEMS:
        if item["id"] == KURSK_ID:
            continue  # the example article is the one text the project may use as a fixture
        # Any sentence-sized window of 60 characters found verbatim counts as copied.
        text = item["text"]
        windows = {text[start : start + 60] for start in range(0, max(1, len(text) - 59), 20)}
        if any(len(window) == 60 and window in shared for window in windows):
            copied.append(item["id"])
    assert not copied, f"texts overlapping the shared corpora: {copied}"
