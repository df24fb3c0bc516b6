"""Word clusters from unlabelled text (PPMI co-occurrence, truncated SVD, k-means): distributional word knowledge for
the sentence classifier, learned from the train pool without its test split."""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy

_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class ClusterParams:
    min_count: int = 10  # a word seen fewer times has too little context to place
    max_words: int = 30000  # the most frequent words only (memory and time)
    window: int = 4  # words either side that count as context (2, all words as contexts: noisy neighbours)
    dimensions: int = 100
    clusters: int = 1024  # 512 and 2048 did no better on dev (docs/real-news.md)
    max_contexts: int = 5000  # context words: the most frequent only (a denser, better estimated matrix)
    smoothing: float = 0.75  # context distribution smoothing of PPMI (rare contexts otherwise dominate)
    seed: int = 0


def tokenize(text: str) -> list[str]:
    """The lowercased words of a text, as the sentence features see them."""
    return _WORD.findall(text.lower())


def vocabulary(documents: Iterable[list[str]], params: ClusterParams) -> list[str]:
    """The words to cluster: frequent enough, most frequent first (ties by spelling, so the order is stable)."""
    counts: Counter[str] = Counter()
    for words in documents:
        counts.update(words)
    frequent = (w for w, n in counts.items() if n >= params.min_count and not w.isdigit())
    ranked = sorted(frequent, key=lambda w: (-counts[w], w))
    return ranked[: params.max_words]


def word_vectors(documents: list[list[str]], words: list[str], params: ClusterParams) -> numpy.ndarray:
    """One row per word: the truncated SVD of its positive PMI with the words around it (both sides, up to the
    window), scaled by the square root of the singular values and normalised to unit length."""
    import numpy as np
    from scipy import sparse
    from sklearn.decomposition import TruncatedSVD

    index = {w: i for i, w in enumerate(words)}
    size = len(words)
    rows: list[numpy.ndarray] = []
    cols: list[numpy.ndarray] = []
    for doc in documents:
        ids = np.fromiter((index.get(w, -1) for w in doc), dtype=np.int64, count=len(doc))
        for gap in range(1, params.window + 1):
            left, right = ids[:-gap], ids[gap:]
            keep = (left >= 0) & (right >= 0) & (right < params.max_contexts)
            rows.append(left[keep])
            cols.append(right[keep])
            keep = (left >= 0) & (right >= 0) & (left < params.max_contexts)
            rows.append(right[keep])
            cols.append(left[keep])
    r = np.concatenate(rows) if rows else np.zeros(0, dtype=np.int64)
    c = np.concatenate(cols) if cols else np.zeros(0, dtype=np.int64)
    counts = sparse.coo_matrix((np.ones(len(r), dtype=np.float64), (r, c)), shape=(size, size)).tocsr()
    counts.sum_duplicates()
    total = counts.sum()
    word_totals = np.asarray(counts.sum(axis=1)).ravel()
    context_totals = np.asarray(counts.sum(axis=0)).ravel() ** params.smoothing
    context_share = context_totals / context_totals.sum()
    coo = counts.tocoo()
    pmi = np.log((coo.data / total) / ((word_totals[coo.row] / total) * context_share[coo.col]))
    keep = pmi > 0
    ppmi = sparse.csr_matrix((pmi[keep], (coo.row[keep], coo.col[keep])), shape=(size, size))
    dimensions = min(params.dimensions, size - 1)
    svd = TruncatedSVD(n_components=dimensions, algorithm="randomized", n_iter=7, random_state=params.seed)
    vectors = svd.fit_transform(ppmi) / np.sqrt(np.maximum(svd.singular_values_, 1e-12))
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(norms, 1e-12)


def cluster_words(documents: list[list[str]], params: ClusterParams) -> dict[str, int]:
    """Each frequent word's cluster id (0 .. clusters-1, numbered by the cluster's most frequent word, so that ids
    are stable across runs). Deterministic: fixed seeds, one k-means start."""
    import numpy as np
    from sklearn.cluster import KMeans

    words = vocabulary(documents, params)
    if len(words) < 2:
        return {}
    vectors = word_vectors(documents, words, params)
    k = min(params.clusters, len(words))
    labels = KMeans(n_clusters=k, n_init=1, random_state=params.seed, max_iter=100).fit_predict(vectors)
    # Renumber by first appearance in frequency order: cluster 0 holds the most frequent word.
    renumber: dict[int, int] = {}
    for label in labels:
        renumber.setdefault(int(label), len(renumber))
    return {w: renumber[int(label)] for w, label in zip(words, np.asarray(labels), strict=True)}


# Chosen on dev sentence-level average precision (docs/real-news.md, "Tenth session: distributional features").
PARAMS = {"de": ClusterParams(), "en": ClusterParams()}


def pool_documents(lang: str) -> list[list[str]]:
    """The words of every train-pool record of the language outside the test split (title and text)."""
    from .pool import read_records
    from .splits import split_of

    return [
        tokenize(f"{record.title or ''}\n{record.text}")
        for record in read_records(lang)
        if split_of(record.id) != "test"
    ]


def cluster_file(lang: str, documents: list[list[str]], params: ClusterParams) -> dict:
    """The cluster map as the runtime reads it (streams.extraction.learned.load_clusters), with how it was made."""
    from streams.extraction.learned import CLUSTERS_FORMAT

    clusters = cluster_words(documents, params)
    return {
        "format": CLUSTERS_FORMAT,
        "lang": lang,
        "params": asdict(params),
        "built_from": {"records": len(documents), "words": sum(map(len, documents)), "splits": ["train", "dev"]},
        "clusters": dict(sorted(clusters.items())),
    }


def main(argv: list[str] | None = None) -> int:
    from streams.extraction.learned import MODEL_DIR, clusters_path

    parser = argparse.ArgumentParser(prog="python -m streams.dataset.clusters", description=__doc__)
    parser.add_argument("--lang", choices=sorted(PARAMS), action="append")
    parser.add_argument("--out", type=Path, default=MODEL_DIR)
    args = parser.parse_args(argv)
    for lang in args.lang or sorted(PARAMS):
        payload = cluster_file(lang, pool_documents(lang), PARAMS[lang])
        path = clusters_path(lang, args.out)
        path.write_text(json.dumps(payload, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
        summary = {"lang": lang, "path": str(path), "clustered": len(payload["clusters"]), **payload["built_from"]}
        print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
