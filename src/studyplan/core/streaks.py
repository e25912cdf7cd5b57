"""Streaks: which study days met the daily goal, and how long the run is.

Pure and replayable. Every function takes study days that were fixed when the
events were recorded (see ``studyday.study_day``) and never recomputes them.
The whole history is replayed from its first qualifying day, so the same
inputs always give the same answer.

The rules, day by day, up to ``today`` (stored days after ``today`` are
ignored until the clock reaches them; a clock that ran ahead or a flight east
across the date line, Auckland to Los Angeles, leaves such days):

- a qualifying day adds one to the run;
- a past day whose weekday is a rest weekday, or one of the ``rest_days``
  (the learner's time off), bridges the run without adding;
- a past day covered by a spent freeze bridges the run without adding;
- any other past day is missed and ends the run;
- ``today`` never ends the run: until it qualifies it is still open.

Freezes: the 7th, 14th, 21st... qualifying day of all history earns one if
fewer than 2 are held (otherwise it is forfeited). A gap is a maximal run of
non-qualifying days before today. Freezes are spent on a gap, oldest gap
first, only when the freezes held then cover every missed day in it;
otherwise none is spent and the run ends there. Spent days are persisted by
the store and always honoured. A refused gap stays refused because replay
judges it with the freezes held at that point of history, never later ones;
only changing the rest weekdays or the goal re-reads past days. A freeze
spent on a day that later turns out to qualify is given back.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

FREEZE_EVERY = 7
MAX_FREEZES = 2
DEFAULT_MIN_REVIEWS = 20
_ONE_DAY = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class StreakGoal:
    """What a learner must do on a study day for it to count (any route is enough)."""

    all_due: bool = True
    """Reviewing every card due that day counts (a day with nothing due needs one review)."""
    min_reviews: int | None = DEFAULT_MIN_REVIEWS
    """This many scheduling answers count, whatever was due; None turns the route off."""
    min_blocks: int | None = 1
    """This many completed plan blocks count; None turns the route off."""

    def __post_init__(self) -> None:
        for name in ("min_reviews", "min_blocks"):
            value = getattr(self, name)
            if value is not None and (isinstance(value, bool) or value < 1):
                raise ValueError(f"{name} must be a whole number of 1 or more, or None")


@dataclass(frozen=True, slots=True)
class DayRecord:
    """What the learner did on one stored study day, summed over that day's events."""

    day: date
    reviews: int = 0
    """Scheduling answers given that day (drill answers are not counted)."""
    due: int = 0
    """Cards due on that day, overdue ones included, as first shown that day."""
    due_reviewed: int = 0
    """How many of those due cards got their scheduling answer that day."""
    blocks_done: int = 0
    """Plan blocks completed that day."""

    def __post_init__(self) -> None:
        for name in ("reviews", "due", "due_reviewed", "blocks_done"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} on {self.day} cannot be negative")
        if self.due_reviewed > self.reviews:
            raise ValueError(f"due_reviewed on {self.day} is more than the reviews that day")


@dataclass(frozen=True, slots=True)
class StreakSummary:
    """What the learner sees about their streak on ``today``."""

    current: int
    """Qualifying days in the run that reaches today (bridged days not counted)."""
    longest: int
    """The most qualifying days in any run of the history, the current one included."""
    freezes_held: int
    """Freezes held now, 0 to 2."""
    bridged_days_in_current: int
    """Past days inside the current run bridged by a rest weekday or a freeze."""
    frozen_days_in_current: int
    """Of those, the days bridged by a freeze."""
    current_start: date | None
    """The first qualifying day of the current run, None when there is no run."""
    today_counts: bool
    """True once today already qualifies."""
    qualifying_days: int
    """Qualifying days in all history up to today."""
    days_to_next_freeze: int
    """Qualifying days still needed to earn the next freeze (1 to 7)."""


def qualifies(record: DayRecord, goal: StreakGoal = StreakGoal()) -> bool:
    """True when ``record`` meets ``goal`` by any of its routes."""
    if goal.all_due and record.reviews >= 1 and record.due_reviewed >= record.due:
        return True
    if goal.min_reviews is not None and record.reviews >= goal.min_reviews:
        return True
    return goal.min_blocks is not None and record.blocks_done >= goal.min_blocks


def qualifying_days(
    records: Iterable[DayRecord], goal: StreakGoal = StreakGoal()
) -> frozenset[date]:
    """The stored study days among ``records`` that meet ``goal``; one record per day."""
    seen: set[date] = set()
    days: set[date] = set()
    for record in records:
        if record.day in seen:
            raise ValueError(f"two day records for {record.day}; sum a day's events into one")
        seen.add(record.day)
        if qualifies(record, goal):
            days.add(record.day)
    return frozenset(days)


def rest_weekdays(weekly_minutes: Sequence[int]) -> frozenset[int]:
    """The weekdays (0 = Monday) with no planned minutes, from ``parse_weekly_minutes``."""
    if len(weekly_minutes) != 7:
        raise ValueError(
            f"seven minute counts are needed, Monday to Sunday; got {len(weekly_minutes)}"
        )
    return frozenset(day for day, minutes in enumerate(weekly_minutes) if minutes <= 0)


def spend_freezes(
    qualifying: Collection[date],
    rest_weekdays: Collection[int],
    spent_so_far: Collection[date],
    today: date,
    rest_days: Collection[date] = frozenset(),
) -> frozenset[date]:
    """The missed days to cover with freezes now, given the days already covered.

    Call it when the learner opens the app and persist the answer with
    ``spent_so_far``; calling it again with both gives an empty set.
    """
    replay = _replay(
        qualifying, rest_weekdays, spent_so_far, today, spend=True, rest_days=rest_days
    )
    return replay.newly_frozen


def streaks(
    qualifying: Collection[date],
    rest_weekdays: Collection[int],
    frozen_days: Collection[date],
    today: date,
    rest_days: Collection[date] = frozenset(),
) -> StreakSummary:
    """The streak on ``today`` from stored qualifying days and persisted freezes.

    No freeze is spent here: call ``spend_freezes`` first and pass its days in
    ``frozen_days`` together with the ones spent before.
    """
    return _replay(
        qualifying, rest_weekdays, frozen_days, today, spend=False, rest_days=rest_days
    ).summary


@dataclass(frozen=True, slots=True)
class _Replay:
    summary: StreakSummary
    newly_frozen: frozenset[date]


def _check_weekdays(rest_weekdays: Collection[int]) -> frozenset[int]:
    rest = frozenset(rest_weekdays)
    bad = sorted(day for day in rest if isinstance(day, bool) or day not in range(7))
    if bad:
        raise ValueError(f"rest weekdays are numbers 0 (Monday) to 6 (Sunday), got {bad}")
    return rest


def _replay(
    qualifying: Collection[date],
    rest_weekdays: Collection[int],
    frozen_days: Collection[date],
    today: date,
    *,
    spend: bool,
    rest_days: Collection[date] = frozenset(),
) -> _Replay:
    rest = _check_weekdays(rest_weekdays)
    off = frozenset(rest_days)
    good = frozenset(day for day in qualifying if day <= today)
    frozen = frozenset(frozen_days)
    held = total = longest = 0
    run = bridged = run_frozen = 0
    run_start: date | None = None
    newly: set[date] = set()
    day = min(good, default=today + _ONE_DAY)
    while day <= today:
        if day in good:
            total += 1
            if total % FREEZE_EVERY == 0 and held < MAX_FREEZES:
                held += 1
            if run == 0:
                run_start = day
            run += 1
            day += _ONE_DAY
            continue
        if day == today:
            break
        # A gap: every non-qualifying day from here up to the next qualifying day or today.
        gap = []
        while day < today and day not in good:
            gap.append(day)
            day += _ONE_DAY
        resting = [d for d in gap if d.weekday() in rest or d in off]
        spent = [d for d in gap if not (d.weekday() in rest or d in off) and d in frozen]
        missed = [d for d in gap if not (d.weekday() in rest or d in off) and d not in frozen]
        # Persisted freezes are honoured even if the history no longer earns them.
        held = max(0, held - len(spent))
        if spend and missed and len(missed) <= held:
            held -= len(missed)
            newly.update(missed)
            spent += missed
            missed = []
        if missed:
            longest = max(longest, run)
            run = bridged = run_frozen = 0
            run_start = None
        else:
            bridged += len(resting) + len(spent)
            run_frozen += len(spent)
    summary = StreakSummary(
        current=run,
        longest=max(longest, run),
        freezes_held=held,
        bridged_days_in_current=bridged,
        frozen_days_in_current=run_frozen,
        current_start=run_start,
        today_counts=today in good,
        qualifying_days=total,
        days_to_next_freeze=FREEZE_EVERY - total % FREEZE_EVERY,
    )
    return _Replay(summary, frozenset(newly))


def streak_label(summary: StreakSummary) -> str:
    """One line for the streak panel, e.g. ``12-day streak (3 days bridged, 1 by a freeze)``."""
    if not summary.current:
        return "No streak yet" if not summary.longest else "No current streak"
    text = f"{summary.current}-day streak"
    bridged, frozen = summary.bridged_days_in_current, summary.frozen_days_in_current
    if bridged:
        text += f" ({bridged} {'day' if bridged == 1 else 'days'} bridged"
        if frozen:
            text += f", {frozen} by {'a freeze' if frozen == 1 else 'freezes'}"
        text += ")"
    return text
