"""What the learned stage's trigger screen costs and what a wider one would gain, out of fold (`python -m
streams.dataset.screen_study --lang L`).

The folds' models (crossval.py) read every train passage held out with the screen open on every word and no anchor
minimum (any word that speaks for the type anchors it), each type at the lowest threshold; each proposal keeps its
probability, its anchor word's weight and its sentence. Any screen is then a filter on those readings: the anchor
minimum m (the committed screen: the sentence holds an opening of a word weighing m, and the anchor is such a word),
the rules' cue stems of the type (the rule engine's anchor scan: a sentence a rule of the type could anchor in, read
from its best word even when that weighs less than m), or every sentence. Per type and screen: the out-of-fold F1 of
the whole extractor at the best threshold, its tp/fp/fn, and the share of the training sentences the screen passes
(the stage's cost: the runtime scores only those). The probabilities are out of fold; the best threshold is chosen on
the same readings, alike for every screen.

`--nested` scores each fold at the settings chosen on the other four only (much as `make train` chooses: best pooled
F1, MIN_GAIN over the rules alone; the trainer's screen bound MAX_SCREENED and its tie order, higher minimum first,
are not modelled, so its figures estimate a slightly simpler selection), per family of settings (the committed one, the threshold at the committed minimum, the
trainer's grid, every minimum, every sentence): what a selection is worth on passages it did not choose on. Choosing
and scoring on the same readings flatters a type whose gain is one fold's few passages (German deployment: +0.012 in
the model card, below the rules alone nested; docs/real-news.md, seventeenth session).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace

from streams.extraction import Extractor
from streams.extraction.learned import FeatureSpec, load_model, model_path
from streams.extraction.text import lower_same_length

from .crossval import FOLDS, MIN_GAIN, OFF, HeldOut, RuleReadings, events_at, fold_of, held_out, out_of_fold
from .labels import load_gold
from .scoring import TYPES, Tally, score
from .sentences import Example, examples
from .splits import split_of
from .train import ANCHOR_CANDIDATES, MASK_ENTITIES, SUFFIX_CHARS, THRESHOLDS, _triggers, build, screened_share

MINIMUMS = (2.0, 1.5, 1.25, 1.0, 0.75, 0.5, 0.0)
# Every word opens with one of these: the screen open everywhere.
_EVERY_WORD = sorted(set("abcdefghijklmnopqrstuvwxyz0123456789äöüßéèáàóòíìúùçñ"))
Keep = Callable[[str, float, str], bool]  # (type, anchor weight, lowercased sentence) -> the proposal stands
Setting = tuple[float, float]  # (anchor minimum, threshold); threshold OFF: the rules alone
RULES_ALONE: Setting = (MINIMUMS[0], OFF)


def read_open(lang: str, c: float) -> tuple[list[HeldOut], list[tuple[dict, list[Example]]], FeatureSpec]:
    """The train passages held out, read by their folds' models with the screen open and no anchor minimum."""
    nouns_capitalised = Extractor(model_root=None).engine(lang).lexicon.text.nouns_capitalized
    spec = FeatureSpec(
        suffix_chars=SUFFIX_CHARS[lang], mask_entities=MASK_ENTITIES, mask_capitalised=not nouns_capitalised
    )
    gold = [g for g in load_gold(lang) if split_of(g.passage.record_id) == "train"]
    sentences = [e for e in examples(lang, gold) if e.split == "train"]
    rules = RuleReadings(lang, gold)
    folds: list[tuple[dict, list[Example]]] = []

    def fitter(fold: int) -> dict:
        own = [e for e in sentences if fold_of(e.record) != fold]
        model = build(lang, own, [g for g in gold if fold_of(g.passage.record_id) != fold], spec, c)
        folds.append((model, own))
        opened = {**model, "anchor_min_weight": 0.0, "triggers": _EVERY_WORD}
        opened["types"] = [{**t, "anchor_min_weight": 0.0} for t in model["types"]]
        return opened

    return held_out(lang, gold, rules, fitter, THRESHOLDS[0]), folds, spec


def filtered(held: Sequence[HeldOut], keep: Keep) -> list[HeldOut]:
    out = []
    for h in held:
        lowered = lower_same_length(h.article.text)
        kept = [
            (p, w)
            for p, w in zip(h.proposals, h.weights, strict=True)
            if keep(p[0].type, w, lowered[p[0].sentence_start : p[0].sentence_end])
        ]
        out.append(replace(h, proposals=tuple(p for p, _ in kept), weights=tuple(w for _, w in kept)))
    return out


def best(lang: str, held: Sequence[HeldOut], type_: str, thresholds: Sequence[float] = (OFF, *THRESHOLDS)) -> dict:
    """The type's out-of-fold figures at its best threshold of these (OFF = the rules alone)."""
    rows = []
    for threshold in thresholds:
        row = out_of_fold(lang, held, {type_: threshold}).by_type[type_]
        rows.append((row.f1, threshold, row.row()))
    f1, threshold, row = max(rows, key=lambda r: (round(r[0], 6), r[1]))
    return {"threshold": threshold, **row}


class CueScreen:
    """Whether a sentence holds a place where a rule of the type may anchor (the rule engine's first pass)."""

    def __init__(self, lang: str):
        engine = Extractor(model_root=None).engine(lang)
        self.scanner = engine.scanner
        self.rule_types = [rule.type for rule in engine.rules]

    def types(self, lowered: str) -> set[str]:
        return {self.rule_types[rule] for _, pairs in self.scanner.scan(lowered) for rule, _ in pairs}


def study(lang: str, c: float, committed: Mapping[str, float]) -> dict:
    """Per type and screen, the out-of-fold figures at the best threshold and (types on) at the committed one."""
    held, folds, spec = read_open(lang, c)
    cues = CueScreen(lang)
    sentences = [e for _, own in folds for e in own]
    cue_types = [cues.types(lower_same_length(e.text)) for e in sentences]
    out: dict = {"lang": lang, "c": c, "types": {}}
    for type_ in TYPES:
        rows: dict = {"rules": out_of_fold(lang, held, {}).by_type[type_].row()}
        for minimum in MINIMUMS:
            share = sum(
                screened_share(_triggers({**m, "types": _at(m, type_, minimum)}, spec), own) for m, own in folds
            ) / len(folds)
            narrowed = filtered(held, _weighs(minimum))
            rows[f"min {minimum}"] = {**best(lang, narrowed, type_), "screened": round(share, 3)}
            if committed[type_] <= 1.0:
                rows[f"min {minimum} at {committed[type_]}"] = best(lang, narrowed, type_, (committed[type_],))
        cue_share = sum(type_ in t for t in cue_types) / len(cue_types)
        for low in (1.0, 0.5, 0.0):
            for high in (1.5, 2.0):
                rows[f"min {high} or cue stem and {low}"] = {
                    **best(lang, filtered(held, _or_cue(cues, high, low)), type_),
                    "cue_screened": round(cue_share, 3),
                }
        out["types"][type_] = rows
    return out


def fold_tallies(
    lang: str, held: Sequence[HeldOut], settings: Sequence[Setting]
) -> dict[str, dict[Setting, list[Tally]]]:
    """Per type and setting, the whole extractor's tally on each fold's held-out passages (types do not interact: one
    extraction per passage and distinct set of proposals kept answers every type)."""
    out = {t: {s: [Tally() for _ in range(FOLDS)] for s in (RULES_ALONE, *settings)} for t in TYPES}
    for h in held:
        fold = fold_of(h.gold.passage.record_id)
        read: dict[tuple[int, ...], dict[str, Tally]] = {}
        for minimum, threshold in (RULES_ALONE, *settings):
            kept = tuple(
                i
                for i, ((_, p), w) in enumerate(zip(h.proposals, h.weights, strict=True))
                if p >= threshold and w >= minimum - 1e-9
            )
            if kept not in read:
                events = events_at(h.article, lang, h.rules, [h.proposals[i] for i in kept], dict.fromkeys(TYPES, 0.0))
                read[kept] = score([(h.gold, events)]).by_type
            for type_ in TYPES:
                cell, add = out[type_][minimum, threshold][fold], read[kept][type_]
                cell.tp, cell.fp, cell.fn = cell.tp + add.tp, cell.fp + add.fp, cell.fn + add.fn
    return out


def nested(tallies: Mapping[Setting, Sequence[Tally]], settings: Sequence[Setting], gain: float = MIN_GAIN) -> dict:
    """The type's figures when each fold is scored at the setting chosen on the other folds alone (the best pooled F1
    of these settings, kept only where it beats the rules alone there by `gain`; ties to the higher threshold and
    minimum): what a selection is worth on passages it did not choose on, without the optimism of choosing and scoring
    on the same readings. tallies[setting][fold], RULES_ALONE among them."""
    total, chosen = Tally(), []
    for fold in range(FOLDS):

        def pooled(setting: Setting, fold: int = fold) -> float:
            others = [t for k, t in enumerate(tallies[setting]) if k != fold]
            return Tally(sum(t.tp for t in others), sum(t.fp for t in others), sum(t.fn for t in others)).f1

        pick = max(settings, key=lambda s: (round(pooled(s), 6), s[1], s[0]))
        if pooled(pick) < pooled(RULES_ALONE) + gain - 1e-9 or pooled(pick) <= pooled(RULES_ALONE):
            pick = RULES_ALONE
        chosen.append(pick)
        scored = tallies[pick][fold]
        total = Tally(total.tp + scored.tp, total.fp + scored.fp, total.fn + scored.fn)
    return {**total.row(), "chosen": chosen}


def nested_study(lang: str, held: Sequence[HeldOut], committed: Mapping[str, Setting]) -> dict:
    """Per type, the nested figures of the committed setting (fixed), of the threshold chosen at the committed minimum,
    of the trainer's grid (ANCHOR_CANDIDATES by THRESHOLDS), of every minimum of MINIMUMS, and of every sentence scored
    (minimum 0), each with the trainer's MIN_GAIN and with none; and the rules alone."""
    grid = [(m, t) for m in sorted({*MINIMUMS, *ANCHOR_CANDIDATES}, reverse=True) for t in THRESHOLDS]
    tallies = fold_tallies(lang, held, grid)
    out: dict = {}
    for type_ in TYPES:
        own = committed[type_]
        families = {
            "committed": [own] if own[1] <= 1.0 else [RULES_ALONE],
            "threshold at committed minimum": [(own[0], t) for t in THRESHOLDS],
            "trainer grid": [(m, t) for m in ANCHOR_CANDIDATES for t in THRESHOLDS],
            "every minimum": grid,
            "every sentence": [(0.0, t) for t in THRESHOLDS],
        }
        rules = tallies[type_][RULES_ALONE]
        row: dict = {"rules": Tally(sum(t.tp for t in rules), sum(t.fp for t in rules), sum(t.fn for t in rules)).row()}
        for name, settings in families.items():
            row[name] = nested(tallies[type_], settings)
            row[f"{name}, no gain needed"] = nested(tallies[type_], settings, 0.0)
        out[type_] = row
    return out


def _at(model: dict, type_: str, minimum: float) -> list[dict]:
    return [{**t, "anchor_min_weight": minimum} for t in model["types"] if t["type"] == type_]


def _weighs(minimum: float) -> Keep:
    return lambda _type, weight, _sentence: weight >= minimum - 1e-9


def _or_cue(cues: CueScreen, high: float, low: float) -> Keep:
    """A proposal stands on a word weighing high, or on one weighing low in a sentence where a rule of its type may
    anchor."""

    def keep(kind: str, weight: float, sentence: str) -> bool:
        return weight >= high - 1e-9 or (weight >= low - 1e-9 and kind in cues.types(sentence))

    return keep


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m streams.dataset.screen_study", description=__doc__)
    parser.add_argument("--lang", choices=["de", "en"], required=True)
    parser.add_argument("--c", type=float, help="regularisation (default: the committed model's)")
    parser.add_argument(
        "--nested",
        action="store_true",
        help="instead, each fold scored at the settings chosen on the other four (the selection's held-out worth)",
    )
    args = parser.parse_args(argv)
    model = load_model(args.lang)
    assert model is not None
    committed = {t.type: t.threshold for t in model.types}
    c = args.c
    if c is None:
        c = json.loads(model_path(args.lang).read_text(encoding="utf-8"))["cross_validation"]["c"]
    if args.nested:
        minimum = {t.type: model.anchor_min_weight if t.anchor_min is None else t.anchor_min for t in model.types}
        held, _, _ = read_open(args.lang, c)
        settings = {t: (minimum[t], committed[t]) for t in TYPES}
        print(json.dumps({"lang": args.lang, "c": c, "types": nested_study(args.lang, held, settings)}, indent=1))
        return 0
    print(json.dumps(study(args.lang, c, committed), indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
