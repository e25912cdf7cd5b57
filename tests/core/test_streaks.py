from __future__ import annotations

import random
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from studyplan.core.availability import parse_weekly_minutes
from studyplan.core.streaks import (
    DayRecord,
    StreakGoal,
    qualifies,
    qualifying_days,
    rest_weekdays,
    spend_freezes,
    streak_label,
    streaks,
)
from studyplan.core.studyday import study_day

MON = date(2026, 5, 4)  # a Monday
SAT, SUN = 5, 6
ONE = timedelta(days=1)
NEW_YORK, LONDON, SYDNEY = (
    ZoneInfo(z) for z in ("America/New_York", "Europe/London", "Australia/Sydney")
)
AUCKLAND, LOS_ANGELES = ZoneInfo("Pacific/Auckland"), ZoneInfo("America/Los_Angeles")


def span(first: date, count: int) -> list[date]:
    return [first + timedelta(days=i) for i in range(count)]


def open_app(qualifying: set[date], rest: set[int], spent: set[date], today: date) -> set[date]:
    """What the app does on opening: spend what is due, persist it, return the new store."""
    return spent | spend_freezes(qualifying, rest, spent, today)


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


# --- a year of history against a brute force -------------------------------------------


def brute_force(
    qualifying: set[date], opens: set[date], rest: set[int], today: date
) -> tuple[int, int, int, set[date]]:
    """Live the history one day at a time, as a learner would, with none of the module."""
    if not qualifying:
        return 0, 0, 0, set()
    start = min(qualifying)
    held = count = 0
    spent: set[date] = set()
    for day in span(start, (today - start).days + 1):
        if day in opens:
            unpaid, back = [], day - ONE
            while back >= start and back not in qualifying:
                if back.weekday() not in rest and back not in spent:
                    unpaid.append(back)
                back -= ONE
            if unpaid and len(unpaid) <= held:
                held -= len(unpaid)
                spent.update(unpaid)
        if day in qualifying:
            count += 1
            if count % 7 == 0 and held < 2:
                held += 1

    def bridged(day: date) -> bool:
        return day == today or day.weekday() in rest or day in spent

    current, day = 0, today
    while day >= start and (day in qualifying or bridged(day)):
        current += day in qualifying
        day -= ONE
    longest = run = 0
    for day in span(start, (today - start).days + 1):
        run = run + 1 if day in qualifying else run if bridged(day) else 0
        longest = max(longest, run)
    return current, longest, held, spent


def live(
    qualifying: set[date], opens: set[date], rest: set[int], today: date
) -> tuple[int, int, int, set[date]]:
    """The module driven the way the app will drive it: spend on each opening."""
    spent: set[date] = set()
    for day in sorted(d for d in opens if d <= today):
        spent = open_app(qualifying, rest, spent, day)
    summary = streaks(qualifying, rest, spent, today)
    return summary.current, summary.longest, summary.freezes_held, spent


def test_a_year_of_history_matches_the_brute_force_on_every_day() -> None:
    rng = random.Random(2026)
    year = span(date(2025, 6, 1), 365)
    rest = {SUN}
    # Steady most months, patchy every third month, so freezes are earned, spent and refused.
    qualifying = {d for d in year if rng.random() < (0.97 if d.month % 3 else 0.75)}
    opens = qualifying | {d for d in year if rng.random() < 0.5}
    spent: set[date] = set()
    for today in year:
        if today in opens:
            spent = open_app(qualifying, rest, spent, today)
        summary = streaks(qualifying, rest, spent, today)
        got = (summary.current, summary.longest, summary.freezes_held, spent)
        assert got == brute_force(qualifying, opens, rest, today), today
    assert len(spent) >= 3, "the synthetic year must spend freezes"
    assert summary.longest > 30 and summary.longest >= summary.current


@given(
    st.sets(st.integers(0, 59)),
    st.sets(st.integers(0, 59)),
    st.sets(st.integers(0, 6), max_size=3),
    st.integers(0, 59),
)
def test_any_history_matches_the_brute_force(
    q: set[int], extra: set[int], rest: set[int], t: int
) -> None:
    qualifying = {MON + timedelta(days=i) for i in q}
    opens = qualifying | {MON + timedelta(days=i) for i in extra}
    today = MON + timedelta(days=t)
    assert live(qualifying, opens, rest, today) == brute_force(qualifying, opens, rest, today)


@given(
    st.sets(st.integers(0, 89)),
    st.sets(st.integers(0, 89)),
    st.sets(st.integers(0, 6)),
    st.integers(0, 89),
)
def test_summaries_stay_in_range_whatever_is_stored(
    q: set[int], frozen: set[int], rest: set[int], t: int
) -> None:
    qualifying = {MON + timedelta(days=i) for i in q}
    stored = {MON + timedelta(days=i) for i in frozen}
    today = MON + timedelta(days=t)
    summary = streaks(qualifying, rest, stored, today)
    assert 0 <= summary.current <= summary.longest <= summary.qualifying_days
    assert 0 <= summary.freezes_held <= 2
    assert 0 <= summary.frozen_days_in_current <= summary.bridged_days_in_current
    new = spend_freezes(qualifying, rest, stored, today)
    assert all(d < today and d not in qualifying and d.weekday() not in rest for d in new)
    assert spend_freezes(qualifying, rest, stored | new, today) == frozenset()


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
