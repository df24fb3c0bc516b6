"""Shared loading and format checks for the hand-labelled sets (tests/golden and the article sets)."""

from __future__ import annotations

import json
import re
from collections import Counter
from functools import cache
from pathlib import Path

import pycountry
import pytest

from schemas import EventType, enum_values

TESTS_DIR = Path(__file__).resolve().parent
REPO_ROOT = TESTS_DIR.parent
SHARED_DIR = REPO_ROOT.parent / "shared"
LANGUAGES = ("de", "en")
EVENT_TYPES = enum_values(EventType)
MODALITIES = {"asserted", "reported", "possible"}
ITEM_KEYS = {"id", "lang", "text", "title", "hard_negative", "events", "note"}
EVENT_KEYS = {"type", "actor_name", "actor_country", "location_name", "location_country", "quantity", "modality"}
# Any sentence-sized window of this many characters found verbatim elsewhere counts as copied.
COPY_WINDOW = 60

Item = tuple[Path, int, dict]


def load_items(root: Path) -> list[Item]:
    """Every item of root/<lang>/*.jsonl with its file and line number."""
    items = []
    for lang in LANGUAGES:
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


# Articles, not sentences: a headline, a blank line, then a body of several sentences.
MIN_SENTENCES, MAX_SENTENCES = 4, 12
SENTENCE_END = re.compile(r"[.!?][\"“”»«)]*(?=\s|$)")
# A dateline opens the body: "Bangkok –" or "QUITO (Reuters) -".
DATELINE = re.compile(r"^[^\s–-][^–]{1,60}? [–-] ")


@cache
def _article_set_items(directory: Path) -> tuple[Item, ...]:
    return tuple(load_items(directory))


def _set_texts(names: tuple[str, ...]) -> str:
    return "\n".join(
        path.read_text(encoding="utf-8") for name in names for path in sorted((TESTS_DIR / name).glob("*/*.jsonl"))
    )


class ArticleSetChecks:
    """Format, shape, coverage and originality checks of an article set (tests/heldout, tests/blind2, …).

    A test module subclasses it as ``Test…`` and states what its README promises; pytest then runs every
    check below on that set. The checks never run the extractor.
    """

    SET_NAME: str  # the folder under tests/
    ID_INFIX: str  # ids are <lang>-<ID_INFIX>-NNN, numbered in file order, positives first
    SEEN_SETS: tuple[str, ...]  # sets the extractor may have been tuned on; this set must share no text with them
    POSITIVES_PER_LANGUAGE: int
    HARD_NEGATIVES_PER_LANGUAGE: int
    MIN_POSITIVES_PER_TYPE = 8
    MIN_MULTI_EVENT_ITEMS = 10
    MIN_ACTOR_STATES = 20

    @classmethod
    def directory(cls) -> Path:
        return TESTS_DIR / cls.SET_NAME

    @classmethod
    def items(cls) -> tuple[Item, ...]:
        return _article_set_items(cls.directory())

    @classmethod
    def items_of(cls, lang: str) -> list[dict]:
        return [item for _, _, item in cls.items() if item["lang"] == lang]

    def pytest_generate_tests(self, metafunc: pytest.Metafunc) -> None:
        # Per-item checks get one test case per line, named after its file and line.
        if "item" in metafunc.fixturenames:
            items = self.items()
            metafunc.parametrize("path,line_no,item", items, ids=[where(path, line_no) for path, line_no, _ in items])
        elif "lang" in metafunc.fixturenames:
            metafunc.parametrize("lang", LANGUAGES)

    def test_files_exist_for_every_language(self) -> None:
        for lang in LANGUAGES:
            for name in ("articles.jsonl", "negatives.jsonl"):
                assert (self.directory() / lang / name).is_file(), f"{self.SET_NAME}: no {lang}/{name}"

    def test_ids_and_texts_are_unique(self) -> None:
        check_unique_ids_and_texts(list(self.items()))

    def test_ids_are_numbered_in_file_order(self) -> None:
        # Positives first, then the hard negatives, numbered without gaps per language.
        for lang in LANGUAGES:
            ids = [item["id"] for item in self.items_of(lang)]
            assert ids == [f"{lang}-{self.ID_INFIX}-{n:03d}" for n in range(1, len(ids) + 1)]

    def test_item_is_well_formed(self, path: Path, line_no: int, item: dict) -> None:
        check_item_basics(path, item)
        assert item["title"] is None, "the headline is the first line of the text, as the extractor sees it"

    def test_item_is_shaped_like_an_article(self, path: Path, line_no: int, item: dict) -> None:
        headline, separator, body = item["text"].partition("\n\n")
        assert separator and headline.strip() and "\n" not in headline, (
            "a one-line headline, a blank line, then the body"
        )
        assert not headline.rstrip().endswith("."), "a headline carries no final full stop"
        assert "\n" not in body, "the body is one paragraph of running text"
        sentences = 1 + len(SENTENCE_END.findall(body))
        assert MIN_SENTENCES <= sentences <= MAX_SENTENCES, f"{sentences} sentences"
        assert DATELINE.match(body), f"no dateline: {body[:40]!r}"

    def test_events_follow_the_guideline_fields(self, path: Path, line_no: int, item: dict) -> None:
        check_event_fields(item, item["text"])
        assert not repeated([json.dumps(event, sort_keys=True) for event in item["events"]]), "an event labelled twice"

    def test_counts_meet_the_promises(self, lang: str) -> None:
        items = self.items_of(lang)
        assert sum(not item["hard_negative"] for item in items) == self.POSITIVES_PER_LANGUAGE
        assert sum(item["hard_negative"] for item in items) == self.HARD_NEGATIVES_PER_LANGUAGE
        for event_type in EVENT_TYPES:
            positives = sum(any(e["type"] == event_type for e in item["events"]) for item in items)
            assert positives >= self.MIN_POSITIVES_PER_TYPE, f"{lang}/{event_type}: {positives}"
        assert sum(len(item["events"]) >= 2 for item in items) >= self.MIN_MULTI_EVENT_ITEMS

    def test_every_modality_and_actor_kind_is_represented(self, lang: str) -> None:
        events = [e for item in self.items_of(lang) for e in item["events"]]
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
        assert len({e["actor_country"] for e in events if e["actor_country"]}) >= self.MIN_ACTOR_STATES, (
            "varied regions"
        )

    # Slow (a scan of the whole shared corpus): run by `make test`, left out of `make unit`.
    @pytest.mark.slow
    @pytest.mark.skipif(not (SHARED_DIR / "corpus").is_dir(), reason="shared corpus not present on this machine")
    def test_texts_are_not_copied_from_the_shared_corpora(self) -> None:
        copied = copied_from(list(self.items()), shared_reference_texts())
        assert not copied, f"texts overlapping the shared corpora: {copied}"

    def test_texts_are_not_copied_from_the_sets_the_extractor_has_seen(self) -> None:
        # Read by the test only: the authors of a blind set never look at the items of the earlier sets.
        copied = copied_from(list(self.items()), _set_texts(self.SEEN_SETS))
        assert not copied, f"texts overlapping {', '.join(self.SEEN_SETS)}: {copied}"
