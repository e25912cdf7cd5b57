"""Falling behind or ahead: the learner's explicit choices about a plan's pace, and undo.

Nothing is re-planned silently. ``catch_ups`` says, for each plan whose
schedule now ends after its target, what keeping the target would take
(minutes a week) and where moving it would put it; ``keep`` and ``move``
apply one choice, recorded with what it replaced so ``undo`` can take it
back.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from studyplan.core.plan.catchup import CatchUp, catch_up
from studyplan.core.plan.course import MAX_TARGET_DAYS, Course, Enrolment
from studyplan.core.plan.pace import pace_factor
from studyplan.core.plan.standing import standing
from studyplan.core.plan.timeoff import study_days_between
from studyplan.store.plan_repo import Change

if TYPE_CHECKING:
    from studyplan.planning import Inputs, Planner

BEHIND_HOURS = 0.25
"""Behind the plan's pace by more than this, a late schedule is offered the two choices."""


def _settings(enrolment: Enrolment) -> dict[str, Any]:
    return {
        "weekly_minutes": list(enrolment.weekly_minutes),
        "target_days": enrolment.target_days,
        "use_pace": enrolment.use_pace,
    }


class PlanChoices:
    """Keep the target, move it, use the learner's pace, undo."""

    def __init__(self, planner: Planner) -> None:
        self.planner = planner

    def catch_ups(self, inputs: Inputs | None = None) -> list[CatchUp]:
        """For each plan that now ends after its target: what keeping or moving it means."""
        inputs = inputs or self.planner.inputs()
        out = []
        for index, course in enumerate(inputs.courses):
            found = self._catch_up(inputs, index, course)
            if found is not None:
                out.append(found)
        return out

    def _catch_up(self, inputs: Inputs, index: int, course: Course) -> CatchUp | None:
        st = standing(course, inputs.today, off=inputs.off_days)
        if st.finished or course.enrolment.start > inputs.today:
            return None
        if st.hours_ahead > -BEHIND_HOURS and not st.target_moved:
            # Not behind the plan's pace: a schedule that ends late from the first day is the
            # learner's minutes, shown with the standing, not a lapse to catch up on.
            return None

        def run(courses: Sequence[Course], until: date):
            return self.planner.run(inputs, list(courses), count_until=until)

        return catch_up(inputs.courses, index, st.nominal_finish, run)

    def _find(self, plan_id: str | None, inputs: Inputs) -> tuple[int, Course]:
        from studyplan.planning import PlanInputError

        courses = inputs.courses
        if not courses:
            raise PlanInputError("you are not following a plan yet; enrol first")
        if plan_id is None:
            if len(courses) > 1:
                ids = ", ".join(c.plan.id for c in courses)
                raise PlanInputError(f"you follow several plans; name one of: {ids}")
            return 0, courses[0]
        for index, course in enumerate(courses):
            if course.plan.id == plan_id:
                return index, course
        ids = ", ".join(c.plan.id for c in courses)
        raise PlanInputError(f"you are not following a plan called {plan_id!r} (you follow: {ids})")

    def keep(self, plan_id: str | None = None) -> tuple[CatchUp, tuple[int, ...]]:
        """Keep the target date: raise the minutes a week to what it now needs."""
        from studyplan.planning import PlanInputError

        inputs = self.planner.inputs()
        index, course = self._find(plan_id, inputs)
        found = self._catch_up(inputs, index, course)
        if found is None:
            raise PlanInputError(
                f"{course.plan.title} still ends by its target; there is nothing to catch up"
            )
        if found.keep_week is None:
            raise PlanInputError(
                f"even whole days would not finish {course.plan.title} by "
                f"{found.target:%d %b %Y}; move the target instead"
            )
        enrolment = course.enrolment
        after = {**_settings(enrolment), "weekly_minutes": list(found.keep_week)}
        self._store(enrolment, after, "keep")
        return found, found.keep_week

    def move(self, plan_id: str | None = None) -> tuple[CatchUp, date]:
        """Move the target date to where the schedule now ends."""
        from studyplan.planning import PlanInputError

        inputs = self.planner.inputs()
        index, course = self._find(plan_id, inputs)
        found = self._catch_up(inputs, index, course)
        if found is None:
            raise PlanInputError(
                f"{course.plan.title} still ends by its target; there is nothing to move"
            )
        if found.scheduled is None:
            raise PlanInputError(
                f"at your minutes {course.plan.title} does not end within sixty years; "
                "give it more minutes instead"
            )
        enrolment = course.enrolment
        days = study_days_between(enrolment.start, found.scheduled, inputs.off_days)
        after = {**_settings(enrolment), "target_days": min(MAX_TARGET_DAYS, max(1, days))}
        self._store(enrolment, after, "move")
        return found, found.scheduled

    def use_pace(self, on: bool, plan_id: str | None = None) -> float | None:
        """Re-estimate what is left at the learner's own pace (``on``), or not."""
        from studyplan.planning import PlanInputError

        inputs = self.planner.inputs()
        _, course = self._find(plan_id, inputs)
        factor = pace_factor(course)
        if on and factor is None:
            raise PlanInputError(
                "your pace is not known yet: it needs finished topics with time recorded "
                "(a timer or studyplan plan log)"
            )
        if course.enrolment.use_pace == on:
            return factor
        after = {**_settings(course.enrolment), "use_pace": on}
        self._store(course.enrolment, after, "pace")
        return factor

    def last(self, plan_id: str | None = None) -> Change | None:
        """The newest choice not undone."""
        return self.planner.repo.last_change(plan_id)

    def undo(self, plan_id: str | None = None) -> Change:
        """Take back the newest choice (of one plan, or of any)."""
        from studyplan.planning import PlanInputError

        change = self.last(plan_id)
        if change is None:
            raise PlanInputError("there is no choice about a plan's pace to undo")
        self.planner.repo.undo_change(change, self.planner.studyplan.clock())
        self.planner.changed()
        return change

    def _store(self, enrolment: Enrolment, after: dict[str, Any], kind: str) -> None:
        self.planner.repo.set_pace(
            enrolment.plan_id,
            tuple(after["weekly_minutes"]),
            after["target_days"],
            after["use_pace"],
            (kind, _settings(enrolment), after),
            self.planner.studyplan.clock(),
        )
        self.planner.changed()


def describe_change(change: Change) -> str:
    """A choice in words, for undo messages."""
    before, after = change.before, change.after
    if change.kind == "keep":
        return (
            f"minutes a week from {sum(before['weekly_minutes'])} to "
            f"{sum(after['weekly_minutes'])} to keep the target"
        )
    if change.kind == "move":
        return "the moved target"
    return "using your pace for what is left" if after["use_pace"] else "not using your pace"


def hours(minutes: int) -> str:
    """Minutes as hours with one decimal, e.g. ``8.5 h``."""
    return f"{math.floor(minutes / 6 + 0.5) / 10:g} h"
