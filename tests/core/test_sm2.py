"""SM-2 as shared/SM2.md fixes it: worked sequences and properties."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from studyplan.core.sm2 import MAX_INTERVAL_DAYS, Sm2State, review

D = date(2026, 3, 2)

WORKED = [
    ("5 5 5 5", ["1/2600/1", "2/2700/6", "3/2800/17", "4/2900/48"]),
    ("4 4 3 5", ["1/2500/1", "2/2500/6", "3/2360/15", "4/2460/36"]),
    ("5 2 5 5", ["1/2600/1", "0/2280/1", "1/2380/1", "2/2480/6"]),
    ("0 0 0", ["0/1700/1", "0/1300/1", "0/1300/1"]),
    ("3 3 3 3 3", ["1/2360/1", "2/2220/6", "3/2080/14", "4/1940/30", "5/1800/59"]),
    ("5 5 4 4 5 3", ["1/2600/1", "2/2700/6", "3/2700/17", "4/2700/46", "5/2800/125", "6/2660/350"]),
]


@pytest.mark.parametrize(("grades", "expected"), WORKED, ids=[g for g, _ in WORKED])
def test_worked_sequences_match_the_contract(grades: str, expected: list[str]) -> None:
    state, today, seen = Sm2State(), D, []
    for grade in map(int, grades.split()):
        state = review(state, grade, today)
        seen.append(f"{state.repetitions}/{state.ef_permille}/{state.interval}")
        assert state.due == today + timedelta(days=state.interval)
        today = state.due  # each later answer on its due day
    assert seen == expected


def test_a_new_card_starts_from_the_contract_values() -> None:
    assert Sm2State() == Sm2State(repetitions=0, ef_permille=2500, interval=0, due=None, lapses=0)
    assert Sm2State().is_new


def test_review_never_mutates_its_input() -> None:
    before = Sm2State(repetitions=2, ef_permille=2500, interval=6, due=D, lapses=1)
    after = review(before, 5, D)
    assert before == Sm2State(repetitions=2, ef_permille=2500, interval=6, due=D, lapses=1)
    assert after is not before


def test_lapses_count_failed_answers_only() -> None:
    state = Sm2State()
    for grade in (5, 2, 4, 0, 3):
        state = review(state, grade, D)
    assert state.lapses == 2


def test_a_late_answer_is_scheduled_from_the_stored_interval() -> None:
    state = Sm2State(repetitions=2, ef_permille=2500, interval=6, due=D, lapses=0)
    late_day = D + timedelta(days=30)
    after = review(state, 4, late_day)
    assert after.interval == 15
    assert after.due == late_day + timedelta(days=15)


def test_the_interval_is_capped_at_100_years() -> None:
    state = Sm2State(repetitions=9, ef_permille=9000, interval=30000, due=D, lapses=0)
    assert review(state, 5, D).interval == MAX_INTERVAL_DAYS


@pytest.mark.parametrize("bad", [-1, 6, 2.5, "4", None, True])
def test_a_grade_outside_0_to_5_is_refused(bad: object) -> None:
    with pytest.raises(ValueError, match="grade must be a whole number from 0 to 5"):
        review(Sm2State(), bad, D)  # type: ignore[arg-type]


def test_today_must_be_a_date() -> None:
    with pytest.raises(TypeError):
        review(Sm2State(), 4, "2026-03-02")  # type: ignore[arg-type]


grades = st.lists(st.integers(0, 5), min_size=1, max_size=60)
gaps = st.integers(0, 4000)


@given(grades, st.lists(gaps, min_size=60, max_size=60))
def test_any_answer_history_keeps_the_state_in_bounds(seq: list[int], late: list[int]) -> None:
    state, today = Sm2State(), D
    for grade, extra in zip(seq, late, strict=False):
        state = review(state, grade, today)
        assert state.ef_permille >= 1300
        assert 1 <= state.interval <= MAX_INTERVAL_DAYS
        assert state.due == today + timedelta(days=state.interval)
        if grade < 3:
            assert state.interval == 1
            assert state.repetitions == 0
        today = state.due + timedelta(days=extra) if state.due.year < 9000 else today


@given(st.integers(0, 5), st.integers(1300, 5000))
def test_the_factor_step_is_the_published_one(grade: int, ef: int) -> None:
    step = {5: 100, 4: 0, 3: -140, 2: -320, 1: -540, 0: -800}[grade]
    state = Sm2State(repetitions=3, ef_permille=ef, interval=10, due=D)
    assert review(state, grade, D).ef_permille == max(1300, ef + step)


def test_a_long_interval_grows_by_the_easiness_factor_rounded_up() -> None:
    # 1000 days at EF 2.5 give 2500 days; 999 days give 2497.5, rounded up to 2498.
    long = Sm2State(repetitions=5, ef_permille=2500, interval=1000, due=D, lapses=0)
    assert review(long, 4, D).interval == 2500
    assert review(replace(long, interval=999), 4, D).interval == 2498


def test_a_study_day_that_is_not_a_date_is_refused_by_name() -> None:
    with pytest.raises(TypeError, match=r"^today must be a datetime\.date, got str$"):
        review(Sm2State(), 4, "2026-03-02")  # type: ignore[arg-type]
