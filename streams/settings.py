"""The one settings object (env prefix NEWSEVENTS_), validated once at start-up."""

from __future__ import annotations

import difflib
import os
from collections.abc import Mapping
from enum import Enum
from functools import lru_cache
from pathlib import Path

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from schemas import EventType


class ProcessingGuarantee(str, Enum):
    at_least_once = "at_least_once"
    exactly_once = "exactly_once"


class ExtractorMode(str, Enum):
    """What the worker runs between decode and publish."""

    rules = "rules"  # the lexicon-based extractor (streams.extraction)
    noop = "noop"  # no extraction, zero events: measures the framework's own cost (bench/, docs/performance.md)


class TableStore(str, Enum):
    """Where the stories table keeps its state between changelog writes."""

    auto = "auto"  # RocksDB when rocksdict is installed, else memory
    memory = "memory"  # rebuilt from the changelog topic at every start
    rocksdb = "rocksdb"  # on disk under data_dir: a restarted worker reads only the changelog's tail


class SecurityProtocol(str, Enum):
    PLAINTEXT = "PLAINTEXT"
    SSL = "SSL"
    SASL_PLAINTEXT = "SASL_PLAINTEXT"
    SASL_SSL = "SASL_SSL"


class SaslMechanism(str, Enum):
    PLAIN = "PLAIN"
    SCRAM_SHA_256 = "SCRAM-SHA-256"
    SCRAM_SHA_512 = "SCRAM-SHA-512"


LOG_LEVELS = ("debug", "info", "warning", "error", "critical")
ENV_PREFIX = "NEWSEVENTS_"
# NEWSEVENTS_* variables that are not settings but are read by the benchmarks, training and evaluation tools.
AUXILIARY_VARIABLES = frozenset(
    {"NEWSEVENTS_BENCH_CORPUS", "NEWSEVENTS_TRAIN_POOL_DIR", "NEWSEVENTS_EXTERNAL_EVAL_DIR"}
)


def event_topic_field(event_type: EventType) -> str:
    """The setting that names an event type's output topic: topic_deployment, set by NEWSEVENTS_TOPIC_DEPLOYMENT."""
    return f"topic_{event_type.value}"


class Settings(BaseSettings):
    """Every knob of the worker, CLI and local broker. Override with NEWSEVENTS_<FIELD> env vars."""

    model_config = SettingsConfigDict(env_prefix="NEWSEVENTS_", extra="forbid", frozen=True)

    # Kafka connection
    bootstrap_servers: str = Field(default="127.0.0.1:9092", description="Comma-separated host:port list")
    security_protocol: SecurityProtocol = SecurityProtocol.PLAINTEXT
    sasl_mechanism: SaslMechanism | None = None
    sasl_username: str | None = None
    sasl_password: SecretStr | None = None
    ssl_cafile: Path | None = None
    ssl_certfile: Path | None = None
    ssl_keyfile: Path | None = None
    connect_timeout_seconds: float = Field(
        default=30.0,
        gt=0,
        le=600,
        description="How long a command waits for a bootstrap server to answer before it gives up (a broker may still be starting)",
    )

    # Topics
    topic_raw: str = "articles.raw"
    topic_deployment: str = "events.deployment"
    topic_denial: str = "events.denial"
    topic_policy_shift: str = "events.policy_shift"
    topic_processed: str = "articles.processed"
    topic_dlq: str = "articles.dlq"
    topic_stories: str = Field(default="stories", description="Stories (compacted, key = story id)")
    topic_alerts: str = Field(default="alerts", description="One alert per story that met an alert rule")
    partitions: int = Field(default=4, ge=1, le=1024, description="Partitions for topics we create")
    replication_factor: int = Field(default=1, ge=1, le=16)

    # Worker
    app_id: str = Field(default="newsevents", description="Faust app id = Kafka consumer group")
    processing_guarantee: ProcessingGuarantee = ProcessingGuarantee.at_least_once
    session_timeout_seconds: float = Field(
        default=10.0,
        ge=6.0,  # the broker's default group.min.session.timeout.ms
        le=300.0,
        description="Consumer group session timeout: how long a crashed worker's partitions wait before another worker takes them",
    )
    web_host: str = Field(default="127.0.0.1", description="Bind address of /metrics and /health")
    web_port: int = Field(default=6066, ge=1, le=65535)
    data_dir: Path = Field(default=Path(".local/worker"), description="Faust table/state directory")
    max_message_bytes: int = Field(
        default=1_048_576, ge=1024, description="Input messages larger than this are dead-lettered"
    )
    article_time_budget_seconds: float = Field(
        default=2.0, gt=0, description="Extraction overruns are dead-lettered as timeout"
    )
    stall_timeout_seconds: float = Field(
        default=120.0,
        gt=0,
        description="A batch still in progress after this long (its records not acknowledged, e.g. the broker is unreachable) makes /health report the worker stalled (503)",
    )
    stall_restart_seconds: float = Field(
        default=180.0,
        ge=0,
        description="An agent holding messages without acking any, or an offset commit, for this long is a stall: the worker logs what waited, sets newsevents_worker_stalled and exits with code 70 to be restarted (0: never)",
    )
    stall_exit_grace_seconds: float = Field(
        default=20.0,
        ge=0,
        description="After a stall, how long the worker still answers /metrics and /health (503) before it exits",
    )
    shutdown_timeout_seconds: float = Field(
        default=30.0,
        gt=0,
        description="After SIGTERM/SIGINT the worker finishes its batch, commits and leaves the group; if that takes longer (the broker is unreachable), it exits with code 1 without committing",
    )
    extractor: ExtractorMode = Field(
        default=ExtractorMode.rules,
        description="rules (production) or noop (benchmarks: the pipeline without extraction)",
    )
    log_level: str = "info"

    # Stories and alerts (streams/stories)
    stories_enabled: bool = Field(
        default=False, description="Join events into stories and raise alerts (false: the extraction pipeline alone)"
    )
    story_window_hours: float = Field(
        default=72.0, gt=0, le=24 * 365, description="Reports of one story lie within this many hours of each other"
    )
    story_lateness_hours: float = Field(
        default=24.0,
        ge=0,
        description="An event this many hours older than the newest one its partition has seen joins no story",
    )
    alert_rules_file: Path | None = Field(
        default=None, description="JSON alert rules (streams/stories/alert_rules.json when unset)"
    )
    table_store: TableStore = Field(default=TableStore.auto, description="auto | memory | rocksdb")
    story_batch_max_events: int = Field(
        default=30_000,
        ge=1,
        description="A stories batch closes at the first story-events record that brings it to this many events (a record is never split): it bounds the agent's memory on a backlog",
    )
    stories_trace_file: Path | None = Field(
        default=None,
        description="Debug: append a JSON line per stories batch (its records, the time to each step) to this file",
    )

    # Local broker (development, demo, tests)
    broker_dir: Path = Field(default=Path(".local/kafka"), description="Data and logs of the local broker")
    broker_port: int = Field(default=9092, ge=1, le=65535)
    controller_port: int = Field(default=9093, ge=1, le=65535)
    broker_heap: str = Field(default="512m", pattern=r"^\d+[mMgG]$")

    @model_validator(mode="before")
    @classmethod
    def _clients_follow_the_local_broker(cls, data: object) -> object:
        """NEWSEVENTS_BROKER_PORT alone moves the local broker and, with it, the clients' default bootstrap server."""
        port = data.get("broker_port") if isinstance(data, dict) else None
        if port is not None and str(port).strip().isdigit() and data.get("bootstrap_servers") is None:
            return {**data, "bootstrap_servers": f"127.0.0.1:{str(port).strip()}"}
        return data

    @field_validator("bootstrap_servers")
    @classmethod
    def _host_port_list(cls, value: str) -> str:
        servers = [part.strip().removeprefix("kafka://") for part in value.replace(";", ",").split(",")]
        servers = [server for server in servers if server]
        if not servers:
            raise ValueError("give at least one host:port, e.g. 127.0.0.1:9092")
        for server in servers:
            host, colon, port = server.rpartition(":")
            if not colon or not host or not port.isdigit() or not 1 <= int(port) <= 65535:
                raise ValueError(f"{server!r} is not host:port (a port 1-65535 is required), e.g. 127.0.0.1:9092")
        return value

    @field_validator("log_level")
    @classmethod
    def _known_log_level(cls, value: str) -> str:
        if value.strip().lower() not in LOG_LEVELS:
            raise ValueError(f"{value!r} is not a log level; use one of {', '.join(LOG_LEVELS)}")
        return value.strip().lower()

    @model_validator(mode="after")
    def _lateness_within_the_window(self) -> Settings:
        if self.story_lateness_hours >= self.story_window_hours:
            raise ValueError("NEWSEVENTS_STORY_LATENESS_HOURS must be less than NEWSEVENTS_STORY_WINDOW_HOURS")
        return self

    @model_validator(mode="after")
    def _sasl_needs_credentials(self) -> Settings:
        if self.security_protocol in (SecurityProtocol.SASL_PLAINTEXT, SecurityProtocol.SASL_SSL):
            if self.sasl_mechanism is None or not self.sasl_username or self.sasl_password is None:
                raise ValueError(
                    "security_protocol SASL_* needs NEWSEVENTS_SASL_MECHANISM, NEWSEVENTS_SASL_USERNAME and NEWSEVENTS_SASL_PASSWORD"
                )
        return self

    @property
    def event_topics(self) -> dict[str, str]:
        """Event type -> output topic, in the order of the EventType enum."""
        return {event_type.value: getattr(self, event_topic_field(event_type)) for event_type in EventType}

    @property
    def topic_story_events(self) -> str:
        """Internal topic: the pipeline's events re-keyed by story key, so one worker sees all events of a story."""
        return f"{self.app_id}-story-events"

    @property
    def all_topics(self) -> list[str]:
        topics = [self.topic_raw, *self.event_topics.values(), self.topic_processed, self.topic_dlq]
        topics += [self.topic_stories, self.topic_alerts]
        if self.stories_enabled:
            topics.append(self.topic_story_events)
        return topics

    @property
    def changelog_topics(self) -> list[str]:
        """The changelog topics of the stories tables (faust names them app id, table, "-changelog"); none without
        stories. The worker creates them before faust starts (streams.worker.app.ensure_topics): created by faust
        itself they raced the consumer's first metadata, see STORY_TABLES."""
        if not self.stories_enabled:
            return []
        return [f"{self.app_id}-{table}-changelog" for table in STORY_TABLES]

    @property
    def compacted_topics(self) -> frozenset[str]:
        """Topics whose latest value per key is what matters (each story update replaces the previous one; a table's
        changelog keeps each key's latest state, as faust declares it)."""
        return frozenset({self.topic_stories, *self.changelog_topics})


# The stories agent's faust tables (streams/worker/stories.py). Their changelog topics used to be created by faust
# when the app started, moments before the consumer joined its group: when the broker did not yet report the newest
# of them, faust's assignor ignored it ("Ignoring missing topic"), the consumer's metadata had no partitions for it,
# and the stories agent's first table write raised PartitionsMismatch ("... the changelog topic ... has 0
# partitions"), a crash at its first batch (session 16, reproduced in bench runs of 30,000 articles).
STORY_TABLES = ("stories", "story-watermarks")


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Build the settings once per process (from the environment)."""
    return Settings()


def known_variables() -> list[str]:
    return sorted({ENV_PREFIX + name.upper() for name in Settings.model_fields} | AUXILIARY_VARIABLES)


def unknown_variables(environ: Mapping[str, str] | None = None) -> list[tuple[str, str | None]]:
    """NEWSEVENTS_* variables that no setting reads (a typo would silently fall back to a default), each with the
    closest valid name (or None)."""
    environ = os.environ if environ is None else environ
    known = known_variables()
    unknown = sorted(name for name in environ if name.upper().startswith(ENV_PREFIX) and name.upper() not in known)
    return [
        (name, next(iter(difflib.get_close_matches(name.upper(), known, n=1, cutoff=0.6)), None)) for name in unknown
    ]
