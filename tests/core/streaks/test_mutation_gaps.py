"""Edges that mutation testing found untested: a goal passed through, one planned minute,
rest days when spending freezes, a label with two freezes."""

from __future__ import annotations

from studyplan.core.streaks import (
    DayRecord,
    StreakGoal,
    qualifying_days,
    rest_weekdays,
    spend_freezes,
    streak_label,
    streaks,
)
from tests.core.streaks.days import MON, ONE, span


def test_qualifying_days_use_the_goal_given_not_the_default() -> None:
    records = [
        DayRecord(MON, reviews=20, due=30, due_reviewed=10),
        DayRecord(MON + ONE, blocks_done=1),
    ]
    assert qualifying_days(records) == {MON, MON + ONE}
    blocks_only = StreakGoal(all_due=False, min_reviews=None, min_blocks=1)
    assert qualifying_days(records, blocks_only) == {MON + ONE}


def test_a_weekday_with_one_planned_minute_is_no_rest_day() -> None:
    assert rest_weekdays((1, 0, 60, 0, 1, 0, 0)) == {1, 3, 5, 6}


def test_spending_freezes_skips_the_learners_own_rest_days() -> None:
    days = set(span(MON, 7))  # a freeze earned on Sunday
    today = MON + 9 * ONE  # Monday and Tuesday missed
    assert spend_freezes(days, (), (), today) == frozenset()  # one freeze, two days: none
    off = {MON + 7 * ONE}  # Monday was time off: only Tuesday needs the freeze
    assert spend_freezes(days, (), (), today, rest_days=off) == {MON + 8 * ONE}


def test_the_label_names_freezes_in_the_plural() -> None:
    days = set(span(MON, 14))  # two freezes earned
    today = MON + 16 * ONE  # two days missed, then today
    spent = spend_freezes(days, (), (), today)
    assert len(spent) == 2
    summary = streaks(days | {today}, (), spent, today)
    assert streak_label(summary) == "15-day streak (2 days bridged, 2 by freezes)"


def test_two_gaps_bridged_by_freezes_both_count_in_the_current_run() -> None:
    days = set(span(MON, 14)) | {MON + 15 * ONE, MON + 17 * ONE}  # 14th and 16th missed
    frozen = {MON + 14 * ONE, MON + 16 * ONE}
    summary = streaks(days, (), frozen, MON + 17 * ONE)
    assert (summary.bridged_days_in_current, summary.frozen_days_in_current) == (2, 2)
    assert streak_label(summary) == "16-day streak (2 days bridged, 2 by freezes)"


def test_a_freeze_kept_on_a_day_that_became_a_rest_day_is_not_charged() -> None:
    # A freeze was spent on Saturday; later the learner made Saturdays rest days.
    days = set(span(MON, 5)) | {MON + 6 * ONE}
    summary = streaks(days, {5}, {MON + 5 * ONE}, MON + 6 * ONE)
    assert (summary.bridged_days_in_current, summary.frozen_days_in_current) == (1, 0)


def test_a_broken_streak_has_no_start_until_the_next_qualifying_day() -> None:
    summary = streaks(set(span(MON, 3)), (), (), MON + 6 * ONE)
    assert (summary.current, summary.current_start, summary.longest) == (0, None, 3)
