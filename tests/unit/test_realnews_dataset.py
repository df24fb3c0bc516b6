"""The real-news data set: label schema, the committed labels against ../shared/train-pool, splits, agreement."""

from __future__ import annotations

import json
from collections import Counter

import pytest
from pydantic import ValidationError

from streams.dataset.agreement import cohen_kappa
from streams.dataset.annotate import BATCH_DIR, locate
from streams.dataset.labels import LABEL_DIR, LabelledEvent, PassageLabel, label_files, load_gold, read_labels
from streams.dataset.pool import POOL_DIR, parse_passage_id, passage_id, text_hash
from streams.dataset.scoring import _names_agree
from streams.dataset.split_counts import markdown_table, split_counts
from streams.dataset.splits import split_of

needs_pool = pytest.mark.skipif(not POOL_DIR.is_dir(), reason=f"the training pool is read from {POOL_DIR}")


def _event(**fields) -> dict:
    return {
        "type": "denial",
        "actor": {"start": 0, "end": 4},
        "actor_kind": "state",
        "actor_code": "RUS",
        "modality": "asserted",
        "evidence": {"start": 0, "end": 20},
    } | fields


def test_the_label_schema_is_strict() -> None:
    LabelledEvent.model_validate(_event())
    with pytest.raises(ValidationError):
        LabelledEvent.model_validate(_event(text="the passage text"))  # labels never carry text
    with pytest.raises(ValidationError):
        LabelledEvent.model_validate(_event(evidence={"start": 5, "end": 5}))
    with pytest.raises(ValidationError):
        LabelledEvent.model_validate(_event(location={"start": 0, "end": 3}))  # a place belongs to a deployment
    with pytest.raises(ValidationError):
        LabelledEvent.model_validate(_event(actor=None, actor_code=None))
    with pytest.raises(ValidationError):
        LabelledEvent.model_validate(_event(actor_code="Russia"))


def test_passage_ids_round_trip() -> None:
    assert parse_passage_id(passage_id("trends-2024-04-08-a:b", 10, 250)) == ("trends-2024-04-08-a:b", 10, 250)


def test_quotes_are_located_with_loose_white_space_and_quote_marks() -> None:
    text = "Er sagte: „Das ist  falsch“ – und ging."
    span = locate('"Das ist falsch"', text, offset=100)
    assert text[span.start - 100 : span.end - 100] == "„Das ist  falsch“"
    with pytest.raises(ValueError):
        locate("nicht im Text", text, 0)


def test_splits_are_by_article_and_deterministic() -> None:
    assert split_of("trends-x") == split_of("trends-x")
    shares = Counter(split_of(f"record-{i}") for i in range(20_000))
    assert 0.18 < shares["test"] / 20_000 < 0.22 and 0.13 < shares["dev"] / 20_000 < 0.17


def test_kappa_and_name_agreement() -> None:
    assert cohen_kappa([(True, True), (False, False)] * 5) == 1.0
    assert cohen_kappa([(True, False), (False, True)] * 5) == -1.0
    assert _names_agree("Hamas", "the Hamas group") and not _names_agree("Hamas", "Hamburg")
    assert _names_agree("WHO", "Weltgesundheitsorganisation (WHO)")  # punctuation is no part of a name


def test_every_committed_label_file_validates_and_belongs_to_a_batch() -> None:
    batches = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in BATCH_DIR.glob("*.json")}
    for path in label_files():
        labels = list(read_labels([path]))
        batch = batches[labels[0].batch]
        in_batch = {e["passage"]: e["sha"] for e in batch["passages"]}
        assert all(in_batch[label.passage] == label.sha for label in labels), path


@needs_pool
@pytest.mark.parametrize("lang", ["de", "en"])
def test_labels_resolve_against_the_pool_and_meet_the_size_the_issue_asks(lang: str) -> None:
    gold = load_gold(lang)  # raises when a passage hash no longer matches its text
    for item in gold:
        assert text_hash(item.passage.text) == item.label.sha
        for event in item.events:
            assert item.passage.start <= event.evidence_start < event.evidence_end <= item.passage.end
    origins = Counter(item.label.origin for item in gold)
    types = Counter(event.type for item in gold for event in item.events)
    assert len(gold) >= 2500 and origins["random"] >= 500
    assert min(types.values()) >= 250, types
    assert sum(1 for item in gold if split_of(item.passage.record_id) == "test") >= 400


@needs_pool
def test_split_counts_partition_the_labels_by_article() -> None:
    gold = load_gold("de")
    counts = split_counts(gold)
    assert sum(row["passages"] for row in counts.values()) == len(gold)
    types = Counter(event.type for item in gold for event in item.events)
    for event_type, total in types.items():
        assert sum(row[event_type] for row in counts.values()) == total


def test_the_split_table_totals_its_rows() -> None:
    row = {"passages": 1000, "hard_negatives": 3, "deployment": 1, "denial": 2, "policy_shift": 3}
    table = markdown_table({"de": {"train": row, "dev": row, "test": row | {"passages": 5}}})
    assert table.splitlines()[0] == "| split | de passages | de deployment / denial / policy_shift |"
    assert "| test | 5 | 1 / 2 / 3 |" in table
    assert table.splitlines()[-1] == "| total | 2,005 | 3 / 6 / 9 |"


@needs_pool
@pytest.mark.parametrize("lang", ["de", "en"])
def test_at_least_200_passages_per_language_are_read_twice(lang: str) -> None:
    readers: dict[str, set[str]] = {}
    for label in read_labels(label_files(lang)):
        if label.annotator != "adjudicated":
            readers.setdefault(label.passage, set()).add(label.annotator)
    assert sum(1 for names in readers.values() if len(names) >= 2) >= 200


def test_the_labels_hold_no_text() -> None:
    for path in label_files():
        for line in path.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            assert set(record) <= set(PassageLabel.model_fields)
            for event in record["events"]:
                assert all(not isinstance(value, str) or len(value) <= 12 for value in event.values()), event
    assert LABEL_DIR.is_dir()


def test_a_round_screen_is_its_own_broad_or_the_neighbours() -> None:
    from streams.dataset.annotate import _screen_filter
    from streams.dataset.pool import Passage

    def passage(record_id: str, text: str) -> Passage:
        return Passage(record_id, "de", "de-test.jsonl", 0, len(text), text)

    round_screens = {"troops": r"Truppen"}
    broad = {"denial": r"bestritten"}
    troops = _screen_filter("troops", round_screens, broad, set())
    denial = _screen_filter("broad:denial", round_screens, broad, set())
    neighbours = _screen_filter("neighbours", round_screens, broad, {"r1"})
    assert troops(passage("r2", "Die Truppen rücken vor.")) and not troops(passage("r2", "Das Wetter."))
    assert denial(passage("r2", "Er hat es bestritten.")) and not denial(passage("r2", "Die Truppen."))
    assert neighbours(passage("r1", "Das Wetter.")) and not neighbours(passage("r2", "Die Truppen."))
    with pytest.raises(KeyError):
        _screen_filter("unknown", round_screens, broad, set())


def test_a_double_reading_repeats_the_first_passages_of_its_batch(tmp_path, monkeypatch) -> None:
    from streams.dataset import annotate

    monkeypatch.setattr(annotate, "BATCH_DIR", tmp_path)
    entries = [(f"r{n}:0-10", f"sha{n}", "picked") for n in range(5)]
    annotate.write_batch("de-70", "de", entries, double_of=None)
    annotate.write_batch("de-dbl-1", "de", entries[:1], double_of="de-03")
    path = annotate.double("de-70", 3)
    body = json.loads(path.read_text(encoding="utf-8"))
    assert path.stem == "de-dbl-2" and body["double_of"] == "de-70"
    assert [e["passage"] for e in body["passages"]] == ["r0:0-10", "r1:0-10", "r2:0-10"]


def test_an_adjudication_batch_holds_only_the_disputes_not_yet_adjudicated(tmp_path, monkeypatch) -> None:
    from types import SimpleNamespace

    from streams.dataset import agreement, annotate

    def label(pid: str, annotator: str) -> SimpleNamespace:
        return SimpleNamespace(passage=pid, annotator=annotator, sha="s" + pid, origin="picked")

    labels = [label("r1:0-9", "a"), label("r1:0-9", "b"), label("r1:0-9", "adjudicated"), label("r2:0-9", "a")]
    monkeypatch.setattr(annotate, "BATCH_DIR", tmp_path)
    monkeypatch.setattr(agreement, "BATCH_DIR", tmp_path)
    monkeypatch.setattr(agreement, "label_files", lambda lang: [])
    monkeypatch.setattr(agreement, "read_labels", lambda paths: iter(labels))
    disputes = {"disagreements": [("r1:0-9", "only first", "denial", "RUS"), ("r2:0-9", "only second", "denial", "X")]}
    monkeypatch.setattr(agreement, "agreement", lambda lang: disputes)
    (tmp_path / "de-adj.json").write_text("{}", encoding="utf-8")
    assert agreement.adjudication_batch("de") == "de-adj-2"
    body = json.loads((tmp_path / "de-adj-2.json").read_text(encoding="utf-8"))
    assert [e["passage"] for e in body["passages"]] == ["r2:0-9"]
    labels.append(label("r2:0-9", "adjudicated"))
    assert agreement.adjudication_batch("de") is None
