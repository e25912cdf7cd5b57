"""Current and longest streaks, rest days."""

from __future__ import annotations

import pytest

from studyplan.core.plan.availability import parse_weekly_minutes
from studyplan.core.streaks import (
    rest_weekdays,
    spend_freezes,
    streak_label,
    streaks,
)
from tests.core.streaks.days import (
    MON,
    ONE,
    SAT,
    SUN,
    span,
)

# --- current and longest --------------------------------------------------------------


def test_today_still_open_does_not_break_the_streak() -> None:
    summary = streaks(span(MON, 5), (), (), MON + 5 * ONE)
    assert (summary.current, summary.today_counts, summary.current_start) == (5, False, MON)
    assert streaks(span(MON, 6), (), (), MON + 5 * ONE).current == 6


def test_a_missed_day_ends_the_streak_and_longest_remembers_it() -> None:
    days = [*span(MON, 5), MON + 6 * ONE]
    summary = streaks(days, (), (), MON + 6 * ONE)
    assert (summary.current, summary.longest, summary.current_start) == (1, 5, MON + 6 * ONE)
    assert streak_label(summary) == "1-day streak"


def test_rest_weekdays_bridge_without_counting() -> None:
    weekdays = [d for d in span(MON, 14) if d.weekday() < SAT]  # two working weeks
    summary = streaks(weekdays, {SAT, SUN}, (), MON + 14 * ONE)
    assert (summary.current, summary.bridged_days_in_current, summary.frozen_days_in_current) == (
        10,
        4,
        0,
    )
    assert streak_label(summary) == "10-day streak (4 days bridged)"


def test_rest_weekdays_are_the_days_without_planned_minutes() -> None:
    assert rest_weekdays(parse_weekly_minutes("mon-fri=60,sat=180,sun=0")) == {SUN}
    with pytest.raises(ValueError, match="seven"):
        rest_weekdays((60, 0))


def test_today_being_a_rest_day_keeps_the_streak() -> None:
    summary = streaks(span(MON, 5), {SAT, SUN}, (), MON + 6 * ONE)  # Sunday
    assert (summary.current, summary.bridged_days_in_current) == (
        5,
        1,
    )  # Saturday; today still open


def test_studying_on_a_rest_day_counts() -> None:
    assert streaks(span(MON, 7), {SAT, SUN}, (), MON + 6 * ONE).current == 7


def test_no_history_means_no_streak() -> None:
    summary = streaks((), {SAT}, (), MON)
    assert (summary.current, summary.longest, summary.freezes_held, summary.current_start) == (
        0,
        0,
        0,
        None,
    )
    assert streak_label(summary) == "No streak yet"
    assert spend_freezes((), {SAT}, (), MON) == frozenset()


def test_days_after_today_are_not_counted_yet() -> None:
    summary = streaks(span(MON, 10), (), (), MON + 4 * ONE)
    assert (summary.current, summary.longest, summary.qualifying_days) == (5, 5, 5)


def test_bad_rest_weekdays_are_refused() -> None:
    with pytest.raises(ValueError, match="0 \\(Monday\\) to 6"):
        streaks([MON], {7}, (), MON)
