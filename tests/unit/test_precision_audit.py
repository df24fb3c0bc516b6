"""The precision audit: events of train and dev articles only, each marked by what the labels say of it."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest

from streams.dataset import audit
from streams.dataset.labels import GoldEvent, GoldPassage, PassageLabel
from streams.dataset.pool import Passage, Record, text_hash
from streams.dataset.splits import split_of

TEXT = "Russia denied the reports. The weather was mild."


def _record_id_in(split: str) -> str:
    return next(rid for rid in (f"audit-{n}" for n in itertools.count()) if split_of(rid) == split)


def _record(record_id: str) -> Record:
    return Record(id=record_id, lang="en", source_file="toy", text=TEXT, title=None, category=None, published_at=None)


def _labelled(record_id: str, actor: str, code: str) -> GoldPassage:
    """The record's first sentence labelled as a denial by `actor`, the state `code`."""
    end = TEXT.index(".") + 1
    passage = Passage(record_id=record_id, lang="en", source_file="toy", start=0, end=end, text=TEXT[:end])
    label = PassageLabel(
        passage=passage.id, sha=text_hash(passage.text), lang="en", batch="toy", origin="random",
        annotator="test", hard_negative=False, events=(),
    )  # fmt: skip
    event = GoldEvent(
        type="denial", actor_name=actor, actor_code=code, actor_kind="state", location_name=None,
        location_code=None, quantity=None, modality="asserted", attribution=None, evidence_start=0,
        evidence_end=end, actor_start=0, actor_end=len(actor),
    )  # fmt: skip
    return GoldPassage(passage=passage, label=label, events=(event,))


def test_test_split_articles_are_never_audited() -> None:
    records = [_record(_record_id_in("test")), _record(_record_id_in("dev"))]
    audited = list(audit.audit_records(records, []))
    assert [a.record_id for a in audited] == [records[1].id]
    assert [(a.event.type.value, a.event.actor.name, a.verdict) for a in audited] == [
        ("denial", "Russia", "unlabelled")
    ]


@pytest.mark.parametrize(
    ("labelled_actor", "verdict"), [(("Russia", "RUS"), "gold-agrees"), (("Ukraine", "UKR"), "gold-disagrees")]
)
def test_an_event_in_a_labelled_passage_is_marked_by_its_label(labelled_actor: tuple[str, str], verdict: str) -> None:
    record_id = _record_id_in("train")
    (audited,) = audit.audit_records([_record(record_id)], [_labelled(record_id, *labelled_actor)])
    assert audited.verdict == verdict


def test_a_sample_written_before_is_not_drawn_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    records = [_record(_record_id_in("train")), _record(_record_id_in("dev"))]
    monkeypatch.setattr(audit, "audited_events", lambda lang: audit.audit_records(records, []))
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    assert audit.main(["--lang", "en", "--sample", "1", "--jsonl", str(first)]) == 0
    assert audit.main(["--lang", "en", "--sample", "5", "--jsonl", str(second), "--exclude", str(first)]) == 0
    drawn = [[json.loads(line)["record"] for line in path.read_text().splitlines()] for path in (first, second)]
    assert len(drawn[0]) == 1 and len(drawn[1]) == 1
    assert set(drawn[0]) | set(drawn[1]) == {r.id for r in records}
    assert "Russia denied the reports." in capsys.readouterr().out
