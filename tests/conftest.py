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


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):
    """A test that cannot run fails, naming why: no part of the suite is skipped silently
    (a corpus or tool missing from an sdist would otherwise pass as "skipped")."""
    outcome = yield
    report = outcome.get_result()
    if report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.outcome = "failed"
        report.longrepr = f"{item.nodeid} was skipped, which this suite does not allow: {reason}"
