"""Enrolling, moving between weeks and marking study done, by key presses."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from pathlib import Path

from rich.console import Console
from textual.widgets import DataTable, Input, Static

from studyplan.service import Studyplan
from studyplan.ui.app import StudyplanApp
from studyplan.ui.enrol import EnrolScreen
from studyplan.ui.plan import PlanScreen
from tests.helpers import FakeClock, write_deck

SIZE = (110, 36)
MONDAY = date(2026, 3, 2)


def make_app(tmp_path: Path, day: int = 2) -> StudyplanApp:
    folder = tmp_path / "bundled"
    write_deck(folder, "Deck", {"Q?": "A"})
    clock = FakeClock(datetime(2026, 3, day, 9, 0, tzinfo=UTC))  # 2 March is a Monday
    return StudyplanApp(
        Studyplan(tmp_path / "sp.db", tmp_path / "c.toml", clock=clock, bundled_decks=folder)
    )


def text(widget) -> str:
    console = Console(width=200, file=io.StringIO(), color_system=None)
    with console.capture() as capture:
        console.print(widget.content if isinstance(widget, Static) else widget)
    return capture.get()


def rows(table: DataTable) -> list[list[str]]:
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


async def enrol_three_month(app: StudyplanApp, pilot) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.press("p")
    await pilot.pause()
    assert "not following a study plan" in text(app.screen.query_one("#plan-empty"))
    await pilot.press("e")
    await pilot.pause()
    assert isinstance(app.screen, EnrolScreen)
    app.screen.query_one("#enrol-plan").value = "three-month"
    await pilot.pause()
    app.screen.query_one("#enrol-minutes", Input).value = "mon-fri=90,sat=120,sun=0"
    await pilot.press("ctrl+s")
    await pilot.pause()


async def test_a_learner_enrols_and_sees_this_week(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await enrol_three_month(app, pilot)
        assert isinstance(app.screen, PlanScreen)
        assert "Week of Mon 02 Mar 2026" in text(app.screen.query_one("#plan-title"))
        table = app.screen.query_one(DataTable)
        week = rows(table)
        assert week[0][0] == "Mon 02 Mar" and week[0][1] == "90"
        assert any(r[0] == "Sun 08 Mar" and "rest day" in r[3] for r in week)
        assert "on pace" in text(app.screen.query_one("#plan-standing"))
        await pilot.press("]")
        assert "Week of Mon 09 Mar 2026" in text(app.screen.query_one("#plan-title"))
        await pilot.press("[", "[")
        assert "Week of Mon 23 Feb 2026" in text(app.screen.query_one("#plan-title"))
        assert rows(app.screen.query_one(DataTable))[0][3] == "past"
        await pilot.press("t")
        assert "Week of Mon 02 Mar 2026" in text(app.screen.query_one("#plan-title"))


async def test_marking_a_block_done_moves_the_plan_on_and_undo_takes_it_back(
    tmp_path: Path,
) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await enrol_three_month(app, pilot)
        table = app.screen.query_one(DataTable)
        before = rows(table)
        table.move_cursor(row=0)
        await pilot.press("d")
        stored = app.service.conn.execute(
            "SELECT topic_id, minutes, study_day FROM study_block"
        ).fetchall()
        assert stored == [(stored[0][0], 90, "2026-03-02")]
        after = rows(app.screen.query_one(DataTable))
        assert after[0][3] == "nothing left"  # today's 90 minutes are done
        assert "1.5 of" in text(app.screen.query_one("#plan-standing"))
        await pilot.press("u")
        assert app.service.conn.execute("SELECT COUNT(*) FROM study_block").fetchone()[0] == 0
        assert rows(app.screen.query_one(DataTable)) == before


async def test_the_cursor_starts_on_todays_block_so_d_marks_it_at_once(tmp_path: Path) -> None:
    app = make_app(tmp_path, day=4)  # Wednesday: Monday and Tuesday are past
    async with app.run_test(size=SIZE) as pilot:
        await enrol_three_month(app, pilot)
        table = app.screen.query_one(DataTable)
        assert rows(table)[0][3] == "past"
        assert rows(table)[table.cursor_row][0] == "Wed 04 Mar"
        await pilot.press("d")  # no moving first
        stored = app.service.conn.execute("SELECT study_day FROM study_block").fetchall()
        assert stored == [("2026-03-04",)]
        await pilot.press("down", "]")  # another week starts on its first block, not a rest day
        week = rows(app.screen.query_one(DataTable))
        assert week[app.screen.query_one(DataTable).cursor_row][0] == "Mon 09 Mar"
        await pilot.press("t")  # back on this week: on the block after the one just done
        selected = app.screen._selected()
        assert selected is not None and selected[0] == date(2026, 3, 5)


async def test_blocks_of_other_days_cannot_be_marked_done(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await enrol_three_month(app, pilot)
        table = app.screen.query_one(DataTable)
        table.move_cursor(row=1)  # Tuesday
        await pilot.press("d")
        assert app.service.conn.execute("SELECT COUNT(*) FROM study_block").fetchone()[0] == 0
        assert any("Only today's blocks" in n.message for n in app._notifications)
        await pilot.press("f")  # a whole topic can be finished from any day
        assert app.service.conn.execute("SELECT COUNT(*) FROM topic_done").fetchone()[0] == 1


async def test_enrolling_with_no_time_is_refused_with_a_reason(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("p", "e")
        await pilot.pause()
        app.screen.query_one("#enrol-minutes", Input).value = "0,0,0,0,0,0,0"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "every day has 0 minutes" in text(app.screen.query_one("#enrol-error"))
        app.screen.query_one("#enrol-minutes", Input).value = "mon=60"
        app.screen.query_one("#enrol-start", Input).value = "2026-02-30"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "'2026-02-30' is not a date" in text(app.screen.query_one("#enrol-error"))
        assert app.service.conn.execute("SELECT COUNT(*) FROM enrolment").fetchone()[0] == 0


async def test_home_shows_todays_plan_after_enrolling(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await enrol_three_month(app, pilot)
        await pilot.press("escape")
        await pilot.pause()
        assert "Plan today: 90 min" in text(app.screen.query_one("#home-plan"))
