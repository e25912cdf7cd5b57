"""A week of the bundled 3-month plan as text, markdown and calendar events."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from icalendar import Calendar

from studyplan import paths
from studyplan.core.plan.describe import week_text
from studyplan.core.plan.parse import parse_plan
from studyplan.core.plan.schedule import Course, Enrolment, standing, week_plan
from studyplan.interop.ical import week_ics
from studyplan.interop.plan_markdown import week_markdown

PLAN = parse_plan(
    (paths.bundled_plans() / "three-month.md").read_text(encoding="utf-8"), "three-month.md"
)
PLANS = {PLAN.id: PLAN}
BERLIN = ZoneInfo("Europe/Berlin")


def week_of(day: date, today: date):
    course = Course(
        PLAN, Enrolment(PLAN.id, date(2026, 10, 19), weekly_minutes=(60, 60, 60, 60, 60, 120, 0))
    )
    return week_plan(day, [course], today), [(PLAN, standing(course, today))]


def test_the_text_week_marks_today_rest_days_and_split_topics() -> None:
    week, standings = week_of(date(2026, 10, 19), date(2026, 10, 20))
    text = week_text(week, PLANS, standings, date(2026, 10, 20))
    assert "Tue 20 Oct  (today)" in text
    assert "Sun 25 Oct  0 min available\n            rest day" in text
    assert "(continues)" in text
    assert "of 148 h done" in text and "finish about" in text
    assert all(len(line) <= 80 for line in text.splitlines())


def test_the_markdown_week_is_a_table() -> None:
    week, standings = week_of(date(2026, 10, 19), date(2026, 10, 19))
    md = week_markdown(week, PLANS, standings, date(2026, 10, 19))
    rows = [line for line in md.splitlines() if line.startswith("| ")]
    assert rows[0] == "| Day | Plan | Topic | Minutes |"
    assert all(row.count(" | ") == 3 for row in rows)


def test_calendar_events_keep_local_times_across_the_dst_change_and_stable_uids() -> None:
    week, _ = week_of(date(2026, 10, 19), date(2026, 10, 19))
    first = week_ics(week, PLANS, BERLIN, time(18, 0))
    assert first == week_ics(week, PLANS, BERLIN, time(18, 0))
    events = Calendar.from_ical(first).walk("VEVENT")
    assert len(events) == sum(len(d.blocks) + (d.review > 0) for d in week.days)
    uids = [str(e["uid"]) for e in events]
    assert len(set(uids)) == len(uids)
    starts: dict[date, datetime] = {}
    for event in events:  # the first event of each day starts at 18:00 local time
        starts.setdefault(event["dtstart"].dt.date(), event["dtstart"].dt)
    # 18:00 in Berlin is 16:00 UTC in summer time and 17:00 UTC after the change on 25 October
    assert starts[date(2026, 10, 19)].astimezone(UTC).time() == time(16, 0)
    assert starts[date(2026, 10, 24)].astimezone(UTC).time() == time(16, 0)
    later, _ = week_of(date(2026, 10, 26), date(2026, 10, 19))
    monday = Calendar.from_ical(week_ics(later, PLANS, BERLIN)).walk("VEVENT")[0]["dtstart"].dt
    assert monday.astimezone(UTC) == datetime(2026, 10, 26, 17, 0, tzinfo=UTC)
    assert b"TZID=Europe/Berlin" in first and b"BEGIN:VTIMEZONE" in first
