"""Workload forecasts: deterministic, counted on the right days, and sensible."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta

import pytest

from studyplan.core.fsrs_scheduler import FsrsSettings, SchedulingAnswer
from studyplan.core.schedulers import CardSchedule, record_answer, replay_both
from studyplan.core.workload import Workload, days_of, forecast_workload, workload_table

TODAY = date(2026, 3, 2)


def card(
    key: str, answers: list[tuple[date, int]], retention: float = 0.9
) -> tuple[str, CardSchedule]:
    log = [SchedulingAnswer(datetime.combine(d, time(9), UTC), d, g) for d, g in answers]
    return key, replay_both(log, key, FsrsSettings(retention))


def collection(cards: int = 300, new: int = 0, seed: int = 4) -> list[tuple[str, CardSchedule]]:
    """Cards answered over the last two years, each on its SM-2 due day or a little late."""
    rng = random.Random(seed)
    out = []
    for k in range(cards):
        day = TODAY - timedelta(days=rng.randint(20, 700))
        schedule = CardSchedule()
        while day < TODAY:
            answer = SchedulingAnswer(
                datetime.combine(day, time(9), UTC), day, rng.choice([1, 3, 4, 4, 4, 5])
            )
            schedule = record_answer(schedule, answer, f"c{k}")
            assert schedule.sm2.due is not None
            day = schedule.sm2.due + timedelta(days=rng.randint(0, 3))
        out.append((f"c{k}", schedule))
    out += [(f"n{k}", CardSchedule()) for k in range(new)]
    return out


@pytest.fixture(scope="module")
def cards() -> list[tuple[str, CardSchedule]]:
    return collection()


def test_the_same_cards_and_seed_give_the_same_forecast(cards: list) -> None:
    first = forecast_workload(cards, TODAY, 365, new_per_day=5, runs=2)
    again = forecast_workload(list(cards), TODAY, 365, new_per_day=5, runs=2)
    assert first == again
    assert forecast_workload(cards, TODAY, 365, seed=1) != forecast_workload(cards, TODAY, 365)


def test_sm2_comes_first_then_fsrs_at_each_retention(cards: list) -> None:
    forecasts = forecast_workload(cards, TODAY, 30)
    assert [w.label for w in forecasts] == ["SM-2", "FSRS 85%", "FSRS 90%", "FSRS 95%"]
    assert [(w.scheduler, w.retention) for w in forecasts] == [
        ("sm2", None),
        ("fsrs", 0.85),
        ("fsrs", 0.9),
        ("fsrs", 0.95),
    ]
    assert all(len(w.reviews) == len(w.new) == 30 for w in forecasts)
    assert days_of(forecasts[0])[0] == TODAY and days_of(forecasts[0])[-1] == TODAY + timedelta(29)


def test_a_higher_retention_asks_for_more_reviews(cards: list) -> None:
    _, at_85, at_90, at_95 = forecast_workload(cards, TODAY, 365, runs=2)
    assert at_85.total(30) < at_90.total(30) < at_95.total(30)
    assert at_85.total() < at_90.total() < at_95.total()
    assert at_95.total() > 1.3 * at_85.total()


def test_overdue_cards_are_asked_today_and_others_on_their_due_day() -> None:
    overdue = card("old", [(TODAY - timedelta(days=40), 4)])  # SM-2 due 39 days ago
    soon = card("soon", [(TODAY - timedelta(days=5), 4), (TODAY - timedelta(days=4), 4)])
    assert soon[1].sm2.due == TODAY + timedelta(days=2)  # 1 day, then 6 days
    assert forecast_workload([soon], TODAY, 3)[0].reviews == (0.0, 0.0, 1.0)
    for w in forecast_workload([overdue], TODAY, 3):
        assert w.reviews[0] == 1.0


def test_fsrs_asks_on_the_day_the_fsrs_scheduler_set() -> None:
    key, schedule = card("k", [(TODAY - timedelta(days=5), 4), (TODAY - timedelta(days=3), 4)])
    due = schedule.fsrs.due
    assert due is not None and due >= TODAY
    at_90 = forecast_workload([(key, schedule)], TODAY, 60, retentions=[0.9])[1]
    first = next(i for i, n in enumerate(at_90.reviews) if n)
    assert TODAY + timedelta(days=first) == due


def test_new_cards_come_in_at_the_daily_limit() -> None:
    fresh = [(f"n{k}", CardSchedule()) for k in range(5)]
    for w in forecast_workload(fresh, TODAY, 4, new_per_day=2):
        assert w.new == (2.0, 2.0, 1.0, 0.0)
        assert w.reviews[0] == 0.0  # a new card is not reviewed the day it is learnt
        assert sum(w.reviews) > 0  # but comes back within days
    assert all(sum(w.new) == 0 for w in forecast_workload(fresh, TODAY, 4))


def test_with_sm2s_own_curve_only_the_sm2_forecast_changes(cards: list) -> None:
    by_fsrs = forecast_workload(cards, TODAY, 120)
    by_own = forecast_workload(cards, TODAY, 120, recall_from="own")
    assert by_fsrs[1:] == by_own[1:]
    assert by_fsrs[0] != by_own[0]


def test_totals_means_peaks_and_the_table() -> None:
    w = Workload("fsrs", 0.9, TODAY, (3.0, 1.0, 0.0, 4.0), (1.0, 0.0, 0.0, 0.0))
    assert (w.total(), w.total(2), w.per_day(2), w.peak(), w.peak(3)) == (9.0, 5.0, 2.5, 4.0, 4.0)
    rows = workload_table([w], spans=(2, 4))
    assert [(r.label, r.per_day, r.peak) for r in rows] == [("FSRS 90%", (2.5, 2.25), 4.0)]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"days": 0}, "a forecast covers 1 to 3650 days"),
        ({"retentions": [0.5]}, "desired retention must be"),
        ({"new_per_day": -1}, "cannot be negative"),
        ({"runs": 0}, "at least one run"),
        ({"recall_from": "anki"}, "recall_from must be"),
    ],
)
def test_bad_arguments_are_one_sentence(kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        forecast_workload([], TODAY, **kwargs)
