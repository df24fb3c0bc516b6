"""A/B benchmarks start workers from another source tree: they get only the settings that tree knows."""

from __future__ import annotations

from pathlib import Path

import pytest

from streams.harness.worker import env_for_tree, isolated_settings, settings_env, settings_known_to


def _older_tree(root: Path) -> Path:
    """A source tree whose Settings knows two fields only (as an older release knows fewer)."""
    package = root / "streams"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "settings.py").write_text(
        "from pydantic import BaseModel\n\n\nclass Settings(BaseModel):\n    app_id: str = 'x'\n    partitions: int = 1\n"
    )
    return root


def test_the_other_trees_setting_names_are_read_from_its_own_code(tmp_path: Path) -> None:
    assert settings_known_to(_older_tree(tmp_path)) == {"NEWSEVENTS_APP_ID", "NEWSEVENTS_PARTITIONS"}


def test_settings_the_other_tree_lacks_are_left_out_when_at_their_defaults(tmp_path: Path) -> None:
    settings = isolated_settings("127.0.0.1:9092", tmp_path, prefix="ab")
    full = settings_env(settings)
    newer = {"NEWSEVENTS_STALL_RESTART_SECONDS", "NEWSEVENTS_STALL_EXIT_GRACE_SECONDS"}
    assert newer <= set(full)  # this tree's own worker gets every setting
    env = env_for_tree(settings, frozenset(full) - newer)
    assert env == {name: value for name, value in full.items() if name not in newer}
    assert env["NEWSEVENTS_APP_ID"] == "ab"


def test_a_setting_the_other_tree_lacks_set_away_from_its_default_is_an_error(tmp_path: Path) -> None:
    settings = isolated_settings("127.0.0.1:9092", tmp_path, prefix="ab", stall_restart_seconds=5.0)
    known = frozenset(settings_env(settings)) - {"NEWSEVENTS_STALL_RESTART_SECONDS"}
    with pytest.raises(ValueError, match="NEWSEVENTS_STALL_RESTART_SECONDS"):
        env_for_tree(settings, known)
