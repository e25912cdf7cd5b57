"""FSRS as an opt-in scheduler: grade mapping, replay, study days, fuzz, previews, recall."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import fsrs.card
import fsrs.scheduler
import pytest
from fsrs import Card, Rating, Scheduler, State
from hypothesis import given, settings
from hypothesis import strategies as st

from studyplan.core.fsrs_scheduler import (
    FsrsSettings,
    FsrsState,
    SchedulingAnswer,
    advance,
    check_retention,
    fuzz_draw,
    fuzzed_interval,
    preview,
    rating_for,
    recall_probability,
    replay,
    reschedule,
)

BERLIN = ZoneInfo("Europe/Berlin")
NO_FUZZ = FsrsSettings(fuzz=False)
D = date(2026, 3, 2)


def py_fsrs(retention: float = 0.9) -> Scheduler:
    """py-fsrs as studyplan configures it: default parameters, no sub-day steps, no fuzz."""
    return Scheduler(
        desired_retention=retention, learning_steps=(), relearning_steps=(), enable_fuzzing=False
    )


def midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def answers_on_due_days(grades: str, settings: FsrsSettings = NO_FUZZ) -> list[FsrsState]:
    state, day, seen = FsrsState(), D, []
    for grade in map(int, grades.split()):
        state = advance(state, day, grade, "card", settings)
        seen.append(state)
        assert state.due is not None
        day = state.due
    return seen


def test_grades_map_to_ratings_wrong_answers_are_again() -> None:
    assert [rating_for(g) for g in range(6)] == [
        Rating.Again,
        Rating.Again,
        Rating.Again,
        Rating.Hard,
        Rating.Good,
        Rating.Easy,
    ]


@pytest.mark.parametrize("bad", [-1, 6, 2.5, True, "4"])
def test_a_grade_outside_0_to_5_is_refused_as_sm2_refuses_it(bad: object) -> None:
    with pytest.raises(ValueError, match="grade must be a whole number from 0 to 5"):
        advance(FsrsState(), D, bad, "card")  # type: ignore[arg-type]


# Interval histories with FSRS-6's default parameters, each answer on its due day
# (as py-fsrs's own tests pin theirs): a change in the package's defaults shows here.
PINNED = [
    ("4 4 4 4 4", [2, 11, 46, 163, 497]),
    ("3 3 3 3", [1, 3, 7, 12]),
    ("5 5 5", [8, 66, 397]),
    ("1 4 4 4", [1, 2, 6, 17]),
    ("4 4 1 4 4", [2, 11, 2, 5, 12]),
    ("0 2 1", [1, 1, 1]),
]


@pytest.mark.parametrize(("grades", "intervals"), PINNED, ids=[g for g, _ in PINNED])
def test_interval_histories_with_default_parameters(grades: str, intervals: list[int]) -> None:
    assert [s.interval for s in answers_on_due_days(grades)] == intervals


@pytest.mark.parametrize(("grades", "intervals"), PINNED, ids=[g for g, _ in PINNED])
def test_replay_equals_py_fsrs_called_directly(grades: str, intervals: list[int]) -> None:
    ours = answers_on_due_days(grades)
    scheduler = py_fsrs()
    card = Card(card_id=1, due=midnight(D))
    for grade, state in zip(map(int, grades.split()), ours, strict=True):
        rating = {0: Rating.Again, 1: Rating.Again, 2: Rating.Again, 3: Rating.Hard}.get(
            grade, Rating.Good if grade == 4 else Rating.Easy
        )
        assert state.last_review is not None
        moment = midnight(state.last_review)
        card, _ = scheduler.review_card(card, rating, moment)
        assert (state.stability, state.difficulty) == (card.stability, card.difficulty)
        assert (state.state, state.step) == (card.state, card.step) == (State.Review, None)
        assert state.due == state.last_review + timedelta(days=(card.due - moment).days)


def test_study_days_not_hours_decide_elapsed_time() -> None:
    """Berlin, rollover 04:00: 01:30 counts for the day before, and DST does not shift a day."""
    moments = [
        datetime(2026, 3, 20, 21, 0, tzinfo=BERLIN),  # study day 20 March
        datetime(2026, 3, 23, 1, 30, tzinfo=BERLIN),  # 01:30 -> study day 22 March
        datetime(2026, 3, 29, 4, 30, tzinfo=BERLIN),  # DST starts that night: 29 March
        datetime(2026, 10, 25, 4, 30, tzinfo=BERLIN),  # DST ends that night: 25 October
        datetime(2026, 10, 26, 3, 59, tzinfo=BERLIN),  # still 25 October
    ]
    grades = [4, 3, 4, 1, 4]
    log = [SchedulingAnswer.at(m, g, BERLIN, 4) for m, g in zip(moments, grades, strict=True)]
    days = [a.day for a in log]
    assert days == [
        date(2026, 3, 20),
        date(2026, 3, 22),
        date(2026, 3, 29),
        date(2026, 10, 25),
        date(2026, 10, 25),
    ]
    ours = replay(log, "card", NO_FUZZ)
    card = Card(card_id=1, due=midnight(days[0]))
    scheduler = py_fsrs()
    for day, rating in zip(
        days, [Rating.Good, Rating.Hard, Rating.Good, Rating.Again, Rating.Good], strict=True
    ):
        card, _ = scheduler.review_card(card, rating, midnight(day))
    assert (ours.stability, ours.difficulty) == (card.stability, card.difficulty)
    assert ours.last_review == date(2026, 10, 25)
    assert ours.due == date(2026, 10, 25) + timedelta(days=(card.due - midnight(days[-1])).days)


def test_answers_are_replayed_in_time_order_whatever_order_they_come_in() -> None:
    log = [
        SchedulingAnswer(datetime(2026, 3, d, 9, tzinfo=UTC), date(2026, 3, d), g)
        for d, g in [(2, 4), (4, 1), (5, 4), (9, 5)]
    ]
    assert replay(reversed(log), "card") == replay(log, "card")


def test_a_day_earlier_than_the_last_counts_as_the_same_day() -> None:
    first = advance(FsrsState(), D, 4, "card", NO_FUZZ)
    flown_west = advance(first, D - timedelta(days=1), 4, "card", NO_FUZZ)
    same_day = advance(first, D, 4, "card", NO_FUZZ)
    assert flown_west == same_day
    assert flown_west.last_review == D


def test_a_naive_moment_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        SchedulingAnswer(datetime(2026, 3, 2, 9), D, 4)


def test_replay_reads_no_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    class NoClock(datetime):
        @classmethod
        def now(cls, tz=None):  # type: ignore[no-untyped-def, override]
            raise AssertionError("py-fsrs read the clock")

    monkeypatch.setattr(fsrs.card, "datetime", NoClock)
    monkeypatch.setattr(fsrs.scheduler, "datetime", NoClock)
    monkeypatch.setattr(fsrs.card.time, "sleep", lambda _: pytest.fail("py-fsrs slept"))
    state = answers_on_due_days("4 3 1 4", FsrsSettings())[-1]
    assert recall_probability(state, D) is not None
    assert len(preview(state, D, "card")) == 6


# --- Fuzz -------------------------------------------------------------------


@settings(max_examples=300)
@given(st.integers(1, 36500), st.floats(0, 1, exclude_max=True))
def test_our_fuzz_is_py_fsrs_fuzz_with_our_draw(days: int, draw: float) -> None:
    saved = fsrs.scheduler.random
    fsrs.scheduler.random = lambda: draw
    try:
        theirs = Scheduler()._get_fuzzed_interval(interval=timedelta(days=days)).days
    finally:
        fsrs.scheduler.random = saved
    assert fuzzed_interval(days, draw) == theirs


def test_fuzz_keeps_within_a_few_days_and_leaves_short_intervals_alone() -> None:
    assert {fuzzed_interval(2, d / 10) for d in range(10)} == {2}
    # 100 days: FSRS's ranges give +-6.975, so 93 to 107 (py-fsrs rounds up to 108 too).
    assert {fuzzed_interval(100, d / 1000) for d in range(1000)} == set(range(93, 109))


def test_the_same_log_gives_the_same_fuzzed_due_day_every_time() -> None:
    log = [
        SchedulingAnswer(datetime(2026, 3, d, 9, tzinfo=UTC), date(2026, 3, d), g)
        for d, g in [(2, 4), (4, 4), (15, 4)]
    ]
    states = {replay(log, "card-7") for _ in range(5)}
    assert len(states) == 1
    dues = {replay(log, f"card-{k}").due for k in range(40)}
    assert len(dues) > 1  # different cards are spread over different days


def test_the_fuzz_draw_is_the_same_in_another_process() -> None:
    code = (
        "from studyplan.core.fsrs_scheduler import fuzz_draw; print(repr(fuzz_draw('card-7', 3)))"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    assert float(out.stdout) == fuzz_draw("card-7", 3)


# --- Previews, recall, retention -------------------------------------------

grade_lists = st.lists(st.integers(0, 5), min_size=0, max_size=12)
gap_lists = st.lists(st.integers(0, 60), min_size=12, max_size=12)


def some_state(grades: list[int], gaps: list[int], fsrs_settings: FsrsSettings) -> FsrsState:
    state, day = FsrsState(), D
    for grade, gap in zip(grades, gaps, strict=False):
        state = advance(state, day, grade, "card", fsrs_settings)
        day += timedelta(days=gap)
    return state


@given(grade_lists, gap_lists, st.integers(0, 400))
def test_a_preview_shows_what_each_grade_will_give(
    grades: list[int], gaps: list[int], wait: int
) -> None:
    state = some_state(grades, gaps, FsrsSettings())
    today = (state.last_review or D) + timedelta(days=wait)
    shown = preview(state, today, "card")
    assert [p.grade for p in shown] == [0, 1, 2, 3, 4, 5]
    for p in shown:
        assert p.state == advance(state, today, p.grade, "card")
        assert p.due == today + timedelta(days=p.days)
        assert p.days >= 1
    assert shown[0].state == shown[1].state == shown[2].state
    assert shown[2].days <= shown[3].days <= shown[4].days <= shown[5].days


def test_a_preview_reads_like_the_review_screen_will_show_it() -> None:
    state = answers_on_due_days("4 4")[-1]
    assert state.due is not None
    shown = {p.grade: p.days for p in preview(state, state.due, "card", NO_FUZZ)}
    assert shown == {0: 2, 1: 2, 2: 2, 3: 32, 4: 46, 5: 77}  # 4: as "4 4 4" above


@given(grade_lists.filter(bool), gap_lists)
def test_recall_is_certain_on_the_day_and_fades_after(grades: list[int], gaps: list[int]) -> None:
    state = some_state(grades, gaps, NO_FUZZ)
    assert state.last_review is not None
    day = state.last_review
    later = [recall_probability(state, day + timedelta(days=k)) for k in (0, 1, 10, 100, 1000)]
    assert later[0] == 1.0
    assert all(a is not None and b is not None and a > b for a, b in pairwise(later))


def test_recall_on_the_due_day_is_the_desired_retention() -> None:
    for retention in (0.8, 0.9, 0.95):
        state = answers_on_due_days("4 4 4 4 4", FsrsSettings(retention, fuzz=False))[-1]
        assert state.due is not None
        assert recall_probability(state, state.due) == pytest.approx(retention, abs=0.005)


def test_recall_matches_py_fsrs_and_a_new_card_has_none() -> None:
    state = answers_on_due_days("4 3 4")[-1]
    assert state.last_review is not None
    card = Card(
        card_id=1,
        state=state.state,
        step=state.step,
        stability=state.stability,
        difficulty=state.difficulty,
        due=midnight(D),
        last_review=midnight(state.last_review),
    )
    when = state.last_review + timedelta(days=17)
    assert recall_probability(state, when) == py_fsrs().get_card_retrievability(
        card, midnight(when)
    )
    assert recall_probability(FsrsState(), D) is None


@pytest.mark.parametrize("good", [0.70, 0.85, 0.9, 0.99, 1])
def test_a_sane_desired_retention_is_accepted(good: float) -> None:
    if good == 1:
        with pytest.raises(ValueError):
            check_retention(good)
        return
    assert FsrsSettings(good).desired_retention == good


@pytest.mark.parametrize("bad", [0.69, 0.995, 0, -1, float("nan"), True, "0.9", None])
def test_an_insane_desired_retention_is_one_sentence(bad: object) -> None:
    with pytest.raises(ValueError, match=r"^desired retention must be .*0\.70 to 0\.99, got ") as e:
        FsrsSettings(bad)  # type: ignore[arg-type]
    assert "\n" not in str(e.value)


def test_a_higher_retention_asks_sooner() -> None:
    intervals = [
        answers_on_due_days("4 4 4", FsrsSettings(r, fuzz=False))[-1].interval
        for r in (0.8, 0.85, 0.9, 0.95)
    ]
    assert intervals == sorted(intervals, reverse=True)
    assert intervals[0] > intervals[-1]


@given(grade_lists.filter(bool), gap_lists, st.sampled_from([0.75, 0.85, 0.95]), st.booleans())
def test_a_new_retention_reschedules_as_a_full_replay_would(
    grades: list[int], gaps: list[int], retention: float, fuzz: bool
) -> None:
    at_90 = some_state(grades, gaps, FsrsSettings(0.9, fuzz))
    target = FsrsSettings(retention, fuzz)
    assert reschedule(at_90, "card", target) == some_state(grades, gaps, target)
