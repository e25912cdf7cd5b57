"""What a plan file says beyond its topics (resources, deliverables, hours a week), and the
overview that puts a whole roadmap on 80 columns."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from studyplan.core.errors import SourceError
from studyplan.core.plan.describe import minutes_cell, row_text, topic_notes, week_text
from studyplan.core.plan.overview import build_overview, overview_lines
from studyplan.core.plan.parse import parse_plan
from studyplan.core.plan.schedule import Course, Enrolment, Progress, standing, week_plan
from studyplan.core.plan.timeoff import TimeOff
from studyplan.core.plan.weekview import Done, week_rows

TEXT = """+++
id = "mine"
title = "My roadmap: from notebooks to a deployed model"
hours_per_week = "10-12"
+++

## Foundations {#foundations weeks=4}

- Python and notebooks {#python hours=20 tags=python}
  - Resource: [Python tutorial](https://docs.python.org/3/tutorial/)
  - Deliverable: a notebook
    repository on GitHub
  - A plain note stays a note.
- Linear algebra refresher {#la hours=10 tags=linear-algebra after=python}
  - Resources: *Mathematics for Machine Learning*, chapter 2

## A long phase with a long name that will not fit a narrow column {#build weeks=8}

- Train and ship a model {#ship hours=60 tags=deployment after=la}
"""


def mine():
    return parse_plan(TEXT, "mine.md")


def test_resources_and_deliverables_are_read_from_the_notes() -> None:
    plan = mine()
    python, la, ship = plan.topics
    assert python.resources == ("[Python tutorial](https://docs.python.org/3/tutorial/)",)
    assert python.deliverables == ("a notebook repository on GitHub",)
    assert "A plain note stays a note." in python.notes
    assert la.resources == ("*Mathematics for Machine Learning*, chapter 2",)
    assert ship.resources == () and ship.deliverables == ()
    assert topic_notes(python) == [
        "Deliverable: a notebook repository on GitHub",
        "Resource: Python tutorial <https://docs.python.org/3/tutorial/>",
    ]


def test_hours_per_week_is_read_or_derived_from_the_phases() -> None:
    assert mine().weekly_hours("default") == (10.0, 12.0)
    derived = parse_plan(TEXT.replace('hours_per_week = "10-12"\n', ""), "mine.md")
    assert derived.hours_per_week is None
    assert derived.weekly_hours("default") == (7.5, 7.5)  # 90 hours over 12 weeks
    single = parse_plan(TEXT.replace('"10-12"', "9"), "mine.md")
    assert single.weekly_hours("default") == (9.0, 9.0)


@pytest.mark.parametrize("value", ['"12-10"', '"lots"', "0", "200", "true", '"10-"'])
def test_a_bad_hours_per_week_is_reported_at_its_line(value: str) -> None:
    with pytest.raises(SourceError) as caught:
        parse_plan(TEXT.replace('"10-12"', value), "mine.md")
    assert str(caught.value).startswith("mine.md:4: hours_per_week must be hours from 1 to 168")


START = date(2026, 3, 2)


def course(progress: Progress | None = None) -> Course:
    plan = mine()
    week = (90, 90, 90, 90, 90, 150, 0)
    return Course(plan, Enrolment(plan.id, START, weekly_minutes=week), progress or Progress())


def test_the_overview_fits_80_columns_and_says_where_the_learner_is() -> None:
    today = START + timedelta(days=21)
    c = course(
        Progress(
            {"python": 1200, "la": 200},
            done=frozenset({"python"}),
            logged=frozenset({"python", "la"}),
        )
    )
    st = standing(c, today)
    cards = {"python": (30, 120), "linear-algebra": (0, 40)}
    ov = build_overview(c, st, today, cards_by_tag=cards)
    lines = overview_lines(ov, 80)
    text = "\n".join(lines)
    assert all(len(line) <= 80 for line in lines), max(lines, key=len)
    assert "My roadmap" in lines[0]
    assert "23.3 of 90 h done" in text
    assert "today" in text and "▶ Linear algebra" not in text  # phases, not topics, are rows
    assert "▶ Foundations" in text  # the learner is still in the first phase
    assert "Python and notebooks 30/120" in " ".join(lines)  # flashcards already introduced
    assert "Pace factor 1.00" in text
    bars = [line for line in lines if "█" in line or "░" in line]
    assert len(bars) == 2 and bars[0].endswith("23/30 h") and bars[1].endswith("0/60 h")
    narrow = overview_lines(ov, 40)
    assert all(len(line) <= 40 for line in narrow)


def test_the_overview_of_a_fresh_enrolment_projects_from_the_schedule() -> None:
    c = course()
    st = standing(c, START, scheduled_finish=START + timedelta(days=70))
    ov = build_overview(c, st, START)
    text = " ".join(overview_lines(ov))
    assert "at your planned minutes" in text and "Mon 11 May 2026" in text
    assert "▼ today" in text
    assert "not yet known" in text


def test_a_week_shows_done_next_to_planned_and_time_off() -> None:
    c = course(Progress({"python": 45}, studied_today=45))
    today = START + timedelta(days=2)  # Wednesday
    off = [TimeOff(START + timedelta(days=4), START + timedelta(days=4), "dentist")]
    week = week_plan(START, [c], today, off=frozenset(off[0].days()))
    python = c.plan.topic("python")
    done = {
        START: [Done("mine", python, 0)],
        START + timedelta(days=1): [],
        today: [Done("mine", python, 45)],
    }
    done[START] = []
    rows = week_rows(week.days, done, off, today)
    by_day = {day.day: r for day, r in rows}
    assert [r.text for r in by_day[START]] == ["nothing recorded"]
    wednesday = by_day[today]
    assert [(r.done, r.planned) for r in wednesday] == [(45, None), (None, 45)]
    assert minutes_cell(wednesday[0], past=False) == "✓45"
    assert by_day[START + timedelta(days=4)][0].text == "time off: dentist"
    assert all(r.text != "nothing left" for r in wednesday)
    text = week_text(week, [(d.day, r) for d, r in rows], {"mine": c.plan}, [], today)
    assert "✓45 min  Python and notebooks" in text
    assert "Deliverable: a notebook repository on GitHub" in text


def test_a_past_day_puts_what_was_done_next_to_what_was_planned() -> None:
    c = course()
    today = START + timedelta(days=14)
    week = week_plan(START, [c], today)  # a past week: the plan as written
    python = c.plan.topic("python")
    rows = dict(
        (d.day, r) for d, r in week_rows(week.days, {START: [Done("mine", python, 60)]}, [], today)
    )
    monday = rows[START]
    assert [minutes_cell(r, past=True) for r in monday] == ["✓60/90"]
    tuesday = rows[START + timedelta(days=1)]
    assert minutes_cell(tuesday[0], past=True) == "0/90"
    assert row_text(tuesday[0]) == "Python and notebooks (continues)"


# The line-by-line reading of plain notes must give markdown-it's answer.
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from studyplan.core.plan import notes as _notes  # noqa: E402

_LINES = st.sampled_from(
    [
        "- Resource: [The Python tutorial](https://docs.python.org/3/tutorial/)",
        "- Deliverable: a notebook with three plots",
        "* Resources: Hands-On Machine Learning, 3rd ed., ch. 2",
        "1. Resource: fast.ai lesson 1",
        "  - Resource: nested item",
        "  continued on the next line",
        "continued lazily",
        "- Read the chapter: then do the exercises",
        "- resource: lower case label",
        "",
        "Some prose: with a colon.",
        "## A heading: here",
        "---",
        "> quoted: text",
        "-",
        "- ",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_LINES, max_size=12))
def test_plain_notes_read_line_by_line_as_markdown_reads_them(lines: list[str]) -> None:
    text = "\n".join(lines)
    assert _notes._plain_items(text) == _notes._markdown_items(text)


def test_the_bundled_plans_notes_read_the_same_both_ways() -> None:
    from studyplan import paths
    from studyplan.core.plan.parse import parse_plan

    checked = 0
    for path in sorted(paths.bundled_plans().glob("*.md")):
        plan = parse_plan(path.read_text(encoding="utf-8"), str(path))
        for topic in plan.topics:
            notes = getattr(topic, "notes", "") or ""
            if notes:
                assert _notes._plain_items(notes) == _notes._markdown_items(notes), topic.id
                checked += 1
    assert checked > 10
