"""Weekly study plans: which topic on which day for how many minutes.

Pure: the plans, enrolments, progress, due-card forecast, time off and
``today`` are all passed in; nothing reads the clock, a file or the database.

How a week is built
-------------------
* A day of time off has no minutes; the work carries forward.
* Each day first keeps time for flashcards: the cards due that day (from the
  forecast), the day's new cards and the reviews those new cards bring later
  (``reviewload``), at the learner's seconds per card, never more than half
  the day; what does not fit waits for the next study day.
* The rest of the day is split between the plans running that day by their
  shares (70/30 ...), renormalised over the plans that run (a plan not yet
  started, finished, or with no minutes on that weekday takes no share), and
  no plan gets more than its own enrolment's minutes for that weekday.
* Each plan fills its part with topics: ones already begun first, then the
  others in plan order, skipping topics not on the learner's starting point
  and any topic whose prerequisites still have minutes left. A topic longer
  than the time left is split across days. No block is shorter than
  ``MIN_BLOCK`` minutes (or the whole day's study time, on a shorter day).
* The current and future weeks are simulated from ``today`` and the stored
  progress, assuming the learner does what is planned on every day between.
  Past days of the current week show no blocks: progress already holds what
  was done then. A past week is simulated from the enrolment's start with no
  progress, assuming the plan was followed: it shows the plan as written
  (what was actually done is shown next to it from the store).
* A block of this week is "carried" when the plan as written would have
  finished its topic before today: it is work the learner is catching up on.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from studyplan.core.plan.course import (
    DEFAULT_WEEK,
    MIN_BLOCK,
    Course,
    Enrolment,
    Progress,
    check_date,
    week_start,
)
from studyplan.core.plan.reviewload import NewCards
from studyplan.core.plan.simulate import Block, DayPlan, Load, Run, simulate
from studyplan.core.plan.standing import Standing, standing

__all__ = [
    "DEFAULT_SECONDS_PER_CARD",
    "DEFAULT_WEEK",
    "MIN_BLOCK",
    "Block",
    "Course",
    "DayPlan",
    "Enrolment",
    "Load",
    "NewCards",
    "Progress",
    "Run",
    "Standing",
    "WeekPlan",
    "favoured_tags",
    "overdue_topics",
    "plan_run",
    "standing",
    "week_plan",
    "week_start",
]

DEFAULT_SECONDS_PER_CARD = 10.0
"""Review time per due card until the learner has a measured figure.

Answer times for concept cards (definitions, formulas, short code) run
about 8-12 seconds, a little above vocabulary cards; rounding up to 10 keeps
a new learner's review slot from being too short.
"""


@dataclass(frozen=True, slots=True)
class WeekPlan:
    """Seven days, Monday first."""

    monday: date
    days: tuple[DayPlan, ...]

    @property
    def tags(self) -> tuple[str, ...]:
        """The tags to favour for new flashcards this week (see ``favoured_tags``)."""
        return favoured_tags(self)

    def minutes_by_topic(self) -> dict[tuple[str, str], int]:
        """Planned minutes per ``(plan id, topic id)`` over the week."""
        totals: dict[tuple[str, str], int] = {}
        for day in self.days:
            for block in day.blocks:
                key = (block.plan_id, block.topic.id)
                totals[key] = totals.get(key, 0) + block.minutes
        return totals


def _load(
    due: Mapping[date, int] | None, seconds_per_card: float, new_cards: NewCards | None
) -> Load:
    if not 0 < seconds_per_card < math.inf:
        raise ValueError(f"seconds per card must be a number above 0, got {seconds_per_card}")
    return Load(due or {}, seconds_per_card, new_cards)


def week_plan(
    week: date,
    courses: Sequence[Course],
    today: date,
    due: Mapping[date, int] | None = None,
    seconds_per_card: float = DEFAULT_SECONDS_PER_CARD,
    *,
    off: Collection[date] = frozenset(),
    new_cards: NewCards | None = None,
) -> WeekPlan:
    """Plan the week holding ``week`` (any day of it) for every enrolled plan.

    ``due`` forecasts how many flashcards fall due on each date;
    ``seconds_per_card`` is the learner's measured review time; ``off`` holds
    the learner's days off; ``new_cards`` the new flashcards expected a day.
    """
    check_date(week, "the week")
    check_date(today, "today")
    load = _load(due, seconds_per_card, new_cards)
    monday = week_start(week)
    sunday = monday + timedelta(days=6)
    off = frozenset(off)
    if monday < week_start(today):
        first = min((c.enrolment.start for c in courses), default=monday)
        run = simulate(
            courses,
            first,
            (monday, sunday),
            today,
            False,
            load,
            off=off,
            until=sunday,
            new_cards_from=first,
        )
    else:
        overdue = overdue_topics(courses, today, load, off) if monday == week_start(today) else ()
        run = simulate(
            courses,
            today,
            (monday, sunday),
            today,
            True,
            load,
            off=off,
            until=sunday,
            overdue=frozenset(overdue),
            carried_until=sunday,
        )
    return WeekPlan(monday, tuple(run.days))


def overdue_topics(
    courses: Sequence[Course], today: date, load: Load, off: Collection[date] = frozenset()
) -> frozenset[tuple[str, str]]:
    """``(plan id, topic id)`` of the topics the plan as written finishes before ``today``."""
    first = min((c.enrolment.start for c in courses), default=today)
    if first >= today:
        return frozenset()
    run = simulate(
        courses,
        first,
        None,
        today,
        False,
        load,
        off=off,
        until=today - timedelta(days=1),
        new_cards_from=first,
    )
    return frozenset(run.topic_done)


def plan_run(
    courses: Sequence[Course],
    today: date,
    due: Mapping[date, int] | None = None,
    seconds_per_card: float = DEFAULT_SECONDS_PER_CARD,
    *,
    off: Collection[date] = frozenset(),
    new_cards: NewCards | None = None,
    record_from: date | None = None,
    count_until: date | None = None,
) -> Run:
    """Simulate from ``today`` until every plan is done.

    With ``record_from``, every day from then on is kept (for a calendar of
    the whole plan); ``count_until`` sums each plan's minutes up to that day.
    The run's ``finish`` is each plan's scheduled finish.
    """
    check_date(today, "today")
    load = _load(due, seconds_per_card, new_cards)
    record = (record_from, date.max) if record_from else None
    return simulate(
        courses,
        today,
        record,
        today,
        True,
        load,
        off=frozenset(off),
        count_until=count_until,
    )


def favoured_tags(week: WeekPlan) -> tuple[str, ...]:
    """The tags of the topics scheduled in ``week``, in the order they first come up."""
    seen: dict[str, None] = {}
    for day in week.days:
        for block in day.blocks:
            seen.update(dict.fromkeys(block.topic.tags))
    return tuple(seen)
