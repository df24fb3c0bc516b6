"""The deployment files under test and what they refer to: metric and label names, PromQL queries, settings variables."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from streams.settings import Settings
from streams.worker.metrics import Metrics

REPO_ROOT = Path(__file__).resolve().parents[2]
DEPLOY = REPO_ROOT / "deploy"
DOCKERFILE = DEPLOY / "Dockerfile"
DOCKERIGNORE = REPO_ROOT / ".dockerignore"
COMPOSE_FILE = REPO_ROOT / "docker-compose.yml"
PROMETHEUS_DIR = DEPLOY / "prometheus"
PROMETHEUS_CONFIGS = sorted(PROMETHEUS_DIR.glob("prometheus*.yml"))
RULES_FILE = PROMETHEUS_DIR / "rules" / "newsevents.rules.yml"
RULE_TESTS = sorted((PROMETHEUS_DIR / "tests").glob("*.test.yml"))
GRAFANA_DIR = DEPLOY / "grafana"
DASHBOARD_FILES = sorted((GRAFANA_DIR / "dashboards").glob("*.json"))
K8S_DIR = DEPLOY / "k8s"
KAFKA_POM = DEPLOY / "kafka-local" / "pom.xml"

SCRAPE_JOB = "newsevents"
ENV_PREFIX = "NEWSEVENTS_"
# The five alerts the operations issue asks for; the rules file may add more, never fewer.
REQUIRED_ALERTS = frozenset(
    {
        "NewseventsWorkerDown",
        "NewseventsConsumerLagGrowing",
        "NewseventsDeadLetterRateHigh",
        "NewseventsNoEvents",
        "NewseventsLatencyP99High",
    }
)
# Series every Prometheus target has besides the worker's own (labels job and instance come from the scrape).
PROMETHEUS_BUILTIN_SERIES = {"up": frozenset()}
TARGET_LABELS = frozenset({"job", "instance"})

INSTALL_HINT = "run `make system-deps` (root or sudo; installs Debian's `prometheus` package with promtool)"


def require_tool(name: str) -> str:
    """Absolute path of a command the ops tests need; a missing one fails the test (never a silent skip)."""
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"`{name}` is not installed: {INSTALL_HINT}", pytrace=False)
    return path


def load_yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def load_yaml_documents(path: Path) -> list[Any]:
    return [document for document in yaml.safe_load_all(path.read_text(encoding="utf-8")) if document is not None]


# ------------------------------------------------------------------------------------------ settings


def settings_variables() -> frozenset[str]:
    """Every environment variable the Settings object reads: NEWSEVENTS_<FIELD>."""
    return frozenset(f"{ENV_PREFIX}{name.upper()}" for name in Settings.model_fields)


def settings_from_variables(variables: Mapping[str, str], monkeypatch: pytest.MonkeyPatch) -> Settings:
    """Build Settings exactly as a container would: from NEWSEVENTS_* variables only (host ones removed)."""
    import os

    for name in list(os.environ):
        if name.startswith(ENV_PREFIX):
            monkeypatch.delenv(name)
    for name, value in variables.items():
        monkeypatch.setenv(name, str(value))
    return Settings()


# ------------------------------------------------------------------------------------------ metrics


@dataclass(frozen=True)
class Series:
    """One series name the worker exports and the label names it carries."""

    name: str
    labels: frozenset[str]


@cache
def exported_series() -> dict[str, Series]:
    """Sample names (with _total, _bucket, ... suffixes) of streams/worker/metrics.py, each with its label names.

    Labelled metrics export nothing until a child exists, so one child of each is created with placeholder values.
    """
    metrics = Metrics()
    for metric in vars(metrics).values():
        labelnames = getattr(metric, "_labelnames", ())
        if labelnames:
            metric.labels(**{label: "x" for label in labelnames})
    series: dict[str, Series] = {}
    for family in metrics.registry.collect():
        for sample in family.samples:
            labels = frozenset(sample.labels)
            known = series.get(sample.name)
            series[sample.name] = Series(sample.name, labels | (known.labels if known else frozenset()))
    return series


@cache
def metric_families() -> frozenset[str]:
    """Family names as registered (counters without the _total suffix)."""
    return frozenset(family.name for family in Metrics().registry.collect())


# ------------------------------------------------------------------------------------------ PromQL

_PROMQL_KEYWORDS = frozenset(
    {
        "and",
        "or",
        "unless",
        "by",
        "without",
        "on",
        "ignoring",
        "group_left",
        "group_right",
        "offset",
        "bool",
        "inf",
        "nan",
    }
)
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'')
_MATCHERS = re.compile(r"\{([^{}]*)\}")
_GROUPING = re.compile(r"\b(by|without|on|ignoring|group_left|group_right)\s*\(([^()]*)\)")
_RANGE = re.compile(r"\[[^\]]*\]")
_IDENTIFIER = re.compile(r"(?<![\w:.])([A-Za-z_:][A-Za-z0-9_:]*)(?![\w:])")
_MATCHER_LABEL = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)\s*(?:=~|!~|!=|=)")
# Grafana's variables, replaced by values PromQL accepts so promtool can parse dashboard queries.
GRAFANA_SUBSTITUTIONS = {
    "$__rate_interval": "1m",
    "$__interval": "1m",
    "$__range": "1h",
    "$instance": ".*",
}


def substitute_grafana_variables(expr: str) -> str:
    for variable in sorted(GRAFANA_SUBSTITUTIONS, key=len, reverse=True):
        expr = expr.replace(variable, GRAFANA_SUBSTITUTIONS[variable])
    if "$" in expr:
        raise AssertionError(f"unknown Grafana variable in {expr!r}: add it to GRAFANA_SUBSTITUTIONS")
    return expr


@dataclass(frozen=True)
class QueryNames:
    """Metric names and label names a PromQL expression refers to."""

    metrics: frozenset[str]
    labels: frozenset[str]


def promql_names(expr: str) -> QueryNames:
    """Series names and label names in an expression (functions, keywords, strings and numbers excluded)."""
    text = _STRING.sub('""', expr)
    labels: set[str] = set()
    for match in _MATCHERS.finditer(text):
        labels.update(_MATCHER_LABEL.findall(match.group(1)))
    text = _MATCHERS.sub(" ", text)
    for match in _GROUPING.finditer(text):
        labels.update(part.strip() for part in match.group(2).split(",") if part.strip())
    text = _GROUPING.sub(" ", text)  # `sum by (x) (...)` then reads as the call `sum (...)`
    text = _RANGE.sub(" ", text)
    metrics = set()
    for match in _IDENTIFIER.finditer(text):
        name = match.group(1)
        following = text[match.end() :].lstrip()
        if following.startswith("(") or name.lower() in _PROMQL_KEYWORDS:
            continue  # a function call or an operator keyword
        metrics.add(name)
    return QueryNames(frozenset(metrics), frozenset(labels))


# ------------------------------------------------------------------------------------------ rules


def rule_groups() -> list[dict[str, Any]]:
    return load_yaml(RULES_FILE)["groups"]


def rules() -> Iterator[dict[str, Any]]:
    for group in rule_groups():
        yield from group["rules"]


def alert_names() -> frozenset[str]:
    return frozenset(rule["alert"] for rule in rules() if "alert" in rule)


def recorded_series() -> dict[str, frozenset[str]]:
    """Recording rule name -> the label names its results carry: its `by (...)` labels and its static labels.

    Every recording rule here aggregates, so labels not listed in `by` do not survive (and `le` is consumed by
    histogram_quantile).
    """
    recorded: dict[str, set[str]] = {}
    for rule in rules():
        if "record" in rule:
            grouping = {
                label.strip()
                for match in _GROUPING.finditer(_STRING.sub('""', rule["expr"]))
                if match.group(1) == "by"
                for label in match.group(2).split(",")
                if label.strip()
            }
            recorded.setdefault(rule["record"], set()).update(grouping - {"le"}, rule.get("labels", {}))
    return {name: frozenset(labels) for name, labels in recorded.items()}


def rule_expressions() -> list[tuple[str, str]]:
    """(rule name, expr) of every recording and alerting rule."""
    return [(rule.get("alert") or rule["record"], rule["expr"]) for rule in rules()]


# ------------------------------------------------------------------------------------------ dashboards


def load_dashboard(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def dashboard_panels(dashboard: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
    """Every panel, including those nested in collapsed rows."""
    for panel in dashboard.get("panels", []):
        yield panel
        yield from panel.get("panels", [])


def dashboard_queries(dashboard: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(panel title, expr) of every Prometheus query in panels and in templating variables."""
    queries = [
        (panel.get("title", ""), target["expr"])
        for panel in dashboard_panels(dashboard)
        for target in panel.get("targets", [])
        if target.get("expr")
    ]
    for variable in dashboard.get("templating", {}).get("list", []):
        query = variable.get("query")
        text = query.get("query") if isinstance(query, Mapping) else query
        match = re.fullmatch(r"label_values\((.*),\s*(\w+)\)", text or "")
        if match:
            queries.append((f"variable {variable['name']}", match.group(1)))
    return queries


# ------------------------------------------------------------------------------------------ names in use


def known_series() -> dict[str, frozenset[str]]:
    """Every series name a query may use -> its label names: the worker's, Prometheus' own, recorded ones."""
    known = {name: series.labels | TARGET_LABELS for name, series in exported_series().items()}
    known.update({name: labels | TARGET_LABELS for name, labels in PROMETHEUS_BUILTIN_SERIES.items()})
    known.update(recorded_series())
    return known


def unknown_names(queries: Iterable[tuple[str, str]]) -> list[str]:
    """Problems of queries that name a series or a label the worker, Prometheus or the rules do not produce."""
    known = known_series()
    problems = []
    for where, expr in queries:
        names = promql_names(expr)
        for metric in sorted(names.metrics - known.keys()):
            problems.append(f"{where}: unknown series {metric!r} in {expr!r}")
        allowed = set().union(*(known.get(metric, frozenset()) for metric in names.metrics)) if names.metrics else set()
        for label in sorted(names.labels - allowed):
            problems.append(f"{where}: label {label!r} is not carried by {sorted(names.metrics)} in {expr!r}")
    return problems


def worker_series_in(queries: Iterable[tuple[str, str]]) -> frozenset[str]:
    """The worker's own series names (as exported) that the queries use, directly or through recording rules."""
    recording_exprs = {rule["record"]: rule["expr"] for rule in rules() if "record" in rule}
    exported = exported_series().keys()
    used: set[str] = set()
    pending = [expr for _, expr in queries]
    while pending:
        for name in promql_names(pending.pop()).metrics:
            if name in exported:
                used.add(name)
            elif name in recording_exprs:
                pending.append(recording_exprs.pop(name))
    return frozenset(used)


def family_of(series_name: str) -> str:
    for suffix in ("_bucket", "_count", "_sum", "_total", "_created"):
        if series_name.endswith(suffix) and series_name[: -len(suffix)] in metric_families():
            return series_name[: -len(suffix)]
    return series_name
