"""The extraction compiled with mypyc (`make compile`) beside the same sources interpreted: same events, CPU per article.

`make compile` builds C extension modules beside the sources of streams/extraction (setup.py with
NEWSEVENTS_COMPILE=1; the modules compiled are named in streams/extraction/build_stamp.py). Python imports an
extension module before the `.py` file of the same name, so the interpreted side runs in a subprocess whose import
system reads that package from its sources only (`interpreted_only()`); everything else is the same process setup.

1. the events of both sides over a sample (the project's article sets and sample articles, and the first
   `--pool-lines` articles of each train-pool file when ../shared is there): they must be identical;
2. CPU µs per article of `Extractor.extract` over the end-to-end workload (`bench.endtoend.workload()`), both sides
   alternately, `--pairs` times, each the median of three passes after a warm-up pass.

    make compile && python -m bench.compiled [--pairs N] [--pool-lines N]

tests/unit/extraction/test_compiled_build.py runs step 1 whenever a compiled build is present (and CI builds one).
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.machinery
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import orjson

from bench.common import CORPUS_DIR, PROJECT_ROOT

PACKAGE_DIR = PROJECT_ROOT / "streams" / "extraction"
TRAIN_POOL_DIR = CORPUS_DIR.parent / "train-pool"
# The project's own articles: every article set and the sample articles (no text from ../shared).
PROJECT_SAMPLES = ("tests/sets/*/*/*.jsonl", "fixtures/sample-articles.jsonl")

_TIMING = """
import statistics, time
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
_DIGESTS = "import json, sys; from bench.compiled import side_report; print(json.dumps(side_report(int(sys.argv[1]))))"
_INTERPRETED_FIRST = "from bench.compiled import interpreted_only; interpreted_only()\n"


def interpreted_only(package_dir: Path = PACKAGE_DIR) -> None:
    """From now on this process imports streams/extraction (or package_dir) from its `.py` sources, whatever
    extension modules lie beside them (call it before the package is imported)."""
    from streams.dataset import sources_only  # (which reads the extraction from its sources too)

    sources_only(package_dir)


def sample_files(pool_lines: int) -> list[tuple[Path, int | None]]:
    """(file, articles to read or None for all): the project's sets whole, the train pool's files' first lines."""
    files: list[tuple[Path, int | None]] = [
        (path, None) for pattern in PROJECT_SAMPLES for path in sorted(PROJECT_ROOT.glob(pattern))
    ]
    if pool_lines > 0:
        files += [(path, pool_lines) for path in sorted(TRAIN_POOL_DIR.glob("*.jsonl"))]
    return files


def _articles(path: Path, limit: int | None) -> Iterator[tuple[str, dict[str, object]]]:
    with path.open("rb") as handle:
        for number, line in enumerate(handle):
            if limit is not None and number >= limit:
                return
            if line.strip():
                row = orjson.loads(line)
                yield f"{'/'.join(path.parts[-3:])}:{number}", row


def sample_digests(pool_lines: int) -> dict[str, str]:
    """article key -> SHA-256 of its extraction result (lang, supported, every event's fields)."""
    from schemas import Article
    from streams.extraction import extract

    out: dict[str, str] = {}
    for path, limit in sample_files(pool_lines):
        for key, row in _articles(path, limit):
            text = str(row.get("text") or row.get("title") or "")
            if not text.strip():
                continue
            lang = row.get("lang")
            title = row.get("title")
            article = Article(
                id=str(row["id"]),
                text=text,
                lang=lang if isinstance(lang, str) else None,
                title=title if isinstance(title, str) else None,
            )
            result = extract(article)
            dumped = [result.lang, result.supported, [event.model_dump(mode="json") for event in result.events]]
            out[key] = hashlib.sha256(orjson.dumps(dumped)).hexdigest()
    return out


def extension_modules() -> list[str]:
    """The modules of streams.extraction imported so far from compiled extension modules, sorted."""
    return sorted(
        name.rsplit(".", 1)[-1]
        for name, module in list(sys.modules.items())
        if name.startswith("streams.extraction.")
        and isinstance(getattr(module, "__loader__", None), importlib.machinery.ExtensionFileLoader)
    )


def side_report(pool_lines: int) -> dict[str, object]:
    """What one side printed: its sample digests, and which modules it ran compiled."""
    digests = sample_digests(pool_lines)
    return {"digests": digests, "extension_modules": extension_modules()}


def _python(code: str, *args: str, interpreted: bool) -> str:
    env = {**os.environ, "NEWSEVENTS_BENCH_CORPUS": str(CORPUS_DIR)}
    env.pop("NEWSEVENTS_REQUIRE_COMPILED", None)  # the interpreted side is interpreted on purpose
    script = (_INTERPRETED_FIRST if interpreted else "") + code
    command = [sys.executable, "-c", script, *args]
    return subprocess.run(command, cwd=PROJECT_ROOT, env=env, check=True, capture_output=True, text=True).stdout


def side_digests(pool_lines: int, *, interpreted: bool) -> tuple[dict[str, str], list[str]]:
    """sample_digests in a fresh process, compiled (as the tree is built) or from the sources, and the modules of
    the package that this process ran compiled."""
    report = json.loads(_python(_DIGESTS, str(pool_lines), interpreted=interpreted).strip().splitlines()[-1])
    return dict(report["digests"]), list(report["extension_modules"])


def extract_cpu(*, interpreted: bool) -> float:
    """CPU µs per article of Extractor.extract over the end-to-end workload, compiled or from the sources."""
    return float(_python(_TIMING, interpreted=interpreted).strip().splitlines()[-1])


def differences(compiled: dict[str, str], interpreted: dict[str, str]) -> list[str]:
    """The article keys whose results differ (or that one side lacks), sorted."""
    return sorted(key for key in compiled.keys() | interpreted.keys() if compiled.get(key) != interpreted.get(key))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--pairs", type=int, default=3, help="alternating interpreted / compiled timings (default 3)")
    parser.add_argument("--pool-lines", type=int, default=500, help="train-pool articles per file (default 500)")
    args = parser.parse_args(argv)
    compiled, native = side_digests(args.pool_lines, interpreted=False)
    interpreted, leaked = side_digests(args.pool_lines, interpreted=True)
    if not native or leaked:
        parser.error(
            f"no compiled build in this tree (`make compile`), or it leaked into the interpreted side: {leaked}"
        )
    differing = differences(compiled, interpreted)
    print(
        f"{len(native)} modules compiled; {len(compiled)} articles; results differing: {len(differing)} {differing[:5]}"
    )
    for pair in range(1, args.pairs + 1):
        plain, fast = extract_cpu(interpreted=True), extract_cpu(interpreted=False)
        print(f"pair {pair}: interpreted {plain} µs, compiled {fast} µs per article")
    if differing:
        sys.exit(1)


if __name__ == "__main__":
    main()
