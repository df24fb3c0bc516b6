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

from .crossval import OFF, HeldOut, RuleReadings, fold_of, held_out, out_of_fold
from .labels import load_gold
from .scoring import TYPES
from .sentences import Example, examples
from .splits import split_of
from .train import MASK_ENTITIES, SUFFIX_CHARS, THRESHOLDS, _triggers, build, screened_share

MINIMUMS = (2.0, 1.5, 1.25, 1.0, 0.75, 0.5, 0.0)
# Every word opens with one of these: the screen open everywhere.
_EVERY_WORD = sorted(set("abcdefghijklmnopqrstuvwxyz0123456789äöüßéèáàóòíìúùçñ"))
Keep = Callable[[str, float, str], bool]  # (type, anchor weight, lowercased sentence) -> the proposal stands


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
    args = parser.parse_args(argv)
    model = load_model(args.lang)
    assert model is not None
    committed = {t.type: t.threshold for t in model.types}
    c = args.c
    if c is None:
        c = json.loads(model_path(args.lang).read_text(encoding="utf-8"))["cross_validation"]["c"]
    print(json.dumps(study(args.lang, c, committed), indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
