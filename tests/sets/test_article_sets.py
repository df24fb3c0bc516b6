"""Format, shape, coverage and originality checks of the article sets under tests/sets (never scores the extractor)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from support.labelled_sets import (
    EVENT_TYPES,
    LANGUAGES,
    MODALITIES,
    SETS_DIR,
    SHARED_DIR,
    Item,
    check_event_fields,
    check_item_basics,
    check_unique_ids_and_texts,
    copied_from,
    repeated,
    set_items,
    set_texts,
    shared_reference_texts,
    where,
)

# Articles, not sentences: a headline, a blank line, then a body of several sentences.
MIN_SENTENCES, MAX_SENTENCES = 4, 12
SENTENCE_END = re.compile(r"[.!?][\"“”»«)]*(?=\s|$)")
# A dateline opens the body: "Bangkok –" or "QUITO (Reuters) -".
DATELINE = re.compile(r"^[^\s–-][^–]{1,60}? [–-] ")


@dataclass(frozen=True)
class ArticleSet:
    """What a set's README promises."""

    name: str  # the folder under tests/sets
    id_infix: str  # ids are <lang>-<id_infix>-NNN, numbered in file order, positives first
    seen_sets: tuple[str, ...]  # sets the extractor may have been tuned on; this set must share no text with them
    positives_per_language: int
    hard_negatives_per_language: int
    min_positives_per_type: int = 8
    min_multi_event_items: int = 10
    min_actor_states: int = 20

    @property
    def directory(self) -> Path:
        return SETS_DIR / self.name

    def items(self) -> tuple[Item, ...]:
        return set_items(self.name)

    def items_of(self, lang: str) -> list[dict]:
        return [item for _, _, item in self.items() if item["lang"] == lang]


ARTICLE_SETS = (
    ArticleSet("heldout", "ho", ("golden",), positives_per_language=31, hard_negatives_per_language=11),
    ArticleSet("blind2", "b2", ("golden", "heldout"), positives_per_language=36, hard_negatives_per_language=12),
    ArticleSet(
        "blind3", "b3", ("golden", "heldout", "blind2"), positives_per_language=36, hard_negatives_per_language=12
    ),
    ArticleSet(
        "blind4",
        "b4",
        ("golden", "heldout", "blind2", "blind3"),
        positives_per_language=36,
        hard_negatives_per_language=12,
    ),
)

# One case per set, per set and language, and per labelled line (named after its set, file and line).
per_set = pytest.mark.parametrize("article_set", ARTICLE_SETS, ids=[s.name for s in ARTICLE_SETS])
per_language = pytest.mark.parametrize(
    "article_set,lang",
    [(s, lang) for s in ARTICLE_SETS for lang in LANGUAGES],
    ids=[f"{s.name}-{lang}" for s in ARTICLE_SETS for lang in LANGUAGES],
)
_ITEMS = [(s, path, line_no, item) for s in ARTICLE_SETS for path, line_no, item in s.items()]
per_item = pytest.mark.parametrize(
    "article_set,path,line_no,item", _ITEMS, ids=[f"{s.name}/{where(path, n)}" for s, path, n, _ in _ITEMS]
)


@per_set
def test_files_exist_for_every_language(article_set: ArticleSet) -> None:
    for lang in LANGUAGES:
        for name in ("articles.jsonl", "negatives.jsonl"):
            assert (article_set.directory / lang / name).is_file(), f"{article_set.name}: no {lang}/{name}"


@per_set
def test_ids_and_texts_are_unique(article_set: ArticleSet) -> None:
    check_unique_ids_and_texts(list(article_set.items()))


@per_set
def test_ids_are_numbered_in_file_order(article_set: ArticleSet) -> None:
    # Positives first, then the hard negatives, numbered without gaps per language.
    for lang in LANGUAGES:
        ids = [item["id"] for item in article_set.items_of(lang)]
        assert ids == [f"{lang}-{article_set.id_infix}-{n:03d}" for n in range(1, len(ids) + 1)]


@per_item
def test_item_is_well_formed(article_set: ArticleSet, path: Path, line_no: int, item: dict) -> None:
    check_item_basics(path, item)
    assert item["title"] is None, "the headline is the first line of the text, as the extractor sees it"


@per_item
def test_item_is_shaped_like_an_article(article_set: ArticleSet, path: Path, line_no: int, item: dict) -> None:
    headline, separator, body = item["text"].partition("\n\n")
    assert separator and headline.strip() and "\n" not in headline, "a one-line headline, a blank line, then the body"
    assert not headline.rstrip().endswith("."), "a headline carries no final full stop"
    assert "\n" not in body, "the body is one paragraph of running text"
    sentences = 1 + len(SENTENCE_END.findall(body))
    assert MIN_SENTENCES <= sentences <= MAX_SENTENCES, f"{sentences} sentences"
    assert DATELINE.match(body), f"no dateline: {body[:40]!r}"


@per_item
def test_events_follow_the_guideline_fields(article_set: ArticleSet, path: Path, line_no: int, item: dict) -> None:
    check_event_fields(item, item["text"])
    assert not repeated([json.dumps(event, sort_keys=True) for event in item["events"]]), "an event labelled twice"


@per_language
def test_counts_meet_the_promises(article_set: ArticleSet, lang: str) -> None:
    items = article_set.items_of(lang)
    assert sum(not item["hard_negative"] for item in items) == article_set.positives_per_language
    assert sum(item["hard_negative"] for item in items) == article_set.hard_negatives_per_language
    for event_type in EVENT_TYPES:
        positives = sum(any(e["type"] == event_type for e in item["events"]) for item in items)
        assert positives >= article_set.min_positives_per_type, f"{lang}/{event_type}: {positives}"
    assert sum(len(item["events"]) >= 2 for item in items) >= article_set.min_multi_event_items


@per_language
def test_every_modality_and_actor_kind_is_represented(article_set: ArticleSet, lang: str) -> None:
    events = [e for item in article_set.items_of(lang) for e in item["events"]]
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
    assert len({e["actor_country"] for e in events if e["actor_country"]}) >= article_set.min_actor_states, (
        "varied regions"
    )


# Slow (a scan of the whole shared corpus): run by `make test`, left out of `make unit`.
@pytest.mark.slow
@pytest.mark.skipif(not (SHARED_DIR / "corpus").is_dir(), reason="shared corpus not present on this machine")
@per_set
def test_texts_are_not_copied_from_the_shared_corpora(article_set: ArticleSet) -> None:
    copied = copied_from(list(article_set.items()), shared_reference_texts())
    assert not copied, f"texts overlapping the shared corpora: {copied}"


@per_set
def test_texts_are_not_copied_from_the_sets_the_extractor_has_seen(article_set: ArticleSet) -> None:
    # Read by the test only: the authors of a blind set never look at the items of the earlier sets.
    copied = copied_from(list(article_set.items()), set_texts(article_set.seen_sets))
    assert not copied, f"texts overlapping {', '.join(article_set.seen_sets)}: {copied}"
