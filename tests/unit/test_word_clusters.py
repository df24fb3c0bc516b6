"""Word clusters from unlabelled text: deterministic clustering, cluster features, the cluster map file and its checks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from streams.dataset.clusters import ClusterParams, cluster_file, cluster_words, tokenize
from streams.dataset.train import _triggers
from streams.extraction.learned import (
    FeatureSpec,
    TypeModel,
    clusters_fingerprint,
    clusters_path,
    load_clusters,
    load_model,
    model_path,
    models_fingerprint,
)

# A tiny corpus of our own: movement verbs and denial verbs stand in the same places among the same words.
_MOVES = ("deployed", "sent", "moved", "dispatched")
_DENIES = ("denied", "rejected", "disputed", "refuted")
_CORPUS = [
    tokenize(f"the army {move} troops to the border today and the ministry {deny} the report about it")
    for _ in range(3)
    for move in _MOVES
    for deny in _DENIES
]
_TINY = ClusterParams(min_count=2, window=1, dimensions=6, clusters=4, max_contexts=50)


def test_clustering_is_deterministic_and_groups_words_used_alike() -> None:
    first, second = cluster_words(_CORPUS, _TINY), cluster_words(_CORPUS, _TINY)
    assert first == second
    assert len({first[w] for w in _MOVES}) == 1 and len({first[w] for w in _DENIES}) == 1
    assert first["deployed"] != first["denied"]
    assert set(first.values()) <= set(range(_TINY.clusters))


def test_cluster_ids_are_features_of_the_words_in_the_map() -> None:
    spec = FeatureSpec(bigrams=False, clusters={"deployed": 7, "dispatched": 7})
    features = spec.features("Troops dispatched north")
    assert "k=7" in features and features.count("k=7") == 1
    assert not any(f.startswith("k=") for f in FeatureSpec(bigrams=False).features("Troops dispatched north"))


def test_an_unseen_word_weighs_through_its_cluster_and_opens_the_screen() -> None:
    spec = FeatureSpec(clusters={"deployed": 3, "dispatched": 3})
    model = TypeModel("deployment", bias=-2.0, threshold=0.5, weights={"w=deployed": 1.0, "k=3": 1.5})
    assert model.word_weight("dispatched", spec) == pytest.approx(1.5)
    sentence = "Berlin dispatched troops."
    start, end = model.anchor(sentence, spec, min_weight=1.25) or (0, 0)
    assert sentence[start:end] == "dispatched"
    raw = {"anchor_min_weight": 1.25, "types": [{"type": "deployment", "bias": -2.0, "weights": model.weights}]}
    assert "dispa" in _triggers(raw, spec) and "dispa" not in _triggers(raw, FeatureSpec())


def _write_pair(root: Path, clusters: dict[str, int], trained_with: str) -> None:
    payload = cluster_file("en", _CORPUS, _TINY) | {"clusters": clusters}
    clusters_path("en", root).write_text(json.dumps(payload), encoding="utf-8")
    features = {"prefix_chars": 5, "suffix_chars": 0, "bigrams": True, "clusters": trained_with}
    model = {
        "name": "toy",
        "version": "0",
        "lang": "en",
        "features": features,
        "types": [{"type": "deployment", "bias": -2.0, "threshold": 0.5, "weights": {"k=1": 3.0}}],
        "triggers": ["dispa"],
    }
    model_path("en", root).write_text(json.dumps(model), encoding="utf-8")


def test_a_model_trained_with_clusters_loads_its_map_and_refuses_another(tmp_path: Path) -> None:
    clusters = {"deployed": 1, "dispatched": 1}
    _write_pair(tmp_path, clusters, clusters_fingerprint(clusters))
    model = load_model("en", tmp_path)
    assert model is not None and model.spec.clusters == clusters
    assert [t for t, _, _ in model.propose("Berlin dispatched troops.")] == ["deployment"]
    before = models_fingerprint(tmp_path)
    _write_pair(tmp_path, {"deployed": 1, "dispatched": 2}, clusters_fingerprint(clusters))
    assert models_fingerprint(tmp_path) != before  # the map is part of the extractor version
    with pytest.raises(ValueError, match="trained with cluster map"):
        load_model("en", tmp_path)


def test_a_cluster_map_with_ids_out_of_range_or_of_another_language_is_refused(tmp_path: Path) -> None:
    _write_pair(tmp_path, {"deployed": _TINY.clusters}, "")
    with pytest.raises(ValueError, match="cluster ids"):
        load_clusters("en", tmp_path)
    clusters_path("de", tmp_path).write_text(clusters_path("en", tmp_path).read_text(encoding="utf-8"))
    with pytest.raises(ValueError, match="format"):
        load_clusters("de", tmp_path)
