"""Out-of-fold readings of the train split: how the whole extractor (rules plus a model that never saw the passage)
reads each train passage, for choosing training settings; dev passages are read the same way by the final model, and
screens and thresholds are chosen on the mean of both (`blended`).

The train split's articles fall into FOLDS folds by a hash of the record id (every passage of an article in one fold,
as the splits themselves are cut). For each fold a model is fitted on the other folds' sentences; the held-out
passages are read by the rules and by that model with every type at the lowest threshold tried, and each proposal
keeps its probability. A proposal's reading does not depend on the threshold (the screen, anchor and resolvers are
the same), and types never interact (the model reads (type, sentence) pairs; merging and scoring group by type), so
the extractor's events at any per-type threshold are the held-out readings whose probability reaches it: one
extraction per passage answers every threshold exactly. Likewise every anchor minimum at or above the one read at: a
proposal stands only where its anchor word weighs the minimum, and that word's opening is then among the screen's
triggers, so a stricter minimum keeps exactly the proposals whose anchor weighs it (`HeldOut.at_minimum`).
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from schemas import Article, Event
from streams.extraction import Extractor
from streams.extraction.context import Candidate
from streams.extraction.engine import LanguageEngine
from streams.extraction.learned import clusters_path, load_model, model_path
from streams.extraction.merge import merge
from streams.extraction.proposals import ModelReader
from streams.extraction.text import lower_same_length

from .labels import GoldPassage
from .scoring import TYPES, Report, passage_article, score

FOLDS = 5
OFF = 1.01  # a threshold no probability reaches
# A type is switched on only when a threshold lifts its out-of-fold F1 by this much over the rules alone: a type on
# widens the trigger screen (the stage's cost), and English policy_shift's best guarded threshold gained 0.001 (a
# passage or two) for 5 more screen openings. 0.01, not 0.005 (fourteenth session): German policy_shift gained exactly
# 0.005 out of fold (one or two of 286 positives) while doubling the German screen's openings (8 -> 16) and losing
# 0.016 on dev.
MIN_GAIN = 0.01
# The model of the other folds: the fold left out -> the model dict (thresholds are set here).
Fitter = Callable[[int], dict]
Curve = list[tuple[float, Report]]  # (threshold, out-of-fold report with every type at it)
Scores = list[tuple[float, dict[str, float]]]  # (threshold, F1 per type with every type at it)


def fold_of(record_id: str, folds: int = FOLDS) -> int:
    """The fold of a train article (its passages together), by a hash of its record id independent of the split's."""
    digest = hashlib.sha256(f"newsevents-fold-v1:{record_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") % folds


class RecordingReader(ModelReader):
    """The model reader, keeping each proposal it reads with the probability it was proposed at."""

    def __init__(self, engine: LanguageEngine, model_dir: Path):
        model = load_model(engine.lang, model_dir)
        assert model is not None, "the fold's model was written there"
        super().__init__(engine, model)
        self.read_at: list[tuple[Candidate, float]] = []
        self.anchor_weights: list[float] = []  # what each proposal's anchor word weighs for its type

    def read(self, *args: Any) -> tuple[Candidate | None, str]:
        """ModelReader.read(text, sentence, type_, probability, anchor, dominant), recording the probability and
        the anchor word's weight."""
        candidate, verdict = super().read(*args)
        text, sentence, type_, probability, anchor = args[:5]
        if candidate is not None:
            self.read_at.append((candidate, probability))
            word = text[sentence.start + anchor[0] : sentence.start + anchor[1]].lower()
            type_model = next(t for t in self.model.types if t.type == type_)
            self.anchor_weights.append(type_model.word_weight(word, self.model.spec))
        return candidate, verdict


@dataclass(frozen=True)
class HeldOut:
    """One train passage as the extractor reads it with a model that did not see its article."""

    gold: GoldPassage
    article: Article
    rules: tuple[Candidate, ...]
    proposals: tuple[tuple[Candidate, float], ...]  # the model's readings with their probabilities
    weights: tuple[float, ...] = ()  # per proposal, what its anchor word weighs for its type

    def at_minimum(self, minimums: Mapping[str, float]) -> HeldOut:
        """The passage as read with each type's anchor minimum raised to minimums[type] (from the one read at)."""
        kept = [(p, w) for p, w in zip(self.proposals, self.weights, strict=True) if w >= minimums[p[0].type] - 1e-9]
        return replace(self, proposals=tuple(p for p, _ in kept), weights=tuple(w for _, w in kept))

    def events(self, lang: str, thresholds: Mapping[str, float]) -> tuple[Event, ...]:
        return events_at(self.article, lang, self.rules, self.proposals, thresholds)


def events_at(
    article: Article,
    lang: str,
    rules: Sequence[Candidate],
    proposals: Sequence[tuple[Candidate, float]],
    thresholds: Mapping[str, float],
) -> tuple[Event, ...]:
    """The article's events with each type's threshold at thresholds[type] (OFF when not given)."""
    chosen = [c for c, p in proposals if p >= thresholds.get(c.type, OFF)]
    return merge(article, lang, [*rules, *chosen], "out-of-fold")


def proposals_of(reader: RecordingReader, text: str, rules: Sequence[Candidate]) -> tuple[tuple[Candidate, float], ...]:
    """The model's readings of text (the sentences and types the rules did not read) with their probabilities."""
    reader.read_at, reader.anchor_weights = [], []
    reader.candidates(text, list(rules), None, lower_same_length(text))
    return tuple(reader.read_at)


class RuleReadings:
    """The rules' candidates of each train passage, computed once (they do not depend on the model)."""

    def __init__(self, lang: str, gold: Sequence[GoldPassage]):
        self.engine = Extractor(model_root=None).engine(lang)
        self.by_id = {g.passage.id: self._read(g) for g in gold}

    def _read(self, gold: GoldPassage) -> tuple[Candidate, ...]:
        text = gold.passage.text
        return tuple(self.engine.analyse(text, None, lower_same_length(text)))


def write_trial(model: dict, lang: str, directory: Path) -> None:
    """A model under trial, written where an Extractor can load it (with the cluster map it was trained on)."""
    model_path(lang, directory).write_text(json.dumps(model), encoding="utf-8")
    if model["features"].get("clusters") and not clusters_path(lang, directory).exists():
        clusters_path(lang, directory).write_bytes(clusters_path(lang).read_bytes())


def held_out(
    lang: str, gold: Sequence[GoldPassage], rules: RuleReadings, fitter: Fitter, lowest: float
) -> list[HeldOut]:
    """Every train passage read by the model of the folds that hold not its article (each type at `lowest`)."""
    out: list[HeldOut] = []
    for fold in range(FOLDS):
        model = fitter(fold)
        model["types"] = [{**entry, "threshold": lowest} for entry in model["types"]]
        with tempfile.TemporaryDirectory() as tmp:
            write_trial(model, lang, Path(tmp))
            reader = RecordingReader(rules.engine, Path(tmp))
        for item in gold:
            if fold_of(item.passage.record_id) != fold:
                continue
            readings = rules.by_id[item.passage.id]
            proposals = proposals_of(reader, item.passage.text, readings)
            weights = tuple(reader.anchor_weights)
            out.append(HeldOut(item, passage_article(item), readings, proposals, weights))
    return out


def read_by(lang: str, gold: Sequence[GoldPassage], model: dict, lowest: float) -> list[HeldOut]:
    """Passages no model was fitted on (dev) read by one model, each type at `lowest`, like the held-out folds."""
    rules = RuleReadings(lang, gold)
    return held_out(lang, gold, rules, lambda _fold: json.loads(json.dumps(model)), lowest)


def out_of_fold(lang: str, held: Sequence[HeldOut], thresholds: Mapping[str, float]) -> Report:
    return score((h.gold, h.events(lang, thresholds)) for h in held)


def threshold_curve(lang: str, held: Sequence[HeldOut], thresholds: Sequence[float]) -> Curve:
    """(threshold, out-of-fold report) for OFF and every threshold tried, each type at it (types do not interact, so
    one report per threshold serves them all)."""
    return [(t, out_of_fold(lang, held, dict.fromkeys(TYPES, t))) for t in (OFF, *thresholds)]


def f1_scores(curve: Curve) -> Scores:
    """The curve's F1 per type at each threshold."""
    return [(t, {type_: report.by_type[type_].f1 for type_ in TYPES}) for t, report in curve]


def blended(tables: Sequence[Scores]) -> Scores:
    """The mean F1 per type and threshold of independent readings (out of fold on train, dev): out-of-fold figures
    flatter the rules (they were written reading train), dev alone is small; each tempers the other."""
    thresholds = [t for t, _ in tables[0]]
    assert all([t for t, _ in table] == thresholds for table in tables), "read at the same thresholds"
    return [
        (t, {type_: sum(table[i][1][type_] for table in tables) / len(tables) for type_ in TYPES})
        for i, t in enumerate(thresholds)
    ]


def ranked(scores: Scores, type_: str) -> list[tuple[float, float]]:
    """(threshold, F1 of the type) that beat OFF by at least MIN_GAIN, best first; ties go to the higher threshold
    (fewer proposals). Empty when none does: the type stays off."""
    off = next(f1[type_] for t, f1 in scores if t == OFF)
    better = [(t, f1[type_]) for t, f1 in scores if t != OFF and f1[type_] >= off + MIN_GAIN - 1e-9]
    return sorted(better, key=lambda tf: (-tf[1], -tf[0]))
