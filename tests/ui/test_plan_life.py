"""The Plan screen's ways to follow real life, by key presses at 80x24 and 40x12: a study
timer, time off, the overview, leaving a plan, catching up, spreading reviews."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from textual.widgets import DataTable, Input

from studyplan.ui.confirm import ConfirmScreen
from studyplan.ui.enrol import EnrolScreen
from studyplan.ui.home import HomeScreen
from studyplan.ui.overview import OverviewScreen
from studyplan.ui.plan import PlanScreen
from studyplan.ui.timeoff import TimeOffScreen
from tests.helpers import answer_on
from tests.ui.plan_app import enrol, make_app, rows, settle, text
from tests.ui.terminal_size import BIG, SMALL, assert_footer, assert_whole, resize

PY = "Python essentials: types, control flow, functions and comprehensions"


async def test_the_timer_starts_pauses_and_logs_what_was_spent(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    clock = app.service.clock
    async with app.run_test(size=BIG) as pilot:
        await enrol(app, pilot)
        assert not app.screen.query_one("#plan-timer").display
        await pilot.press("s")  # on today's block, where the cursor starts
        await pilot.pause()
        assert_whole(app, "#plan-timer")
        clock.advance(minutes=25, seconds=10)
        app.screen._show_timer()
        assert text(app.screen.query_one("#plan-timer")).startswith(f"⏱ 25:10 {PY} (running")
        await pilot.press("s")  # pause: the clock runs on, the timer does not
        clock.advance(minutes=30)
        await pilot.press("s")  # go on
        clock.advance(minutes=20)
        await resize(app, pilot, SMALL)
        assert_whole(app, "#plan-timer")
        await pilot.press("x")
        await pilot.pause()
        stored = app.service.conn.execute(
            "SELECT topic_id, minutes, kind FROM study_block"
        ).fetchall()
        assert stored == [("py", 45, "timer")]
        assert any("Logged 45 min of" in n.message for n in app._notifications)
        assert not app.screen.query_one("#plan-timer").display
        await resize(app, pilot, BIG)
        assert any(r[1] == "✓45" for r in rows(app.screen.query_one(DataTable)))
        await pilot.press("u")
        assert app.service.conn.execute("SELECT COUNT(*) FROM study_block").fetchone()[0] == 0


async def test_time_off_is_added_from_the_plan_screen_and_undone(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=BIG) as pilot:
        await enrol(app, pilot)
        await pilot.press("o")
        await pilot.pause()
        assert isinstance(app.screen, TimeOffScreen)
        for name in ("#timeoff-first", "#timeoff-last", "#timeoff-note", "#timeoff-add"):
            assert_whole(app, name)
        app.screen.query_one("#timeoff-first", Input).value = "2026-03-04"
        app.screen.query_one("#timeoff-last", Input).value = "2026-03-03"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "is before the first" in text(app.screen.query_one("#timeoff-error"))
        app.screen.query_one("#timeoff-last", Input).value = "2026-03-05"
        app.screen.query_one("#timeoff-note", Input).value = "conference"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Wed 4 Mar 2026 - Thu 5 Mar 2026 (2 days): conference" in text(
            app.screen.query_one("#timeoff-list", DataTable).get_row_at(0)[0]
        )
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, PlanScreen)
        week = rows(app.screen.query_one(DataTable))
        wednesday = next(i for i, r in enumerate(week) if r[0] == "Wed 04 Mar")
        assert week[wednesday][2] == "time off: conference"
        await pilot.press("u")
        await pilot.pause()
        assert app.service.conn.execute("SELECT COUNT(*) FROM time_off").fetchone()[0] == 0


async def test_time_off_at_40x12(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SMALL) as pilot:
        await enrol(app, pilot)
        await pilot.press("o")
        await pilot.pause()
        assert isinstance(app.screen, TimeOffScreen)
        assert_whole(app, "#timeoff-first")
        app.screen.query_one("#timeoff-last", Input).value = "2026-03-03"
        await pilot.press("enter")
        await pilot.pause()
        assert app.service.conn.execute("SELECT first_day, last_day FROM time_off").fetchall() == [
            ("2026-03-02", "2026-03-03")
        ]
        app.screen.query_one("#timeoff-list", DataTable).focus()
        await pilot.press("delete")
        await pilot.pause()
        assert app.service.conn.execute("SELECT COUNT(*) FROM time_off").fetchone()[0] == 0
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, PlanScreen)


async def test_the_overview_at_80x24_and_40x12(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=BIG) as pilot:
        await enrol(app, pilot)
        await pilot.press("v")
        await pilot.pause()
        assert isinstance(app.screen, OverviewScreen)
        shown = text(app.screen.query_one("#overview-text"))
        lines = shown.splitlines()
        assert lines[0] == "A small plan: Python to pandas"
        assert "▼ today" in shown and "▶ Start" in shown and "0/5 h" in shown
        assert all(len(line) <= 76 for line in lines)
        await pilot.press("p")  # use my pace: not known yet, said in one sentence
        assert any("your pace is not known yet" in n.message for n in app._notifications)
        await resize(app, pilot, SMALL)
        narrow = text(app.screen.query_one("#overview-text")).splitlines()
        assert all(len(line) <= 40 for line in narrow)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, PlanScreen)


async def test_leaving_a_plan_asks_first_and_keeps_progress(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=BIG) as pilot:
        await enrol(app, pilot)
        await pilot.press("d", "l")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await pilot.pause()
        assert app.service.conn.execute("SELECT active FROM enrolment").fetchone() == (1,)
        await pilot.press("l")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, PlanScreen)
        assert app.service.conn.execute("SELECT active FROM enrolment").fetchone() == (0,)
        assert "not following a study plan" in text(app.screen.query_one("#plan-empty"))
        assert app.service.conn.execute("SELECT COUNT(*) FROM study_block").fetchone()[0] == 1


async def test_a_far_future_enrolment_can_be_left_from_the_plan_screen(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    conn = app.service.conn
    conn.execute(
        "INSERT INTO enrolment (plan_id, start, starting_point, weekly_minutes, enrolled_at) "
        "VALUES ('small', '9999-12-31', 'default', '60,60,60,60,60,60,60', '2026-01-01')"
    )
    conn.commit()
    async with app.run_test(size=SMALL) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("p")
        await pilot.pause()
        assert "9999-12-31 is out of range" in text(app.screen.query_one("#plan-empty"))
        await pilot.press("l")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert conn.execute("SELECT active FROM enrolment").fetchone() == (0,)


async def test_behind_the_learner_keeps_the_target_with_k_and_undoes_it(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=BIG) as pilot:
        await enrol(app, pilot, minutes="mon-fri=40,sat=0,sun=0")
        await pilot.press("escape")
        app.service.clock.advance(days=9)  # Wednesday of week two: nothing done
        await pilot.press("p")
        await pilot.pause()
        standing = text(app.screen.query_one("#plan-standing"))
        assert "behind" in standing and "(K)" in standing and "(M)" in standing
        await pilot.press("K")
        await pilot.pause()
        minutes = app.service.conn.execute("SELECT weekly_minutes FROM enrolment").fetchone()[0]
        assert minutes != "40,40,40,40,40,0,0" and minutes.endswith(",0,0")
        assert "(K)" not in text(app.screen.query_one("#plan-standing"))
        await pilot.press("u")
        await pilot.pause()
        assert app.service.conn.execute("SELECT weekly_minutes FROM enrolment").fetchone() == (
            "40,40,40,40,40,0,0",
        )
        await pilot.press("M")
        await pilot.pause()
        assert app.service.conn.execute("SELECT target_days FROM enrolment").fetchone()[0] > 14
        assert app.service.conn.execute("SELECT COUNT(*) FROM plan_change").fetchone()[0] == 2


async def test_reviews_waiting_after_time_off_are_spread_with_w(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    sp = app.service
    async with app.run_test(size=BIG) as pilot:
        await enrol(app, pilot)
        for (card,) in sp.conn.execute("SELECT id FROM card").fetchall():
            answer_on(sp, card, date(2026, 3, 2))
        sp.clock.advance(days=1)
        sp.conn.execute(
            "INSERT INTO time_off (first_day, last_day, note, added_at) "
            "VALUES ('2026-03-03', '2026-03-08', 'away', '')"
        )
        sp.conn.commit()
        app.screen.show_week()
        await pilot.pause()
        standing = text(app.screen.query_one("#plan-standing"))
        assert "3 cards will be due when you are back on Mon 09 Mar" in standing
        await pilot.press("w")
        await pilot.pause()
        dues = sorted(r[0] for r in sp.conn.execute("SELECT due FROM card"))
        assert dues == ["2026-03-09", "2026-03-10", "2026-03-12"]  # 3 cards over 5 days
        await pilot.press("u")
        await pilot.pause()
        assert {r[0] for r in sp.conn.execute("SELECT due FROM card")} == {"2026-03-03"}


async def test_the_enrol_form_buttons_are_on_screen_at_80x24_without_scrolling(
    tmp_path: Path,
) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=BIG) as pilot:
        await settle(app, pilot)
        await pilot.press("p", "e")
        await pilot.pause()
        assert isinstance(app.screen, EnrolScreen)
        assert_whole(app, "#enrol-ok", "#enrol-cancel", "#enrol-plan", "#enrol-info")
        await resize(app, pilot, SMALL)
        assert_whole(app, "#enrol-ok", "#enrol-cancel")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, PlanScreen)


async def test_the_plan_footer_keeps_its_keys_whole_at_80_60_and_40_columns(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=BIG) as pilot:
        await enrol(app, pilot)
        assert_footer(app)
        await resize(app, pilot, (60, 20))
        assert_footer(app)
        await resize(app, pilot, SMALL)
        assert_footer(app, "d", "escape", "f1")
        assert_footer(app)
