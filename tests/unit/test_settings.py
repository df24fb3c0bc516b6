"""The settings object reads NEWSEVENTS_ variables, validates them, and keeps secrets secret."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from schemas import EventType
from streams.settings import ProcessingGuarantee, Settings


def test_defaults_are_local_and_safe() -> None:
    settings = Settings()
    assert settings.bootstrap_servers == "127.0.0.1:9092"
    assert settings.web_host == "127.0.0.1"
    assert settings.max_message_bytes == 1_048_576
    assert settings.all_topics == [
        "articles.raw",
        "events.deployment",
        "events.denial",
        "events.policy_shift",
        "articles.processed",
        "articles.dlq",
        "stories",
        "alerts",
    ]
    assert settings.compacted_topics == {"stories"}
    # The stories stage is opt-in (README, known issue on multi-broker clusters); on, it adds its internal topic.
    assert not settings.stories_enabled
    assert Settings(stories_enabled=True).all_topics[-3:] == ["stories", "alerts", "newsevents-story-events"]


@pytest.mark.parametrize("event_type", list(EventType))
def test_every_event_type_has_its_own_topic_setting(event_type: EventType, monkeypatch: pytest.MonkeyPatch) -> None:
    assert Settings().event_topics[event_type.value] == f"events.{event_type.value}"
    monkeypatch.setenv(f"NEWSEVENTS_TOPIC_{event_type.value.upper()}", "custom.topic")
    assert Settings().event_topics[event_type.value] == "custom.topic"


def test_environment_overrides(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSEVENTS_PROCESSING_GUARANTEE", "exactly_once")
    monkeypatch.setenv("NEWSEVENTS_TOPIC_RAW", "raw.custom")
    monkeypatch.setenv("NEWSEVENTS_PARTITIONS", "8")
    settings = Settings()
    assert settings.processing_guarantee is ProcessingGuarantee.exactly_once
    assert settings.topic_raw == "raw.custom"
    assert settings.partitions == 8


def test_invalid_values_are_rejected(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSEVENTS_PARTITIONS", "0")
    with pytest.raises(ValidationError, match="partitions"):
        Settings()


def test_sasl_requires_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSEVENTS_SECURITY_PROTOCOL", "SASL_PLAINTEXT")
    with pytest.raises(ValidationError, match="SASL"):
        Settings()


def test_password_never_appears_in_repr(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSEVENTS_SECURITY_PROTOCOL", "SASL_PLAINTEXT")
    monkeypatch.setenv("NEWSEVENTS_SASL_MECHANISM", "SCRAM-SHA-512")
    monkeypatch.setenv("NEWSEVENTS_SASL_USERNAME", "alice")
    monkeypatch.setenv("NEWSEVENTS_SASL_PASSWORD", "hunter2-secret")
    settings = Settings()
    assert "hunter2-secret" not in repr(settings)
    assert "hunter2-secret" not in str(settings.model_dump())
    assert settings.sasl_password is not None and settings.sasl_password.get_secret_value() == "hunter2-secret"


def test_the_stories_batch_cap_on_events_is_a_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    # The default lies below a 5,000-record backlog batch's ~85,000 events (the session 18 soak's memory peak).
    assert 1_000 <= Settings().story_batch_max_events <= 30_000
    monkeypatch.setenv("NEWSEVENTS_STORY_BATCH_MAX_EVENTS", "1234")
    assert Settings().story_batch_max_events == 1234
    monkeypatch.setenv("NEWSEVENTS_STORY_BATCH_MAX_EVENTS", "0")
    with pytest.raises(ValidationError):
        Settings()
