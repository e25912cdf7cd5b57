"""Every screen at 80x24, squeezed to 40x12 and grown back, driven by real key presses.

At 80x24 everything a learner acts on is whole on screen, with every footer key
readable. At 40x12 the essentials stay in view and the keys still work; back at
80x24 the screen is whole again.
"""

from __future__ import annotations

import io
from pathlib import Path

from rich.console import Console
from textual.widget import Widget
from textual.widgets import DataTable, Input, Static
from textual.widgets._footer import FooterKey

from studyplan.ui.app import StudyplanApp, build_app
from studyplan.ui.cardview import CardView
from studyplan.ui.enrol import EnrolScreen
from studyplan.ui.home import HomeScreen
from studyplan.ui.plan import PlanScreen
from studyplan.ui.review import ReviewScreen
from studyplan.ui.settings import SettingsScreen
from studyplan.ui.stats import StatsScreen
from studyplan.ui.summary import SummaryScreen
from tests.helpers import FakeClock, write_deck

BIG = (80, 24)
SMALL = (40, 12)
CARDS = {
    "What is the capital of France?": "Paris, on the Seine.",
    "What is the capital of Italy?": "Rome, on the Tiber.",
    "What is the capital of Spain?": "Madrid, in the middle.",
}


def make_app(tmp_path: Path, deck: str = "Capitals") -> StudyplanApp:
    folder = tmp_path / "bundled"
    write_deck(folder, deck, CARDS)
    return build_app(
        tmp_path / "sp.db", tmp_path / "c.toml", clock=FakeClock(), bundled_decks=folder
    )


async def settle(app: StudyplanApp, pilot) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()


async def resize(app: StudyplanApp, pilot, size: tuple[int, int]) -> None:
    await pilot.resize_terminal(*size)
    await settle(app, pilot)
    assert app.screen.size == size


def text_of(widget: Widget) -> str:
    content = widget.content if isinstance(widget, Static) else widget
    console = Console(width=200, file=io.StringIO(), color_system=None)
    with console.capture() as capture:
        console.print(content)
    return capture.get()


def widget(app: StudyplanApp, target: str | type[Widget] | Widget) -> Widget:
    return target if isinstance(target, Widget) else app.screen.query_one(target)


def assert_whole(app: StudyplanApp, *targets: str | type[Widget] | Widget) -> None:
    """Each widget is laid out, has a size and is on screen uncut."""
    for target in targets:
        found = widget(app, target)
        geometry = app.screen.find_widget(found)  # NoWidget when it is not laid out
        assert geometry.region.width and geometry.region.height, f"{target} has no size"
        assert geometry.visible_region == geometry.region, (
            f"{target} is cut at {app.size}: {geometry.region} shows {geometry.visible_region}"
        )


def visible_height(app: StudyplanApp, target: str | Widget) -> int:
    return app.screen.find_widget(widget(app, target)).visible_region.height


def assert_focus_in_view(app: StudyplanApp) -> None:
    focused = app.screen.focused
    if focused is not None:
        assert app.screen.find_widget(focused).visible_region.area, f"{focused} is out of view"


def footer_keys(app: StudyplanApp) -> dict[str, bool]:
    """Each footer key, and whether it is whole on screen."""
    keys = {}
    for key in app.screen.query(FooterKey):
        if "-command-palette" in key.classes or not key.display:
            continue
        geometry = app.screen.find_widget(key)
        keys[key.key] = bool(geometry.region.area) and geometry.visible_region == geometry.region
    return keys


def assert_footer(app: StudyplanApp, *essential: str) -> None:
    """The essential keys are whole in the footer (all of them when none are named)."""
    keys = footer_keys(app)
    assert keys, "no footer keys"
    wanted = essential or tuple(keys)
    cut = [key for key in wanted if not keys.get(key)]
    assert not cut, f"footer keys cut or missing at {app.size}: {cut} of {keys}"


def card_in_view(app: StudyplanApp) -> str:
    """The card's lines that are inside the card view right now."""
    view = app.screen.query_one(CardView)
    top = view.scroll_offset.y
    return "\n".join(view.text.splitlines()[top : top + view.size.height])


# -- home ------------------------------------------------------------------


def check_home(app: StudyplanApp, rows: int) -> None:
    assert isinstance(app.screen, HomeScreen)
    assert_whole(app, "#home-title", "#home-today")
    assert "3 new" in text_of(app.screen.query_one("#home-today"))
    assert app.screen.find_widget(app.screen.query_one("#home-today")).region.width >= 30
    assert visible_height(app, "#decks") >= rows  # the header, All decks and Capitals
    assert_focus_in_view(app)


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
        assert deck_columns(app) == ["Deck", "Due", "New", "Cards"]
        await resize(app, pilot, SMALL)
        assert deck_columns(app) == ["Due", "New", "Deck"]
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
        assert deck_columns(app) == ["Deck", "Due", "New", "Cards"]
        assert table.get_row_at(1)[0].plain == name


# -- review ----------------------------------------------------------------


def answers(app: StudyplanApp) -> list[tuple[str, int]]:
    return app.service.conn.execute(
        "SELECT card.front, review.grade FROM review JOIN card ON card.id = review.card_id "
        "ORDER BY review.id"
    ).fetchall()


def check_question(app: StudyplanApp, *footer: str) -> str:
    assert isinstance(app.screen, ReviewScreen)
    assert_whole(app, "#review-status", CardView, "#grade-bar")
    shown = card_in_view(app)
    front = next(front for front in CARDS if front in shown)
    assert CARDS[front] not in app.screen.query_one(CardView).text
    assert "space" in text_of(app.screen.query_one("#grade-bar"))
    assert_footer(app, *footer)
    return front


def check_answer(app: StudyplanApp, front: str, *footer: str) -> None:
    assert_whole(app, "#review-status", CardView, "#grade-bar")
    shown = card_in_view(app)
    assert front in shown and CARDS[front] in shown
    bar = text_of(app.screen.query_one("#grade-bar"))
    assert all(f" {g} " in bar for g in range(6)), bar
    assert_footer(app, *footer)


async def test_review_question_and_answer_at_80x24_and_40x12(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=BIG) as pilot:
        await settle(app, pilot)
        await pilot.press("r")
        await pilot.pause()
        first = check_question(app)
        await pilot.press("space")
        check_answer(app, first)

        await resize(app, pilot, SMALL)  # the answer is on screen
        check_answer(app, first, "space", "u", "escape")
        await pilot.press("4")
        assert answers(app) == [(first, 4)]
        second = check_question(app, "space", "u", "escape")

        await resize(app, pilot, BIG)  # the question is on screen
        assert check_question(app) == second
        await resize(app, pilot, SMALL)
        await pilot.press("space")
        check_answer(app, second, "space", "u", "escape")
        await pilot.press("5")
        assert answers(app) == [(first, 4), (second, 5)]
        third = check_question(app, "space", "u", "escape")

        await resize(app, pilot, BIG)
        assert check_question(app) == third
        await pilot.press("space")
        check_answer(app, third)
        assert app.is_running


# -- session summary -------------------------------------------------------


async def test_session_summary_at_80x24_and_40x12(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=BIG) as pilot:
        await settle(app, pilot)
        await pilot.press("r", "space", "5", "space", "2", "escape")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        whole = ("#summary-headline", "#summary-figures", "#summary-grades")
        assert_whole(app, *whole)
        assert_footer(app)

        await resize(app, pilot, SMALL)
        assert_whole(app, "#summary-headline")
        assert_footer(app, "enter", "q")
        await pilot.press("end")  # the grades are below: the summary scrolls to them
        await pilot.pause()
        assert_whole(app, "#summary-grades")
        assert "blackout" in text_of(app.screen.query_one("#summary-grades"))

        await resize(app, pilot, BIG)
        await pilot.press("home")
        await pilot.pause()
        assert_whole(app, *whole)
        assert_footer(app)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


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
        for _ in range(len(app.screen.query(Input)) - 1):
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


# -- plan week and the enrol form --------------------------------------------


async def open_enrol_form(app: StudyplanApp, pilot) -> None:
    await settle(app, pilot)
    await pilot.press("p", "e")
    await pilot.pause()
    assert isinstance(app.screen, EnrolScreen)


def check_week(app: StudyplanApp, monday: str) -> None:
    assert isinstance(app.screen, PlanScreen)
    assert_whole(app, "#plan-title")
    assert f"Week of {monday}" in text_of(app.screen.query_one("#plan-title"))
    table = app.screen.query_one("#plan-week", DataTable)
    assert visible_height(app, table) >= min(table.row_count + 1, 9)
    columns = list(table.columns.values())
    before_topic = sum(c.get_render_width(table) for c in columns[:-1])
    assert str(columns[-1].label) == "Topic"
    assert table.size.width - before_topic >= 15, "the topic column is off screen"
    assert_focus_in_view(app)


async def test_plan_week_with_an_enrolment_at_80x24_and_40x12(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=BIG) as pilot:
        await open_enrol_form(app, pilot)
        await pilot.press("ctrl+s")
        await pilot.pause()
        check_week(app, "Mon 02 Mar 2026")
        assert_whole(app, "#plan-standing")
        assert "on pace" in text_of(app.screen.query_one("#plan-standing"))
        assert_footer(app)

        await resize(app, pilot, SMALL)
        check_week(app, "Mon 02 Mar 2026")
        await pilot.press("]")
        check_week(app, "Mon 09 Mar 2026")
        await pilot.press("[")
        check_week(app, "Mon 02 Mar 2026")
        app.screen.query_one("#plan-week", DataTable).move_cursor(row=0)  # today, Monday
        await pilot.press("d")
        await pilot.pause()
        study = app.service.conn.execute("SELECT study_day FROM study_block").fetchall()
        assert study == [("2026-03-02",)]

        await resize(app, pilot, BIG)
        check_week(app, "Mon 02 Mar 2026")
        table = app.screen.query_one("#plan-week", DataTable)
        assert [str(c.label) for c in table.columns.values()] == ["Day", "Min", "Plan", "Topic"]
        assert_whole(app, "#plan-standing")
        assert_footer(app)
        await pilot.press("u")
        await pilot.pause()
        assert app.service.conn.execute("SELECT COUNT(*) FROM study_block").fetchone()[0] == 0


async def test_the_enrol_form_at_80x24_and_40x12(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=BIG) as pilot:
        await open_enrol_form(app, pilot)
        assert_whole(app, "#enrol-plan")
        assert_focus_in_view(app)
        while app.screen.focused is not app.screen.query_one("#enrol-ok"):
            await pilot.press("tab")  # every field and the buttons scroll into view
            await pilot.pause()
            assert_whole(app, app.screen.focused)

        await resize(app, pilot, SMALL)
        assert_whole(app, app.screen.focused)
        await pilot.press("escape")  # the modal closes at 40x12
        await pilot.pause()
        assert isinstance(app.screen, PlanScreen)
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, EnrolScreen)
        assert_focus_in_view(app)
        while app.screen.focused is not app.screen.query_one("#enrol-share"):
            await pilot.press("tab")
            await pilot.pause()
            assert_whole(app, app.screen.focused)
            assert app.screen.focused.region.width >= 12
        await pilot.press("end", "backspace", "backspace", "backspace", "x", "ctrl+s")
        await pilot.pause()
        await pilot.pause()
        assert "share must be a number" in text_of(app.screen.query_one("#enrol-error"))
        assert_whole(app, "#enrol-error")

        await resize(app, pilot, BIG)
        assert_whole(app, app.screen.focused, "#enrol-error")
        await pilot.press("backspace", "1")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, PlanScreen)
        assert app.service.conn.execute("SELECT COUNT(*) FROM enrolment").fetchone()[0] == 1


# -- stats -----------------------------------------------------------------


async def test_stats_at_80x24_and_40x12(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=BIG) as pilot:
        await settle(app, pilot)
        await pilot.press("r", "space", "4", "escape", "enter", "t")
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
        assert visible_height(app, "#stats-retention") >= 3
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
    panels = app.screen.query("HelpPanel")
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
