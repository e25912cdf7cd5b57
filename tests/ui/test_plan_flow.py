"""Enrolling, moving between weeks and marking study done, by key presses."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from textual.widgets import DataTable, Input

from studyplan.ui.enrol import EnrolScreen
from studyplan.ui.plan import PlanScreen
from tests.ui.plan_app import enrol, make_app, rows, settle, text

SIZE = (110, 36)
PY = "Python essentials: types, control flow, functions and comprehensions"


async def test_a_learner_enrols_and_sees_this_week(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("p")
        await pilot.pause()
        assert "not following a study plan" in text(app.screen.query_one("#plan-empty"))
        await enrol(app, pilot)
        assert isinstance(app.screen, PlanScreen)
        assert "Week of Mon 02 Mar 2026" in text(app.screen.query_one("#plan-title"))
        table = app.screen.query_one(DataTable)
        assert [str(c.label) for c in table.columns.values()] == ["Day", "Min", "Topic"]
        week = rows(table)
        # Flashcard time first (the deck's 3 new cards: a 5-minute sitting), then the topic.
        assert week[0] == ["Mon 02 Mar", "5", "Flashcard review"]
        assert week[1] == ["", "85", f"{PY} (continues)"]
        assert any(r[0] == "Sun 08 Mar" and "rest day" in r[2] for r in week)
        assert "on pace" in text(app.screen.query_one("#plan-standing"))
        await pilot.press("]")
        assert "Week of Mon 09 Mar 2026" in text(app.screen.query_one("#plan-title"))
        await pilot.press("[", "[")
        assert "Week of Mon 23 Feb 2026" in text(app.screen.query_one("#plan-title"))
        assert rows(app.screen.query_one(DataTable))[0][2] == "nothing recorded"
        await pilot.press("t")
        assert "Week of Mon 02 Mar 2026" in text(app.screen.query_one("#plan-title"))


async def test_a_block_done_stays_visible_with_a_tick_and_undo_takes_it_back(
    tmp_path: Path,
) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await enrol(app, pilot)
        table = app.screen.query_one(DataTable)
        before = rows(table)
        assert app.screen._selected_row()[1].block is not None  # the cursor is on today's block
        await pilot.press("space")  # space is "show answer" in review: it never marks done
        assert app.service.conn.execute("SELECT COUNT(*) FROM study_block").fetchone()[0] == 0
        await pilot.press("d")
        stored = app.service.conn.execute(
            "SELECT topic_id, minutes, study_day FROM study_block"
        ).fetchall()
        assert stored == [("py", 85, "2026-03-02")]
        today = [
            r for r in rows(app.screen.query_one(DataTable)) if r[0] == "Mon 02 Mar" or r[0] == ""
        ][:3]
        assert ["", "✓85", f"✓ {PY}"] in today or ["", "✓85", f"✓ {PY}"] == today[1]
        assert all("nothing left" not in r[2] for r in rows(app.screen.query_one(DataTable))[:3])
        assert "1.4 of" in text(app.screen.query_one("#plan-standing"))
        await pilot.press("u")
        assert app.service.conn.execute("SELECT COUNT(*) FROM study_block").fetchone()[0] == 0
        assert rows(app.screen.query_one(DataTable)) == before


async def test_the_cursor_starts_on_todays_block_so_d_marks_it_at_once(tmp_path: Path) -> None:
    app = make_app(tmp_path, day=4)  # Wednesday: Monday and Tuesday are past
    async with app.run_test(size=SIZE) as pilot:
        await enrol(app, pilot)
        table = app.screen.query_one(DataTable)
        assert rows(table)[0][2] == "nothing recorded"
        assert app.screen._selected_row()[0] == date(2026, 3, 4)
        await pilot.press("d")  # no moving first
        stored = app.service.conn.execute("SELECT study_day FROM study_block").fetchall()
        assert stored == [("2026-03-04",)]
        await pilot.press("]")  # another week starts on its first block, not a rest day
        assert app.screen._selected_row()[0] == date(2026, 3, 9)
        await pilot.press("t")
        selected = app.screen._selected_row()
        assert selected is not None and selected[0] == date(2026, 3, 5)


async def test_blocks_of_other_days_cannot_be_marked_done(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await enrol(app, pilot)
        table = app.screen.query_one(DataTable)
        tuesday = next(i for i, r in enumerate(rows(table)) if r[0] == "Tue 03 Mar")
        table.move_cursor(row=tuesday + 1)  # Tuesday's block, after its review row
        await pilot.press("d")
        assert app.service.conn.execute("SELECT COUNT(*) FROM study_block").fetchone()[0] == 0
        assert any("Only today's blocks" in n.message for n in app._notifications)
        await pilot.press("f")  # a whole topic can be finished from any day
        assert app.service.conn.execute("SELECT COUNT(*) FROM topic_done").fetchone()[0] == 1


async def test_enrolling_with_no_time_or_a_far_date_is_refused_with_a_reason(
    tmp_path: Path,
) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
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
        app.screen.query_one("#enrol-start", Input).value = "9999-12-31"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "9999-12-31 is out of range" in text(app.screen.query_one("#enrol-error"))
        assert app.service.conn.execute("SELECT COUNT(*) FROM enrolment").fetchone()[0] == 0


async def test_the_form_opens_on_the_enrolment_and_changing_minutes_keeps_the_start(
    tmp_path: Path,
) -> None:
    app = make_app(tmp_path, day=4)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("p", "e")
        await pilot.pause()
        form = app.screen
        assert form.query_one("#enrol-minutes", Input).value == "mon-fri=65,sat=95,sun=0"  # 7 h
        assert "asks for 7 h a week (9 h over 2 weeks)" in text(form.query_one("#enrol-info"))
        form.query_one("#enrol-start", Input).value = "2026-03-02"
        await pilot.press("ctrl+s")
        await pilot.pause()
        app.service.clock.advance(days=7)
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, EnrolScreen)
        assert app.screen.query_one("#enrol-start", Input).value == "2026-03-02"
        assert str(app.screen.query_one("#enrol-ok").label) == "Save"
        app.screen.query_one("#enrol-minutes", Input).value = "mon-sun=30"
        await pilot.pause()
        assert "At 3.5 h a week you would finish about" in text(app.screen.query_one("#enrol-info"))
        await pilot.press("ctrl+s")
        await pilot.pause()
        start, minutes = app.service.conn.execute(
            "SELECT start, weekly_minutes FROM enrolment"
        ).fetchone()
        assert (start, minutes) == ("2026-03-02", "30,30,30,30,30,30,30")


async def test_home_shows_todays_plan_after_enrolling(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await enrol(app, pilot)
        await pilot.press("escape")
        await pilot.pause()
        assert "Plan today: 85 min" in text(app.screen.query_one("#home-plan"))


async def test_two_plans_show_a_plan_column(tmp_path: Path) -> None:
    app = make_app(tmp_path, other=True)
    async with app.run_test(size=SIZE) as pilot:
        await enrol(app, pilot)
        await pilot.press("e")
        await pilot.pause()
        app.screen.query_one("#enrol-plan").value = "papers"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        assert [str(c.label) for c in table.columns.values()] == ["Day", "Min", "Plan", "Topic"]
        assert {r[2] for r in rows(table)} >= {"small", "papers"}
