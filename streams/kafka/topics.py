"""Create the pipeline's topics (names, partitions, replication from Settings); safe to run again."""

from __future__ import annotations

from kafka import KafkaAdminClient
from kafka.errors import TopicAlreadyExistsError, for_code

from streams.kafka.connection import kafka_python_options
from streams.settings import Settings

ADMIN_TIMEOUT_MS = 30_000


def create_topics(settings: Settings, *, timeout_ms: int = ADMIN_TIMEOUT_MS) -> dict[str, str]:
    """Create every missing topic of settings.all_topics; returns topic -> "created" | "exists"."""
    admin = KafkaAdminClient(client_id=f"{settings.app_id}-admin", request_timeout_ms=timeout_ms, **kafka_python_options(settings))
    try:
        existing = set(admin.list_topics())
        status = {name: "exists" for name in settings.all_topics if name in existing}
        missing = [name for name in dict.fromkeys(settings.all_topics) if name not in existing]
        if missing:
            spec = {
                name: {"num_partitions": settings.partitions, "replication_factor": settings.replication_factor}
                for name in missing
            }
            response = admin.create_topics(spec, timeout_ms=timeout_ms, raise_errors=False, wait_for_metadata=True)
            for topic in response["topics"]:
                error = for_code(topic["error_code"])
                # Another process may create the same topic between our list and create: that is fine.
                if topic["error_code"] != 0 and error is not TopicAlreadyExistsError:
                    raise error(f"cannot create topic {topic['name']!r}: {topic.get('error_message') or error.__name__}")
                status[topic["name"]] = "created" if topic["error_code"] == 0 else "exists"
        return {name: status[name] for name in settings.all_topics}
    finally:
        admin.close()
