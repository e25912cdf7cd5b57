"""Keep every test away from the developer's own data and settings."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STUDYPLAN_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("STUDYPLAN_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("STUDYPLAN_CONFIG", str(tmp_path / "config" / "config.toml"))
    monkeypatch.delenv("STUDYPLAN_DB", raising=False)
    monkeypatch.setenv("TZ", "Europe/Berlin")
