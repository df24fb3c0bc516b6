"""Format, shape, coverage and originality checks for the second blind article set (never scores the extractor)."""

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

BLIND2_DIR = Path(__file__).resolve().parent
TESTS_DIR = BLIND2_DIR.parent
# Sets the extractor may have been tuned on; this set is only blind if it shares no text with them.
SEEN_SETS = (TESTS_DIR / "golden", TESTS_DIR / "heldout")
ID_PATTERN = re.compile(r"^(de|en)-b2-\d{3}$")

# The promises of tests/blind2/README.md: 36 articles with events and 12 hard negatives per language.
POSITIVES_PER_LANGUAGE = 36
HARD_NEGATIVES_PER_LANGUAGE = 12
MIN_POSITIVES_PER_TYPE = 8
MIN_MULTI_EVENT_ITEMS = 10
MIN_ACTOR_STATES = 20
# Articles, not sentences: a headline plus a body of several sentences.
MIN_SENTENCES, MAX_SENTENCES = 4, 12
SENTENCE_END = re.compile(r"[.!?][\"“”»«)]*(?=\s|$)")
# A dateline opens the body: "Bangkok –" or "QUITO (Reuters) -".
DATELINE = re.compile(r"^[^\s–-][^–]{1,60}? [–-] ")

ITEMS = load_items(BLIND2_DIR)
ITEM_IDS = [where(path, line_no) for path, line_no, _ in ITEMS]


def items_of(lang: str) -> list[dict]:
    return [item for _, _, item in ITEMS if item["lang"] == lang]


def test_files_exist_for_every_language() -> None:
    for lang in LANGUAGES:
        assert (BLIND2_DIR / lang / "articles.jsonl").is_file(), f"no blind2 articles for {lang}"
        assert (BLIND2_DIR / lang / "negatives.jsonl").is_file(), f"no blind2 hard negatives for {lang}"


def test_ids_and_texts_are_unique() -> None:
    check_unique_ids_and_texts(ITEMS)


def test_ids_are_numbered_in_file_order() -> None:
    # Positives first, then the hard negatives, numbered without gaps per language.
    for lang in LANGUAGES:
        ids = [item["id"] for item in items_of(lang)]
        assert ids == [f"{lang}-b2-{n:03d}" for n in range(1, len(ids) + 1)]


@pytest.mark.parametrize("path,line_no,item", ITEMS, ids=ITEM_IDS)
def test_item_is_well_formed(path: Path, line_no: int, item: dict) -> None:
    check_item_basics(path, item)
    assert ID_PATTERN.match(item["id"]) and item["id"].startswith(f"{item['lang']}-b2-"), item["id"]
    assert item["title"] is None, "the headline is the first line of the text, as the extractor sees it"


@pytest.mark.parametrize("path,line_no,item", ITEMS, ids=ITEM_IDS)
def test_item_is_shaped_like_an_article(path: Path, line_no: int, item: dict) -> None:
    headline, separator, body = item["text"].partition("\n\n")
    assert separator and headline.strip() and "\n" not in headline, "a one-line headline, a blank line, then the body"
    assert not headline.rstrip().endswith("."), "a headline carries no final full stop"
    assert "\n" not in body, "the body is one paragraph of running text"
    sentences = 1 + len(SENTENCE_END.findall(body))
    assert MIN_SENTENCES <= sentences <= MAX_SENTENCES, f"{sentences} sentences"
    assert DATELINE.match(body), f"no dateline: {body[:40]!r}"


@pytest.mark.parametrize("path,line_no,item", ITEMS, ids=ITEM_IDS)
def test_events_follow_the_guideline_fields(path: Path, line_no: int, item: dict) -> None:
    check_event_fields(item, item["text"])


def test_events_of_one_item_are_distinct() -> None:
    twice = [item["id"] for _, _, item in ITEMS if repeated([json.dumps(event, sort_keys=True) for event in item["events"]])]
    assert not twice, f"an event labelled twice in: {twice}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_counts_meet_the_promises(lang: str) -> None:
    items = items_of(lang)
    assert sum(not item["hard_negative"] for item in items) == POSITIVES_PER_LANGUAGE
    assert sum(item["hard_negative"] for item in items) == HARD_NEGATIVES_PER_LANGUAGE
    for event_type in EVENT_TYPES:
        positives = sum(any(e["type"] == event_type for e in item["events"]) for item in items)
        assert positives >= MIN_POSITIVES_PER_TYPE, f"{lang}/{event_type}: {positives}"
    assert sum(len(item["events"]) >= 2 for item in items) >= MIN_MULTI_EVENT_ITEMS


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_modality_and_actor_kind_is_represented(lang: str) -> None:
    events = [e for item in items_of(lang) for e in item["events"]]
    for event_type in EVENT_TYPES:
        of_type = [e for e in events if e["type"] == event_type]
        assert any(e["actor_country"] is None for e in of_type), f"{lang}/{event_type}: an organisation as actor"
        # A denial is a speech act that has happened; "possible" denials are too rare in news to promise.
        assert len({e["modality"] for e in of_type}) >= 2, f"{lang}/{event_type}: varied modality"
    assert {e["modality"] for e in events} == MODALITIES
    deployments = [e for e in events if e["type"] == "deployment"]
    assert any(e["location_name"] is None for e in deployments), "a deployment without a destination"
    assert any(e["location_name"] and e["location_country"] is None for e in deployments), "a sea or disputed place"
    assert any(e["quantity"] is None for e in deployments) and any(e["quantity"] for e in deployments)
    assert len({e["actor_country"] for e in events if e["actor_country"]}) >= MIN_ACTOR_STATES, "varied regions"


@pytest.mark.skipif(not (SHARED_DIR / "corpus").is_dir(), reason="shared corpus not present on this machine")
def test_texts_are_not_copied_from_the_shared_corpora() -> None:
    copied = copied_from(ITEMS, shared_reference_texts())
    assert not copied, f"texts overlapping the shared corpora: {copied}"


def test_texts_are_not_copied_from_the_sets_the_extractor_has_seen() -> None:
    # Read by the test only: the authors of this set never looked at the golden or held-out items.
    reference = "\n".join(path.read_text(encoding="utf-8") for folder in SEEN_SETS for path in sorted(folder.glob("*/*.jsonl")))
    copied = copied_from(ITEMS, reference)
    assert not copied, f"texts overlapping tests/golden or tests/heldout: {copied}"
