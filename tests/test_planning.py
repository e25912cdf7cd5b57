"""The Planner over a real database: enrolments, time recorded, time off, choices, imported
plans and the calendar, with a fixed clock and small plans written here."""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from icalendar import Calendar

from studyplan.core.errors import SourceError
from studyplan.planning import PlanInputError, Planner
from studyplan.progress import Progress as StreakProgress
from studyplan.service import Studyplan
from tests.helpers import FakeClock, answer_on, write_deck

MONDAY = date(2026, 3, 2)
PLAN = """+++
id = "small"
title = "A small plan: three topics"
hours_per_week = "5"
+++

## Start {#start weeks=1}

- Python basics {#basics hours=3 tags=python}
  - Resource: [The Python tutorial](https://docs.python.org/3/tutorial/)
  - Deliverable: a notebook on GitHub
- NumPy {#numpy hours=2 tags=numpy after=basics}

## Next {#next weeks=1}

- pandas {#pandas hours=3 tags=pandas after=numpy}
"""
OTHER = """+++
id = "other"
title = "Another plan"
+++

## Only {weeks=4}

- Reading papers {#papers hours=20}
"""


def dump(conn: sqlite3.Connection) -> list:
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    return [(t, conn.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall()) for t in sorted(tables)]


@pytest.fixture
def planner(tmp_path: Path):
    decks = tmp_path / "decks"
    write_deck(decks, "Python", {f"What is {n}?": f"{n}" for n in range(40)})
    (decks / "tags.toml").write_text('[tags]\npython = ""\nnumpy = ""\npandas = ""\n', "utf-8")
    plans = tmp_path / "plans"
    plans.mkdir()
    (plans / "small.md").write_text(PLAN, "utf-8")
    clock = FakeClock(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
    sp = Studyplan(tmp_path / "sp.db", tmp_path / "c.toml", clock=clock, bundled_decks=decks)
    sp.sync_decks()
    yield Planner(sp, plans_dir=plans)
    sp.close()


def week_of(planner: Planner, day: date | None = None) -> list[list[tuple[str, int]]]:
    week = planner.week(day)
    assert week is not None
    return [[(b.topic.id, b.minutes) for b in d.blocks] for d in week.days]


def test_changing_the_minutes_keeps_the_start_and_the_history(planner: Planner) -> None:
    planner.enrol("small", None, None, (60,) * 7)
    planner.log_time("basics", 45)
    planner.studyplan.clock.advance(days=9)
    changed = planner.enrol("small", None, None, (90,) * 7)
    assert changed.start == MONDAY
    assert planner.repo.progress("small", planner.studyplan.today()).spent("basics") == 45
    assert planner.default_week("small") == (90,) * 7  # the form opens on what is enrolled


def test_a_new_enrolment_defaults_to_the_hours_the_plan_asks_for(planner: Planner) -> None:
    assert planner.default_week("small") == (45, 45, 45, 45, 45, 75, 0)
    preview = planner.preview("small", MONDAY, "default", (45, 45, 45, 45, 45, 75, 0))
    assert "asks for 5 h a week (8 h over 2 weeks)" in preview.sentence()
    assert preview.finish is not None and preview.finish > MONDAY


def test_the_first_plans_finish_moves_when_a_second_plan_takes_time(planner: Planner) -> None:
    (planner.plans_dir / "other.md").write_text(OTHER, "utf-8")
    planner.enrol("small", MONDAY, None, (60,) * 7)
    alone = dict((p.id, s) for p, s in planner.standings())["small"].projected_finish
    fresh = Planner(planner.studyplan, plans_dir=planner.plans_dir)
    fresh.enrol("other", MONDAY, None, (60,) * 7)
    together = dict((p.id, s) for p, s in fresh.standings())["small"].projected_finish
    assert alone is not None and together is not None and together > alone


def test_time_off_moves_the_plan_bridges_the_streak_and_counts_the_reviews_waiting(
    planner: Planner,
) -> None:
    sp = planner.studyplan
    planner.enrol("small", MONDAY, None, (60,) * 7)
    before = week_of(planner)
    off = planner.time_off.add(date(2026, 3, 3), date(2026, 3, 5), "travel")
    after = week_of(planner)
    assert after[1:4] == [[], [], []] and after[0] == before[0]
    with pytest.raises(PlanInputError, match="overlaps your time off"):
        planner.time_off.add(date(2026, 3, 5), date(2026, 3, 6))
    # Cards answered on Monday fall due during the time off and wait for the return.
    card_ids = [r[0] for r in sp.conn.execute("SELECT id FROM card ORDER BY id LIMIT 12")]
    for card in card_ids:
        answer_on(sp, card, MONDAY)
    waiting = planner.time_off.on_return()
    assert waiting is not None and waiting.time_off == off
    assert waiting.back == date(2026, 3, 6) and waiting.due == 12
    batch, moved, _ = planner.time_off.spread(3)
    dues = sorted(r[0] for r in sp.conn.execute("SELECT due FROM card WHERE due IS NOT NULL"))
    assert dues == ["2026-03-06"] * 4 + ["2026-03-07"] * 4 + ["2026-03-08"] * 4
    assert moved == 12
    assert planner.time_off.unspread(batch) == 12
    assert {r[0] for r in sp.conn.execute("SELECT due FROM card WHERE due IS NOT NULL")} == {
        "2026-03-03"
    }
    sp.clock.advance(days=4)  # Friday 6 March: back, nothing studied since Monday
    streak = StreakProgress(sp).streak(spend=False)
    assert streak.summary.current == 1 and streak.summary.bridged_days_in_current == 3
    assert streak.summary.frozen_days_in_current == 0 and not streak.newly_frozen


def test_logging_time_and_the_timer_record_actual_minutes(planner: Planner) -> None:
    sp = planner.studyplan
    planner.enrol("small", MONDAY, None, (60,) * 7)
    sp.clock.advance(days=1)
    record = planner.log_time("Python", 200, day=MONDAY)  # part of the title, yesterday
    assert (record.topic_id, record.study_day, record.kind) == ("basics", MONDAY, "log")
    progress = planner.repo.progress("small", sp.today())
    assert progress.remaining("basics", 180) == 45  # past its estimate: still open
    timer = planner.start_timer("small", "basics")
    sp.clock.advance(minutes=20)
    planner.start_timer("small", "basics")  # pause
    sp.clock.advance(minutes=30)
    assert planner.timer().seconds(sp.clock()) == 1200
    planner.start_timer("small", "basics")  # go on
    sp.clock.advance(minutes=5)
    with pytest.raises(PlanInputError, match="the timer is on Python basics; stop it first"):
        planner.start_timer("small", "numpy")
    stopped = planner.stop_timer()
    assert stopped is not None and stopped[1] is not None and stopped[1].minutes == 25
    assert timer.topic_id == "basics" and planner.timer() is None
    standing = dict((p.id, s) for p, s in planner.standings())["small"]
    assert standing.overrun_hours == pytest.approx((225 - 180) / 60)


@pytest.mark.parametrize(
    ("topic", "minutes", "day", "message"),
    [
        (
            "nothing like it",
            30,
            None,
            "no topic of the plans you follow is called 'nothing like it'",
        ),
        ("AS", 30, None, "'AS' matches 2 topics (basics, pandas); give the topic's id"),
        ("numpy", 30, date(2026, 3, 9), "2026-03-09 has not come yet"),
        ("numpy", 0, None, "log between 1 minute and 16 hours"),
        ("numpy", 30, date(9999, 1, 1), "the day 9999-01-01 is out of range"),
    ],
)
def test_bad_logs_are_one_sentence_and_store_nothing(
    planner: Planner, topic: str, minutes: int, day: date | None, message: str
) -> None:
    planner.enrol("small", MONDAY, None, (60,) * 7)
    before = dump(planner.studyplan.conn)
    with pytest.raises(PlanInputError) as caught:
        planner.log_time(topic, minutes, day)
    assert message in str(caught.value)
    assert dump(planner.studyplan.conn) == before


def test_behind_the_learner_keeps_or_moves_the_target_and_can_undo(planner: Planner) -> None:
    sp = planner.studyplan
    planner.enrol("small", MONDAY, None, (30,) * 5 + (0, 0))
    sp.clock.advance(days=10)  # ten days, nothing done: 8 h planned in two weeks
    catch = planner.choices.catch_ups()
    assert len(catch) == 1 and catch[0].keep_week is not None
    _, week = planner.choices.keep()
    assert planner.enrolment("small").weekly_minutes == week and sum(week) > 150
    assert planner.choices.catch_ups() == []
    change = planner.choices.undo()
    assert change.kind == "keep" and planner.enrolment("small").weekly_minutes == (30,) * 5 + (0, 0)
    _, moved = planner.choices.move()
    st = dict((p.id, s) for p, s in planner.standings())["small"]
    assert st.nominal_finish == moved and st.target_moved
    planner.choices.undo()
    assert planner.enrolment("small").target_days is None
    with pytest.raises(PlanInputError, match="no choice about a plan's pace to undo"):
        planner.choices.undo()


def test_a_far_future_enrolment_from_an_older_version_can_always_be_left(planner: Planner) -> None:
    sp = planner.studyplan
    sp.conn.execute(
        "INSERT INTO enrolment (plan_id, start, starting_point, weekly_minutes, enrolled_at) "
        "VALUES ('small', '9999-12-31', 'default', '60,60,60,60,60,60,60', '2026-01-01')"
    )
    sp.conn.commit()
    assert planner.week() is None and planner.standings() == []
    assert any("9999-12-31 is out of range" in e for e in planner.errors)
    assert StreakProgress(sp).streak().summary.current == 0
    planner.leave("small")
    assert planner.repo.followed() == []
    with pytest.raises(PlanInputError, match="you are not following a plan called 'small'"):
        planner.leave("small")


def test_an_imported_plan_is_checked_stored_and_kept_in_sync(
    planner: Planner, tmp_path: Path
) -> None:
    sp = planner.studyplan
    mine = tmp_path / "mine.md"
    mine.write_text(OTHER.replace("hours=20}", "hours=20 tags=nonsense}"), "utf-8")
    before = dump(sp.conn)
    with pytest.raises(SourceError) as caught:
        planner.import_plan(mine)
    assert str(caught.value).startswith(f"{mine}:8: tag 'nonsense' is not in decks/tags.toml")
    assert dump(sp.conn) == before
    mine.write_text(OTHER, "utf-8")
    plan = planner.import_plan(mine)
    planner.enrol(plan.id, MONDAY, None, (60,) * 7)
    # Edited with a mistake: the last good version is used and the problem reported.
    mine.write_text(OTHER.replace("## Only {weeks=4}", "## Only {weeks=four}"), "utf-8")
    again = Planner(sp, plans_dir=planner.plans_dir)
    assert "other" in again.plans
    assert any(e.startswith(f"{mine}:6: ") and "last good version" in e for e in again.errors)
    mine.write_text(OTHER.replace("Reading papers", "Reading two papers a week"), "utf-8")
    synced = Planner(sp, plans_dir=planner.plans_dir)
    assert synced.plans["other"].topics[0].title == "Reading two papers a week"
    assert [c.plan.id for c in synced.courses()] == ["other"]
    mine.unlink()
    gone = Planner(sp, plans_dir=planner.plans_dir)
    assert "other" in gone.plans and any("no longer exists" in e for e in gone.errors)


def test_an_imported_plan_may_not_take_a_bundled_plans_id(planner: Planner, tmp_path: Path) -> None:
    copy = tmp_path / "copy.md"
    copy.write_text(PLAN, "utf-8")
    with pytest.raises(SourceError, match=r"copy\.md:2: plan id 'small' is a bundled plan's"):
        planner.import_plan(copy)


def test_an_imported_plan_may_use_the_learners_own_deck_tags(
    planner: Planner, tmp_path: Path
) -> None:
    sp = planner.studyplan
    deck = write_deck(tmp_path / "own", "Own", {"Q": "A"})
    deck.write_text(deck.read_text("utf-8").replace("## Q", "## Q\ntags: rust-basics"), "utf-8")
    assert sp.import_path(deck).errors == []
    mine = tmp_path / "mine.md"
    mine.write_text(OTHER.replace("hours=20}", "hours=20 tags=rust-basics}"), "utf-8")
    assert planner.import_plan(mine).topics[0].tags == ("rust-basics",)


def test_the_whole_plan_in_a_calendar_updates_and_cancels_events(
    planner: Planner, tmp_path: Path
) -> None:
    sp = planner.studyplan
    planner.enrol("small", MONDAY, None, (60,) * 7)
    planner.time_off.add(date(2026, 3, 4), date(2026, 3, 4), "dentist")
    path = tmp_path / "plan.ics"
    planner.calendar.export(path)
    first = path.read_bytes()
    planner.calendar.export(path)
    assert path.read_bytes() == first, "an export with nothing changed is the same file"
    events = Calendar.from_ical(first).walk("VEVENT")
    uids = [str(e["uid"]) for e in events]
    assert len(uids) == len(set(uids))
    off = [e for e in events if str(e["uid"]).startswith("off.")]
    assert len(off) == 1 and off[0]["dtstart"].dt == date(2026, 3, 4)
    assert off[0]["dtend"].dt == date(2026, 3, 5)
    basics = next(e for e in events if str(e["uid"]) == "small.basics.0@studyplan")
    assert "Resource: The Python tutorial <https://docs.python.org/3/tutorial/>" in str(
        basics["description"]
    )
    # The learner misses Monday: Tuesday's events move, removed time off is cancelled.
    sp.clock.advance(days=1)
    planner.time_off.remove(date(2026, 3, 4))
    report = planner.calendar.export(path)
    second = Calendar.from_ical(path.read_bytes()).walk("VEVENT")
    by_uid = {str(e["uid"]): e for e in second}
    assert set(uids) <= set(by_uid), "every event exported before is still in the file"
    assert str(by_uid[off[0]["uid"]]["status"]) == "CANCELLED"
    assert by_uid[off[0]["uid"]]["sequence"] == 1
    moved = by_uid["small.basics.0@studyplan"]
    assert moved["dtstart"].dt.date() == date(2026, 3, 3) and moved["sequence"] == 1
    assert report.cancelled >= 1


def test_the_calendar_file_setting_is_rewritten_when_the_plan_changes(
    planner: Planner, tmp_path: Path
) -> None:
    from dataclasses import replace

    sp = planner.studyplan
    target = tmp_path / "live.ics"
    sp.settings = replace(sp.settings, calendar_file=str(target))
    planner.enrol("small", MONDAY, None, (60,) * 7)
    assert b"small.basics.0@studyplan" in target.read_bytes()
    planner.time_off.add(date(2026, 3, 10), date(2026, 3, 12), "conference")
    assert b"Time off: conference" in target.read_bytes()
    sp.settings = replace(sp.settings, calendar_file=str(tmp_path / "missing" / "x.ics"))
    planner.log_time("numpy", 30)
    notices = planner.take_notices()
    assert len(notices) == 1 and "does not exist" in notices[0]


def test_leaving_keeps_progress_and_enrolling_again_brings_it_back(planner: Planner) -> None:
    planner.enrol("small", MONDAY, None, (60,) * 7)
    planner.log_time("numpy", 30)
    planner.leave("small")
    assert planner.week() is None
    planner.enrol("small", None, None, (60,) * 7)
    assert planner.repo.progress("small", MONDAY).spent("numpy") == 30


def test_future_weeks_plan_from_today_and_a_past_week_shows_what_was_done(planner: Planner) -> None:
    sp = planner.studyplan
    planner.enrol("small", MONDAY, None, (60,) * 7)
    planner.log_time("basics", 50)
    sp.clock.advance(days=8)
    week = planner.week(MONDAY)
    assert week is not None
    rows = dict(planner.week_rows(week))
    monday = rows[MONDAY]
    assert [
        (r.topic.id if r.topic else None, r.done, r.planned) for r in monday if r.kind == "topic"
    ] == [
        ("basics", 50, 50)  # 60 minutes less 10 for the day's new flashcards
    ]
    # This week goes on from today's progress (what is left of basics first), and pandas
    # carries into the week after.
    this_week = [t for day in week_of(planner) for t, _ in day]
    assert this_week[0] == "basics" and set(this_week) == {"basics", "numpy", "pandas"}
    assert {t for day in week_of(planner, MONDAY + timedelta(days=14)) for t, _ in day} == {
        "pandas"
    }
