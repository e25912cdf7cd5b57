"""The daily goal: which study days count."""

from __future__ import annotations

import pytest

from studyplan.core.streaks import (
    DayRecord,
    StreakGoal,
    qualifies,
    qualifying_days,
)
from tests.core.streaks.days import (
    MON,
    ONE,
)

# --- the daily goal -------------------------------------------------------------------


def test_reviewing_every_due_card_meets_the_goal() -> None:
    assert qualifies(DayRecord(MON, reviews=3, due=3, due_reviewed=3))
    assert not qualifies(DayRecord(MON, reviews=3, due=4, due_reviewed=3))


def test_enough_reviews_meet_the_goal_even_with_cards_left() -> None:
    assert qualifies(DayRecord(MON, reviews=20, due=90, due_reviewed=20))
    assert not qualifies(
        DayRecord(MON, reviews=20, due=90, due_reviewed=20), StreakGoal(min_reviews=30)
    )


def test_one_completed_plan_block_meets_the_goal() -> None:
    assert qualifies(DayRecord(MON, due=40, blocks_done=1))
    assert not qualifies(DayRecord(MON, due=40, blocks_done=1), StreakGoal(min_blocks=None))


def test_a_day_with_nothing_due_needs_one_review() -> None:
    assert not qualifies(DayRecord(MON))
    assert qualifies(DayRecord(MON, reviews=1))


def test_the_all_due_route_can_be_turned_off() -> None:
    assert not qualifies(
        DayRecord(MON, reviews=3, due=3, due_reviewed=3), StreakGoal(all_due=False)
    )


def test_a_goal_below_one_is_refused() -> None:
    with pytest.raises(ValueError, match="min_reviews"):
        StreakGoal(min_reviews=0)
    with pytest.raises(ValueError, match="min_blocks"):
        StreakGoal(min_blocks=0)


def test_impossible_day_records_are_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        DayRecord(MON, reviews=-1)
    with pytest.raises(ValueError, match="more than the reviews"):
        DayRecord(MON, reviews=1, due=5, due_reviewed=2)


def test_qualifying_days_keeps_the_days_that_met_the_goal() -> None:
    records = [
        DayRecord(MON, reviews=1),
        DayRecord(MON + ONE),
        DayRecord(MON + 2 * ONE, blocks_done=1),
    ]
    assert qualifying_days(records) == {MON, MON + 2 * ONE}
    with pytest.raises(ValueError, match="two day records for 2026-05-04"):
        qualifying_days([DayRecord(MON, reviews=1), DayRecord(MON, reviews=2)])
