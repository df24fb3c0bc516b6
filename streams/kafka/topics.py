"""The pipeline's topics: create them (names, partitions, replication from Settings; safe to run again), list and
describe what the cluster really has."""

from __future__ import annotations

from dataclasses import dataclass, field

from kafka import KafkaAdminClient
from kafka.admin import ConfigResource, ConfigResourceType
from kafka.errors import TopicAlreadyExistsError, for_code

from streams.kafka.connection import kafka_python_options
from streams.settings import Settings

ADMIN_TIMEOUT_MS = 30_000
# Topic configs `topics describe` shows (their effective values, defaults included).
SHOWN_CONFIGS = ("cleanup.policy", "retention.ms", "retention.bytes", "max.message.bytes", "min.insync.replicas")


class TopicSetupError(RuntimeError):
    """The topics cannot be created as configured; the message names the setting to change."""


@dataclass(frozen=True, slots=True)
class TopicInfo:
    name: str
    partitions: int
    replication_factor: int
    configs: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class TopicState:
    """What `topics create` found or made for one topic, and how it differs from the settings."""

    name: str
    state: str  # "created" | "exists"
    info: TopicInfo | None
    differences: tuple[str, ...] = ()


def _admin(settings: Settings, timeout_ms: int) -> KafkaAdminClient:
    return KafkaAdminClient(
        client_id=f"{settings.app_id}-admin", request_timeout_ms=timeout_ms, **kafka_python_options(settings)
    )


def _describe(admin: KafkaAdminClient, names: list[str], *, with_configs: bool) -> dict[str, TopicInfo]:
    if not names:
        return {}
    found: dict[str, TopicInfo] = {}
    configs: dict[str, dict[str, str]] = {}
    if with_configs:
        response = admin.describe_configs(
            [ConfigResource(ConfigResourceType.TOPIC, name) for name in names], config_filter="all"
        )
        for resource_name, entries in _topic_configs(response).items():
            configs[resource_name] = {key: value for key, value in entries.items() if key in SHOWN_CONFIGS}
    for topic in admin.describe_topics(names):
        if topic.get("error_code", 0) != 0:
            continue
        partitions = topic.get("partitions") or []
        replication = max((len(p.get("replicas") or p.get("replica_nodes") or []) for p in partitions), default=0)
        name = topic.get("name") or topic.get("topic")
        found[name] = TopicInfo(name, len(partitions), replication, configs.get(name, {}))
    return found


def _topic_configs(response: object) -> dict[str, dict[str, str]]:
    """describe_configs' answer (a dict in kafka-python 3, response objects before) as topic -> {key: value}."""
    result: dict[str, dict[str, str]] = {}
    if isinstance(response, dict):
        topics = response.get("TOPIC") or response.get(ConfigResourceType.TOPIC) or response.get("topic") or {}
        for name, entries in topics.items():
            result[name] = {
                key: (entry.get("value") if isinstance(entry, dict) else entry) for key, entry in entries.items()
            }
        return result
    for item in response if isinstance(response, list) else [response]:  # kafka-python 2: DescribeConfigsResponse
        for resource in getattr(item, "resources", []):
            name, entries = resource[3], resource[4]
            result[name] = {entry[0]: entry[1] for entry in entries}
    return result


def list_topics(settings: Settings, *, timeout_ms: int = ADMIN_TIMEOUT_MS) -> dict[str, TopicInfo]:
    """Every topic of the cluster (internal ones excepted) with its real partition count and replication."""
    admin = _admin(settings, timeout_ms)
    try:
        names = sorted(name for name in admin.list_topics() if not name.startswith("__"))
        return _describe(admin, names, with_configs=False)
    finally:
        admin.close()


def describe_topics(
    settings: Settings, names: list[str], *, timeout_ms: int = ADMIN_TIMEOUT_MS
) -> dict[str, TopicInfo | None]:
    """Partitions, replication and configs of the named topics; None for a topic that does not exist."""
    admin = _admin(settings, timeout_ms)
    try:
        existing = set(admin.list_topics())
        present = [name for name in names if name in existing]
        found = _describe(admin, present, with_configs=True)
        return {name: found.get(name) for name in names}
    finally:
        admin.close()


def create_topics(
    settings: Settings, *, timeout_ms: int = ADMIN_TIMEOUT_MS, changelogs: bool = False
) -> dict[str, str]:
    """Create every missing topic of settings.all_topics (and of settings.changelog_topics if `changelogs`);
    returns topic -> "created" | "exists"."""
    states = ensure_topics(settings, timeout_ms=timeout_ms, changelogs=changelogs)
    return {name: state.state for name, state in states.items()}


def ensure_topics(
    settings: Settings, *, timeout_ms: int = ADMIN_TIMEOUT_MS, changelogs: bool = False
) -> dict[str, TopicState]:
    """Create every missing topic of settings.all_topics (and of settings.changelog_topics if `changelogs`: the
    worker's own) and report each topic as the cluster has it, with how an existing topic differs from
    NEWSEVENTS_PARTITIONS / NEWSEVENTS_REPLICATION_FACTOR (it is never changed)."""
    topics = settings.all_topics + (settings.changelog_topics if changelogs else [])
    admin = _admin(settings, timeout_ms)
    try:
        existing = set(admin.list_topics())
        status = {name: "exists" for name in topics if name in existing}
        missing = [name for name in dict.fromkeys(topics) if name not in existing]
        if missing:
            brokers = len(admin.describe_cluster().get("brokers") or [])
            if brokers and settings.replication_factor > brokers:
                raise TopicSetupError(
                    f"NEWSEVENTS_REPLICATION_FACTOR={settings.replication_factor} needs at least that many brokers, "
                    f"the cluster has {brokers}; set NEWSEVENTS_REPLICATION_FACTOR={brokers} or less"
                )
            spec = {
                name: {
                    "num_partitions": settings.partitions,
                    "replication_factor": settings.replication_factor,
                    "configs": {"cleanup.policy": "compact"} if name in settings.compacted_topics else {},
                }
                for name in missing
            }
            response = admin.create_topics(spec, timeout_ms=timeout_ms, raise_errors=False, wait_for_metadata=True)
            for topic in response["topics"]:
                error = for_code(topic["error_code"])
                # Another process may create the same topic between our list and create: that is fine.
                if topic["error_code"] != 0 and error is not TopicAlreadyExistsError:
                    raise error(
                        f"cannot create topic {topic['name']!r}: {topic.get('error_message') or error.__name__}"
                    )
                status[topic["name"]] = "created" if topic["error_code"] == 0 else "exists"
        infos = _describe(admin, list(dict.fromkeys(topics)), with_configs=False)
        states = {}
        for name in topics:
            info = infos.get(name)
            differences: list[str] = []
            if info is not None and status[name] == "exists":
                if info.partitions != settings.partitions:
                    differences.append(
                        f"has {info.partitions} partitions, NEWSEVENTS_PARTITIONS is {settings.partitions}"
                    )
                if info.replication_factor != settings.replication_factor:
                    differences.append(
                        f"has replication {info.replication_factor}, NEWSEVENTS_REPLICATION_FACTOR is {settings.replication_factor}"
                    )
            states[name] = TopicState(name, status[name], info, tuple(differences))
        return states
    finally:
        admin.close()
