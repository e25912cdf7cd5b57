"""The plan week and the enrol form at 80x24 and 40x12."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable

from studyplan.ui.app import StudyplanApp
from studyplan.ui.enrol import EnrolScreen
from studyplan.ui.plan import PlanScreen
from tests.ui.terminal_size import (
    BIG,
    SMALL,
    assert_focus_in_view,
    assert_footer,
    assert_whole,
    make_app,
    resize,
    settle,
    text_of,
    visible_height,
)

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
        await pilot.press("t")  # this week again: the cursor is on today's (Monday's) block
        await pilot.press("d")
        await pilot.pause()
        study = app.service.conn.execute("SELECT study_day FROM study_block").fetchall()
        assert study == [("2026-03-02",)]

        await resize(app, pilot, BIG)
        check_week(app, "Mon 02 Mar 2026")
        table = app.screen.query_one("#plan-week", DataTable)
        assert [str(c.label) for c in table.columns.values()] == ["Day", "Min", "Topic"]
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
