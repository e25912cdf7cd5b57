"""What a learner types for a plan: dates in range, durations, time off ranges, a timer."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from studyplan.core.plan.availability import parse_duration, week_for_hours
from studyplan.core.plan.dates import LAST_DAY, parse_day
from studyplan.core.plan.timeoff import TimeOff, new_time_off
from studyplan.core.plan.timer import MAX_SECONDS, Timer


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "9999-12-31",
            "the start 9999-12-31 is out of range; give a date from 1970-01-01 to 2200-12-31",
        ),
        ("1969-12-31", "the start 1969-12-31 is out of range"),
        ("2026-02-30", "the start '2026-02-30' is not a date; write it like 2026-11-30"),
        ("tomorrow", "the start 'tomorrow' is not a date"),
    ],
)
def test_a_date_out_of_range_or_not_a_date_is_one_sentence(text: str, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_day(text, "the start")
    assert str(caught.value).startswith(message)
    assert "\n" not in str(caught.value)


@given(st.dates())
def test_every_date_in_range_leaves_centuries_of_room(day: date) -> None:
    try:
        parsed = parse_day(day.isoformat(), "the day")
    except ValueError:
        assert not date(1970, 1, 1) <= day <= LAST_DAY
        return
    assert parsed + timedelta(days=520 * 7 * 4 + 366 * 60) < date.max


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("45m", 45),
        ("45min", 45),
        ("1h", 60),
        ("1h30m", 90),
        ("1.5h", 90),
        ("90", 90),
        (" 2H ", 120),
    ],
)
def test_durations_as_a_learner_writes_them(text: str, minutes: int) -> None:
    assert parse_duration(text) == minutes


@pytest.mark.parametrize("text", ["45x", "", "h", "m", "1h30", "-5m", "1,5h", "45 minutes"])
def test_a_bad_duration_is_one_sentence(text: str) -> None:
    with pytest.raises(ValueError, match=r"is not a duration; write it like 45m, 1h30m or 1\.5h"):
        parse_duration(text)


def test_a_plans_hours_become_a_week_like_the_default_one() -> None:
    assert week_for_hours(10) == (90, 90, 90, 90, 90, 150, 0)
    assert sum(week_for_hours(12)) == 720


HOLIDAY = TimeOff(date(2026, 12, 21), date(2027, 1, 3), "holiday", 1)


@pytest.mark.parametrize(
    ("first", "last", "message"),
    [
        (
            date(2026, 12, 28),
            date(2026, 12, 31),
            "overlaps your time off Mon 21 Dec 2026 - Sun 3 Jan 2027 (14 days): holiday",
        ),
        (date(2027, 1, 3), date(2027, 1, 5), "overlaps your time off"),
        (
            date(2027, 2, 5),
            date(2027, 2, 1),
            "the last day off (2027-02-01) is before the first (2027-02-05)",
        ),
        (date(2027, 2, 1), date(2028, 6, 1), "more than 366"),
        (date(2201, 1, 1), date(2201, 1, 2), "the first day off 2201-01-01 is out of range"),
    ],
)
def test_time_off_that_cannot_be_is_refused_in_one_sentence(first, last, message) -> None:
    with pytest.raises(ValueError) as caught:
        new_time_off(first, last, "", [HOLIDAY])
    assert message in str(caught.value) and "\n" not in str(caught.value)


def test_time_off_next_to_other_time_off_is_fine() -> None:
    after = new_time_off(date(2027, 1, 4), date(2027, 1, 4), "  one   more  day ", [HOLIDAY])
    assert after.length == 1 and after.note == "one more day"
    assert after.label() == "Mon 4 Jan 2027 (1 day): one more day"
    assert date(2027, 1, 3) in HOLIDAY and date(2027, 1, 4) not in HOLIDAY


START = datetime(2026, 3, 2, 18, 0, tzinfo=UTC)


def test_a_timer_counts_only_while_it_runs() -> None:
    timer = Timer.start("p", "a", START)
    assert timer.running and timer.clock(START + timedelta(minutes=12, seconds=5)) == "12:05"
    paused = timer.pause(START + timedelta(minutes=20))
    assert not paused.running and paused.seconds(START + timedelta(hours=5)) == 1200
    again = paused.resume(START + timedelta(hours=1))
    assert again.minutes(START + timedelta(hours=1, minutes=25, seconds=29)) == 45
    assert again.minutes(START + timedelta(hours=1, minutes=25, seconds=31)) == 46
    assert again.clock(START + timedelta(hours=3)) == "2:20:00"


def test_a_timer_refuses_naive_times_and_a_clock_set_back_counts_nothing() -> None:
    with pytest.raises(ValueError, match="aware"):
        Timer.start("p", "a", datetime(2026, 3, 2, 18, 0))
    timer = Timer.start("p", "a", START)
    assert timer.seconds(START - timedelta(minutes=5)) == 0
    assert timer.seconds(START + timedelta(days=3)) == MAX_SECONDS
