"""The latest figures of bench/reports/*.json as one Markdown table (for the README and docs/performance.md)."""

from __future__ import annotations

from typing import Any

import orjson

from bench.common import REPORTS_DIR


def _load(name: str) -> dict[str, Any] | None:
    path = REPORTS_DIR / f"{name}.json"
    return orjson.loads(path.read_bytes()) if path.is_file() else None


def rows() -> list[tuple[str, str, str, str]]:
    """(benchmark, measured, target, verdict) for every report present."""
    out = []
    if extractor := _load("extractor"):
        for lang, r in extractor["languages"].items():
            out.append(
                (
                    f"extractor, {lang}, one core",
                    f"{r['articles_per_second']:,.0f} articles/s ({r['mb_per_second']:.2f} MB/s, "
                    f"p50 {r['p50_ms']:.2f} ms, p99 {r['p99_ms']:.2f} ms)",
                    f">= {r['target_articles_per_second']:,}",
                    r["target"],
                )
            )
    if e2e := _load("endtoend"):
        p, a, b, ratio = e2e["pipeline"], e2e["noop_worker"], e2e["raw_aiokafka_loop"], e2e["ratios"]
        out.append(
            (
                "end to end: pipeline",
                f"{p['articles_per_second']:,.0f} articles/s ({p['articles_per_worker_cpu_second']:,.0f} per worker CPU s)",
                "",
                "",
            )
        )
        out.append(
            (
                "(a) no-op Faust worker",
                f"{a['articles_per_second']:,.0f} articles/s ({a['articles_per_worker_cpu_second']:,.0f} per worker CPU s)",
                "",
                "",
            )
        )
        out.append(
            (
                "(b) raw aiokafka loop",
                f"{b['articles_per_second']:,.0f} articles/s ({b['articles_per_loop_cpu_second']:,.0f} per loop CPU s)",
                "",
                "",
            )
        )
        out.append(
            (
                "pipeline / (a)",
                f"{ratio['pipeline_vs_noop']:.2f} wall clock; {ratio['cpu_efficiency_pipeline_vs_noop']:.2f} per CPU second",
                f">= {ratio['target_vs_noop']}",
                f"{ratio['verdict_vs_noop']}; per CPU s {ratio['verdict_cpu_efficiency_vs_noop']}",
            )
        )
        if "target_vs_noop_issue_10" in ratio:  # reports before it was recorded name only the benchmark's own target
            out.append(
                (
                    "pipeline / (a), issue 10",
                    "(the same ratios)",
                    f">= {ratio['target_vs_noop_issue_10']}",
                    f"{ratio['verdict_vs_noop_issue_10']}; per CPU s {ratio['verdict_cpu_efficiency_vs_noop_issue_10']}",
                )
            )
        out.append(
            (
                "pipeline / (b)",
                f"{ratio['pipeline_vs_raw']:.2f} wall clock; {ratio['cpu_efficiency_pipeline_vs_raw']:.2f} per CPU second",
                f">= {ratio['target_vs_raw']}",
                f"{ratio['verdict_vs_raw']}; per CPU s {ratio['verdict_cpu_efficiency_vs_raw']}",
            )
        )
    if latency := _load("latency"):
        loads = (
            ("half_load", f"p99 <= {latency['target_p99_ms']:.0f} ms"),
            ("light_load", ""),
            ("joining_at_half_load", ""),
        )
        for load, target in loads:
            if load not in latency:
                continue  # reports from before the joining scenario existed
            r = latency[load]
            event, outcome = r["ingest_to_event"], r["ingest_to_outcome"]
            out.append(
                (
                    f"latency at {r['feed']['messages_per_second']:,.0f} articles/s ({load.replace('_', ' ')})",
                    f"ingest->event p50 {event.get('p50_ms', float('nan')):,.0f} / p95 {event.get('p95_ms', float('nan')):,.0f} / "
                    f"p99 {event.get('p99_ms', float('nan')):,.0f} ms (ingest->outcome p99 {outcome['p99_ms']:,.0f} ms)",
                    target,
                    latency["verdict"] if target else "",
                )
            )
    if memory := _load("memory"):
        rss = memory["rss_mib"]
        out.append(
            (
                f"memory soak, {memory['articles']:,} articles",
                f"RSS {rss['start']:.0f} -> {rss['after_warm_up']:.0f} (warm) -> "
                f"{rss['end']:.0f} MiB, {memory['growth_after_warm_up']:+.1%}",
                f"<= {memory['target_growth']:.0%}",
                memory["verdict"],
            )
        )
    if scale := _load("scaleout"):
        one, two = scale["one_worker"], scale["two_workers"]
        out.append(
            (
                "scale-out, 4 partitions",
                f"1 worker {one['articles_per_second']:,.0f} articles/s, {one['cpu_seconds_total']:.1f} CPU s; "
                f"2 workers {two['articles_per_second']:,.0f} articles/s, {two['cpu_seconds_total']:.1f} CPU s (x{scale['speed_up']:.2f})",
                "",
                "",
            )
        )
    return out


def machine_line() -> str:
    for name in ("suite", "endtoend", "extractor"):
        if report := _load(name):
            m = report["machine"]
            return (
                f"{m['cpu_model']}, {m['cores']} cores, {m['memory_gib']} GiB; Python {m['python']}, Kafka {m['kafka']}, "
                f"faust-streaming {m['faust_streaming']}, aiokafka {m['aiokafka']}; load average at the end "
                f"{m['load_average_at_end']}; {report['finished_at']}"
            )
    return "no reports yet"


def markdown() -> str:
    lines = ["| benchmark | measured | target | |", "|---|---|---|---|"]
    lines += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows()]
    return "\n".join(lines) + f"\n\nMachine: {machine_line()}"


if __name__ == "__main__":
    print(markdown())
