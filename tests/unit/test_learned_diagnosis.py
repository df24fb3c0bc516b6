"""The learned stage's diagnosis: each missed labelled event is counted at the stage that lost it."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from support.compiled import is_compiled, rerun_interpreted

from streams.dataset.diagnose import CheckCounter, Diagnoser, Diagnosis
from streams.dataset.labels import GoldEvent, GoldPassage, PassageLabel
from streams.dataset.pool import Passage, text_hash
from streams.extraction import Extractor, learned
from streams.extraction.learned import model_path


def _toy_model(directory: Path, threshold: float) -> None:
    """An English model that knows one denial word the lexicon lacks ("pooh-poohed")."""
    raw = {
        "name": "toy",
        "version": "0",
        "lang": "en",
        "features": {"prefix_chars": 5, "bigrams": False},
        "anchor_min_weight": 2.0,
        "triggers": ["pooh"],
        "types": [
            {"type": t, "bias": -3.0, "threshold": threshold if t == "denial" else 1.01, "weights": {"w=pooh": 5.0}}
            for t in ("deployment", "denial", "policy_shift")
        ],
    }
    model_path("en", directory).write_text(json.dumps(raw), encoding="utf-8")


def _passage(text: str, actor: str) -> GoldPassage:
    passage = Passage(record_id="toy-1", lang="en", source_file="toy", start=0, end=len(text), text=text)
    label = PassageLabel(
        passage=passage.id,
        sha=text_hash(text),
        lang="en",
        batch="toy",
        origin="random",
        annotator="test",
        hard_negative=False,
        events=(),
    )
    start = text.index(actor)
    event = GoldEvent(
        type="denial",
        actor_name=actor,
        actor_code=None,
        actor_kind="person",
        location_name=None,
        location_code=None,
        quantity=None,
        modality="asserted",
        attribution=None,
        evidence_start=0,
        evidence_end=len(text),
        actor_start=start,
        actor_end=start + len(actor),
    )
    return GoldPassage(passage=passage, label=label, events=(event,))


def _lost(tmp_path: Path, text: str, actor: str, threshold: float = 0.5) -> Diagnosis:
    _toy_model(tmp_path, threshold)
    diagnosis = Diagnosis()
    Diagnoser("en", Extractor(model_root=tmp_path)).passage(_passage(text, actor), diagnosis)
    return diagnosis


@pytest.mark.parametrize(
    ("text", "threshold", "stage"),
    [
        ("Jane Roe laughed at the reports.", 0.5, "no trigger word"),
        ("Jane Roe pooh poohed the reports.", 0.99, "under threshold"),
        ("Jane Roe never pooh poohed the reports.", 0.5, "scope"),
    ],
)
def test_a_missed_event_counts_at_the_stage_that_lost_it(tmp_path: Path, text: str, threshold: float, stage: str):
    diagnosis = _lost(tmp_path, text, "Jane Roe", threshold)
    assert dict(diagnosis.lost) == {("denial", stage): 1}
    assert sum(diagnosis.found.values()) == 0


def test_under_threshold_counts_how_far_under(tmp_path: Path) -> None:
    diagnosis = _lost(tmp_path, "Jane Roe pooh poohed the reports.", "Jane Roe", threshold=0.99)
    # The toy model gives logistic(2.0) = 0.88: 0.11 under 0.99.
    assert dict(diagnosis.gaps) == {("denial", 0.2): 1}
    [(passage_id, event_type, loss)] = diagnosis.misses
    assert event_type == "denial" and loss.sentence == "Jane Roe pooh poohed the reports." and passage_id


def test_a_model_event_counts_as_found_or_as_a_wrong_actor(tmp_path: Path) -> None:
    text = "Jane Roe pooh poohed the reports."
    found = _lost(tmp_path, text, "Jane Roe")
    assert dict(found.found) == {("denial", "model"): 1} and not found.lost
    wrong = _lost(tmp_path, text, "reports")
    assert dict(wrong.lost) == {("denial", "model event, wrong actor"): 1}
    assert dict(wrong.false_alarms) == {("denial", "model"): 1}


def _deployment(text: str, actor_code: str | None) -> GoldPassage:
    gold = _passage(text, text.split()[0])
    [event] = gold.events
    deployment = replace(event, type="deployment", actor_code=actor_code, actor_kind="state")
    return replace(gold, events=(deployment,))


def test_the_check_counter_names_the_word_that_dropped_a_proposal_and_judges_it_by_the_labels(request) -> None:
    if is_compiled(learned):
        return rerun_interpreted(request)  # diagnose lets a reading through the scope checks by patching them
    # The committed model proposes a deployment here; "clashed" (markers.json combat) drops it. Let through, the
    # proposal gives Kenya: a labelled deployment of Kenya makes it "true", one of another state "false".
    text = "Kenyan troops have clashed with al-Shabab fighters in the area of Kismayo in the last day."
    counter = CheckCounter(Diagnoser("en"))
    counter.passage(_deployment(text, "KEN"))
    assert dict(counter.counts) == {("combat: clashed", "true"): 1}
    assert dict(counter.alone) == {("combat: clashed", "true"): 1}
    other = CheckCounter(Diagnoser("en"))
    other.passage(_deployment(text, "ETH"))
    assert dict(other.counts) == {("combat: clashed", "false"): 1}
    assert other.lines()[0].split()[:4] == ["combat:", "clashed", "true", "0"]


def test_every_verdict_of_a_learned_reading_is_a_stage_of_the_diagnosis():
    """A verdict the reading can give that STAGES lacks made `diagnose --lang en` fail ("third party")."""
    import ast

    from streams.dataset.diagnose import STAGES
    from streams.extraction import engine, proposals

    verdicts: set[str] = set()
    for module in (engine, proposals):
        tree = ast.parse(Path(module.__file__.replace(".cpython-311-x86_64-linux-gnu.so", ".py")).read_text())
        for node in ast.walk(tree):
            # `return None, "verdict"` and the read path's ("verdict", check) pairs
            if isinstance(node, ast.Tuple) and len(node.elts) == 2:
                first, second = node.elts
                if isinstance(first, ast.Constant) and first.value is None and isinstance(second, ast.Constant):
                    verdicts.add(second.value)
                if isinstance(first, ast.Constant) and isinstance(first.value, str) and isinstance(second, ast.Lambda):
                    verdicts.add(first.value)
    assert {"reporter", "third party", "scope", "no actor"} <= verdicts
    assert sorted(verdicts - set(STAGES)) == []
    assert len(STAGES) == len(set(STAGES))
