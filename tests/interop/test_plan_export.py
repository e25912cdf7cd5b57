"""A week of a plan as text, markdown and calendar events (a small plan written here)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from icalendar import Calendar

from studyplan.core.plan.describe import week_text
from studyplan.core.plan.parse import parse_plan
from studyplan.core.plan.schedule import Course, Enrolment, standing, week_plan
from studyplan.core.plan.weekview import week_rows
from studyplan.interop.ical import week_ics
from studyplan.interop.plan_markdown import week_markdown

PLAN = parse_plan(
    '+++\nid = "demo"\ntitle = "Demo: a plan to share"\n+++\n'
    "## One {#one weeks=2}\n"
    "- Python essentials {#py hours=4}\n  - Resource: [Tutorial](https://docs.python.org/3/)\n"
    "- Git basics {#git hours=2 after=py}\n  - Deliverable: a repository | with a pipe\n"
    "## Two {#two weeks=2}\n- NumPy {#numpy hours=6 after=git}\n",
    "demo.md",
)
PLANS = {PLAN.id: PLAN}
BERLIN = ZoneInfo("Europe/Berlin")
START = date(2026, 10, 19)


def week_of(day: date, today: date):
    course = Course(PLAN, Enrolment(PLAN.id, START, weekly_minutes=(60, 60, 60, 60, 60, 120, 0)))
    week = week_plan(day, [course], today)
    rows = [(d.day, r) for d, r in week_rows(week.days, {}, [], today)]
    return week, rows, [(PLAN, standing(course, today))]


def test_the_text_week_marks_today_rest_days_split_topics_and_notes() -> None:
    today = date(2026, 10, 20)
    week, rows, standings = week_of(START, today)
    text = week_text(week, rows, PLANS, standings, today)
    assert "Tue 20 Oct  (today)" in text
    assert "Sun 25 Oct  0 min available\n               rest day" in text
    assert "(continues)" in text
    assert "Resource: Tutorial <https://docs.python.org/3/>" in text
    assert "of 12 h done" in text and "finish\n  about 01 Nov 2026" in text
    assert all(len(line) <= 80 for line in text.splitlines())


def test_the_markdown_week_is_a_table_then_the_topics_notes() -> None:
    week, rows, standings = week_of(START, START)
    md = week_markdown(week, rows, PLANS, standings, START)
    table = [line for line in md.splitlines() if line.startswith("| ")]
    assert table[0] == "| Day | Plan | Topic | Minutes |"
    assert all(row.count(" | ") == 3 for row in table)
    assert "- **Git basics**\n  - Deliverable: a repository | with a pipe" in md
    assert "  - Resource: [Tutorial](https://docs.python.org/3/)" in md


def test_calendar_events_keep_local_times_across_the_dst_change_and_stable_uids() -> None:
    week, _, _ = week_of(START, START)
    first = week_ics(week, PLANS, BERLIN, time(18, 0))
    assert first == week_ics(week, PLANS, BERLIN, time(18, 0))
    events = Calendar.from_ical(first).walk("VEVENT")
    assert len(events) == sum(len(d.blocks) + (d.review > 0) for d in week.days)
    uids = [str(e["uid"]) for e in events]
    assert len(set(uids)) == len(uids)
    assert uids[:2] == ["demo.py.0@studyplan", "demo.py.60@studyplan"]
    starts: dict[date, datetime] = {}
    for event in events:  # the first event of each day starts at 18:00 local time
        starts.setdefault(event["dtstart"].dt.date(), event["dtstart"].dt)
    # 18:00 in Berlin is 16:00 UTC in summer time and 17:00 UTC after the change on 25 October
    assert starts[date(2026, 10, 19)].astimezone(UTC).time() == time(16, 0)
    assert starts[date(2026, 10, 24)].astimezone(UTC).time() == time(16, 0)
    later, _, _ = week_of(date(2026, 10, 26), START)
    monday = Calendar.from_ical(week_ics(later, PLANS, BERLIN)).walk("VEVENT")[0]["dtstart"].dt
    assert monday.astimezone(UTC) == datetime(2026, 10, 26, 17, 0, tzinfo=UTC)
    assert b"TZID=Europe/Berlin" in first and b"BEGIN:VTIMEZONE" in first
