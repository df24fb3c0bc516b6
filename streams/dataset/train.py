"""`make train`: fit the sentence models from the real-news labels (train split), choose the regularisation by
cross-validation over the train split's articles (crossval.py) and each type's screen and threshold by the mean of its
out-of-fold and dev F1, write them.

Deterministic: the same labels give byte-identical model files. Needs scikit-learn (the `train` extra); the runtime
reads the JSON weights with the standard library only.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from streams.extraction import Extractor
from streams.extraction.learned import (
    MODEL_DIR,
    FeatureSpec,
    TypeModel,
    clusters_fingerprint,
    load_clusters,
    model_path,
)

from .actor_training import actor_rows, fit_actor
from .crossval import (
    FOLDS,
    OFF,
    HeldOut,
    RuleReadings,
    Scores,
    blended,
    f1_scores,
    fold_of,
    held_out,
    out_of_fold,
    ranked,
    read_by,
    threshold_curve,
    write_trial,
)
from .guards import FalseAlarmGuard
from .labels import GoldPassage, load_gold
from .linear import design, logistic_fit
from .model_card import write_model_card
from .scoring import TYPES, Report, passage_article, score
from .sentences import Example, examples
from .splits import split_of

MODEL_NAME = "sentence-lr"
MODEL_VERSION = "1"
# The regularisation strengths tried; cross-validation picks one per language (the best out-of-fold micro F1).
C_CANDIDATES = (0.5, 1.0)  # 0.25 lost 0.005 German out-of-fold F1 to 0.5
REGULARISATION_C = 1.0  # fit's default
THRESHOLDS = (0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95)
_WORD = re.compile(r"\w+")


def fit(lang: str, train: list[Example], spec: FeatureSpec, c: float = REGULARISATION_C) -> dict:
    matrix, names = design([spec.features(e.text, e.entities, e.context(spec)) for e in train])
    types = []
    for type_ in TYPES:
        target = [int(type_ in e.labels) for e in train]
        if sum(target) < 5:
            continue  # too few examples to learn from: the type runs on rules alone
        bias, weights = logistic_fit(matrix, names, target, c, 3)
        types.append({"type": type_, "bias": bias, "threshold": OFF, "positives": sum(target), "weights": weights})
    return {
        "name": MODEL_NAME,
        "version": MODEL_VERSION,
        "lang": lang,
        "anchor_min_weight": ANCHOR_CANDIDATES[0],
        "features": {
            "prefix_chars": spec.prefix_chars,
            "suffix_chars": spec.suffix_chars,
            "bigrams": spec.bigrams,
            "mask_entities": spec.mask_entities,
            "mask_capitalised": spec.mask_capitalised,
        }
        # Only a model trained with a switch of SWITCHES names it: files trained without them stay as they were.
        | {name: True for name in SWITCHES if getattr(spec, name)}
        # Only a model trained with clusters names its map: files trained without them stay as they were.
        | ({"clusters": clusters_fingerprint(spec.clusters)} if spec.clusters else {}),
        "types": types,
        "triggers": [],
    }


# The screen (trigger gate): a proposal is read from a word that weighs at least its type's anchor minimum, and the
# runtime scores only the sentences holding such a word (its openings are the model's triggers): sentences carried
# only by weak words are left alone, and the screen is most of the stage's cost. The minimum is chosen per type by
# cross-validation (choose_minimums): the one of ANCHOR_CANDIDATES with the best out-of-fold F1 of the whole extractor
# such that the screen of the types on lets through at most MAX_SCREENED of the training sentences (a cost bound, on
# what the runtime scores; the labelled sentences are richer in events than news at large, so the share of a whole
# article's sentences scored is smaller).
# One out-of-fold reading at the lowest candidate answers every candidate (crossval.HeldOut.at_minimum). Before
# (session 12) one minimum served all types, bounded by the screen of every type, also of those the tuning switched
# off: English deployment stood at 2.0 though its out-of-fold F1 rises steadily to 1.25 (docs/real-news.md).
ANCHOR_CANDIDATES = (2.0, 1.75, 1.5, 1.25, 1.0)
# English deployment's own screen passes 10 % of the training sentences at 2.0 and 16 % at 1.5 (20 % at 1.25).
# German must stay above 2,000 articles/s per core: a bound per type let German policy_shift on at 1.25 (+3 true and
# +3 false out-of-fold events for 35 more openings).
MAX_SCREENED = {"de": 0.07, "en": 0.16}
# Compound heads carry German meaning ("Grenzkontrollen", "Truppenverlegung"); English has no such compounds.
SUFFIX_CHARS = {"de": 6, "en": 0}
MASK_ENTITIES = True
# Feature switches of FeatureSpec measured out of fold in the sixteenth session and left off (docs/real-news.md): the
# rules' cue names ("cues"), the types the rules read ("readings"), the cues of the types they did not read
# ("unread"), the sentence's form ("shape"). `train --feature NAME` fits with one on.
SWITCHES = ("cues", "readings", "unread", "shape")
# Word clusters from unlabelled text as features are off: they did not lift dev F1 beyond noise (docs/real-news.md,
# "Tenth session: distributional features"). `make clusters` builds the maps, `train --clusters` tries them.


def build(
    lang: str,
    sentences: list[Example],
    gold: list[GoldPassage],
    spec: FeatureSpec,
    c: float,
    minimums: Mapping[str, float] | None = None,
) -> dict:
    """A model fitted on these sentences (every type off), with its actor model (from gold's actors) and screen: each
    type's anchor minimum from minimums, or (None) the lowest candidate, the wide screen the cross-validation reads."""
    model = fit(lang, sentences, spec, c)
    model["anchor_min_weight"] = ANCHOR_CANDIDATES[-1]
    actor = fit_actor(actor_rows(lang, gold, model, spec))
    if actor is not None:
        model["actor"] = actor
    return at_minimums(model, minimums or dict.fromkeys(TYPES, ANCHOR_CANDIDATES[-1]), spec)


def at_minimums(model: dict, minimums: Mapping[str, float], spec: FeatureSpec) -> dict:
    """The model with each type's anchor minimum set and its screen (trigger openings) recomputed for them."""
    for entry in model["types"]:
        entry["anchor_min_weight"] = minimums[entry["type"]]
    model["triggers"] = _triggers(model, spec)
    return model


@dataclass
class CrossValidation:
    """The chosen regularisation, the held-out readings of its folds' models at the widest screen, and those models
    with their training sentences (what a screen costs is measured on them)."""

    c: float
    held: list[HeldOut]
    screens: list[tuple[dict, list[Example]]]
    tried: dict[str, float]  # out-of-fold micro F1 of every regularisation tried (each type at its best settings)


def cross_validate(lang: str, sentences: list[Example], gold: list[GoldPassage], spec: FeatureSpec) -> CrossValidation:
    """The regularisation whose folds' models give the best out-of-fold micro F1 of the whole extractor, each type at
    its best out-of-fold anchor minimum and threshold (a smaller C on ties: the simpler model)."""
    rules = RuleReadings(lang, gold)
    best: CrossValidation | None = None
    best_f1 = -1.0
    tried: dict[str, float] = {}
    for c in C_CANDIDATES:
        screens: list[tuple[dict, list[Example]]] = []  # each fold's model and training sentences

        def fitter(fold: int, c: float = c, screens: list = screens) -> dict:
            own = [e for e in sentences if fold_of(e.record) != fold]
            model = build(lang, own, [g for g in gold if fold_of(g.passage.record_id) != fold], spec, c)
            screens.append((model, own))
            return model

        held = held_out(lang, gold, rules, fitter, THRESHOLDS[0])  # read at the widest screen, every type
        minimums, thresholds = choose_minimums(lang, [held], screens, spec)
        f1 = out_of_fold(lang, [h.at_minimum(minimums) for h in held], thresholds).overall.f1
        tried[str(c)] = round(f1, 4)
        if f1 > best_f1 + 1e-9:
            best, best_f1 = CrossValidation(c, held, screens, tried), f1
    assert best is not None, "C_CANDIDATES is not empty"
    return best


def choose_minimums(
    lang: str,
    readings: Sequence[Sequence[HeldOut]],
    screens: list[tuple[dict, list[Example]]],
    spec: FeatureSpec,
) -> tuple[dict[str, float], dict[str, float]]:
    """Per type, (the anchor minimum, the threshold) with the best F1 of the whole extractor over the readings (their
    mean: out of fold, and dev in the final choice; ties: the higher minimum, the narrower screen), so long as the
    screen of every type on so far lets through at most MAX_SCREENED of the folds' training sentences; the types with
    the largest gain over the rules are placed first. A type no setting lifts by MIN_GAIN (or none that fits the
    bound) stays off, at the highest minimum."""
    minimums = dict.fromkeys(TYPES, ANCHOR_CANDIDATES[0])
    thresholds = dict.fromkeys(TYPES, OFF)
    options: dict[str, list[tuple[float, float, float]]] = {t: [] for t in TYPES}  # (F1, minimum, threshold)
    rules_f1: dict[str, float] = {}
    for minimum in ANCHOR_CANDIDATES:
        scores = scores_at(lang, readings, dict.fromkeys(TYPES, minimum))
        rules_f1 = {t: next(f1[t] for th, f1 in scores if th == OFF) for t in TYPES}
        for type_ in TYPES:
            options[type_] += [(f1, minimum, threshold) for threshold, f1 in ranked(scores, type_)[:1]]
    placed: dict[str, float] = {}
    for type_ in sorted(TYPES, key=lambda t: -max((f1 - rules_f1[t] for f1, _, _ in options[t]), default=0.0)):
        for _, minimum, threshold in sorted(options[type_], key=lambda o: (-o[0], -o[1])):
            if screen_share(screens, {**placed, type_: minimum}, spec) <= MAX_SCREENED[lang]:
                placed[type_], minimums[type_], thresholds[type_] = minimum, minimum, threshold
                break
    return minimums, thresholds


def scores_at(lang: str, readings: Sequence[Sequence[HeldOut]], minimums: Mapping[str, float]) -> Scores:
    """The mean F1 per type and threshold of the readings, each type's proposals kept at its anchor minimum."""
    return blended(
        [f1_scores(threshold_curve(lang, [h.at_minimum(minimums) for h in held], THRESHOLDS)) for held in readings]
    )


def screen_share(screens: list[tuple[dict, list[Example]]], minimums: Mapping[str, float], spec: FeatureSpec) -> float:
    """The mean share of its training sentences that a fold model's screen for these types at these minimums passes."""
    shares = []
    for model, own in screens:
        entries = [{**e, "anchor_min_weight": minimums[e["type"]]} for e in model["types"] if e["type"] in minimums]
        shares.append(screened_share(_triggers({**model, "types": entries}, spec), own))
    return sum(shares) / max(1, len(shares))


def tune(model: dict, lang: str, scores: Scores, spec: FeatureSpec) -> dict:
    """Per type, the threshold with the best F1 of the whole extractor (rules plus model; the mean of out of fold and
    dev) among those the guards allow for this model; off when none beats the rules alone."""
    guard = FalseAlarmGuard(lang)
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        for entry in model["types"]:
            entry["threshold"] = OFF
            for threshold, _ in ranked(scores, entry["type"]):
                entry["threshold"] = threshold
                write_trial(model, lang, directory)
                if guard.allows(directory):
                    break
                entry["threshold"] = OFF
    # Only the types the tuning left on need their words screened for (the screen is most of the stage's cost).
    model["triggers"] = _triggers({**model, "types": [t for t in model["types"] if t["threshold"] < OFF]}, spec)
    return model


def screened_share(triggers: list[str], sentences: list[Example]) -> float:
    """The share of the sentences the screen lets through (a word opening with a trigger), as the runtime screens."""
    openings = tuple(triggers)
    hits = sum(1 for e in sentences if any(w.startswith(openings) for w in _WORD.findall(e.text.lower())))
    return hits / max(1, len(sentences))


def _triggers(model: dict, spec: FeatureSpec) -> list[str]:
    """The word openings a proposal can be anchored on (a word whose own and opening's weights together reach the
    anchor minimum for some type, as TypeModel.anchor adds them): the runtime scores only sentences that hold one."""
    out = set()
    for entry in model["types"]:
        weights = entry["weights"]
        minimum = entry.get("anchor_min_weight", model["anchor_min_weight"])
        for feature, weight in weights.items():
            if feature.startswith("w=ent:") or feature[:2] not in ("w=", "p="):
                continue
            word = feature[2:]
            if feature.startswith("w="):
                combined = weight + (
                    weights.get(f"p={word[: spec.prefix_chars]}", 0.0) if len(word) > spec.prefix_chars else 0.0
                )
            else:
                combined = weight + max(
                    0.0, max((w for f, w in weights.items() if f.startswith(f"w={word}")), default=0.0)
                )
            if combined >= minimum:
                out.add(word[: spec.prefix_chars])
        if spec.clusters:
            # A word never seen in training can anchor through its cluster (as TypeModel.anchor weighs it).
            type_model = TypeModel(entry["type"], entry["bias"], OFF, weights)
            for word in spec.clusters:
                if type_model.word_weight(word, spec) >= minimum:
                    out.add(word[: spec.prefix_chars])
    return sorted(out)


def train(lang: str, out_dir: Path = MODEL_DIR, clusters: bool = False, switches: tuple[str, ...] = ()) -> dict:
    """Fit, tune and write the language's model; with clusters, its word clusters (`<lang>.clusters.json` in the
    model directory) are features too; switches, more features of SWITCHES."""
    nouns_capitalised = Extractor(model_root=None).engine(lang).lexicon.text.nouns_capitalized
    spec = FeatureSpec(
        suffix_chars=SUFFIX_CHARS[lang],
        mask_entities=MASK_ENTITIES,
        mask_capitalised=not nouns_capitalised,
        clusters=load_clusters(lang) if clusters else {},
        **dict.fromkeys(switches, True),
    )
    gold = load_gold(lang)
    data = examples(lang, gold)
    train_set = [e for e in data if e.split == "train"]
    train_gold = [g for g in gold if split_of(g.passage.record_id) == "train"]
    dev = [g for g in gold if split_of(g.passage.record_id) == "dev"]
    chosen = cross_validate(lang, train_set, train_gold, spec)
    model = build(lang, train_set, train_gold, spec, chosen.c)  # the widest screen, every type off
    # Screens and thresholds are chosen on the mean of out-of-fold and dev F1: out of fold alone flattered the rules
    # (written reading train: English policy_shift's rules score 0.76 out of fold and 0.56 on dev) and switched types
    # off that dev says lift the extractor; dev alone is a few dozen events a type.
    readings = [chosen.held, read_by(lang, dev, model, THRESHOLDS[0])]
    minimums, _ = choose_minimums(lang, readings, chosen.screens, spec)
    model = tune(at_minimums(model, minimums, spec), lang, scores_at(lang, readings, minimums), spec)
    thresholds = {entry["type"]: entry["threshold"] for entry in model["types"]}
    held = [h.at_minimum(minimums) for h in chosen.held]
    model["cross_validation"] = {
        "folds": FOLDS,
        "c": chosen.c,
        "c_tried": chosen.tried,
        "anchor_minimums": minimums,
        "selection": "mean of out-of-fold and dev F1",
        "rules": figures(out_of_fold(lang, held, {})),  # every type off: the rules alone
        "rules+model": figures(out_of_fold(lang, held, thresholds)),
    }
    model["trained_on"] = {
        "labels": labels_fingerprint(lang),
        "passages": {s: sum(1 for g in gold if split_of(g.passage.record_id) == s) for s in ("train", "dev")},
        "sentences": len(train_set),
        "positive_sentences": {t: sum(t in e.labels for e in train_set) for t in TYPES},
    }
    model["dev"] = dev_figures(model, lang, dev)
    path = model_path(lang, out_dir)
    path.write_text(json.dumps(model, ensure_ascii=False, indent=0, sort_keys=True) + "\n", encoding="utf-8")
    return model


def labels_fingerprint(lang: str) -> str:
    """Hash of the label files the model was trained from: the model card names the exact data."""
    import hashlib

    from .labels import label_files

    digest = hashlib.sha256()
    for path in label_files(lang):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def dev_figures(model: dict, lang: str, dev: list[GoldPassage]) -> dict:
    """Dev precision/recall/F1 of the rules alone and of rules plus this model (for the model card)."""
    with tempfile.TemporaryDirectory() as tmp:
        write_trial(model, lang, Path(tmp))
        out = {}
        for name, extractor in (
            ("rules", Extractor(model_root=None)),
            ("rules+model", Extractor(model_root=Path(tmp))),
        ):
            out[name] = figures(score((g, extractor.extract(passage_article(g)).events) for g in dev))
    return out


def figures(report: Report) -> dict:
    """Micro and per-type tallies with precision, recall and F1."""
    return {"micro": report.overall.row(), **{t: report.by_type[t].row() for t in TYPES}}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m streams.dataset.train", description=__doc__)
    parser.add_argument("--lang", choices=["de", "en"], action="append")
    parser.add_argument("--feature", choices=SWITCHES, action="append", help="more features (off by default)")
    parser.add_argument(
        "--clusters", action="store_true", help="word clusters as features (build them first: make clusters)"
    )
    args = parser.parse_args(argv)
    for lang in args.lang or ["de", "en"]:
        model = train(lang, clusters=args.clusters, switches=tuple(args.feature or ()))
        others = {
            other: json.loads(model_path(other).read_text(encoding="utf-8"))
            for other in ("de", "en")
            if other != lang and model_path(other).exists()
        }
        write_model_card({lang: model} | {k: v for k, v in others.items() if "dev" in v})
        summary = {
            t["type"]: {
                "threshold": t["threshold"],
                "out_of_fold_f1": model["cross_validation"]["rules+model"][t["type"]]["f1"],
                "dev_f1": model["dev"]["rules+model"][t["type"]]["f1"],
                "weights": len(t["weights"]),
                "positives": t["positives"],
            }
            for t in model["types"]
        }
        folds = {k: model["cross_validation"][k] for k in ("c", "c_tried")}
        print(
            json.dumps(
                {"lang": lang, "triggers": len(model["triggers"]), **folds, **model["trained_on"], "types": summary}
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
