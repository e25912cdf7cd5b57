"""Streaks over random histories against a brute force that lives them day by day."""

from __future__ import annotations

import random
from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from studyplan.core.streaks import (
    spend_freezes,
    streaks,
)
from tests.core.streaks.days import (
    MON,
    ONE,
    SUN,
    open_app,
    span,
)

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
