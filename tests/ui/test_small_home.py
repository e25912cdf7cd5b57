"""Home at 80x24, squeezed to 40x12 and grown back, driven by real key presses."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable

from studyplan.ui.app import StudyplanApp
from studyplan.ui.review import ReviewScreen
from studyplan.ui.settings import SettingsScreen
from tests.ui.terminal_size import (
    BIG,
    SMALL,
    assert_footer,
    assert_whole,
    check_home,
    footer_keys,
    make_app,
    resize,
    settle,
)

# -- home ------------------------------------------------------------------


async def test_home_at_80x24_and_40x12(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=BIG) as pilot:
        await settle(app, pilot)
        check_home(app, rows=3)
        assert_whole(app, "#home-streak", "#home-plan")
        # under 30 rows the decks get the heatmap's room; it is on Stats (t)
        assert not app.screen.query_one("#home-heatmap").display
        assert_footer(app)

        await resize(app, pilot, (100, 32))
        check_home(app, rows=3)
        assert_whole(app, "#home-streak", "#home-heatmap", "#home-plan")

        await resize(app, pilot, SMALL)
        check_home(app, rows=3)
        assert_footer(app, "r", "p", "t", "q", "f1")  # s leaves the footer for q and f1
        assert "s" not in footer_keys(app)
        await pilot.press("s")  # ... and still opens the settings
        await pilot.pause()
        assert isinstance(app.screen, SettingsScreen)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("down", "enter")  # review the Capitals deck from the table
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        assert app.screen.deck_title == "Capitals"
        await pilot.press("escape", "enter")
        await pilot.pause()

        await resize(app, pilot, BIG)
        check_home(app, rows=3)
        assert_whole(app, "#home-streak", "#home-plan")
        assert_footer(app)
        assert "s" in footer_keys(app)
        assert app.is_running


def deck_columns(app: StudyplanApp) -> list[str]:
    table = app.screen.query_one("#decks", DataTable)
    return [str(column.label) for column in table.ordered_columns]


async def test_a_long_deck_name_at_40_columns_is_cut_and_the_counts_stay(tmp_path: Path) -> None:
    name = "Algorithms and data structures for coding interviews"
    app = make_app(tmp_path, deck=name)
    async with app.run_test(size=BIG) as pilot:
        await settle(app, pilot)
        assert deck_columns(app) == ["Deck", "Due", "Unseen", "Cards"]
        await resize(app, pilot, SMALL)
        assert deck_columns(app) == ["Due", "Unseen", "Deck"]
        table = app.screen.query_one("#decks", DataTable)
        assert table.get_row_at(1)[2].plain == name  # whole in the cell, cut on screen
        counts_width = sum(c.get_render_width(table) for c in table.ordered_columns[:2])
        assert counts_width <= app.screen.find_widget(table).visible_region.width
        assert [cell.plain for cell in table.get_row_at(1)[:2]] == ["0", "3"]
        await pilot.press("down", "enter")  # the row still opens its deck
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen) and app.screen.deck_title == name
        await pilot.press("escape", "enter")
        await pilot.pause()
        await resize(app, pilot, BIG)
        assert deck_columns(app) == ["Deck", "Due", "Unseen", "Cards"]
        assert table.get_row_at(1)[0].plain == name
