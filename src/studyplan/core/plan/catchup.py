"""Falling behind: the two honest ways back, keep the target date or move it.

Nothing here changes a plan. ``catch_up`` says what each choice would mean;
the learner chooses, and the choice is stored (and can be undone) by the
caller.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date

from studyplan.core.plan.course import DAY_MINUTES, Course
from studyplan.core.plan.simulate import Run

MAX_TRIES = 8
"""Re-simulations allowed while looking for the minutes that keep a target."""


@dataclass(frozen=True, slots=True)
class CatchUp:
    """What keeping or moving the target of one plan would take."""

    plan_id: str
    target: date
    """The current target finish (time off included)."""
    scheduled: date | None
    """When the plan ends at the current minutes: the date a move would set (None: never)."""
    week_now: tuple[int, ...]
    keep_week: tuple[int, ...] | None
    """Minutes per weekday that finish by the target; None when even whole days would not."""

    @property
    def minutes_now(self) -> int:
        """Minutes a week now."""
        return sum(self.week_now)

    @property
    def minutes_needed(self) -> int | None:
        """Minutes a week that keep the target."""
        return sum(self.keep_week) if self.keep_week else None

    @property
    def days_late(self) -> int | None:
        """Days the schedule ends after the target (None when it never ends)."""
        return (self.scheduled - self.target).days if self.scheduled else None


def catch_up(
    courses: Sequence[Course],
    index: int,
    target: date,
    run: Callable[[Sequence[Course], date], Run],
) -> CatchUp | None:
    """The choices for ``courses[index]`` when its schedule ends after ``target``, else None.

    ``run(courses, count_until)`` simulates every plan from today to the end
    and sums each plan's minutes up to ``count_until``.
    """
    course = courses[index]
    plan_id = course.plan.id
    first = run(courses, target)
    scheduled = first.finish.get(plan_id)
    if scheduled is not None and scheduled <= target:
        return None
    week = course.enrolment.weekly_minutes
    needed, capacity = first.left[plan_id], first.studied[plan_id]
    factor = needed / capacity * 1.02 if capacity else float(DAY_MINUTES)
    keep: tuple[int, ...] | None = None
    for _ in range(MAX_TRIES):
        trial = _scaled(week, factor)
        trial_courses = list(courses)
        trial_courses[index] = replace(
            course, enrolment=replace(course.enrolment, weekly_minutes=trial)
        )
        finish = run(trial_courses, target).finish.get(plan_id)
        if finish is not None and finish <= target:
            keep = trial
            break
        if all(m in (0, DAY_MINUTES) for m in trial):
            break
        factor *= 1.15
    return CatchUp(plan_id, target, scheduled, week, keep)


def _scaled(week: tuple[int, ...], factor: float) -> tuple[int, ...]:
    """Each study day's minutes times ``factor``, up in 5 minutes, never past a whole day."""
    return tuple(
        min(DAY_MINUTES, max(m + 5, 5 * math.ceil(m * factor / 5))) if m else 0 for m in week
    )
