"""Adversarial text against the extractor: time grows linearly with the input, and the time budget bounds it."""

from __future__ import annotations

import gc
import math
import multiprocessing
import time
from concurrent.futures import ProcessPoolExecutor

import pytest

from schemas import Article
from streams.extraction import ExtractionTimeout, extract

pytestmark = pytest.mark.slow

# Each pattern is repeated up to the wanted size: the worst cases for sentence splitting, cue matching,
# number parsing and merging of repeated sentences into one event, in both shipped languages.
ADVERSARIAL: dict[str, tuple[str, str]] = {
    "short_sentences": ("Russia deployed troops to Kursk. ", "en"),
    "no_punctuation_de": ("Nordkorea schickt Soldaten nach Kursk und ", "de"),
    "one_cue_repeated": ("deployed ", "en"),
    "numbers": ("3,000 troops 12.500 Soldaten 40 000 1.5 million ", "en"),
    "rtl_and_zero_width": (
        "\u202eقوات \u200bروسيا\u200f נשלחו \u200d troops\u2066 deployed\u2069 to Kursk\u200b. ",
        "en",
    ),
    # Link headlines glued to the next sentence: a glue point ends a sentence (English), many sentences per line.
    "glued_headlines": ("as talks stallRussia deployed troops to Kursk and Britain sentMore troops ", "en"),
    "html_with_scripts": (
        "<script>var s='deployed troops to Kursk';</script><p>Russia deployed 3,000 troops to Kursk.</p>",
        "en",
    ),
}
SIZES = (50_000, 100_000, 200_000)
# Least-squares slope of log(time) over log(size): 1 is linear, 2 quadratic. The margin absorbs timing noise
# (linear code measures 1.0-1.15 here); a quadratic step of a fraction of a microsecond per pair of sentences
# already shows up as 1.4 or more at these sizes.
MAX_GROWTH_EXPONENT = 1.3
# The budget must hold whatever the size: sizes around the one whose analysis just fits the budget are where
# unbudgeted work after the analysis (merging, building events) would show.
TIME_BUDGET_SECONDS = 0.5
BUDGET_OVERRUN_SECONDS = 1.0
BUDGET_SIZES = (60_000, 120_000, 1_000_000)


def adversarial_article(name: str, size: int) -> Article:
    pattern, lang = ADVERSARIAL[name]
    return Article(id=f"adversarial-{name}", text=(pattern * (size // len(pattern) + 1))[:size], lang=lang)


def cpu_time(article: Article) -> float:
    started = time.process_time()
    extract(article)
    return time.process_time() - started


def timings_by_size(name: str, rounds: int = 5) -> list[float]:
    """The fastest CPU time per size of SIZES over a few rounds. Each round times every size once, so a burst of other
    work on the machine (the two cores share their caches) slows one round of each size rather than every run of one
    size, and the fastest round still shows the extractor's own growth. The garbage collector stays off while
    timing: its collections would count the objects alive, not the extractor's work."""
    extract(adversarial_article(name, 1_000))  # lexicons and detectors load once, outside the measurement
    articles = [adversarial_article(name, size) for size in SIZES]
    best = [math.inf] * len(SIZES)
    gc.collect()
    gc.disable()
    try:
        for _ in range(rounds):
            for index, article in enumerate(articles):
                best[index] = min(best[index], cpu_time(article))
    finally:
        gc.enable()
    return best


def growth_exponent(sizes: tuple[int, ...], seconds: list[float]) -> float:
    xs = [math.log(size) for size in sizes]
    ys = [math.log(max(value, 1e-6)) for value in seconds]
    mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
    return sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / sum((x - mean_x) ** 2 for x in xs)


def test_growth_exponent_tells_linear_from_quadratic() -> None:
    assert growth_exponent(SIZES, [size * 1e-6 for size in SIZES]) == pytest.approx(1.0)
    assert growth_exponent(SIZES, [size**2 * 1e-10 for size in SIZES]) == pytest.approx(2.0)


@pytest.mark.parametrize("name", sorted(ADVERSARIAL))
def test_extraction_time_grows_linearly_with_input_size(name: str) -> None:
    # Timed in a fresh process, in interleaved rounds: in two full CI runs the 200k-char size measured 390 ms where it
    # takes 220 ms alone (exponent 1.4 instead of 1.0), with earlier tests' brokers and state around.
    with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn")) as fresh:
        seconds = fresh.submit(timings_by_size, name).result(timeout=300)
    exponent = growth_exponent(SIZES, seconds)
    timings = ", ".join(
        f"{size // 1000}k chars: {value * 1000:.0f} ms" for size, value in zip(SIZES, seconds, strict=True)
    )
    assert exponent < MAX_GROWTH_EXPONENT, f"{name}: {timings} -> growth exponent {exponent:.2f}"


@pytest.mark.parametrize("name", sorted(ADVERSARIAL))
def test_the_time_budget_bounds_adversarial_text_of_any_size(name: str) -> None:
    overruns = []
    for size in BUDGET_SIZES:
        started = time.perf_counter()
        try:
            extract(adversarial_article(name, size), time_budget_seconds=TIME_BUDGET_SECONDS)
        except ExtractionTimeout:
            pass
        elapsed = time.perf_counter() - started
        if elapsed > TIME_BUDGET_SECONDS + BUDGET_OVERRUN_SECONDS:
            overruns.append(f"{size // 1000}k chars: {elapsed:.2f}s")
    assert not overruns, f"{name} with a {TIME_BUDGET_SECONDS}s budget: {overruns}"
