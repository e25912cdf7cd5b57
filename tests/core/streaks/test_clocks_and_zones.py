"""Study days are fixed when recorded: rollover, daylight saving, the date line, clocks going back."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from studyplan.core.streaks import (
    DayRecord,
    qualifying_days,
    spend_freezes,
    streak_label,
    streaks,
)
from studyplan.core.studyday import study_day
from tests.core.streaks.days import (
    AUCKLAND,
    LONDON,
    LOS_ANGELES,
    NEW_YORK,
    ONE,
    SYDNEY,
    open_app,
    span,
)

# --- clocks and zones: study days are fixed when recorded -----------------------------


def stored_days(events: list[tuple[datetime, ZoneInfo]]) -> frozenset[date]:
    """What the store does: fix each review's study day when it is recorded (all due done)."""
    per_day = Counter(study_day(moment, zone) for moment, zone in events)
    return qualifying_days(
        DayRecord(day, reviews=n, due=n, due_reviewed=n) for day, n in per_day.items()
    )


def local(zone: ZoneInfo, day: date, hour: int, minute: int = 0, fold: int = 0) -> datetime:
    """The UTC moment of a wall-clock time in ``zone``."""
    wall = datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone, fold=fold)
    return wall.astimezone(UTC)


def test_a_review_at_01_30_keeps_yesterday_in_the_streak() -> None:
    ny = NEW_YORK
    days = stored_days(
        [(local(ny, date(2026, 3, 2), 20), ny), (local(ny, date(2026, 3, 4), 1, 30), ny)]
    )
    assert days == {date(2026, 3, 2), date(2026, 3, 3)}
    assert streaks(days, (), (), date(2026, 3, 4)).current == 2  # the 4th is still open


# (zone, spring-forward date, fall-back date) in 2026
DST = [
    (NEW_YORK, date(2026, 3, 8), date(2026, 11, 1)),
    (LONDON, date(2026, 3, 29), date(2026, 10, 25)),
    (SYDNEY, date(2026, 10, 4), date(2026, 4, 5)),
]


@pytest.mark.parametrize(("zone", "spring", "fall"), DST, ids=["new_york", "london", "sydney"])
def test_the_short_and_long_study_days_each_count_once(
    zone: ZoneInfo, spring: date, fall: date
) -> None:
    for change, hours in ((spring, 23), (fall, 25)):
        # The clocks change before 04:00, so the study day before the change is the odd one.
        start = local(zone, change - ONE, 4)
        end = local(zone, change, 4)
        assert end - start == timedelta(hours=hours)
        assert study_day(start, zone) == change - ONE == study_day(end - timedelta(minutes=1), zone)
        assert study_day(end, zone) == change
        # A learner reviewing at 03:30 every night across the change keeps a 9-day streak.
        nights = [(local(zone, change + i * ONE, 3, 30), zone) for i in range(-4, 5)]
        days = stored_days(nights)
        assert days == set(span(change - 5 * ONE, 9))
        assert streaks(days, (), (), change + 4 * ONE).current == 9


def test_01_30_happens_twice_on_fall_back_night_and_both_count_for_the_day_before() -> None:
    first, second = (
        local(NEW_YORK, date(2026, 11, 1), 1, 30),
        local(NEW_YORK, date(2026, 11, 1), 1, 30, fold=1),
    )
    assert second - first == timedelta(hours=1)
    assert study_day(first, NEW_YORK) == study_day(second, NEW_YORK) == date(2026, 10, 31)


def test_flying_east_over_the_date_line_repeats_a_day_and_the_streak_counts_it_once() -> None:
    # Mornings in Auckland on 9, 10, 11 July; leave on the evening of the 11th, land in
    # Los Angeles on the 11th again and review that evening, then on the 12th.
    events = [(local(AUCKLAND, date(2026, 7, d), 8), AUCKLAND) for d in (9, 10, 11)]
    events += [(local(LOS_ANGELES, date(2026, 7, d), 20), LOS_ANGELES) for d in (11, 12)]
    days = stored_days(events)
    assert days == set(span(date(2026, 7, 9), 4))
    summary = streaks(days, (), (), date(2026, 7, 12))
    assert (summary.current, summary.bridged_days_in_current) == (4, 0)
    # Recomputed in the new zone, the Auckland mornings would shift a day back: never do that.
    assert study_day(events[0][0], LOS_ANGELES) == date(2026, 7, 8)


def test_flying_west_over_the_date_line_skips_a_day_that_a_held_freeze_bridges() -> None:
    # Evenings in Los Angeles 4-10 July (7 days, one freeze earned); fly on the night of the
    # 10th and land in Auckland on the morning of the 12th: the 11th was never lived.
    events = [(local(LOS_ANGELES, date(2026, 7, d), 20), LOS_ANGELES) for d in range(4, 11)]
    events.append((local(AUCKLAND, date(2026, 7, 12), 9), AUCKLAND))
    days = stored_days(events)
    today = date(2026, 7, 12)
    assert date(2026, 7, 11) not in days
    spent = open_app(set(days), set(), set(), today)
    assert spent == {date(2026, 7, 11)}
    summary = streaks(days, (), spent, today)
    assert streak_label(summary) == "8-day streak (1 day bridged, 1 by a freeze)"
    # Without a freeze held (only six evenings before the flight) the skipped day ends the run.
    fewer = days - {date(2026, 7, 4)}
    assert open_app(set(fewer), set(), set(), today) == set()
    assert (streaks(fewer, (), (), today).current, streaks(fewer, (), (), today).longest) == (1, 6)


def test_a_clock_that_went_backwards_changes_no_stored_day() -> None:
    # Recorded in this order; the third moment is earlier than the second.
    moments = [
        datetime(2026, 5, 11, 19, tzinfo=UTC),
        datetime(2026, 5, 12, 19, tzinfo=UTC),
        datetime(2026, 5, 11, 20, tzinfo=UTC),
        datetime(2026, 5, 13, 19, tzinfo=UTC),
    ]
    days = stored_days([(m, LONDON) for m in moments])
    assert days == stored_days([(m, LONDON) for m in sorted(moments)])
    assert streaks(days, (), (), date(2026, 5, 13)).current == 3
    # While the clock still reads the 11th, the 12th is not counted yet, and nothing is spent.
    assert streaks(days, (), (), date(2026, 5, 11)).current == 1
    assert spend_freezes(days, (), (), date(2026, 5, 11)) == frozenset()
