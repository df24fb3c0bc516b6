"""Format, shape, coverage and originality checks for the blind held-out article set (never scores the extractor)."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pycountry
import pytest

HELDOUT_DIR = Path(__file__).resolve().parent
REPO_ROOT = HELDOUT_DIR.parent.parent
GOLDEN_DIR = REPO_ROOT / "tests" / "golden"
SHARED_DIR = REPO_ROOT.parent / "shared"
LANGUAGES = ("de", "en")
EVENT_TYPES = ("deployment", "denial", "policy_shift")
MODALITIES = {"asserted", "reported", "possible"}
ITEM_KEYS = {"id", "lang", "text", "title", "hard_negative", "events", "note"}
EVENT_KEYS = {"type", "actor_name", "actor_country", "location_name", "location_country", "quantity", "modality"}
ID_PATTERN = re.compile(r"^(de|en)-ho-\d{3}$")

# The promises of tests/heldout/README.md: about 40 articles per language, about a quarter hard negatives.
MIN_ITEMS_PER_LANGUAGE = 40
HARD_NEGATIVE_SHARE = (0.20, 0.35)
MIN_POSITIVES_PER_TYPE = 8
MIN_MULTI_EVENT_ITEMS = 10
# Articles, not sentences: a headline plus a body of several sentences.
MIN_SENTENCES, MAX_SENTENCES = 4, 12
SENTENCE_END = re.compile(r"[.!?][\"“”»«)]*(?=\s|$)")
WINDOW = 60


def _load_items() -> list[tuple[Path, int, dict]]:
    items = []
    for lang in LANGUAGES:
        for path in sorted((HELDOUT_DIR / lang).glob("*.jsonl")):
            for line_no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
                assert line.strip(), f"{path.name}:{line_no}: blank line"
                items.append((path, line_no, json.loads(line)))
    return items


ITEMS = _load_items()


def _where(path: Path, line_no: int) -> str:
    return f"{path.parent.name}/{path.name}:{line_no}"


def _is_alpha3(code: str) -> bool:
    return pycountry.countries.get(alpha_3=code) is not None


def _numbers_written(text: str) -> set[int]:
    return {int(re.sub(r"[.,\s\u202f]", "", m)) for m in re.findall(r"\d[\d.,\s\u202f]*\d|\d", text)}


def test_heldout_files_exist_for_every_language() -> None:
    for lang in LANGUAGES:
        assert (HELDOUT_DIR / lang / "articles.jsonl").is_file(), f"no held-out articles for {lang}"
        assert (HELDOUT_DIR / lang / "negatives.jsonl").is_file(), f"no held-out hard negatives for {lang}"


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
    assert ID_PATTERN.match(item["id"]) and item["id"].startswith(f"{item['lang']}-ho-"), item["id"]
    assert isinstance(item["text"], str) and item["text"].strip()
    assert item["title"] is None, "the headline is the first line of the text, as the extractor sees it"
    assert isinstance(item["note"], str) and item["note"].strip() and "\n" not in item["note"]
    assert isinstance(item["hard_negative"], bool)
    assert isinstance(item["events"], list)
    if item["hard_negative"]:
        assert item["events"] == [], "a hard negative has no events"
    else:
        assert item["events"], "an article that is not a hard negative has at least one event"
    assert item["hard_negative"] == (path.stem == "negatives")


@pytest.mark.parametrize("path,line_no,item", ITEMS, ids=[_where(p, n) for p, n, _ in ITEMS])
def test_item_is_shaped_like_an_article(path: Path, line_no: int, item: dict) -> None:
    headline, separator, body = item["text"].partition("\n\n")
    assert separator and headline.strip() and "\n" not in headline, "a one-line headline, a blank line, then the body"
    assert not headline.rstrip().endswith("."), "a headline carries no final full stop"
    sentences = 1 + len(SENTENCE_END.findall(body))
    assert MIN_SENTENCES <= sentences <= MAX_SENTENCES, f"{sentences} sentences"
    # A dateline opens the body: "Kiew/Moskau –" or "WASHINGTON (Reuters) -".
    assert re.match(r"^[^\s–-][^–]{1,60}? [–-] ", body), f"no dateline: {body[:40]!r}"


@pytest.mark.parametrize("path,line_no,item", ITEMS, ids=[_where(p, n) for p, n, _ in ITEMS])
def test_events_follow_the_guideline_fields(path: Path, line_no: int, item: dict) -> None:
    text = item["text"]
    for event in item["events"]:
        assert set(event) == EVENT_KEYS, f"keys {sorted(event)}"
        assert event["type"] in EVENT_TYPES
        assert event["modality"] in MODALITIES
        assert isinstance(event["actor_name"], str) and event["actor_name"] in text, (
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
            assert event["location_name"] in text, f"location {event['location_name']!r} not in text"
        if event["location_country"] is not None:
            assert _is_alpha3(event["location_country"]), event["location_country"]
        quantity = event["quantity"]
        assert quantity is None or (type(quantity) is int and quantity > 0)
        if quantity is not None:
            # Written as digits with any separator, or as a small number word.
            assert quantity in _numbers_written(text) or quantity <= 12, f"quantity {quantity} not written in the text"


def test_events_of_one_item_are_distinct() -> None:
    repeated = []
    for _, _, item in ITEMS:
        keys = Counter(json.dumps(event, sort_keys=True) for event in item["events"])
        repeated += [item["id"] for n in keys.values() if n > 1]
    assert not repeated, f"an event labelled twice in: {repeated}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_coverage_meets_the_promises(lang: str) -> None:
    items = [item for _, _, item in ITEMS if item["lang"] == lang]
    assert len(items) >= MIN_ITEMS_PER_LANGUAGE
    share = sum(item["hard_negative"] for item in items) / len(items)
    assert HARD_NEGATIVE_SHARE[0] <= share <= HARD_NEGATIVE_SHARE[1], f"hard-negative share {share:.2f}"
    for event_type in EVENT_TYPES:
        positives = sum(any(e["type"] == event_type for e in item["events"]) for item in items)
        assert positives >= MIN_POSITIVES_PER_TYPE, f"{lang}/{event_type}: {positives}"
    assert sum(len(item["events"]) >= 2 for item in items) >= MIN_MULTI_EVENT_ITEMS


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_modality_and_actor_kind_is_represented(lang: str) -> None:
    events = [e for _, _, item in ITEMS if item["lang"] == lang for e in item["events"]]
    for event_type in EVENT_TYPES:
        assert any(e["type"] == event_type and e["actor_country"] is None for e in events), (
            f"{lang}/{event_type}: an organisation or armed group as actor"
        )
    assert {e["modality"] for e in events} == MODALITIES
    assert any(e["type"] == "deployment" and e["location_name"] is None for e in events)
    assert any(e["type"] == "deployment" and e["location_name"] and e["location_country"] is None for e in events)
    assert any(e["type"] == "deployment" and e["quantity"] is None for e in events)
    assert len({e["actor_country"] for e in events if e["actor_country"]}) >= 20, "varied regions"


def _windows(text: str) -> set[str]:
    return {text[start : start + WINDOW] for start in range(0, max(1, len(text) - WINDOW + 1), 20)}


def _texts_in(paths: list[Path]) -> str:
    return "\n".join(path.read_text(encoding="utf-8") for path in paths)


def _copied_from(reference: str) -> list[str]:
    return [
        item["id"]
        for _, _, item in ITEMS
        if any(len(window) == WINDOW and window in reference for window in _windows(item["text"]))
    ]


@pytest.mark.skipif(not (SHARED_DIR / "corpus").is_dir(), reason="shared corpus not present on this machine")
def test_texts_are_not_copied_from_the_shared_corpora() -> None:
    folders = (SHARED_DIR / "corpus", SHARED_DIR / "eval" / "external")
    reference = _texts_in([path for folder in folders for path in sorted(folder.glob("*.jsonl"))])
    copied = _copied_from(reference)
    assert not copied, f"texts overlapping the shared corpora: {copied}"


def test_texts_are_not_copied_from_the_golden_sets() -> None:
    # The held-out set only measures generalisation if none of it was seen while tuning on the golden sets.
    reference = _texts_in(sorted(GOLDEN_DIR.glob("*/*.jsonl")))
    copied = _copied_from(reference)
    assert not copied, f"texts overlapping tests/golden: {copied}"
