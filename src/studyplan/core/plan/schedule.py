"""Weekly study plans: which topic on which day for how many minutes.

Pure: the plans, enrolments, progress, due-card forecast and ``today`` are
all passed in; nothing reads the clock, a file or the database.

How a week is built
-------------------
* Each day first keeps time for the flashcards due that day (from the
  forecast) at the learner's seconds per card, never more than half the day;
  cards that do not fit wait for the next day.
* The rest of the day is split between the plans running that day by their
  shares (70/30 ...), renormalised over the plans that run: a plan not yet
  started, finished, or with no minutes on that weekday takes no share.
* Each plan fills its part with topics: ones already begun first (carried
  forward), then the others in plan order, skipping topics not on the
  learner's starting point and any topic whose prerequisites still have
  minutes left. A topic longer than the time left is split across days.
* The current and future weeks are simulated from ``today`` and the stored
  progress, assuming the learner does what is planned on every day between.
  Past days of the current week show no blocks: progress already holds what
  was done then. A past week is simulated from the enrolment's start with no
  progress, assuming the plan was followed: it shows the plan as written, not
  what the learner actually did.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from studyplan.core.plan.course import (
    DEFAULT_WEEK,
    Course,
    Enrolment,
    Progress,
    check_date,
    week_start,
)
from studyplan.core.plan.simulate import Block, DayPlan, simulate
from studyplan.core.plan.standing import Standing, standing

__all__ = [
    "DEFAULT_SECONDS_PER_CARD",
    "DEFAULT_WEEK",
    "Block",
    "Course",
    "DayPlan",
    "Enrolment",
    "Progress",
    "Standing",
    "WeekPlan",
    "favoured_tags",
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


def week_plan(
    week: date,
    courses: Sequence[Course],
    today: date,
    due: Mapping[date, int] | None = None,
    seconds_per_card: float = DEFAULT_SECONDS_PER_CARD,
) -> WeekPlan:
    """Plan the week holding ``week`` (any day of it) for every enrolled plan.

    ``due`` forecasts how many flashcards fall due on each date;
    ``seconds_per_card`` is the learner's measured review time.
    """
    check_date(week, "the week")
    check_date(today, "today")
    if not 0 < seconds_per_card < math.inf:
        raise ValueError(f"seconds per card must be a number above 0, got {seconds_per_card}")
    monday = week_start(week)
    sunday = monday + timedelta(days=6)
    if monday < week_start(today):
        first = min((c.enrolment.start for c in courses), default=monday)
        from_progress = False
    else:
        first, from_progress = today, True
    days = simulate(
        courses, first, (monday, sunday), today, from_progress, due or {}, seconds_per_card
    )
    return WeekPlan(monday, tuple(days))


def favoured_tags(week: WeekPlan) -> tuple[str, ...]:
    """The tags of the topics scheduled in ``week``, in the order they first come up."""
    seen: dict[str, None] = {}
    for day in week.days:
        for block in day.blocks:
            seen.update(dict.fromkeys(block.topic.tags))
    return tuple(seen)
