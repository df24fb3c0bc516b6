"""Kubernetes manifests, validated offline against the JSON schemas bundled in kubernetes-validate."""

from __future__ import annotations

import copy
from importlib.metadata import version
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
from kubernetes_validate.utils import SchemaNotFoundError, ValidationError, latest_version
from support.ops_files import (
    K8S_DIR,
    SCRAPE_JOB,
    load_yaml,
    load_yaml_documents,
    settings_from_variables,
    settings_variables,
)

from streams.settings import Settings

# The oldest Kubernetes minor still commonly run, and the newest one the validator bundles.
OLDEST_SUPPORTED = "1.29.0"
MANIFESTS = sorted(path for path in K8S_DIR.glob("*.yaml") if path.name != "kustomization.yaml")


def resources(path: Path) -> list[dict[str, Any]]:
    return load_yaml_documents(path)


def all_resources() -> dict[tuple[str, str], dict[str, Any]]:
    return {(doc["kind"], doc["metadata"]["name"]): doc for path in MANIFESTS for doc in resources(path)}


def validate(resource: dict[str, Any], kubernetes_version: str) -> None:
    """Strict schema validation: unknown fields are errors. A kind without a bundled schema is an error too."""
    kubernetes_validate.validate(resource, kubernetes_version, strict=True)


@pytest.mark.parametrize("kubernetes_version", [OLDEST_SUPPORTED, latest_version()])
@pytest.mark.parametrize("path", MANIFESTS, ids=lambda path: path.name)
def test_manifests_validate_against_the_kubernetes_schemas(path: Path, kubernetes_version: str) -> None:
    documents = resources(path)
    if path.name.endswith(".example.yaml") and path.name.startswith("keda"):
        # KEDA's ScaledObject is a custom resource: no Kubernetes schema exists; the file must stay all comments.
        assert documents == []
        return
    assert documents, f"{path.name} holds no resource"
    for resource in documents:
        validate(resource, kubernetes_version)


def test_the_validator_rejects_a_broken_manifest() -> None:
    # The validator must not be vacuous: a misspelt field and a wrong type are both errors.
    deployment = copy.deepcopy(all_resources()[("Deployment", "newsevents-worker")])
    deployment["spec"]["template"]["spec"]["containers"][0]["livenessProbe"]["httpGett"] = {"path": "/health"}
    with pytest.raises(ValidationError):
        validate(deployment, latest_version())
    deployment = copy.deepcopy(all_resources()[("Deployment", "newsevents-worker")])
    deployment["spec"]["replicas"] = "two"
    with pytest.raises(ValidationError):
        validate(deployment, latest_version())
    with pytest.raises(SchemaNotFoundError):
        validate({"apiVersion": "apps/v1", "kind": "Deplyment", "metadata": {"name": "x"}}, latest_version())


def test_validator_version_is_recorded() -> None:
    assert version("kubernetes-validate")
    assert tuple(int(part) for part in latest_version().split(".")[:2]) >= (1, 29)


def test_kustomization_lists_every_manifest_but_the_templates() -> None:
    kustomization = load_yaml(K8S_DIR / "kustomization.yaml")
    listed = set(kustomization["resources"])
    expected = {path.name for path in MANIFESTS if not path.name.endswith(".example.yaml")}
    assert listed == expected
    assert kustomization["namespace"] == "newsevents"


def worker_deployment() -> dict[str, Any]:
    return all_resources()[("Deployment", "newsevents-worker")]


def worker_container() -> dict[str, Any]:
    (container,) = worker_deployment()["spec"]["template"]["spec"]["containers"]
    return container


def test_environment_names_are_settings_fields_and_values_validate(monkeypatch: pytest.MonkeyPatch) -> None:
    config = all_resources()[("ConfigMap", "newsevents-config")]["data"]
    secret = all_resources()[("Secret", "newsevents-kafka-credentials")]["stringData"]
    for source in (config, secret):
        assert set(source) <= settings_variables(), sorted(set(source) - settings_variables())
    # The worker sees the ConfigMap overlaid by the Secret (envFrom order): both combinations must validate.
    assert settings_from_variables(config, monkeypatch).web_host == "0.0.0.0"
    combined = settings_from_variables({**config, **secret}, monkeypatch)
    assert combined.security_protocol.value == "SASL_SSL" and combined.sasl_password is not None
    env_from = worker_container()["envFrom"]
    assert [list(source)[0] for source in env_from] == ["configMapRef", "secretRef"]
    assert env_from[1]["secretRef"]["optional"] is True


def test_secret_template_holds_only_placeholders() -> None:
    secret = all_resources()[("Secret", "newsevents-kafka-credentials")]["stringData"]
    assert secret["NEWSEVENTS_SASL_PASSWORD"].startswith("REPLACE_WITH_")
    assert secret["NEWSEVENTS_SASL_USERNAME"].startswith("REPLACE_WITH_")


def test_worker_pod_is_locked_down() -> None:
    pod = worker_deployment()["spec"]["template"]["spec"]
    assert pod["securityContext"]["runAsNonRoot"] is True and pod["securityContext"]["runAsUser"] >= 1000
    container = worker_container()
    security = container["securityContext"]
    assert security["readOnlyRootFilesystem"] is True
    assert security["allowPrivilegeEscalation"] is False
    assert security["capabilities"]["drop"] == ["ALL"]
    # The read-only root needs writable volumes for the worker's data directory and temporary files.
    config = all_resources()[("ConfigMap", "newsevents-config")]["data"]
    mounts = {mount["mountPath"]: mount["name"] for mount in container["volumeMounts"]}
    volumes = {volume["name"]: volume for volume in pod["volumes"]}
    assert "emptyDir" in volumes[mounts[config["NEWSEVENTS_DATA_DIR"]]]
    assert "emptyDir" in volumes[mounts["/tmp"]]


def test_probes_and_resources() -> None:
    container = worker_container()
    config = all_resources()[("ConfigMap", "newsevents-config")]["data"]
    (port,) = container["ports"]
    assert str(port["containerPort"]) == config["NEWSEVENTS_WEB_PORT"]
    for probe in ("startupProbe", "livenessProbe", "readinessProbe"):
        assert container[probe]["httpGet"] == {"path": "/health", "port": port["name"]}, probe
    resources_ = container["resources"]
    assert {"cpu", "memory"} <= resources_["requests"].keys()
    assert "memory" in resources_["limits"]


def test_replicas_never_exceed_the_partitions() -> None:
    config = all_resources()[("ConfigMap", "newsevents-config")]["data"]
    partitions = int(config["NEWSEVENTS_PARTITIONS"])
    hpa = all_resources()[("HorizontalPodAutoscaler", "newsevents-worker")]["spec"]
    assert hpa["scaleTargetRef"]["name"] == worker_deployment()["metadata"]["name"]
    assert hpa["minReplicas"] <= worker_deployment()["spec"]["replicas"] <= hpa["maxReplicas"] <= partitions
    replication = int(config["NEWSEVENTS_REPLICATION_FACTOR"])
    assert replication == 3, "a production cluster keeps three replicas of each partition (deploy/README.md)"
    assert Settings.model_fields["partitions"].default <= partitions


def test_selectors_match_the_pods() -> None:
    pod_labels = worker_deployment()["spec"]["template"]["metadata"]["labels"]
    for kind, name in (("Deployment", "newsevents-worker"), ("PodDisruptionBudget", "newsevents-worker")):
        selector = all_resources()[(kind, name)]["spec"]["selector"]["matchLabels"]
        assert selector.items() <= pod_labels.items(), kind
    service = all_resources()[("Service", "newsevents-metrics")]["spec"]
    assert service["selector"].items() <= pod_labels.items()
    assert service["clusterIP"] == "None" and service["publishNotReadyAddresses"] is True
    (port,) = service["ports"]
    assert port["targetPort"] == worker_container()["ports"][0]["name"]


def test_prometheus_kubernetes_config_scrapes_the_headless_service() -> None:
    config = load_yaml(K8S_DIR.parent / "prometheus" / "prometheus-kubernetes.yml")
    (job,) = [job for job in config["scrape_configs"] if job["job_name"] == SCRAPE_JOB]
    (discovery,) = job["dns_sd_configs"]
    service = all_resources()[("Service", "newsevents-metrics")]
    namespace = service["metadata"]["namespace"]
    assert discovery["names"] == [f"{service['metadata']['name']}.{namespace}.svc.cluster.local"]
    assert discovery["port"] == service["spec"]["ports"][0]["port"]
    annotations = worker_deployment()["spec"]["template"]["metadata"]["annotations"]
    assert annotations["prometheus.io/port"] == str(discovery["port"])


def test_topic_job_uses_the_worker_image_and_configuration() -> None:
    job = all_resources()[("Job", "newsevents-topics")]["spec"]["template"]["spec"]
    (container,) = job["containers"]
    assert container["image"] == worker_container()["image"]
    assert container["args"] == ["topics", "create"]
    assert container["envFrom"] == worker_container()["envFrom"]
    assert container["securityContext"]["readOnlyRootFilesystem"] is True
