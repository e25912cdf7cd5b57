"""What a learner brings to the scheduler: an enrolment and their progress in one plan."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from types import MappingProxyType

from dateutil.relativedelta import MO, relativedelta

from studyplan.core.plan.model import DEFAULT_POINT, Plan

DAY_MINUTES = 24 * 60
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
DEFAULT_WEEK = (60, 60, 60, 60, 60, 180, 0)
"""Minutes per weekday, Monday first: an hour on weekdays, three on Saturday, Sunday off."""
MIN_BLOCK = 15
"""The shortest block worth sitting down for; shorter pieces are merged or carried."""
MAX_TARGET_DAYS = 520 * 7 * 4
"""A target this far out is no target (four times the longest phase allowed)."""


def overrun_minutes(estimate: int) -> int:
    """More time for a topic past its estimate and not yet marked finished.

    A quarter of the estimate, in whole 5 minutes, and at least one block;
    the learner ends it by marking the topic finished.
    """
    return max(MIN_BLOCK, 5 * math.ceil(estimate / 4 / 5))


def check_date(value: object, name: str) -> date:
    """Refuse anything but a plain ``date``: the scheduler counts days, never seconds."""
    if isinstance(value, datetime) or not isinstance(value, date):
        raise TypeError(f"{name} must be a datetime.date, not {type(value).__name__}")
    return value


def week_start(day: date) -> date:
    """The Monday of the week holding ``day``."""
    return day + relativedelta(weekday=MO(-1))


@dataclass(frozen=True, slots=True)
class Enrolment:
    """A learner's choice to follow one plan from a date, at a pace."""

    plan_id: str
    start: date
    starting_point: str = DEFAULT_POINT
    weekly_minutes: tuple[int, ...] = DEFAULT_WEEK
    """Minutes the learner has on each weekday, Monday first (seven numbers)."""
    share: float = 1.0
    """This plan's part of each day while other plans run too (0 < share <= 1); 0.7 for 70/30."""
    target_days: int | None = None
    """Days from the start to the target finish, not counting time off; None: the plan's weeks."""
    use_pace: bool = False
    """Re-estimate what is left at the learner's own pace (see ``pace.pace_factor``)."""

    def __post_init__(self) -> None:
        check_date(self.start, "the start")
        if self.target_days is not None and not 1 <= self.target_days <= MAX_TARGET_DAYS:
            raise ValueError(f"a target {self.target_days} days after the start is out of range")
        minutes = tuple(self.weekly_minutes)
        if len(minutes) != 7:
            raise ValueError(
                f"weekly minutes need seven numbers, Monday to Sunday; got {len(minutes)}"
            )
        for day, value in zip(WEEKDAYS, minutes, strict=True):
            if (
                not isinstance(value, int)
                or isinstance(value, bool)
                or not 0 <= value <= DAY_MINUTES
            ):
                raise ValueError(
                    f"{day} needs whole minutes from 0 to {DAY_MINUTES}, got {value!r}"
                )
        object.__setattr__(self, "weekly_minutes", minutes)
        if not 0 < self.share <= 1:
            raise ValueError(
                f"a plan's share of the day must be above 0 and at most 1, got {self.share}"
            )

    def minutes_on(self, day: date) -> int:
        """The learner's minutes on ``day``'s weekday."""
        return self.weekly_minutes[day.weekday()]


@dataclass(frozen=True, slots=True)
class Progress:
    """What the learner has done in one plan, as stored: minutes per topic id and done flags."""

    minutes: Mapping[str, int] = field(default_factory=dict)
    done: frozenset[str] = frozenset()
    studied_today: int = 0
    """Minutes of this plan already studied today; today's plan shows only what is left."""
    logged: frozenset[str] = frozenset()
    """Topics with time logged as actually spent (a timer or ``plan log``), not only blocks
    marked done as planned: such a topic stays open past its estimate until marked finished."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "minutes", MappingProxyType(dict(self.minutes)))
        object.__setattr__(self, "done", frozenset(self.done))
        object.__setattr__(self, "logged", frozenset(self.logged))
        if self.studied_today < 0:
            raise ValueError("minutes studied today cannot be negative")

    def spent(self, topic_id: str) -> int:
        """Minutes recorded on a topic (blocks done and time logged)."""
        return max(0, self.minutes.get(topic_id, 0))

    def remaining(self, topic_id: str, estimate: int, pace: float = 1.0) -> int:
        """Minutes left on a topic.

        0 once flagged finished, or once blocks marked done as planned use up
        the estimate. With time logged past the estimate and no "finished"
        mark, the topic still needs ``overrun_minutes``. ``pace`` scales the
        estimate (the learner's own pace, when they choose to use it).
        """
        if topic_id in self.done:
            return 0
        spent = self.spent(topic_id)
        target = math.ceil(estimate * pace) if pace != 1.0 else estimate
        if spent < target:
            return target - spent
        return overrun_minutes(estimate) if topic_id in self.logged else 0

    def finished(self, topic_id: str, estimate: int) -> bool:
        """Marked finished, or its estimate used up by blocks done as planned."""
        return self.remaining(topic_id, estimate) == 0


@dataclass(frozen=True, slots=True)
class Course:
    """One enrolled plan: the plan, the enrolment and the progress in it."""

    plan: Plan
    enrolment: Enrolment
    progress: Progress = field(default_factory=Progress)

    def __post_init__(self) -> None:
        if self.enrolment.plan_id != self.plan.id:
            raise ValueError(
                f"enrolment is for plan {self.enrolment.plan_id!r}, not {self.plan.id!r}"
            )
        self.plan.path(self.enrolment.starting_point)  # refuses an unknown starting point

    def phase_ends(self) -> dict[str, date]:
        """The date each of the learner's phases should end at the plan's nominal pace."""
        ends, weeks = {}, 0.0
        for phase in self.plan.phases_for(self.enrolment.starting_point):
            weeks += phase.weeks_for(self.enrolment.starting_point)
            ends[phase.id] = self.enrolment.start + relativedelta(days=round(weeks * 7))
        return ends
