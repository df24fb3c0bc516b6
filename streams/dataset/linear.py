"""Sparse binary design matrices and logistic regressions, as the sentence and actor models are fitted (needs
scikit-learn, the `train` extra). Deterministic: liblinear with a fixed seed over sorted features."""

from __future__ import annotations

from typing import Any

MIN_SENTENCES = 2  # a feature must occur in this many training rows to be learned
MIN_WEIGHT = 0.05  # smaller weights are dropped: they never move a decision and would bloat the file


def frequent(rows: list[list[str]]) -> list[dict[str, int]]:
    """Binary feature dicts without the features of a single training row: they only memorise it."""
    counts: dict[str, int] = {}
    for row in rows:
        for feature in set(row):
            counts[feature] = counts.get(feature, 0) + 1
    return [{f: 1 for f in row if counts[f] >= MIN_SENTENCES} for row in rows]


def design(rows: list[list[str]]) -> tuple[Any, list[str]]:
    """(the rows' binary matrix, its feature names) over the frequent features."""
    from sklearn.feature_extraction import DictVectorizer

    vectorizer = DictVectorizer(sort=True)
    matrix = vectorizer.fit_transform(frequent(rows)).tocsr()
    # liblinear takes 32-bit sparse indices only.
    matrix.indices = matrix.indices.astype("int32")
    matrix.indptr = matrix.indptr.astype("int32")
    return matrix, [str(name) for name in vectorizer.get_feature_names_out()]


def logistic_fit(
    matrix: Any, names: list[str], target: list[int], c: float, digits: int
) -> tuple[float, dict[str, float]]:
    """(bias, the weights of at least MIN_WEIGHT by feature, sorted, rounded to digits) of an L2 logistic regression."""
    from sklearn.linear_model import LogisticRegression

    classifier = LogisticRegression(C=c, solver="liblinear", max_iter=1000, random_state=0)
    classifier.fit(matrix, target)
    weights = {names[i]: round(float(w), digits) for i, w in enumerate(classifier.coef_[0]) if abs(w) >= MIN_WEIGHT}
    return round(float(classifier.intercept_[0]), 4), dict(sorted(weights.items()))
