"""Where a learner stands in a plan: done against the nominal pace, and when they will finish."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from itertools import pairwise

from studyplan.core.plan.course import Course, check_date
from studyplan.core.plan.model import Phase
from studyplan.core.plan.pace import overrun
from studyplan.core.plan.timeoff import add_study_days, study_days_between

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
    """The target finish: the plan's weeks from the start (or the target the learner moved
    it to), with the learner's time off added."""
    phase: Phase | None
    """The phase of the learner's first unfinished topic (None when finished)."""
    expected_phase: Phase | None
    """Where the nominal pace puts the learner today (None before the start or after the end)."""
    target_moved: bool = False
    """The learner moved the target away from the plan's own length."""
    overrun_hours: float = 0.0
    """Hours topics ran past their estimates: later work moved by this much."""
    scheduled_finish: date | None = None
    """When the week scheduler finishes the plan from today, if it was asked."""
    days_off_ahead: int = 0
    """Days of time off between today and the projected finish."""

    @property
    def finished(self) -> bool:
        """Every topic on the learner's path is done."""
        return self.hours_done >= self.hours_total


def standing(
    course: Course,
    today: date,
    *,
    off: frozenset[date] = frozenset(),
    scheduled_finish: date | None = None,
) -> Standing:
    """Compare the learner's progress in ``course`` with the plan's nominal pace on ``today``.

    Days in ``off`` (time off) do not count: the nominal pace pauses over
    them and the finish moves by them. ``scheduled_finish`` (from the week
    scheduler, which knows about other plans and review time) is the
    projection until there is a week of history.
    """
    check_date(today, "today")
    enrolment, progress = course.enrolment, course.progress
    point, start = enrolment.starting_point, enrolment.start
    path = course.plan.path(point)
    done_minutes = sum(t.minutes - progress.remaining(t.id, t.minutes) for t in path)
    total_minutes = sum(t.minutes for t in path)
    curve = _curve(course)
    elapsed = study_days_between(start, today, off) if today > start else 0
    expected = _at(curve, elapsed)
    done = done_minutes / 60
    lo, hi = _when(curve, done)
    nominal_day = min(max(elapsed, lo), hi)
    from_history = elapsed >= MIN_HISTORY_DAYS and done_minutes > 0
    if from_history:
        per_week = done * 7 / elapsed
    else:
        per_week = sum(enrolment.weekly_minutes) * enrolment.share / 60
    left = (total_minutes - done_minutes) / 60
    begin = max(today, start)
    projected: date | None
    if left <= 0:
        projected = today
    elif not from_history and scheduled_finish is not None:
        projected = scheduled_finish
        # The schedule knows what other plans and flashcards take: say the pace it implies.
        weeks = study_days_between(begin, scheduled_finish, off) / 7
        per_week = left / weeks if weeks > 0 else per_week
    elif per_week <= 0:
        projected = None
    else:
        projected = add_study_days(begin, math.ceil(left / per_week * 7), off)
    current = next((t for t in path if progress.remaining(t.id, t.minutes) > 0), None)
    ahead = sum(1 for d in off if begin <= d <= projected) if projected else 0
    return Standing(
        hours_done=done,
        hours_expected=expected,
        hours_total=total_minutes / 60,
        hours_ahead=done - expected,
        weeks_ahead=(nominal_day - elapsed) / 7,
        hours_per_week=per_week,
        pace_from_history=from_history,
        projected_finish=projected,
        nominal_finish=add_study_days(start, round(curve[-1][0]), off),
        phase=course.plan.phase(current.phase_id) if current else None,
        expected_phase=_phase_on(curve, course, elapsed) if today >= start else None,
        target_moved=enrolment.target_days is not None,
        overrun_hours=overrun(course) / 60,
        scheduled_finish=scheduled_finish,
        days_off_ahead=ahead,
    )


def nominal_days(course: Course) -> int:
    """Days the plan's phases last for the learner's starting point (time off not counted)."""
    point = course.enrolment.starting_point
    return round(sum(p.weeks_for(point) for p in course.plan.phases_for(point)) * 7)


def _curve(course: Course) -> list[tuple[float, float]]:
    """``(study days since start, hours expected)`` at each phase end, starting at (0, 0).

    A target the learner moved stretches (or shrinks) the plan's own weeks to it.
    """
    point = course.enrolment.starting_point
    plan = course.plan
    length = nominal_days(course)
    target = course.enrolment.target_days
    scale = target / length if target and length else 1.0
    points: list[tuple[float, float]] = [(0.0, 0.0)]
    hours, weeks = 0.0, 0.0
    for phase in plan.phases_for(point):
        weeks += phase.weeks_for(point)
        hours += sum(t.minutes for t in phase.topics if plan.applies(t, point)) / 60
        points.append((round(weeks * 7) * scale, hours))
    return points


def _at(curve: list[tuple[float, float]], day: float) -> float:
    """Hours expected ``day`` days after the start: linear within each phase."""
    for (d0, h0), (d1, h1) in pairwise(curve):
        if day < d1:
            return h0 + (h1 - h0) * (day - d0) / (d1 - d0)
    return curve[-1][1]


def _when(curve: list[tuple[float, float]], hours: float) -> tuple[float, float]:
    """The days since the start at which the nominal pace has done exactly ``hours``.

    An interval, because the pace stands still in a phase with no topics for
    the learner and after the end.
    """
    total = curve[-1][1]
    if hours >= total:
        return float(_first_reaching(curve, total)), math.inf
    return _first_reaching(curve, hours), _last_at_most(curve, hours)


def _first_reaching(curve: list[tuple[float, float]], hours: float) -> float:
    """The first day on which the nominal pace has done at least ``hours``."""
    for (d0, h0), (d1, h1) in pairwise(curve):
        if h0 >= hours:
            return d0
        if h1 >= hours:
            return d0 + (d1 - d0) * (hours - h0) / (h1 - h0)
    return curve[-1][0]


def _last_at_most(curve: list[tuple[float, float]], hours: float) -> float:
    """The last day on which the nominal pace has done at most ``hours``."""
    for (d0, h0), (d1, h1) in reversed(list(pairwise(curve))):
        if h1 <= hours:
            return d1
        if h0 <= hours:
            return d0 + (d1 - d0) * (hours - h0) / (h1 - h0)
    return 0.0


def _phase_on(curve: list[tuple[float, float]], course: Course, elapsed: int) -> Phase | None:
    phases = course.plan.phases_for(course.enrolment.starting_point)
    for phase, (end, _) in zip(phases, curve[1:], strict=True):
        if elapsed < end:
            return phase
    return None
