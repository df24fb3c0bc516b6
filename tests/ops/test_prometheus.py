"""Prometheus configs, recording and alert rules, and their unit tests, checked by the real promtool."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from support.ops_files import (
    PROMETHEUS_CONFIGS,
    REQUIRED_ALERTS,
    RULE_TESTS,
    RULES_FILE,
    SCRAPE_JOB,
    alert_names,
    exported_series,
    family_of,
    load_yaml,
    rule_expressions,
    rules,
    unknown_names,
    worker_series_in,
)


def run_promtool(promtool: str, *args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([promtool, *map(str, args)], capture_output=True, text=True, timeout=120)


def test_promtool_is_the_expected_generation(promtool_version: str) -> None:
    # The rule syntax used here needs Prometheus 2.x or later; Debian bookworm ships 2.42.
    assert promtool_version.startswith("promtool, version "), promtool_version
    major = int(promtool_version.split()[2].split(".")[0])
    assert major >= 2, promtool_version


@pytest.mark.parametrize("config", PROMETHEUS_CONFIGS, ids=lambda path: path.name)
def test_promtool_check_config(promtool: str, config: Path) -> None:
    result = run_promtool(promtool, "check", "config", config)
    assert result.returncode == 0, result.stdout + result.stderr
    # A rule_files glob that matches nothing passes `check config` silently: insist that the rules were loaded.
    assert f"Checking {RULES_FILE}" in result.stdout + result.stderr


def test_there_is_a_compose_and_a_kubernetes_config() -> None:
    assert {path.name for path in PROMETHEUS_CONFIGS} >= {"prometheus.yml", "prometheus-kubernetes.yml"}


@pytest.mark.parametrize("config", PROMETHEUS_CONFIGS, ids=lambda path: path.name)
def test_configs_scrape_the_job_the_rules_select(config: Path) -> None:
    jobs = {job["job_name"]: job for job in load_yaml(config)["scrape_configs"]}
    assert SCRAPE_JOB in jobs
    assert jobs[SCRAPE_JOB].get("metrics_path", "/metrics") == "/metrics"


def test_promtool_check_rules(promtool: str) -> None:
    result = run_promtool(promtool, "check", "rules", RULES_FILE)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "SUCCESS" in result.stdout


def test_promtool_test_rules(promtool: str) -> None:
    assert RULE_TESTS, "no promtool unit tests under deploy/prometheus/tests/"
    result = run_promtool(promtool, "test", "rules", *RULE_TESTS)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_required_alerts_exist_with_severity_and_summary() -> None:
    assert alert_names() >= REQUIRED_ALERTS
    for rule in rules():
        if "alert" in rule:
            assert rule["labels"]["severity"] in {"critical", "warning", "info"}, rule["alert"]
            assert rule["annotations"].get("summary") and rule["annotations"].get("description"), rule["alert"]
            assert "for" in rule, f"{rule['alert']} fires on a single evaluation; give it a `for:` duration"


def test_every_alert_has_a_firing_and_a_silent_unit_test() -> None:
    firing: set[str] = set()
    silent: set[str] = set()
    for path in RULE_TESTS:
        for case in load_yaml(path)["tests"]:
            for check in case.get("alert_rule_test", []):
                (firing if check.get("exp_alerts") else silent).add(check["alertname"])
    assert alert_names() - firing == set(), "alerts without a test in which they fire"
    assert alert_names() - silent == set(), "alerts without a test in which they stay silent"


def test_rules_use_only_series_and_labels_that_exist() -> None:
    assert unknown_names(rule_expressions()) == []


def test_rules_select_the_scrape_job() -> None:
    for name, expr in rule_expressions():
        if "newsevents_" in expr or "up{" in expr:
            assert f'job="{SCRAPE_JOB}"' in expr, f"{name} does not select job={SCRAPE_JOB}: {expr}"


def test_alerts_watch_every_signal_the_issue_names() -> None:
    families = {family_of(name) for name in worker_series_in(rule_expressions())}
    assert families >= {
        "newsevents_worker_up",
        "newsevents_consumer_lag_messages",
        "newsevents_dead_letters",
        "newsevents_articles_consumed",
        "newsevents_events_emitted",
        "newsevents_ingest_to_event_latency_seconds",
    }
    assert worker_series_in(rule_expressions()) <= exported_series().keys()


def test_every_alert_is_documented_for_operators() -> None:
    readme = (RULES_FILE.parents[2] / "README.md").read_text()
    undocumented = sorted(name for name in alert_names() if f"| {name} |" not in readme)
    assert undocumented == [], "add them to the Alerts table of deploy/README.md"
