"""Settings at 80x24 and 40x12."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input

from studyplan.ui.home import HomeScreen
from tests.ui.terminal_size import (
    BIG,
    SMALL,
    assert_focus_in_view,
    assert_footer,
    assert_whole,
    make_app,
    resize,
    settle,
)

# -- settings --------------------------------------------------------------


async def test_settings_at_80x24_and_40x12(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=BIG) as pilot:
        await settle(app, pilot)
        await pilot.press("s")
        await pilot.pause()
        fields = ("#set-new_per_day", "#set-reviews_per_day", "#set-rollover_hour")
        assert_whole(app, *fields)
        assert_focus_in_view(app)
        assert_footer(app)

        await resize(app, pilot, SMALL)
        assert_whole(app, "#set-new_per_day")
        assert app.screen.query_one("#set-new_per_day").region.width >= 12
        assert_footer(app, "ctrl+s", "escape")
        while app.screen.focused is not app.screen.query_one("#set-new_per_day"):
            await pilot.press("tab")
        await pilot.press("end", "backspace", "backspace", "7")
        assert app.screen.query_one("#set-new_per_day", Input).value == "7"
        while app.screen.focused is not app.screen.query(Input).last():
            await pilot.press("tab")  # down to the last field: it scrolls into view
            await pilot.pause()
            assert_whole(app, app.screen.focused)
        assert app.screen.focused is app.screen.query(Input).last()

        await resize(app, pilot, BIG)
        assert_whole(app, app.screen.focused)
        await pilot.press("home")
        assert_footer(app)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert "new_per_day = 7" in (tmp_path / "c.toml").read_text()
