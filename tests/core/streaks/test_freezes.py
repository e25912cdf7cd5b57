"""Freezes: earned, spent on missed days, given back."""

from __future__ import annotations

from studyplan.core.streaks import (
    spend_freezes,
    streak_label,
    streaks,
)
from tests.core.streaks.days import (
    MON,
    ONE,
    SAT,
    SUN,
    open_app,
    span,
)

# --- freezes --------------------------------------------------------------------------


def test_every_seventh_qualifying_day_earns_a_freeze_up_to_two() -> None:
    held = [streaks(span(MON, n), (), (), MON + (n - 1) * ONE).freezes_held for n in (6, 7, 14, 21)]
    assert held == [0, 1, 2, 2]
    assert streaks(span(MON, 23), (), (), MON + 22 * ONE).days_to_next_freeze == 5


def test_a_held_freeze_covers_one_missed_day_when_the_app_opens() -> None:
    days = set(span(MON, 7))  # earns a freeze on Sunday
    today = MON + 8 * ONE  # Monday missed, learner opens on Tuesday
    spent = open_app(days, set(), set(), today)
    assert spent == {MON + 7 * ONE}
    summary = streaks(days | {today}, (), spent, today)
    assert (summary.current, summary.freezes_held, summary.frozen_days_in_current) == (8, 0, 1)
    assert streak_label(summary) == "8-day streak (1 day bridged, 1 by a freeze)"


def test_spending_is_idempotent() -> None:
    days, today = set(span(MON, 7)), MON + 8 * ONE
    spent = open_app(days, set(), set(), today)
    assert spend_freezes(days, (), spent, today) == frozenset()


def test_freezes_are_spent_only_when_they_cover_the_whole_gap() -> None:
    days = set(span(MON, 7))
    today = MON + 9 * ONE  # Monday and Tuesday missed, one freeze held
    assert open_app(days, set(), set(), today) == set()
    summary = streaks(days, (), (), today)
    assert (summary.current, summary.longest, summary.freezes_held) == (0, 7, 1)
    assert streak_label(summary) == "No current streak"


def test_two_freezes_cover_a_two_day_gap() -> None:
    days = set(span(MON, 14))
    spent = open_app(days, set(), set(), MON + 16 * ONE)
    assert spent == {MON + 14 * ONE, MON + 15 * ONE}
    assert streaks(days, (), spent, MON + 16 * ONE).current == 14


def test_rest_days_inside_a_gap_cost_no_freeze() -> None:
    rest = {2, 3, SAT, SUN}  # no study planned on Wednesdays, Thursdays and weekends
    days = set(span(MON, 5)) | set(span(MON + 7 * ONE, 2))  # the 7th qualifying day is Tuesday
    today = MON + 13 * ONE  # Sunday; only Friday was missed in the second week
    spent = open_app(days, rest, set(), today)
    assert spent == {MON + 11 * ONE}
    summary = streaks(days, rest, spent, today)
    assert (summary.current, summary.bridged_days_in_current, summary.freezes_held) == (7, 6, 0)


def test_the_oldest_gap_gets_the_freeze_first() -> None:
    days = set(span(MON, 7)) | {MON + 8 * ONE}  # missed day 7, then day 9 missed too
    spent = open_app(days, set(), set(), MON + 10 * ONE)
    assert spent == {MON + 7 * ONE}
    assert streaks(days, (), spent, MON + 10 * ONE).current == 0


def test_a_declined_gap_is_not_rescued_by_later_freezes() -> None:
    days = set(span(MON, 7)) | set(span(MON + 9 * ONE, 14))  # two missed days, then two weeks
    today = MON + 23 * ONE
    spent = open_app(days, set(), set(), today)
    assert spent == set()
    summary = streaks(days, (), spent, today)
    assert (summary.current, summary.longest, summary.freezes_held) == (14, 14, 2)


def test_a_freeze_never_covers_today() -> None:
    days = set(span(MON, 7))
    assert MON + 7 * ONE not in spend_freezes(days, (), (), MON + 7 * ONE)


def test_a_freeze_on_a_day_that_later_qualified_is_given_back() -> None:
    days = set(span(MON, 7))
    today = MON + 8 * ONE
    spent = open_app(days, set(), set(), today)
    # An event recorded later (a flight east) lands on the frozen day after all.
    summary = streaks(days | spent | {today}, (), spent, today)
    assert (summary.current, summary.freezes_held, summary.frozen_days_in_current) == (9, 1, 0)
