"""Time off: ranges of days with no study time (a holiday, exams, illness).

The scheduler gives such days no minutes and carries the work forward; the
nominal pace pauses over them; streaks bridge them like rest days.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from studyplan.core.plan.dates import check_day

MAX_DAYS = 366
"""A longer absence is better handled by leaving the plan and enrolling again."""


@dataclass(frozen=True, slots=True)
class TimeOff:
    """One range of days off, both ends included."""

    first: date
    last: date
    note: str = ""
    id: int | None = None
    """The stored row, once stored."""

    @property
    def length(self) -> int:
        """Days in the range."""
        return (self.last - self.first).days + 1

    def days(self) -> Iterator[date]:
        """Every day of the range, in order."""
        for n in range(self.length):
            yield self.first + timedelta(days=n)

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.first <= day <= self.last

    def label(self) -> str:
        """E.g. ``Mon 21 Dec 2026 - Sun 3 Jan 2027 (14 days): holiday``."""
        first = f"{self.first:%a} {self.first.day} {self.first:%b %Y}"
        last = f"{self.last:%a} {self.last.day} {self.last:%b %Y}"
        span = first if self.first == self.last else f"{first} - {last}"
        days = "1 day" if self.length == 1 else f"{self.length} days"
        return f"{span} ({days})" + (f": {self.note}" if self.note else "")


def new_time_off(first: date, last: date, note: str, existing: Sequence[TimeOff]) -> TimeOff:
    """A checked new range, or a ``ValueError`` in one sentence saying what is wrong."""
    check_day(first, "the first day off")
    check_day(last, "the last day off")
    if last < first:
        raise ValueError(
            f"the last day off ({last.isoformat()}) is before the first ({first.isoformat()}); "
            "give the first day, then the last"
        )
    wanted = TimeOff(first, last, " ".join(note.split()))
    if wanted.length > MAX_DAYS:
        raise ValueError(
            f"{wanted.length} days off is more than {MAX_DAYS}; "
            "for a longer break leave the plan and enrol again when you are back"
        )
    for other in existing:
        if first <= other.last and other.first <= last:
            raise ValueError(
                f"{first.isoformat()} to {last.isoformat()} overlaps your time off "
                f"{other.label()}; remove that range first or choose other days"
            )
    return wanted


def days_off(ranges: Iterable[TimeOff]) -> frozenset[date]:
    """Every day of every range."""
    return frozenset(day for r in ranges for day in r.days())


def add_study_days(start: date, days: int, off: frozenset[date]) -> date:
    """The day ``days`` days after ``start``, not counting days off on the way."""
    if not off:
        return start + timedelta(days=days)
    day, left = start, days
    while left > 0:
        day += timedelta(days=1)
        if day not in off:
            left -= 1
    return day


def study_days_between(first: date, end: date, off: frozenset[date]) -> int:
    """Days from ``first`` up to (not including) ``end`` that are not days off."""
    total = max(0, (end - first).days)
    if not off or not total:
        return total
    return total - sum(1 for day in off if first <= day < end)
