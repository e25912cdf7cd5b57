"""The footer at 80x24: rebuilt while its screen shows, once per frame, and fresh when a
screen that covered it is closed."""

from __future__ import annotations

from pathlib import Path

from studyplan.ui.footer import AppFooter
from studyplan.ui.home import HomeScreen
from studyplan.ui.stats import StatsScreen
from tests.ui.terminal_size import BIG, assert_footer, footer_keys, make_app, settle


def count_rebuilds(monkeypatch) -> list[str]:
    rebuilt: list[str] = []
    real = AppFooter.recompose

    async def counted(self):
        rebuilt.append(type(self.screen).__name__)
        await real(self)

    monkeypatch.setattr(AppFooter, "recompose", counted)
    return rebuilt


async def test_a_covered_screens_footer_waits_and_is_fresh_when_it_shows_again(
    tmp_path: Path, monkeypatch
) -> None:
    app = make_app(tmp_path)
    rebuilt = count_rebuilds(monkeypatch)
    async with app.run_test(size=BIG) as pilot:
        await settle(app, pilot)
        home = app.screen
        assert isinstance(home, HomeScreen)
        home_keys = footer_keys(app)
        assert {"r", "b", "t"} <= set(home_keys)
        rebuilt.clear()
        await pilot.press("t")
        await settle(app, pilot)
        assert isinstance(app.screen, StatsScreen)
        assert "HomeScreen" not in rebuilt  # covered: not rebuilt under the stats screen
        assert "StatsScreen" in rebuilt
        assert "r" in footer_keys(app) and "b" not in footer_keys(app)
        # home's keys change while it is covered: it shows them once it is back
        home.refresh_bindings()
        await pilot.pause()
        assert "HomeScreen" not in rebuilt
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.screen is home
        assert rebuilt.count("HomeScreen") == 1
        assert footer_keys(app).keys() == home_keys.keys()
        assert_footer(app, "r", "b", "t")


async def test_changes_in_one_frame_make_one_rebuild(tmp_path: Path, monkeypatch) -> None:
    app = make_app(tmp_path)
    rebuilt = count_rebuilds(monkeypatch)
    async with app.run_test(size=BIG) as pilot:
        await settle(app, pilot)
        rebuilt.clear()
        for _ in range(3):
            app.screen.refresh_bindings()
        await pilot.pause()
        await pilot.pause()
        assert rebuilt == ["HomeScreen"]
        app.screen.refresh_bindings()
        await pilot.pause()
        await pilot.pause()
        assert rebuilt == ["HomeScreen", "HomeScreen"]  # a later change rebuilds again
        assert_footer(app, "r", "b", "t")
