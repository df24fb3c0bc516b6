"""Choosing the learned stage's settings by cross-validation over train articles (streams/dataset/crossval.py): the
folds keep articles whole, and one out-of-fold reading answers every threshold exactly."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from support.compiled import is_compiled, rerun_interpreted

from schemas import Article
from streams.dataset.crossval import (
    FOLDS,
    OFF,
    HeldOut,
    RecordingReader,
    blended,
    events_at,
    f1_scores,
    fold_of,
    proposals_of,
    ranked,
)
from streams.dataset.scoring import TYPES, Report, Tally
from streams.extraction import Extractor, learned
from streams.extraction.learned import MODEL_DIR, model_path
from streams.extraction.text import lower_same_length


def test_folds_are_fixed_by_the_article_and_about_even() -> None:
    ids = [f"record-{n}" for n in range(2000)]
    folds = [fold_of(i) for i in ids]
    assert folds == [fold_of(i) for i in ids]  # a hash, not an order or a seed
    counts = Counter(folds)
    assert set(counts) == set(range(FOLDS))
    assert all(0.8 * len(ids) / FOLDS <= n <= 1.2 * len(ids) / FOLDS for n in counts.values())


def _report(f1_by_type: dict[str, tuple[int, int, int]]) -> Report:
    report = Report()
    for type_, (tp, fp, fn) in f1_by_type.items():
        report.by_type[type_] = Tally(tp, fp, fn)
    return report


def test_thresholds_rank_by_out_of_fold_f1_and_a_type_stays_off_unless_one_beats_the_rules() -> None:
    curve = [
        (OFF, _report({"denial": (5, 1, 5), "deployment": (5, 1, 5)})),
        (0.2, _report({"denial": (7, 3, 3), "deployment": (6, 9, 4)})),
        (0.5, _report({"denial": (7, 3, 3), "deployment": (5, 1, 5)})),
        (0.8, _report({"denial": (6, 2, 4), "deployment": (5, 1, 5)})),
    ]
    # 0.2 and 0.5 tie on denial (F1 0.7): the higher threshold, fewer proposals, ranks first.
    assert [t for t, _ in ranked(f1_scores(curve), "denial")] == [0.5, 0.2, 0.8]
    assert ranked(f1_scores(curve), "deployment") == []  # nothing beats the rules alone: the type stays off
    barely = [(OFF, _report({"policy_shift": (50, 10, 50)})), (0.9, _report({"policy_shift": (51, 11, 49)}))]
    # A gain under MIN_GAIN (a passage) does not pay for a wider screen.
    assert ranked(f1_scores(barely), "policy_shift") == []


def test_a_type_the_rules_flatter_out_of_fold_is_switched_on_when_dev_and_folds_together_gain() -> None:
    # Out of fold the model adds nothing over rules written reading train; on dev it adds three events.
    folds = [(OFF, _report({"deployment": (60, 10, 40)})), (0.3, _report({"deployment": (60, 11, 40)}))]
    dev = [(OFF, _report({"deployment": (20, 5, 25)})), (0.3, _report({"deployment": (23, 5, 22)}))]
    assert ranked(f1_scores(folds), "deployment") == []
    mean = blended([f1_scores(folds), f1_scores(dev)])
    assert [t for t, _ in ranked(mean, "deployment")] == [0.3]
    off, on = (f1["deployment"] for _, f1 in mean)
    assert on == pytest.approx((Tally(60, 11, 40).f1 + Tally(23, 5, 22).f1) / 2)
    assert off == pytest.approx((Tally(60, 10, 40).f1 + Tally(20, 5, 25).f1) / 2)
    # A reading at other thresholds is no reading of the same choice.
    with pytest.raises(AssertionError):
        blended([f1_scores(folds), f1_scores(dev[:1])])


TEXTS = {
    "en": [
        "Russian warships and troops advanced toward the harbour of Odesa as the crisis deepened.",
        "Ukraine said troops were regrouping near Kharkiv.",
        "Egypt rejected the idea outright. The ministry said talks would go on.",
        "The council announced it would scrap the tax on fuel from next spring.",
    ],
    "de": [
        "Der Verband wies die Anschuldigungen am Dienstag entschieden zurück.",
        "Mehrere hundert Soldaten wurden in der Nacht an die Nordgrenze verlegt, sagte ein Sprecher.",
        "Die Trainerin bestritt die Vorwürfe des früheren Spielers.",
    ],
}


def _with_thresholds(lang: str, root: Path, threshold: float) -> None:
    raw = json.loads(model_path(lang, MODEL_DIR).read_text(encoding="utf-8"))
    raw["types"] = [{**t, "threshold": threshold} for t in raw["types"]]
    root.mkdir(exist_ok=True)
    model_path(lang, root).write_text(json.dumps(raw), encoding="utf-8")


def _key(events: tuple) -> list[tuple]:
    return [(e.type.value, e.actor.name, e.evidence.start, e.evidence.end, e.evidence.rule) for e in events]


@pytest.mark.parametrize("lang", ["de", "en"])
def test_a_reading_at_the_lowest_threshold_answers_every_threshold_as_the_extractor_does(
    lang: str, tmp_path: Path, request
) -> None:
    if is_compiled(learned):
        return rerun_interpreted(request)  # crossval's RecordingReader subclasses the model reader
    _with_thresholds(lang, tmp_path / "low", 0.1)
    engine = Extractor(model_root=None).engine(lang)
    reader = RecordingReader(engine, tmp_path / "low")
    proposed = 0
    for threshold in (0.1, 0.25, 0.6, OFF):  # proposals at about 0.25, 0.3 and 0.99 among them
        _with_thresholds(lang, tmp_path / str(threshold), threshold)
        extractor = Extractor(model_root=tmp_path / str(threshold))
        for number, text in enumerate(TEXTS[lang]):
            article = Article(id=f"a{number}", text=text, lang=lang)
            rules = engine.analyse(text, None, lower_same_length(text))
            proposals = proposals_of(reader, text, rules)
            proposed += len(proposals)
            assert _key(events_at(article, lang, rules, proposals, dict.fromkeys(TYPES, threshold))) == _key(
                extractor.extract(article).events
            )
    assert proposed  # the texts hold proposals, so the comparison is not between empty lists


# Proposals whose anchor words weigh little (under 2.0 for the German denial model of 2026-12-06: "bezeichnete").
WEAK_ANCHOR = {"de": ["Der Anwalt des Ministers bezeichnete die Anschuldigungen als haltlos und falsch."], "en": []}


def _with_minimum(lang: str, root: Path, minimum: float) -> None:
    """The committed model with every type at threshold 0.1 and anchor minimum `minimum`, its screen recomputed."""
    from streams.dataset.train import _triggers
    from streams.extraction.learned import load_model

    model = load_model(lang, MODEL_DIR)
    assert model is not None
    raw = json.loads(model_path(lang, MODEL_DIR).read_text(encoding="utf-8"))
    raw["types"] = [{**t, "threshold": 0.1, "anchor_min_weight": minimum} for t in raw["types"]]
    raw["triggers"] = _triggers(raw, model.spec)
    root.mkdir(exist_ok=True)
    model_path(lang, root).write_text(json.dumps(raw), encoding="utf-8")


@pytest.mark.parametrize("lang", ["de", "en"])
def test_a_reading_at_the_lowest_anchor_minimum_answers_every_higher_minimum_as_the_extractor_does(
    lang: str, tmp_path: Path, request
) -> None:
    if is_compiled(learned):
        return rerun_interpreted(request)  # crossval's RecordingReader subclasses the model reader
    """The per-type anchor minimum is chosen from one wide reading: a proposal stands at a higher minimum exactly
    when its anchor word weighs it (its opening is then among the narrower screen's triggers)."""
    _with_minimum(lang, tmp_path / "wide", 1.0)
    engine = Extractor(model_root=None).engine(lang)
    reader = RecordingReader(engine, tmp_path / "wide")
    articles = [Article(id=f"a{n}", text=text, lang=lang) for n, text in enumerate([*TEXTS[lang], *WEAK_ANCHOR[lang]])]
    readings = []
    for article in articles:
        rules = engine.analyse(article.text, None, lower_same_length(article.text))
        proposals = proposals_of(reader, article.text, rules)
        readings.append(HeldOut(None, article, tuple(rules), proposals, tuple(reader.anchor_weights)))  # type: ignore[arg-type]
    weights = sorted({w for held in readings for w in held.weights})
    assert weights  # the texts hold proposals, so the comparison is not between empty lists
    # Just over each weight read: every minimum drops the proposals up to that weight and keeps those above.
    for number, minimum in enumerate([1.0, *(round(w + 0.001, 4) for w in weights)]):
        _with_minimum(lang, tmp_path / str(number), minimum)
        extractor = Extractor(model_root=tmp_path / str(number))
        kept = 0
        for held in readings:
            narrowed = held.at_minimum(dict.fromkeys(TYPES, minimum))
            kept += len(narrowed.proposals)
            assert _key(narrowed.events(lang, dict.fromkeys(TYPES, 0.1))) == _key(
                extractor.extract(held.article).events
            )
        assert kept == sum(w >= minimum for held in readings for w in held.weights)
