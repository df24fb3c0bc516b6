"""docker-compose.yml: services, pinned images, health checks, scaling, and settings variables (parsed with PyYAML)."""

from __future__ import annotations

import base64
import re
import xml.etree.ElementTree as ElementTree
from typing import Any

import pytest
from support.ops_files import (
    COMPOSE_FILE,
    KAFKA_POM,
    PROMETHEUS_DIR,
    REPO_ROOT,
    load_yaml,
    settings_from_variables,
    settings_variables,
)

SERVICES = {"kafka", "topics", "worker", "prometheus", "grafana"}
INTERPOLATION = re.compile(r"\$\{(\w+)(?::?-([^}]*))?\}")


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return load_yaml(COMPOSE_FILE)


def interpolate(value: str) -> str:
    """Compose's ${VAR:-default} with nothing set in the environment: the default."""
    return INTERPOLATION.sub(lambda match: match.group(2) or "", value)


def environment(service: dict[str, Any]) -> dict[str, str]:
    env = service.get("environment", {})
    if isinstance(env, list):
        env = dict(item.split("=", 1) for item in env)
    return {name: interpolate(str(value)) for name, value in env.items()}


def kafka_version_of_the_tests() -> str:
    namespace = {"m": "http://maven.apache.org/POM/4.0.0"}
    return ElementTree.parse(KAFKA_POM).getroot().find("m:properties/m:kafka.version", namespace).text


def test_all_services_are_defined(compose: dict[str, Any]) -> None:
    assert set(compose["services"]) == SERVICES


def test_images_are_pinned(compose: dict[str, Any]) -> None:
    for name, service in compose["services"].items():
        image = service["image"]
        repository, _, tag = image.rpartition(":")
        assert repository and tag and tag != "latest", f"{name}: image {image!r} is not pinned to a version tag"
        assert re.search(r"\d", tag), f"{name}: tag {tag!r} names no version"


def test_kafka_image_matches_the_broker_the_tests_run(compose: dict[str, Any]) -> None:
    assert compose["services"]["kafka"]["image"] == f"apache/kafka:{kafka_version_of_the_tests()}"


def test_long_running_services_have_health_checks(compose: dict[str, Any]) -> None:
    services = compose["services"]
    for name in ("kafka", "prometheus", "grafana"):
        check = services[name]["healthcheck"]
        assert check["test"][0] in {"CMD", "CMD-SHELL"} and check["interval"] and check["retries"] >= 3, name
    # The worker's health check is the image's HEALTHCHECK (deploy/Dockerfile): compose must not disable it.
    assert "healthcheck" not in services["worker"] or not services["worker"]["healthcheck"].get("disable")


def test_kafka_runs_kraft_with_consistent_listeners(compose: dict[str, Any]) -> None:
    env = environment(compose["services"]["kafka"])
    assert set(env["KAFKA_PROCESS_ROLES"].split(",")) == {"broker", "controller"}
    node_id = env["KAFKA_NODE_ID"]
    voters = env["KAFKA_CONTROLLER_QUORUM_VOTERS"].split(",")
    assert [voter.split("@")[0] for voter in voters] == [node_id]

    def listener_names(spec: str) -> dict[str, str]:
        return {item.split("://")[0]: item.split("://")[1] for item in spec.split(",")}

    listeners = listener_names(env["KAFKA_LISTENERS"])
    advertised = listener_names(env["KAFKA_ADVERTISED_LISTENERS"])
    protocols = dict(item.split(":") for item in env["KAFKA_LISTENER_SECURITY_PROTOCOL_MAP"].split(","))
    assert set(listeners) == set(protocols)
    assert set(advertised) <= set(listeners)
    assert (
        env["KAFKA_CONTROLLER_LISTENER_NAMES"] in listeners and env["KAFKA_CONTROLLER_LISTENER_NAMES"] not in advertised
    )
    assert env["KAFKA_INTER_BROKER_LISTENER_NAME"] in advertised
    # The controller voter address must be the controller listener's port.
    assert voters[0].rsplit(":", 1)[1] == listeners[env["KAFKA_CONTROLLER_LISTENER_NAMES"]].rsplit(":", 1)[1]
    # Single broker: internal topics cannot have more than one replica.
    for name, value in env.items():
        if name.endswith(("_REPLICATION_FACTOR", "_MIN_ISR")):
            assert value == "1", name


def test_kafka_cluster_id_is_a_valid_kraft_id(compose: dict[str, Any]) -> None:
    cluster_id = environment(compose["services"]["kafka"])["CLUSTER_ID"]
    # Kafka's Uuid.fromString: URL-safe base64 without padding of 16 bytes.
    assert len(cluster_id) == 22
    assert len(base64.urlsafe_b64decode(cluster_id + "==")) == 16


def test_host_port_reaches_the_advertised_external_listener(compose: dict[str, Any]) -> None:
    kafka = compose["services"]["kafka"]
    env = environment(kafka)
    external = [item for item in env["KAFKA_ADVERTISED_LISTENERS"].split(",") if item.startswith("EXTERNAL://")]
    (advertised_port,) = [item.rsplit(":", 1)[1] for item in external]
    (mapping,) = [interpolate(port) for port in kafka["ports"]]
    host_ip, host_port, container_port = mapping.split(":")
    assert host_ip == "127.0.0.1", "publish Kafka on loopback only"
    assert host_port == advertised_port
    listeners = dict(item.split("://") for item in env["KAFKA_LISTENERS"].split(","))
    assert listeners["EXTERNAL"].rsplit(":", 1)[1] == container_port


def test_worker_scales_without_collisions(compose: dict[str, Any]) -> None:
    worker = compose["services"]["worker"]
    assert "container_name" not in worker, "a fixed container name breaks --scale worker=N"
    assert "ports" not in worker, "a published host port breaks --scale worker=N; Prometheus scrapes in-network"
    assert "hostname" not in worker
    assert worker["depends_on"]["kafka"]["condition"] == "service_healthy"
    assert worker["depends_on"]["topics"]["condition"] == "service_completed_successfully"
    assert worker["command"] == ["worker"]


def test_topics_is_a_one_shot_service_of_the_worker_image(compose: dict[str, Any]) -> None:
    topics, worker = compose["services"]["topics"], compose["services"]["worker"]
    assert topics["image"] == worker["image"] and topics["build"] == worker["build"]
    assert topics["command"] == ["topics", "create"]
    assert topics["restart"] == "no"
    assert topics["depends_on"]["kafka"]["condition"] == "service_healthy"
    assert (REPO_ROOT / worker["build"]["context"] / worker["build"]["dockerfile"]).is_file()


def test_newsevents_variables_are_settings_fields_with_valid_values(
    compose: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("topics", "worker"):
        env = {
            key: value for key, value in environment(compose["services"][name]).items() if key.startswith("NEWSEVENTS_")
        }
        assert env, name
        assert set(env) <= settings_variables(), f"{name}: {sorted(set(env) - settings_variables())} are not settings"
        settings = settings_from_variables(env, monkeypatch)
        assert settings.web_host == "0.0.0.0"
    assert environment(compose["services"]["topics"]) == environment(compose["services"]["worker"])


def test_worker_reaches_kafka_on_the_internal_listener(compose: dict[str, Any]) -> None:
    worker_env = environment(compose["services"]["worker"])
    advertised = environment(compose["services"]["kafka"])["KAFKA_ADVERTISED_LISTENERS"]
    assert f"INTERNAL://{worker_env['NEWSEVENTS_BOOTSTRAP_SERVERS']}" in advertised.split(",")


def test_prometheus_discovers_every_worker_replica(compose: dict[str, Any]) -> None:
    prometheus = compose["services"]["prometheus"]
    config_mount = next(
        volume for volume in prometheus["volumes"] if volume.startswith("./deploy/prometheus/prometheus.yml:")
    )
    config = load_yaml(REPO_ROOT / config_mount.split(":")[0])
    (job,) = [job for job in config["scrape_configs"] if job["job_name"] == "newsevents"]
    (discovery,) = job["dns_sd_configs"]
    assert discovery["names"] == ["worker"] and discovery["type"] == "A"
    assert str(discovery["port"]) == environment(compose["services"]["worker"])["NEWSEVENTS_WEB_PORT"]
    assert str(discovery["port"]) in [str(port) for port in compose["services"]["worker"]["expose"]]
    # The rules directory is mounted where the config's relative rule_files glob points.
    container_config = config_mount.split(":")[1]
    rules_mount = next(volume for volume in prometheus["volumes"] if volume.startswith("./deploy/prometheus/rules:"))
    (rule_glob,) = config["rule_files"]
    assert rules_mount.split(":")[1] == container_config.rsplit("/", 1)[0] + "/" + rule_glob.split("/")[0]
    assert f"--config.file={container_config}" in prometheus["command"]


def test_bind_mounts_exist_in_the_repository(compose: dict[str, Any]) -> None:
    for name, service in compose["services"].items():
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            if source.startswith("./"):
                assert (REPO_ROOT / source).exists(), f"{name}: {source} does not exist"
    assert (PROMETHEUS_DIR / "rules").is_dir()


def test_ports_published_on_the_host_are_loopback_only(compose: dict[str, Any]) -> None:
    for name, service in compose["services"].items():
        for port in service.get("ports", []):
            assert interpolate(str(port)).startswith("127.0.0.1:"), f"{name} publishes {port} on every interface"
