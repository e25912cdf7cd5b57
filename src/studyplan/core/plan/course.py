"""What a learner brings to the scheduler: an enrolment and their progress in one plan."""

from __future__ import annotations

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

    def __post_init__(self) -> None:
        check_date(self.start, "the start")
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

    def __post_init__(self) -> None:
        object.__setattr__(self, "minutes", MappingProxyType(dict(self.minutes)))
        object.__setattr__(self, "done", frozenset(self.done))
        if self.studied_today < 0:
            raise ValueError("minutes studied today cannot be negative")

    def remaining(self, topic_id: str, estimate: int) -> int:
        """Minutes left on a topic: 0 once flagged done or once the estimate is used up."""
        if topic_id in self.done:
            return 0
        return max(0, estimate - max(0, self.minutes.get(topic_id, 0)))


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
