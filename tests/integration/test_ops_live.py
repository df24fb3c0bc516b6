"""The monitoring stack against a live worker: its /metrics has every series the dashboard and rules use, and the
real Prometheus (Debian's package) scrapes it with our config and loads our rules."""

from __future__ import annotations

import json
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest
import yaml
from prometheus_client.parser import text_string_to_metric_families
from support.ops_files import (
    DASHBOARD_FILES,
    PROMETHEUS_DIR,
    REQUIRED_ALERTS,
    RULES_FILE,
    SCRAPE_JOB,
    dashboard_queries,
    load_dashboard,
    require_tool,
    rule_expressions,
    worker_series_in,
)

from streams.harness.feeding import article_bytes, produce
from streams.harness.processes import free_port
from streams.harness.reading import consume, metric_value
from streams.harness.worker import PROJECT_ROOT, WorkerProcess
from streams.settings import Settings

pytestmark = pytest.mark.integration

KURSK = PROJECT_ROOT / "fixtures" / "kursk-article.json"
SAMPLES = PROJECT_ROOT / "fixtures" / "sample-articles.jsonl"
MALFORMED = [b"{not json", b'{"id": "empty", "text": " "}']
SCRAPE_INTERVAL = "1s"


def articles() -> list[dict[str, Any]]:
    samples = [orjson.loads(line) for line in SAMPLES.read_bytes().splitlines() if line.strip()]
    return [orjson.loads(KURSK.read_bytes()), *samples]


@pytest.fixture
def busy_worker(
    pipeline_settings: Callable[..., Settings], start_worker: Callable[..., WorkerProcess]
) -> WorkerProcess:
    """A healthy worker that has processed articles (with events) and malformed messages, so every series exists."""
    settings = pipeline_settings()
    worker = start_worker(settings)
    fed = articles()
    produce(settings, [article_bytes(article) for article in fed] + MALFORMED)
    total = len(fed) + len(MALFORMED)
    outcomes = consume(settings, [settings.topic_processed], count=total, timeout=90)
    assert len(outcomes) == total, f"{len(outcomes)} of {total} outcomes\n{worker.log_tail()}"
    # The consumer-lag gauge is refreshed by a timer; wait for its first value.
    deadline = time.monotonic() + 30
    while "newsevents_consumer_lag_messages{" not in worker.metrics() and time.monotonic() < deadline:
        time.sleep(0.5)
    return worker


def live_series(worker: WorkerProcess) -> dict[str, set[frozenset[tuple[str, str]]]]:
    """Sample name -> label sets, parsed with prometheus-client's own exposition parser."""
    series: dict[str, set[frozenset[tuple[str, str]]]] = {}
    for family in text_string_to_metric_families(worker.metrics()):
        for sample in family.samples:
            series.setdefault(sample.name, set()).add(frozenset(sample.labels.items()))
    return series


def used_worker_series() -> frozenset[str]:
    queries = [query for path in DASHBOARD_FILES for query in dashboard_queries(load_dashboard(path))]
    return worker_series_in(queries) | worker_series_in(rule_expressions())


def test_every_series_of_the_dashboard_and_rules_is_on_the_live_metrics(busy_worker: WorkerProcess) -> None:
    live = live_series(busy_worker)
    used = used_worker_series()
    assert used, "the dashboard and the rules use no worker series"
    missing = sorted(used - live.keys())
    assert missing == [], f"used by dashboard/rules but not exported by the live worker: {missing}"
    # The labelled series carry the labels the panels group by.
    assert any(dict(labels).keys() >= {"type", "lang"} for labels in live["newsevents_events_emitted_total"])
    assert any("reason" in dict(labels) for labels in live["newsevents_dead_letters_total"])
    assert any("partition" in dict(labels) for labels in live["newsevents_consumer_lag_messages"])


# ----------------------------------------------------------------------------------------- real Prometheus


def http_json(url: str, timeout: float = 5.0) -> dict[str, Any]:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return json.loads(response.read())


def loopback_config(worker_port: int, tmp_path: Path) -> Path:
    """deploy/prometheus/prometheus.yml with the DNS discovery replaced by the worker's loopback address.

    Everything else (job name, metrics path, rule files) is the shipped config, so the test exercises it.
    """
    config = yaml.safe_load((PROMETHEUS_DIR / "prometheus.yml").read_text())
    config["global"].update(scrape_interval=SCRAPE_INTERVAL, evaluation_interval=SCRAPE_INTERVAL)
    jobs = [job for job in config["scrape_configs"] if job["job_name"] == SCRAPE_JOB]
    assert len(jobs) == 1
    job = jobs[0]
    job.pop("dns_sd_configs")
    job["static_configs"] = [{"targets": [f"127.0.0.1:{worker_port}"]}]
    config["scrape_configs"] = [job]
    config["rule_files"] = [str(PROMETHEUS_DIR / pattern) for pattern in config["rule_files"]]
    path = tmp_path / "prometheus.yml"
    path.write_text(yaml.safe_dump(config))
    return path


@pytest.fixture
def prometheus_for(tmp_path: Path) -> Iterator[Callable[[int], str]]:
    """start(worker_port) -> base URL of a real Prometheus on a free loopback port; stopped at teardown."""
    binary = require_tool("prometheus")
    processes: list[subprocess.Popen[bytes]] = []
    log_path = tmp_path / "prometheus.log"

    def start(worker_port: int) -> str:
        port = free_port()
        config = loopback_config(worker_port, tmp_path)
        log = log_path.open("ab")
        processes.append(
            subprocess.Popen(
                [
                    binary,
                    f"--config.file={config}",
                    f"--storage.tsdb.path={tmp_path / 'tsdb'}",
                    f"--web.listen-address=127.0.0.1:{port}",
                    "--storage.tsdb.retention.time=1h",
                ],
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        )
        log.close()
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if processes[-1].poll() is not None:
                pytest.fail(f"prometheus exited with {processes[-1].returncode}:\n{log_path.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(f"{url}/-/ready", timeout=2) as response:
                    if response.status == 200:
                        return url
            except (OSError, urllib.error.URLError):
                pass
            time.sleep(0.25)
        pytest.fail(f"prometheus not ready within 60 s:\n{log_path.read_text()[-3000:]}")

    yield start
    for process in processes:
        process.terminate()
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)


def query(url: str, promql: str) -> list[dict[str, Any]]:
    answer = http_json(f"{url}/api/v1/query?{urllib.parse.urlencode({'query': promql})}")
    assert answer["status"] == "success", answer
    return answer["data"]["result"]


def wait_for(description: str, probe: Callable[[], Any], timeout: float = 45.0) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = probe()
        if result:
            return result
        time.sleep(0.5)
    raise AssertionError(f"timed out after {timeout:.0f}s waiting for {description}")


def test_prometheus_scrapes_the_worker_and_loads_the_rules(
    busy_worker: WorkerProcess, prometheus_for: Callable[[int], str]
) -> None:
    port = busy_worker.settings.web_port
    url = prometheus_for(port)
    instance = f"127.0.0.1:{port}"

    targets = wait_for(
        "the worker target to be scraped",
        lambda: [t for t in http_json(f"{url}/api/v1/targets")["data"]["activeTargets"] if t["health"] == "up"],
    )
    assert [(t["labels"]["job"], t["labels"]["instance"]) for t in targets] == [(SCRAPE_JOB, instance)]

    consumed_on_worker = metric_value(busy_worker.metrics(), "newsevents_articles_consumed_total")
    assert consumed_on_worker == len(articles()) + len(MALFORMED)
    (series,) = wait_for(
        "newsevents_articles_consumed_total in Prometheus", lambda: query(url, "newsevents_articles_consumed_total")
    )
    assert series["metric"]["job"] == SCRAPE_JOB and series["metric"]["instance"] == instance
    assert float(series["value"][1]) == consumed_on_worker

    events = query(url, "sum by (type) (newsevents_events_emitted_total)")
    assert {item["metric"]["type"] for item in events} >= {"deployment"}, events
    assert query(url, 'newsevents_worker_up{job="newsevents"}')[0]["value"][1] == "1"

    # The rules file is loaded, every rule evaluates without error, and the recording rules produce series.
    def rule_groups() -> list[dict[str, Any]]:
        groups = http_json(f"{url}/api/v1/rules")["data"]["groups"]
        evaluated = all(rule.get("lastEvaluation", "").startswith("20") for group in groups for rule in group["rules"])
        return groups if groups and evaluated else []

    groups = wait_for("the rule groups to be evaluated", rule_groups)
    rules = [rule for group in groups for rule in group["rules"]]
    assert {group["file"] for group in groups} == {str(RULES_FILE)}
    assert {rule["name"] for rule in rules if rule["type"] == "alerting"} >= REQUIRED_ALERTS
    assert [(rule["name"], rule.get("lastError")) for rule in rules if rule["health"] != "ok"] == []
    lag = wait_for("the recorded group lag", lambda: query(url, "newsevents:consumer_lag_messages:sum"))
    assert float(lag[0]["value"][1]) == 0.0, "everything fed was consumed"

    # A healthy, scraped worker: the worker-down alert is neither pending nor firing. A rule evaluation that
    # ran before the first scrape sees absent(up) and marks it pending, so wait for an evaluation after it.
    def worker_down_alerts() -> list[dict[str, Any]]:
        alerts = http_json(f"{url}/api/v1/alerts")["data"]["alerts"]
        return [a for a in alerts if a["labels"]["alertname"] == "NewseventsWorkerDown"]

    wait_for("the worker-down alert to be clear", lambda: not worker_down_alerts())
    assert worker_down_alerts() == []
