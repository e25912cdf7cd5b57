"""SM-2 and FSRS side by side: switching never changes SM-2's state, FSRS is derivable."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from studyplan.core import sm2
from studyplan.core.fsrs_scheduler import FsrsSettings, SchedulingAnswer, replay
from studyplan.core.schedulers import CardSchedule, check_scheduler, record_answer, replay_both

D = date(2026, 3, 2)

steps = st.lists(
    st.tuples(
        st.integers(0, 5),  # grade
        st.integers(0, 20),  # days late (0: on the due day)
        st.sampled_from(["sm2", "fsrs"]),  # the active scheduler when the card came due
    ),
    min_size=1,
    max_size=40,
)


@given(steps, st.sampled_from([0.8, 0.9, 0.95]), st.booleans())
def test_switching_schedulers_at_any_point_leaves_sm2_a_pure_sm2_run(
    history: list[tuple[int, int, str]], retention: float, fuzz: bool
) -> None:
    settings = FsrsSettings(retention, fuzz)
    schedule, day, log = CardSchedule(), D, []
    pure_sm2 = sm2.Sm2State()
    for grade, late, active in history:
        # The learner answers when the active scheduler says the card is due, so
        # which scheduler is active changes the log itself.
        due = schedule.due(check_scheduler(active))
        day = (due or day) + timedelta(days=late)
        answer = SchedulingAnswer(datetime.combine(day, time(9), UTC), day, grade)
        log.append(answer)
        schedule = record_answer(schedule, answer, "card", settings)
        pure_sm2 = sm2.review(pure_sm2, grade, day)
        assert schedule.sm2 == pure_sm2
        assert schedule.fsrs == replay(log, "card", settings)
    assert replay_both(log, "card", settings) == schedule


def test_the_active_scheduler_alone_decides_the_due_day() -> None:
    answers = [
        SchedulingAnswer(datetime.combine(day, time(9), UTC), day, 5)
        for day in (D, D + timedelta(days=1), D + timedelta(days=7))
    ]
    schedule = replay_both(answers, "card", FsrsSettings(fuzz=False))
    assert schedule.due("sm2") == D + timedelta(days=7 + 17)  # SM-2: 1, 6, then 6 x 2.7
    assert schedule.due("fsrs") == schedule.fsrs.due != schedule.sm2.due
    assert CardSchedule().due("sm2") is None and CardSchedule().due("fsrs") is None


@pytest.mark.parametrize("bad", ["SM2", "anki", None])
def test_an_unknown_scheduler_is_one_sentence(bad: object) -> None:
    with pytest.raises(ValueError, match="the scheduler must be 'sm2' or 'fsrs', got"):
        check_scheduler(bad)
