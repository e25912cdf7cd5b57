"""Time off bridges a streak like a rest day: not broken, not counted, no freeze spent."""

from __future__ import annotations

from datetime import date, timedelta

from studyplan.core.streaks import spend_freezes, streaks

MONDAY = date(2026, 3, 2)


def days(first: date, count: int) -> set[date]:
    return {first + timedelta(days=n) for n in range(count)}


def test_a_holiday_bridges_the_streak_without_adding_to_it() -> None:
    studied = days(MONDAY, 5) | days(MONDAY + timedelta(days=12), 3)
    holiday = days(MONDAY + timedelta(days=5), 7)
    today = MONDAY + timedelta(days=14)
    assert spend_freezes(studied, (), (), today, holiday) == frozenset()
    summary = streaks(studied, (), (), today, holiday)
    assert summary.current == 8 and summary.bridged_days_in_current == 7
    assert summary.frozen_days_in_current == 0
    without = streaks(studied, (), (), today)
    assert without.current == 3  # the same gap without time off ends the run


def test_a_day_studied_during_time_off_still_counts() -> None:
    studied = days(MONDAY, 3)
    today = MONDAY + timedelta(days=2)
    assert streaks(studied, (), (), today, days(MONDAY, 3)).current == 3
