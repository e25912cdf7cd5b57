"""Time off for the plan: ranges of days, and the reviews that wait for the learner's return."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from studyplan.core.plan.timeoff import TimeOff, new_time_off

if TYPE_CHECKING:
    from studyplan.planning import Planner

RECENT_DAYS = 7
"""A range that ended this many days ago still counts as "just back" for spreading reviews."""
MAX_SPREAD_DAYS = 30


@dataclass(frozen=True, slots=True)
class ReturnLoad:
    """The flashcards waiting when the learner is back from time off."""

    time_off: TimeOff
    back: date
    """The first day back (today, if the learner is already back)."""
    due: int
    """Cards due on or before that day, as things stand."""
    minutes: int
    """About how long they take at the learner's pace."""


class PlanTimeOff:
    """Add, list and remove time off; count and spread the reviews waiting on return."""

    def __init__(self, planner: Planner) -> None:
        self.planner = planner

    def ranges(self) -> list[TimeOff]:
        """Every range, earliest first."""
        return self.planner.off_repo.ranges()

    def add(self, first: date, last: date, note: str = "") -> TimeOff:
        """Add a range; a ``PlanInputError`` in one sentence when it cannot be (nothing stored)."""
        from studyplan.planning import PlanInputError

        try:
            wanted = new_time_off(first, last, note, self.ranges())
        except ValueError as err:
            raise PlanInputError(str(err)) from None
        stored = self.planner.off_repo.add(wanted, self.planner.studyplan.clock())
        self.planner.changed()
        return stored

    def remove(self, day: date) -> TimeOff:
        """Remove the range holding ``day``."""
        from studyplan.planning import PlanInputError

        ranges = self.ranges()
        found = next((r for r in ranges if day in r), None)
        if found is None:
            listed = "; ".join(r.label() for r in ranges) or "none"
            raise PlanInputError(f"no time off holds {day.isoformat()} (your time off: {listed})")
        self.planner.off_repo.remove(found)
        self.planner.changed()
        return found

    def restore(self, time_off: TimeOff) -> TimeOff:
        """Put back a range removed a moment ago (undo)."""
        return self.add(time_off.first, time_off.last, time_off.note)

    def on_return(self, today: date | None = None) -> ReturnLoad | None:
        """The reviews waiting after the current or next time off (or the one just ended)."""
        today = today or self.planner.studyplan.today()
        ranges = self.ranges()
        coming = next((r for r in ranges if r.last >= today), None)
        if coming is None:
            recent = [r for r in ranges if today - timedelta(days=RECENT_DAYS) <= r.last < today]
            if not recent:
                return None
            coming = recent[-1]
        back = max(today, coming.last + timedelta(days=1))
        due = self.planner.repo.due_by(back)
        seconds = self.planner.inputs(today, courses=[]).seconds_per_card
        return ReturnLoad(coming, back, due, math.ceil(due * seconds / 60))

    def spread(self, days: int, today: date | None = None) -> tuple[int, int, ReturnLoad]:
        """Spread the reviews waiting on return over the first ``days`` days back.

        Returns (batch, cards moved, what was waiting); ``unspread(batch)`` undoes it.
        """
        from studyplan.planning import PlanInputError

        if not 2 <= days <= MAX_SPREAD_DAYS:
            raise PlanInputError(f"spread the reviews over 2 to {MAX_SPREAD_DAYS} days, not {days}")
        waiting = self.on_return(today)
        if waiting is None:
            raise PlanInputError(
                "there is no time off coming or just ended to spread reviews after"
            )
        if not waiting.due:
            raise PlanInputError(f"no cards are due by {waiting.back:%a %d %b}; nothing to spread")
        batch, moved = self.planner.off_repo.spread(waiting.back, days)
        self.planner.changed()
        return batch, moved, waiting

    def unspread(self, batch: int) -> int:
        """Undo a spread: cards not answered since go back to their due dates."""
        moved = self.planner.off_repo.unspread(batch)
        self.planner.changed()
        return moved

    def last_spread(self) -> int | None:
        """The newest spread, if any (to undo it)."""
        return self.planner.off_repo.last_spread()


def return_sentence(waiting: ReturnLoad, keys: bool) -> str:
    """The reviews waiting after time off, and how to spread them (a key, or the command)."""
    how = "w" if keys else "studyplan plan spread DAYS"
    head = f"Time off {waiting.time_off.label()}. "
    if not waiting.due:
        return head + f"No cards are due by your return on {waiting.back:%a %d %b} so far."
    return head + (
        f"{waiting.due} cards will be due when you are back on {waiting.back:%a %d %b} "
        f"(about {waiting.minutes} min); spread them over the first days back with {how}."
    )
