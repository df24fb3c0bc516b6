"""Grafana provisioning and dashboards: valid JSON, consistent wiring, and queries promtool can parse over real series."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from support.ops_files import (
    COMPOSE_FILE,
    DASHBOARD_FILES,
    GRAFANA_DIR,
    SCRAPE_JOB,
    dashboard_panels,
    dashboard_queries,
    family_of,
    known_series,
    load_dashboard,
    load_yaml,
    metric_families,
    promql_names,
    substitute_grafana_variables,
    unknown_names,
    worker_series_in,
)

DATASOURCES = GRAFANA_DIR / "provisioning" / "datasources" / "prometheus.yml"
PROVIDERS = GRAFANA_DIR / "provisioning" / "dashboards" / "newsevents.yml"
GRID_WIDTH = 24


@pytest.fixture(scope="module", params=DASHBOARD_FILES, ids=lambda path: path.name)
def dashboard(request: pytest.FixtureRequest) -> dict[str, Any]:
    return load_dashboard(request.param)


def datasource_uid() -> str:
    (datasource,) = load_yaml(DATASOURCES)["datasources"]
    assert datasource["type"] == "prometheus"
    return datasource["uid"]


def test_there_is_a_dashboard() -> None:
    assert [path.name for path in DASHBOARD_FILES] == ["newsevents.json"]


def test_datasource_points_at_the_compose_prometheus() -> None:
    (datasource,) = load_yaml(DATASOURCES)["datasources"]
    compose = load_yaml(COMPOSE_FILE)
    assert datasource["url"] == "http://prometheus:9090"
    assert "prometheus" in compose["services"]
    assert datasource["access"] == "proxy" and datasource["isDefault"] is True


def test_dashboard_provider_reads_the_directory_compose_mounts() -> None:
    (provider,) = load_yaml(PROVIDERS)["providers"]
    mounts = load_yaml(COMPOSE_FILE)["services"]["grafana"]["volumes"]
    sources = {target.split(":")[0]: target.split(":")[1] for target in mounts if target.startswith("./")}
    assert sources["./deploy/grafana/dashboards"] == provider["options"]["path"]
    assert sources["./deploy/grafana/provisioning"] == "/etc/grafana/provisioning"


def test_dashboard_identity(dashboard: dict[str, Any]) -> None:
    assert dashboard["uid"] and len(dashboard["uid"]) <= 40  # Grafana's limit for dashboard uids
    assert dashboard["title"]
    assert isinstance(dashboard["schemaVersion"], int) and dashboard["schemaVersion"] >= 36


def test_panels_have_unique_ids_and_fit_the_grid_without_overlap(dashboard: dict[str, Any]) -> None:
    panels = list(dashboard_panels(dashboard))
    ids = [panel["id"] for panel in panels]
    assert len(ids) == len(set(ids))
    occupied: dict[tuple[int, int], str] = {}
    for panel in panels:
        grid = panel["gridPos"]
        assert 0 <= grid["x"] and grid["x"] + grid["w"] <= GRID_WIDTH, panel["title"]
        for x in range(grid["x"], grid["x"] + grid["w"]):
            for y in range(grid["y"], grid["y"] + grid["h"]):
                assert (x, y) not in occupied, f"{panel['title']!r} overlaps {occupied[(x, y)]!r}"
                occupied[(x, y)] = panel["title"]


def test_every_query_uses_the_provisioned_datasource(dashboard: dict[str, Any]) -> None:
    uid = datasource_uid()
    for panel in dashboard_panels(dashboard):
        if panel["type"] == "row":
            continue
        assert panel["datasource"] == {"type": "prometheus", "uid": uid}, panel["title"]
        for target in panel["targets"]:
            assert target.get("datasource", panel["datasource"]) == panel["datasource"], panel["title"]
    for variable in dashboard["templating"]["list"]:
        if variable["type"] == "query":
            assert variable["datasource"]["uid"] == uid


def test_queries_name_only_existing_series_and_labels(dashboard: dict[str, Any]) -> None:
    assert unknown_names(dashboard_queries(dashboard)) == []


def test_queries_select_the_scrape_job(dashboard: dict[str, Any]) -> None:
    for title, expr in dashboard_queries(dashboard):
        assert f'job="{SCRAPE_JOB}"' in expr, f"{title}: {expr}"


def test_legends_use_labels_the_query_keeps(dashboard: dict[str, Any]) -> None:
    known = known_series()
    for panel in dashboard_panels(dashboard):
        for target in panel.get("targets", []):
            legend_labels = set(re.findall(r"\{\{\s*(\w+)\s*\}\}", target.get("legendFormat", "")))
            grouping = set(re.findall(r"\bby\s*\(([^)]*)\)", target["expr"]))
            kept = {label.strip() for group in grouping for label in group.split(",")}
            if not kept:  # no aggregation: the series keep all their labels
                kept = set().union(*(known[name] for name in promql_names(target["expr"]).metrics))
            assert legend_labels <= kept, f"{panel['title']}: legend {legend_labels - kept} not in the result"


def test_dashboard_shows_every_metric_the_worker_exports(dashboard: dict[str, Any]) -> None:
    shown = {family_of(name) for name in worker_series_in(dashboard_queries(dashboard))}
    assert shown == set(metric_families())


def test_dashboard_has_the_panels_operators_need(dashboard: dict[str, Any]) -> None:
    by_title = {panel["title"]: panel for panel in dashboard_panels(dashboard)}
    expressions = " ".join(expr for _, expr in dashboard_queries(dashboard))
    for needed in ("by (type)", "by (lang)", "by (reason)", "by (partition)"):
        assert needed in expressions, f"no panel groups {needed}"
    quantiles = {float(q) for q in re.findall(r"histogram_quantile\(([0-9.]+)", expressions)}
    assert {0.5, 0.95, 0.99} <= quantiles
    assert any("lag" in title.lower() for title in by_title)
    assert any("up" in title.lower() for title in by_title)


def test_promtool_parses_every_dashboard_query(promtool: str, dashboard: dict[str, Any], tmp_path: Path) -> None:
    # promtool has no "parse this expression" command, but `check rules` parses each recording rule's expr
    # with Prometheus' own parser: wrap the dashboard queries as rules.
    queries = dashboard_queries(dashboard)
    rules = [
        {"record": f"dashboard:query_{index}", "expr": substitute_grafana_variables(expr)}
        for index, (_, expr) in enumerate(queries)
    ]
    path = tmp_path / "dashboard-queries.rules.yml"
    path.write_text(yaml.safe_dump({"groups": [{"name": "dashboard", "rules": rules}]}))
    result = subprocess.run([promtool, "check", "rules", str(path)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"SUCCESS: {len(rules)} rules found" in result.stdout
