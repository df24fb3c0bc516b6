"""The extraction compiled to C with mypyc, beside the same code interpreted: same events, CPU per article.

Issue 10 asks for about 45 % less extraction CPU with identical output, and the extraction is flat (no stage holds
a fifth of it; see docs/performance.md). mypyc (shipped with mypy, which the project runs with --strict) compiles
the type-annotated modules of streams/extraction to C extension modules without any change of what they compute.
This benchmark measures what that is worth, without touching the working tree (which must be clean: HEAD is
what it compiles, the working tree what it runs interpreted):

1. `git archive HEAD` into a temporary folder, and mypyc over every module of streams/extraction except the
   package's `__init__` and the modules holding pydantic models (mypyc compiles no pydantic metaclass), in place;
2. `bench.events_digest` in the compiled copy and in the interpreted one: the digests must be equal;
3. CPU µs per article of `Extractor.extract` over the end-to-end workload (`bench.endtoend.workload()`), both
   copies alternately, `--pairs` times, each the median of three passes after a warm-up pass.

    python -m bench.compiled [--pairs N] [--keep DIR]

Building takes 4-6 minutes on two loaded cores (gcc over ~9,000 lines of Python).
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.common import CORPUS_DIR, PROJECT_ROOT

PACKAGE = Path("streams/extraction")
# Not compiled: the package's entry (it must stay importable as a plain package) and the pydantic models.
INTERPRETED = re.compile(r"__init__\.py$|anchors\.py$|lexicon_(?:clauses|passive|referring|schema|terms)\.py$")

_TIMING = """
import os, statistics, sys, time
sys.path.insert(0, os.getcwd())
from bench.worker_path import _extractor, messages
from schemas import Article
articles = [Article.model_validate_json(m.value or b"") for m in messages(21_000)]
extractor = _extractor()
for article in articles:
    extractor.extract(article)
passes = []
for _ in range(3):
    started = time.process_time()
    for article in articles:
        extractor.extract(article)
    passes.append((time.process_time() - started) / len(articles) * 1e6)
print(round(statistics.median(passes), 1))
"""


def compiled_modules(tree: Path) -> list[str]:
    return sorted(str(p.relative_to(tree)) for p in (tree / PACKAGE).glob("*.py") if not INTERPRETED.search(p.name))


def uncommitted(root: Path) -> list[str]:
    """The changed or untracked files under the code the two copies run (streams, schemas, bench): build() compiles
    HEAD while the interpreted side runs the working tree, so with any of them the two would time different code."""
    status = ["git", "status", "--porcelain", "--", "streams", "schemas", "bench"]
    return subprocess.run(status, cwd=root, check=True, capture_output=True, text=True).stdout.splitlines()


def build(tree: Path) -> None:
    """The project at HEAD in tree, its extraction modules compiled in place."""
    archive = subprocess.run(["git", "archive", "HEAD"], cwd=PROJECT_ROOT, check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(tree)], input=archive, check=True)
    mypyc = Path(sys.executable).with_name("mypyc")
    subprocess.run([str(mypyc), *compiled_modules(tree)], cwd=tree, check=True, capture_output=True)


def _run(tree: Path, args: list[str]) -> str:
    env = {**os.environ, "NEWSEVENTS_BENCH_CORPUS": str(CORPUS_DIR)}
    return subprocess.run([sys.executable, *args], cwd=tree, env=env, check=True, capture_output=True, text=True).stdout


def digest(tree: Path) -> str:
    """The events digest line ('all: ...') of bench.events_digest in tree."""
    return _run(tree, ["-m", "bench.events_digest"]).strip().splitlines()[-1]


def extract_cpu(tree: Path) -> float:
    """CPU µs per article of Extractor.extract over the end-to-end workload in tree."""
    return float(_run(tree, ["-c", _TIMING]).strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=3, help="alternating interpreted / compiled timings (default 3)")
    parser.add_argument("--keep", type=Path, help="build into this (empty) folder and keep it")
    args = parser.parse_args(argv)
    if changed := uncommitted(PROJECT_ROOT):
        parser.error(f"commit or drop the working tree's changes first (HEAD is what is compiled): {changed[:5]}")
    with tempfile.TemporaryDirectory() as scratch:
        tree = args.keep or Path(scratch)
        tree.mkdir(parents=True, exist_ok=True)
        build(tree)
        plain, fast = digest(PROJECT_ROOT), digest(tree)
        print(f"interpreted {plain}\ncompiled    {fast}\nequal: {plain.split()[1] == fast.split()[1]}")
        for pair in range(1, args.pairs + 1):
            interpreted, compiled = extract_cpu(PROJECT_ROOT), extract_cpu(tree)
            print(f"pair {pair}: interpreted {interpreted} µs, compiled {compiled} µs per article")


if __name__ == "__main__":
    main()
