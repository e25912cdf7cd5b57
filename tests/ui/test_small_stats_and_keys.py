"""Stats and the keys panel at 80x24 and 40x12."""

from __future__ import annotations

from pathlib import Path

from textual.widget import Widget

from studyplan.ui.app import StudyplanApp
from studyplan.ui.review import ReviewScreen
from studyplan.ui.stats import StatsScreen
from tests.ui.terminal_size import (
    BIG,
    SMALL,
    assert_focus_in_view,
    assert_footer,
    assert_whole,
    check_home,
    make_app,
    resize,
    settle,
    text_of,
    visible_height,
)

# -- stats -----------------------------------------------------------------


async def test_every_stats_section_is_laid_out_whole_once_filled(
    tmp_path: Path, monkeypatch
) -> None:
    """The sections are mounted a group a frame and filled as their figures come (the
    memory sections from a process of their own, drawn as text at the sections' width):
    each ends as tall as what it shows, with no line cut off. (Setting a shown section's
    display again lost its new height: the cost section stayed one line tall.)"""
    import time

    from studyplan import memory_process

    start, take = memory_process.start, memory_process.take

    def slow_start(service, part=None):
        time.sleep(0.5)  # as on a long log: the figures come after the screen is built
        return start(service, part)

    def slow_take(child) -> None:
        time.sleep(0.2)  # and each some frames after the one before
        take(child)

    monkeypatch.setattr(memory_process, "start", slow_start)
    monkeypatch.setattr(memory_process, "take", slow_take)
    app = make_app(tmp_path)
    async with app.run_test(size=BIG) as pilot:
        await settle(app, pilot)
        await pilot.press("r", "space", "4", "escape", "enter", "t")
        await app.workers.wait_for_complete()
        for _ in range(8):  # the sections shown one a frame
            await pilot.pause()
        assert isinstance(app.screen, StatsScreen)
        sections = [w for w in app.screen.query("#stats > Static") if w.id and w.display]
        assert {"stats-memory", "stats-cost", "stats-forecast"} <= {w.id for w in sections}
        for widget in sections:
            width = widget.content_region.width
            lines = widget.get_content_height(widget.container_size, app.size, width)
            assert (widget.id, widget.region.height) == (widget.id, lines)
        assert len(text_of(app.screen.query_one("#stats-cost")).splitlines()) >= 8


async def test_stats_at_80x24_and_40x12(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=BIG) as pilot:
        await settle(app, pilot)
        await pilot.press("r", "space", "4", "escape", "enter", "t")
        await app.workers.wait_for_complete()  # the stats are counted in a worker
        await pilot.pause()
        assert isinstance(app.screen, StatsScreen)
        assert_whole(app, "#stats-streak", "#stats-heatmap")
        heatmap_height = app.screen.query_one("#stats-heatmap").region.height
        assert_focus_in_view(app)
        assert_footer(app)

        await resize(app, pilot, SMALL)
        assert_whole(app, "#stats-streak")
        assert "1-day streak" in text_of(app.screen.query_one("#stats-streak"))
        assert_footer(app, "escape", "r")
        # the heatmap keeps its rows (a wrapped map turns into noise)
        assert app.screen.query_one("#stats-heatmap").region.height == heatmap_height
        await pilot.press("end")
        await pilot.pause()
        assert visible_height(app, "#stats-cost") >= 3  # the last section, since issue 16
        await pilot.press("home")
        await pilot.pause()
        assert_whole(app, "#stats-streak")

        await resize(app, pilot, BIG)
        assert_whole(app, "#stats-streak", "#stats-heatmap")
        assert_footer(app)
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)


# -- the keys help panel -----------------------------------------------------


def help_panel(app: StudyplanApp) -> Widget | None:
    panels = app.screen.query("KeysPanel")
    return panels.first() if panels else None


async def test_keys_help_panel_at_80x24_and_40x12(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=BIG) as pilot:
        await settle(app, pilot)
        await pilot.press("f1")
        await pilot.pause()
        panel = help_panel(app)
        assert panel is not None
        assert_whole(app, panel)
        assert panel.region.width >= 30
        assert_whole(app, "#home-today")

        await resize(app, pilot, SMALL)
        panel = help_panel(app)
        assert panel is not None
        assert_whole(app, panel)
        assert panel.region.width >= 25  # the key descriptions stay readable
        await pilot.press("f1")  # it closes at 40x12
        await pilot.pause()
        assert help_panel(app) is None
        check_home(app, rows=3)
        await pilot.press("f1")
        await pilot.pause()
        assert help_panel(app) is not None

        await resize(app, pilot, BIG)
        panel = help_panel(app)
        assert panel is not None
        assert_whole(app, panel, "#home-today")
        await pilot.press("r")  # the screen's keys still work with the panel open
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        assert app.is_running
