"""Statistics for the stats screen and the shell prompt: heatmap, forecast, retention.

Pure: every day is a stored study day, ``today`` is passed in, nothing is read.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from types import MappingProxyType

from studyplan.core.sm2 import PASSING_GRADE, check_grade

MONDAY, SUNDAY = 0, 6
DEFAULT_SECONDS_PER_CARD = 10.0
DEFAULT_TIMING_ANSWERS = 50
LEVELS = 4

AnswerRow = tuple[date, str, int, bool]
"""One answer as stored: (study day, deck key, grade, is_drill)."""


@dataclass(frozen=True, slots=True)
class HeatCell:
    """One day of the heatmap: its review count and a shade from 0 (none) to 4."""

    day: date
    count: int
    level: int


@dataclass(frozen=True, slots=True)
class Heatmap:
    """A GitHub-style grid: ``columns[week][row]``, the last column holds today."""

    columns: tuple[tuple[HeatCell | None, ...], ...]
    """One column per week, 7 rows from the week's first day; None outside the window."""
    first_day: date
    """The oldest day shown (the same weekday as today, ``weeks - 1`` weeks back)."""
    today: date
    total: int
    """Reviews in the window."""
    active_days: int
    """Days in the window with at least one review."""

    @property
    def rows(self) -> tuple[tuple[HeatCell | None, ...], ...]:
        """The same cells row by row (7 rows, one cell per week), for drawing line by line."""
        return tuple(zip(*self.columns, strict=True))


def heatmap(
    counts: Mapping[date, int], today: date, weeks: int = 53, week_start: int = MONDAY
) -> Heatmap:
    """The last ``weeks`` weeks of ``counts`` (53 weeks = the last 365 days).

    Shade of an active day: ``ceil(4 * share of active days in the window with
    a count at or below this one)``, so the busiest day is always 4, a uniform
    history is all 4, and a quarter of active days sit on each shade when
    counts are spread out. A day without reviews is 0.
    """
    if weeks < 1:
        raise ValueError(f"a heatmap needs at least one week, got {weeks}")
    if week_start not in range(7):
        raise ValueError(f"week_start is 0 (Monday) to 6 (Sunday), got {week_start}")
    first = today - timedelta(weeks=weeks - 1)
    grid_start = first - timedelta(days=(first.weekday() - week_start) % 7)
    shown: dict[date, int] = {}
    for day, count in counts.items():
        if count < 0:
            raise ValueError(f"the review count on {day} cannot be negative")
        if first <= day <= today and count:
            shown[day] = count
    ranked = sorted(shown.values())
    columns = []
    for week in range(weeks):
        column: list[HeatCell | None] = []
        for row in range(7):
            day = grid_start + timedelta(days=7 * week + row)
            if not first <= day <= today:
                column.append(None)
                continue
            count = shown.get(day, 0)
            column.append(HeatCell(day, count, _level(count, ranked)))
        columns.append(tuple(column))
    return Heatmap(tuple(columns), first, today, sum(ranked), len(ranked))


def _level(count: int, ranked: list[int]) -> int:
    if not count:
        return 0
    return math.ceil(LEVELS * bisect_right(ranked, count) / len(ranked))


@dataclass(frozen=True, slots=True)
class ForecastDay:
    """Reviews due on one coming day and the minutes they should take."""

    day: date
    reviews: int
    minutes: float


def due_forecast(
    due: Mapping[date, int] | Iterable[date | None],
    today: date,
    days: int = 30,
    seconds_per_card: float = DEFAULT_SECONDS_PER_CARD,
) -> list[ForecastDay]:
    """Reviews due on each of ``days`` days from today; overdue cards land on today.

    ``due`` is either a count per due day or one due day per card (None, a new
    card, is not a review and is skipped). Days past the window are left out.
    """
    if days < 1:
        raise ValueError(f"a forecast needs at least one day, got {days}")
    if seconds_per_card < 0:
        raise ValueError("seconds per card cannot be negative")
    pairs = due.items() if isinstance(due, Mapping) else Counter(due).items()
    per_day: Counter[date] = Counter()
    for day, cards in pairs:
        if day is None:
            continue
        if cards < 0:
            raise ValueError(f"the number of cards due on {day} cannot be negative")
        per_day[max(day, today)] += cards
    out = []
    for offset in range(days):
        day = today + timedelta(days=offset)
        out.append(ForecastDay(day, per_day[day], per_day[day] * seconds_per_card / 60))
    return out


@dataclass(frozen=True, slots=True)
class Share:
    """Scheduling answers graded 3 or more, out of all scheduling answers."""

    passed: int
    answered: int

    @property
    def ratio(self) -> float | None:
        """passed / answered, or None when there were no answers (not 0%)."""
        return self.passed / self.answered if self.answered else None


@dataclass(frozen=True, slots=True)
class Retention:
    """Retention over the last ``days`` study days, overall and per deck."""

    days: int
    overall: Share
    per_deck: Mapping[str, Share]
    """Decks with a scheduling answer in the window, plus any deck asked for."""


def retention(
    answers: Iterable[AnswerRow], today: date, days: int = 30, decks: Iterable[str] = ()
) -> Retention:
    """Share of scheduling answers graded 3+ on study days ``today - days + 1 .. today``.

    Drill answers are left out, and so are answers stored with a study day
    after ``today``. Decks in ``decks`` appear even without answers (ratio None).
    """
    if days < 1:
        raise ValueError(f"retention needs at least one day, got {days}")
    first = today - timedelta(days=days - 1)
    passed: Counter[str] = Counter({deck: 0 for deck in decks})
    answered: Counter[str] = Counter({deck: 0 for deck in decks})
    for day, deck, grade, is_drill in answers:
        grade = check_grade(grade)
        if is_drill or not first <= day <= today:
            continue
        answered[deck] += 1
        passed[deck] += grade >= PASSING_GRADE
    per_deck = {deck: Share(passed[deck], answered[deck]) for deck in sorted(answered)}
    overall = Share(sum(passed.values()), sum(answered.values()))
    return Retention(days, overall, MappingProxyType(per_deck))


def seconds_per_card(
    durations: Iterable[float],
    last: int = DEFAULT_TIMING_ANSWERS,
    default: float = DEFAULT_SECONDS_PER_CARD,
) -> float:
    """Median seconds taken by the last ``last`` answers (oldest first), or ``default``.

    A negative duration comes from a clock that went backwards; it is dropped,
    never counted as time.
    """
    if last < 1:
        raise ValueError(f"last must be 1 or more, got {last}")
    import statistics  # not needed by the shell prompt's status line

    kept = [float(s) for s in durations if s >= 0 and math.isfinite(s)][-last:]
    return statistics.median(kept) if kept else default
