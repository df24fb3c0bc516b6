"""`make train`: fit the sentence models from the real-news labels (train split), tune thresholds on dev, write them.

Deterministic: the same labels give byte-identical model files. Needs scikit-learn (the `train` extra); the runtime
reads the JSON weights with the standard library only.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from streams.extraction import Extractor
from streams.extraction.learned import MODEL_DIR, FeatureSpec, model_path
from streams.extraction.proposals import sentence_entities

from .labels import GoldPassage, load_gold
from .scoring import TYPES, _names_agree, passage_article, score
from .splits import split_of

MODEL_NAME = "sentence-lr"
MODEL_VERSION = "1"
REGULARISATION_C = 1.0
MIN_SENTENCES = 2  # a feature must occur in this many training sentences to be learned
MIN_WEIGHT = 0.02  # smaller weights are dropped: they never move a decision and would bloat the file
THRESHOLDS = (0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95)
OFF = 1.01  # a threshold no probability reaches


@dataclass(frozen=True)
class Example:
    split: str
    text: str
    labels: frozenset[str]
    entities: tuple[tuple[int, int, str], ...] = ()


def examples(lang: str, gold: list[GoldPassage]) -> list[Example]:
    """Every sentence of every labelled passage, as the extractor's own splitter cuts it, with the types whose
    evidence it overlaps."""
    engine = Extractor(model_root=None).engine(lang)
    segmenter = engine._segmenter
    out = []
    for item in gold:
        text, offset = item.passage.text, item.passage.start
        for sentence in segmenter.sentences(text):
            types = frozenset(
                e.type for e in item.events
                if e.evidence_start - offset < sentence.end and e.evidence_end - offset > sentence.start
            )
            out.append(Example(split_of(item.passage.record_id), text[sentence.start:sentence.end], types,
                               sentence_entities(engine, text, sentence.start, sentence.end)))
    return out


def _frequent(rows: list[list[str]]) -> list[dict[str, int]]:
    """Binary feature dicts without the features of a single training sentence: they only memorise it."""
    counts: dict[str, int] = {}
    for row in rows:
        for feature in set(row):
            counts[feature] = counts.get(feature, 0) + 1
    return [{f: 1 for f in row if counts[f] >= MIN_SENTENCES} for row in rows]


def fit(lang: str, train: list[Example], spec: FeatureSpec) -> dict:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    vectorizer = DictVectorizer(sort=True)
    matrix = vectorizer.fit_transform(_frequent([spec.features(e.text, e.entities) for e in train]))
    names = vectorizer.get_feature_names_out()
    # liblinear takes 32-bit sparse indices only.
    matrix = matrix.tocsr()
    matrix.indices = matrix.indices.astype("int32")
    matrix.indptr = matrix.indptr.astype("int32")
    types = []
    for type_ in TYPES:
        target = [int(type_ in e.labels) for e in train]
        if sum(target) < 5:
            continue  # too few examples to learn from: the type runs on rules alone
        classifier = LogisticRegression(C=REGULARISATION_C, solver="liblinear", max_iter=1000, random_state=0)
        classifier.fit(matrix, target)
        weights = {str(names[i]): round(float(w), 4) for i, w in enumerate(classifier.coef_[0]) if abs(w) >= MIN_WEIGHT}
        types.append({"type": type_, "bias": round(float(classifier.intercept_[0]), 4), "threshold": OFF,
                      "positives": sum(target), "weights": dict(sorted(weights.items()))})
    return {"name": MODEL_NAME, "version": MODEL_VERSION, "lang": lang,
            "features": {"prefix_chars": spec.prefix_chars, "suffix_chars": spec.suffix_chars, "bigrams": spec.bigrams,
                         "mask_entities": spec.mask_entities}, "types": types, "triggers": []}


ACTOR_THRESHOLD = 0.25
# Compound heads carry German meaning ("Grenzkontrollen", "Truppenverlegung"); English has no such compounds.
SUFFIX_CHARS = {"de": 6, "en": 0}
MASK_ENTITIES = True


def actor_rows(lang: str, gold: list[GoldPassage], model: dict, spec: FeatureSpec) -> list[tuple[list[str], int]]:
    """(features, is the labelled actor) for every candidate span of every train sentence whose actor it names."""
    from streams.extraction.learned import TypeModel, actor_candidates, actor_features
    from streams.extraction.proposals import function_words

    engine = Extractor(model_root=None).engine(lang)
    segmenter = engine._segmenter
    stop = function_words(engine)
    type_models = {t["type"]: TypeModel(t["type"], t["bias"], OFF, t["weights"]) for t in model["types"]}
    rows = []
    for item in gold:
        if split_of(item.passage.record_id) != "train":
            continue
        text, offset = item.passage.text, item.passage.start
        sentences = segmenter.sentences(text)
        for event in item.events:
            if event.actor_start is None or event.type not in type_models:
                continue
            start, end = event.actor_start - offset, event.actor_end - offset
            sentence = next((s for s in sentences if s.start <= start and end <= s.end), None)
            if sentence is None:
                continue  # the actor is named in another sentence: nothing in this one to choose
            body = text[sentence.start:sentence.end]
            anchor = type_models[event.type].anchor(body, spec, sentence_entities(engine, text, sentence.start, sentence.end))
            if anchor is None:
                continue
            candidates = actor_candidates(body, stop)
            labels = [int(_names_agree(c.text, event.actor_name or "") and c.start < end - sentence.start
                          and c.end > start - sentence.start) for c in candidates]
            if any(labels):
                rows.extend((actor_features(body, c, anchor, event.type), y) for c, y in zip(candidates, labels))
    return rows


def fit_actor(rows: list[tuple[list[str], int]]) -> dict | None:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    if sum(y for _, y in rows) < 10:
        return None
    vectorizer = DictVectorizer(sort=True)
    matrix = vectorizer.fit_transform(_frequent([f for f, _ in rows])).tocsr()
    matrix.indices = matrix.indices.astype("int32")
    matrix.indptr = matrix.indptr.astype("int32")
    classifier = LogisticRegression(C=REGULARISATION_C, solver="liblinear", max_iter=1000, random_state=0)
    classifier.fit(matrix, [y for _, y in rows])
    names = vectorizer.get_feature_names_out()
    weights = {str(names[i]): round(float(w), 4) for i, w in enumerate(classifier.coef_[0]) if abs(w) >= MIN_WEIGHT}
    return {"bias": round(float(classifier.intercept_[0]), 4), "threshold": ACTOR_THRESHOLD,
            "rows": len(rows), "weights": dict(sorted(weights.items()))}


def _triggers(model: dict, sentences: list[Example], spec: FeatureSpec) -> list[str]:
    """Word openings that every sentence the model proposes (of the ones seen in training and dev) contains: the
    highest-weighted word of each, so the runtime looks only at sentences holding one of them."""
    from streams.extraction.learned import TypeModel

    found: set[str] = set()
    for entry in model["types"]:
        type_model = TypeModel(entry["type"], entry["bias"], entry["threshold"], entry["weights"])
        for example in sentences:
            if type_model.probability(spec.features(example.text, example.entities)) >= type_model.threshold:
                anchor = type_model.anchor(example.text, spec, example.entities)
                if anchor is not None:
                    word = example.text[anchor[0]:anchor[1]].lower()
                    found.add(word[:spec.prefix_chars] if len(word) > spec.prefix_chars else word)
    return sorted(found)


def _dev_f1(model: dict, lang: str, dev: list[GoldPassage], directory: Path) -> dict[str, float]:
    model_path(lang, directory).write_text(json.dumps(model), encoding="utf-8")
    extractor = Extractor(model_root=directory)
    report = score((g, extractor.extract(passage_article(g)).events) for g in dev)
    return {t: report.by_type[t].f1 for t in TYPES} | {"micro": report.overall.f1}


def tune(model: dict, lang: str, dev: list[GoldPassage], sentences: list[Example], spec: FeatureSpec) -> dict:
    """Per type, the threshold with the best dev F1 of the whole extractor (rules plus model); off when none helps."""
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        for entry in model["types"]:
            model["triggers"] = _all_positive_openings(model, spec)
            entry["threshold"] = OFF
            best_f1, best_threshold = _dev_f1(model, lang, dev, directory)[entry["type"]], OFF
            for threshold in THRESHOLDS:
                entry["threshold"] = threshold
                f1 = _dev_f1(model, lang, dev, directory)[entry["type"]]
                if f1 > best_f1 + 1e-9:
                    best_f1, best_threshold = f1, threshold
            entry["threshold"] = best_threshold
            entry["dev_f1"] = round(best_f1, 3)
    model["triggers"] = _triggers(model, sentences, spec)
    return model


def _all_positive_openings(model: dict, spec: FeatureSpec) -> list[str]:
    out = set()
    for entry in model["types"]:
        for feature, weight in entry["weights"].items():
            if weight > 0 and feature[:2] in ("w=", "p="):
                out.add(feature[2:2 + spec.prefix_chars])
    return sorted(out)


def train(lang: str, out_dir: Path = MODEL_DIR) -> dict:
    spec = FeatureSpec(suffix_chars=SUFFIX_CHARS[lang], mask_entities=MASK_ENTITIES)
    gold = load_gold(lang)
    data = examples(lang, gold)
    train_set = [e for e in data if e.split == "train"]
    dev = [g for g in gold if split_of(g.passage.record_id) == "dev"]
    model = fit(lang, train_set, spec)
    actor = fit_actor(actor_rows(lang, gold, model, spec))
    if actor is not None:
        model["actor"] = actor
    model = tune(model, lang, dev, [e for e in data if e.split in ("train", "dev")], spec)
    model["trained_on"] = {
        "passages": {s: sum(1 for g in gold if split_of(g.passage.record_id) == s) for s in ("train", "dev")},
        "sentences": len(train_set),
        "positive_sentences": {t: sum(t in e.labels for e in train_set) for t in TYPES},
    }
    path = model_path(lang, out_dir)
    path.write_text(json.dumps(model, ensure_ascii=False, indent=0, sort_keys=True) + "\n", encoding="utf-8")
    return model


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m streams.dataset.train", description=__doc__)
    parser.add_argument("--lang", choices=["de", "en"], action="append")
    args = parser.parse_args(argv)
    for lang in args.lang or ["de", "en"]:
        model = train(lang)
        summary = {t["type"]: {"threshold": t["threshold"], "dev_f1": t.get("dev_f1"), "weights": len(t["weights"]),
                               "positives": t["positives"]} for t in model["types"]}
        print(json.dumps({"lang": lang, "triggers": len(model["triggers"]), **model["trained_on"], "types": summary}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
