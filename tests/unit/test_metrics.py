"""Metrics live on their own registry, follow naming conventions and can be primed at zero."""

from __future__ import annotations

from prometheus_client import REGISTRY, generate_latest

from streams.worker.metrics import Metrics


def test_metrics_use_an_explicit_registry_not_the_global_one() -> None:
    first, second = Metrics(), Metrics()  # a second instance would clash on the global registry
    assert first.registry is not second.registry
    assert REGISTRY.get_sample_value("newsevents_articles_consumed_total") is None


def test_names_follow_prometheus_conventions() -> None:
    metrics = Metrics()
    for family in metrics.registry.collect():
        assert family.name.startswith("newsevents_")
        if family.type == "counter":
            assert not family.name.endswith("_total")  # the client appends _total to counter samples
        if family.type == "histogram":
            assert family.name.endswith("_seconds")


def test_prime_exposes_every_label_combination_at_zero() -> None:
    metrics = Metrics()
    metrics.prime(event_types=["deployment", "denial"], langs=["de", "en"], statuses=["ok"], reasons=["not_json"])
    text = generate_latest(metrics.registry).decode()
    assert 'newsevents_events_emitted_total{lang="en",type="denial"} 0.0' in text
    assert 'newsevents_articles_processed_total{lang="de",status="ok"} 0.0' in text
    assert 'newsevents_dead_letters_total{reason="not_json"} 0.0' in text


def test_no_created_series() -> None:
    from prometheus_client import generate_latest

    metrics = Metrics()
    metrics.articles_consumed.inc()
    metrics.extraction_duration.observe(0.01)
    text = generate_latest(metrics.registry).decode()
    assert "newsevents_articles_consumed_total 1.0" in text and "_created" not in text
