"""Fixtures of the in-memory pipeline tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from streams.settings import Settings


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Small caps so oversize inputs stay small in tests."""
    return Settings(data_dir=tmp_path / "worker", max_message_bytes=16_384, article_time_budget_seconds=0.5)
