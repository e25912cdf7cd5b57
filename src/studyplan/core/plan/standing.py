"""Where a learner stands in a plan: done against the nominal pace, and when they will finish."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from itertools import pairwise

from dateutil.relativedelta import relativedelta

from studyplan.core.plan.course import Course, check_date
from studyplan.core.plan.model import Phase

MIN_HISTORY_DAYS = 7
"""Below a week since the start, a pace from history says more about one evening than a habit."""


@dataclass(frozen=True, slots=True)
class Standing:
    """A learner's position in one plan on one day."""

    hours_done: float
    """Hours of the learner's topics done (a topic counts up to its estimate)."""
    hours_expected: float
    """Hours the plan's nominal pace (its phase weeks) expects by today."""
    hours_total: float
    hours_ahead: float
    """Done minus expected: negative when behind."""
    weeks_ahead: float
    """How many weeks of the nominal pace the learner is ahead: negative when behind."""
    hours_per_week: float
    """The pace the projection uses."""
    pace_from_history: bool
    """True when the pace is what the learner did; False when it comes from their availability."""
    projected_finish: date | None
    """At that pace; today when finished, None when the pace is zero."""
    nominal_finish: date
    phase: Phase | None
    """The phase of the learner's first unfinished topic (None when finished)."""
    expected_phase: Phase | None
    """Where the nominal pace puts the learner today (None before the start or after the end)."""

    @property
    def finished(self) -> bool:
        """Every topic on the learner's path is done."""
        return self.hours_done >= self.hours_total


def standing(course: Course, today: date) -> Standing:
    """Compare the learner's progress in ``course`` with the plan's nominal pace on ``today``."""
    check_date(today, "today")
    enrolment, progress = course.enrolment, course.progress
    point, start = enrolment.starting_point, enrolment.start
    path = course.plan.path(point)
    done_minutes = sum(t.minutes - progress.remaining(t.id, t.minutes) for t in path)
    total_minutes = sum(t.minutes for t in path)
    curve = _curve(course)
    elapsed = max(0, (today - start).days)
    expected = _at(curve, elapsed)
    done = done_minutes / 60
    lo, hi = _when(curve, done)
    nominal_day = min(max(elapsed, lo), hi)
    if elapsed >= MIN_HISTORY_DAYS and done_minutes > 0:
        per_week, from_history = done * 7 / elapsed, True
    else:
        per_week, from_history = sum(enrolment.weekly_minutes) * enrolment.share / 60, False
    left = (total_minutes - done_minutes) / 60
    projected: date | None
    if left <= 0:
        projected = today
    elif per_week <= 0:
        projected = None
    else:
        projected = max(today, start) + relativedelta(days=math.ceil(left / per_week * 7))
    current = next((t for t in path if progress.remaining(t.id, t.minutes) > 0), None)
    return Standing(
        hours_done=done,
        hours_expected=expected,
        hours_total=total_minutes / 60,
        hours_ahead=done - expected,
        weeks_ahead=(nominal_day - elapsed) / 7,
        hours_per_week=per_week,
        pace_from_history=from_history,
        projected_finish=projected,
        nominal_finish=start + relativedelta(days=curve[-1][0]),
        phase=course.plan.phase(current.phase_id) if current else None,
        expected_phase=_phase_on(course, elapsed) if today >= start else None,
    )


def _curve(course: Course) -> list[tuple[int, float]]:
    """``(days since start, hours expected)`` at each phase end, starting at (0, 0)."""
    point = course.enrolment.starting_point
    plan = course.plan
    points, days, hours, weeks = [(0, 0.0)], 0, 0.0, 0.0
    for phase in plan.phases_for(point):
        weeks += phase.weeks_for(point)
        days = round(weeks * 7)
        hours += sum(t.minutes for t in phase.topics if plan.applies(t, point)) / 60
        points.append((days, hours))
    return points


def _at(curve: list[tuple[int, float]], day: float) -> float:
    """Hours expected ``day`` days after the start: linear within each phase."""
    for (d0, h0), (d1, h1) in pairwise(curve):
        if day < d1:
            return h0 + (h1 - h0) * (day - d0) / (d1 - d0)
    return curve[-1][1]


def _when(curve: list[tuple[int, float]], hours: float) -> tuple[float, float]:
    """The days since the start at which the nominal pace has done exactly ``hours``.

    An interval, because the pace stands still in a phase with no topics for
    the learner and after the end.
    """
    total = curve[-1][1]
    if hours >= total:
        return float(_first_reaching(curve, total)), math.inf
    return _first_reaching(curve, hours), _last_at_most(curve, hours)


def _first_reaching(curve: list[tuple[int, float]], hours: float) -> float:
    """The first day on which the nominal pace has done at least ``hours``."""
    for (d0, h0), (d1, h1) in pairwise(curve):
        if h0 >= hours:
            return d0
        if h1 >= hours:
            return d0 + (d1 - d0) * (hours - h0) / (h1 - h0)
    return curve[-1][0]


def _last_at_most(curve: list[tuple[int, float]], hours: float) -> float:
    """The last day on which the nominal pace has done at most ``hours``."""
    for (d0, h0), (d1, h1) in reversed(list(pairwise(curve))):
        if h1 <= hours:
            return d1
        if h0 <= hours:
            return d0 + (d1 - d0) * (hours - h0) / (h1 - h0)
    return 0.0


def _phase_on(course: Course, elapsed: int) -> Phase | None:
    point, weeks = course.enrolment.starting_point, 0.0
    for phase in course.plan.phases_for(point):
        weeks += phase.weeks_for(point)
        if elapsed < round(weeks * 7):
            return phase
    return None
