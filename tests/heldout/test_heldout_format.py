"""Format, shape, coverage and originality checks for the blind held-out article set (never scores the extractor)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from labelled_sets import (
    EVENT_TYPES,
    LANGUAGES,
    MODALITIES,
    SHARED_DIR,
    check_event_fields,
    check_item_basics,
    check_unique_ids_and_texts,
    copied_from,
    load_items,
    repeated,
    shared_reference_texts,
    where,
)

HELDOUT_DIR = Path(__file__).resolve().parent
GOLDEN_DIR = HELDOUT_DIR.parent / "golden"
ID_PATTERN = re.compile(r"^(de|en)-ho-\d{3}$")

# The promises of tests/heldout/README.md: about 40 articles per language, about a quarter hard negatives.
MIN_ITEMS_PER_LANGUAGE = 40
HARD_NEGATIVE_SHARE = (0.20, 0.35)
MIN_POSITIVES_PER_TYPE = 8
MIN_MULTI_EVENT_ITEMS = 10
# Articles, not sentences: a headline plus a body of several sentences.
MIN_SENTENCES, MAX_SENTENCES = 4, 12
SENTENCE_END = re.compile(r"[.!?][\"“”»«)]*(?=\s|$)")


ITEMS = load_items(HELDOUT_DIR)



def test_heldout_files_exist_for_every_language() -> None:
    for lang in LANGUAGES:
        assert (HELDOUT_DIR / lang / "articles.jsonl").is_file(), f"no held-out articles for {lang}"
        assert (HELDOUT_DIR / lang / "negatives.jsonl").is_file(), f"no held-out hard negatives for {lang}"


def test_ids_and_texts_are_unique() -> None:
    check_unique_ids_and_texts(ITEMS)


@pytest.mark.parametrize("path,line_no,item", ITEMS, ids=[where(p, n) for p, n, _ in ITEMS])
def test_item_is_well_formed(path: Path, line_no: int, item: dict) -> None:
    check_item_basics(path, item)
    assert ID_PATTERN.match(item["id"]) and item["id"].startswith(f"{item['lang']}-ho-"), item["id"]
    assert item["title"] is None, "the headline is the first line of the text, as the extractor sees it"


@pytest.mark.parametrize("path,line_no,item", ITEMS, ids=[where(p, n) for p, n, _ in ITEMS])
def test_item_is_shaped_like_an_article(path: Path, line_no: int, item: dict) -> None:
    headline, separator, body = item["text"].partition("\n\n")
    assert separator and headline.strip() and "\n" not in headline, "a one-line headline, a blank line, then the body"
    assert not headline.rstrip().endswith("."), "a headline carries no final full stop"
    sentences = 1 + len(SENTENCE_END.findall(body))
    assert MIN_SENTENCES <= sentences <= MAX_SENTENCES, f"{sentences} sentences"
    # A dateline opens the body: "Kiew/Moskau –" or "WASHINGTON (Reuters) -".
    assert re.match(r"^[^\s–-][^–]{1,60}? [–-] ", body), f"no dateline: {body[:40]!r}"


@pytest.mark.parametrize("path,line_no,item", ITEMS, ids=[where(p, n) for p, n, _ in ITEMS])
def test_events_follow_the_guideline_fields(path: Path, line_no: int, item: dict) -> None:
    check_event_fields(item, item["text"])


def test_events_of_one_item_are_distinct() -> None:
    twice = [item["id"] for _, _, item in ITEMS if repeated([json.dumps(event, sort_keys=True) for event in item["events"]])]
    assert not twice, f"an event labelled twice in: {twice}"


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


@pytest.mark.skipif(not (SHARED_DIR / "corpus").is_dir(), reason="shared corpus not present on this machine")
def test_texts_are_not_copied_from_the_shared_corpora() -> None:
    copied = copied_from(ITEMS, shared_reference_texts())
    assert not copied, f"texts overlapping the shared corpora: {copied}"


def test_texts_are_not_copied_from_the_golden_sets() -> None:
    # The held-out set only measures generalisation if none of it was seen while tuning on the golden sets.
    reference = "\n".join(path.read_text(encoding="utf-8") for path in sorted(GOLDEN_DIR.glob("*/*.jsonl")))
    copied = copied_from(ITEMS, reference)
    assert not copied, f"texts overlapping tests/golden: {copied}"
