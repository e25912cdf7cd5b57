"""How many reviews the coming days hold under SM-2, and under FSRS at 85%, 90% and 95%.

A **seeded simulation**, not expected counts: expected counts would have to
follow every pass/fail branch of every card (2^n paths for n reviews), so each
card is played forward day by day instead, with draws from a
``random.Random`` seeded by the seed, the run and the card's key. The same
cards and seed always give the same forecast, and each scheduler sees the same
draws for the same card (common random numbers), so differences between the
schedulers are not luck. ``runs`` (1 by default: one plausible future) repeats
it with other seeds and averages, so the counts per day become means; 4 runs
give a smoother chart for four times the work.

What the simulated learner does:

- A card's answer passes with the recall FSRS predicts for that day (its
  default parameters, the card's FSRS state replayed from the log), under
  every scheduler: the learner's memory does not depend on who schedules.
  ``recall_from="own"`` makes SM-2's learner follow SM-2's own mapping,
  ``0.9 ** (t / I)``, instead (90% on every due day).
- A pass is graded 3, 4 or 5 with FSRS's simulator odds for Hard, Good and Easy
  after a pass (0.224, 0.631, 0.145); a fail is graded 1. A new card's first
  answer is graded 1, 3, 4 or 5 with the odds of a first answer (0.24, 0.094,
  0.495, 0.171). Both are the defaults of ``fsrs_simulator.py`` in
  github.com/open-spaced-repetition/fsrs-optimizer, measured over Anki users.
- Every card due is answered on its due day (a card overdue today is answered
  today); there is no daily review limit, so a forecast shows what is asked
  for, not what a limit would push to later days. New cards come in the order
  given, ``new_per_day`` a day. Drill answers (same-day repeats) are not
  counted: they are not scheduling answers.

The 30-day view is the first 30 days of a longer forecast: one simulation
serves both spans.
"""

from __future__ import annotations

import random
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import accumulate
from typing import Literal

from studyplan.core import sm2
from studyplan.core.fsrs_memory import DEFAULT_MODEL, MemoryModel
from studyplan.core.fsrs_scheduler import (
    RATING_FOR_GRADE,
    check_retention,
    fuzz_draw,
    fuzzed_interval,
)
from studyplan.core.schedulers import CardSchedule, SchedulerName

RETENTIONS = (0.85, 0.90, 0.95)
SPANS = (30, 365)
MAX_DAYS = 3650
FIRST_GRADES = (1, 3, 4, 5)
FIRST_GRADE_ODDS = (0.24, 0.094, 0.495, 0.171)
PASS_GRADES = (3, 4, 5)
PASS_GRADE_ODDS = (0.224, 0.631, 0.145)
FAIL_GRADE = 1
SM2_RECALL_AT_INTERVAL = 0.9

RecallFrom = Literal["fsrs", "own"]
_RATING = [int(RATING_FOR_GRADE[g]) for g in sm2.GRADES]


@dataclass(frozen=True, slots=True)
class Workload:
    """The forecast of one scheduler: answers per day from ``first_day`` on."""

    scheduler: SchedulerName
    retention: float | None
    """FSRS's desired retention; None for SM-2."""
    first_day: date
    reviews: tuple[float, ...]
    """Mean scheduling answers of cards seen before, per day (day 0 is ``first_day``)."""
    new: tuple[float, ...]
    """Mean first answers of new cards, per day."""

    @property
    def label(self) -> str:
        """The name a learner sees: SM-2, or FSRS 90%."""
        if self.retention is None:
            return "SM-2"
        return f"FSRS {round(self.retention * 100)}%"

    def total(self, days: int | None = None) -> float:
        """All answers (reviews and new cards) over the first ``days`` days (all by default)."""
        return sum(self.reviews[:days]) + sum(self.new[:days])

    def per_day(self, days: int | None = None) -> float:
        """Mean answers a day over the first ``days`` days."""
        span = len(self.reviews[:days])
        return self.total(days) / span if span else 0.0

    def peak(self, days: int | None = None) -> float:
        """The busiest day's answers within the first ``days`` days."""
        return max(
            (r + n for r, n in zip(self.reviews[:days], self.new[:days], strict=True)), default=0.0
        )


@dataclass(frozen=True, slots=True)
class WorkloadRow:
    """One line of the table: a scheduler's mean answers a day over each span, and its peak."""

    label: str
    per_day: tuple[float, ...]
    peak: float


def workload_table(
    workloads: Sequence[Workload], spans: Sequence[int] = SPANS
) -> tuple[WorkloadRow, ...]:
    """Rows for the Stats table: answers a day over each span, peak over the longest."""
    return tuple(
        WorkloadRow(w.label, tuple(w.per_day(s) for s in spans), w.peak(max(spans)))
        for w in workloads
    )


def _grade(draw: float, grades: tuple[int, ...], cumulative: list[float]) -> int:
    return grades[min(bisect_right(cumulative, draw * cumulative[-1]), len(grades) - 1)]


class _Simulation:
    """One run over the cards: counts per day for each scheduler."""

    def __init__(self, today: date, days: int, recall_from: RecallFrom, model: MemoryModel) -> None:
        self.start = today.toordinal()
        self.end = self.start + days
        self.recall_from = recall_from
        self.model = model
        self.first_odds = list(accumulate(FIRST_GRADE_ODDS))
        self.pass_odds = list(accumulate(PASS_GRADE_ODDS))

    def _answer(self, rng: random.Random, recall: float) -> int:
        if rng.random() < recall:
            return _grade(rng.random(), PASS_GRADES, self.pass_odds)
        return FAIL_GRADE

    def play_fsrs(
        self,
        key: str,
        schedule: CardSchedule,
        intro: int | None,
        retention: float,
        rng: random.Random,
        fuzz: bool,
        reviews: list[float],
        new: list[float],
    ) -> None:
        model, state = self.model, schedule.fsrs
        if intro is not None:
            grade = _grade(rng.random(), FIRST_GRADES, self.first_odds)
            stability, difficulty = model.first(_RATING[grade])
            new[intro - self.start] += 1
            last = intro
        elif state.stability is None or state.difficulty is None or state.last_review is None:
            return
        else:
            stability, difficulty, last = (
                state.stability,
                state.difficulty,
                state.last_review.toordinal(),
            )
        days = model.interval(stability, retention)
        if fuzz:
            draw = fuzz_draw(key, state.reviews) if intro is None else rng.random()
            days = fuzzed_interval(days, draw)
        day = max(last + days, self.start)
        while day < self.end:
            reviews[day - self.start] += 1
            elapsed = day - last
            grade = self._answer(rng, model.recall(stability, elapsed))
            stability, difficulty = model.step(stability, difficulty, _RATING[grade], elapsed)
            days = model.interval(stability, retention)
            if fuzz:
                days = fuzzed_interval(days, rng.random())
            last, day = day, day + days

    def play_sm2(
        self,
        schedule: CardSchedule,
        intro: int | None,
        rng: random.Random,
        reviews: list[float],
        new: list[float],
    ) -> None:
        model, state, memory = self.model, schedule.sm2, schedule.fsrs
        if intro is not None:
            grade = _grade(rng.random(), FIRST_GRADES, self.first_odds)
            state = sm2.review(state, grade, date.fromordinal(intro))
            stability, difficulty = model.first(_RATING[grade])
            new[intro - self.start] += 1
            last = intro
        elif state.due is None or memory.stability is None or memory.difficulty is None:
            return
        else:
            stability, difficulty = memory.stability, memory.difficulty
            last = (memory.last_review or state.due).toordinal()
        assert state.due is not None
        day = max(state.due.toordinal(), self.start)
        while day < self.end:
            reviews[day - self.start] += 1
            elapsed = max(0, day - last)
            if self.recall_from == "own":
                since = day - (state.due.toordinal() - state.interval)
                recall = SM2_RECALL_AT_INTERVAL ** (since / state.interval)
            else:
                recall = model.recall(stability, elapsed)
            grade = self._answer(rng, recall)
            stability, difficulty = model.step(stability, difficulty, _RATING[grade], elapsed)
            state = sm2.review(state, grade, date.fromordinal(day))
            assert state.due is not None
            last, day = day, state.due.toordinal()


def forecast_workload(
    cards: Iterable[tuple[str, CardSchedule]],
    today: date,
    days: int = max(SPANS),
    *,
    retentions: Sequence[float] = RETENTIONS,
    new_per_day: int = 0,
    runs: int = 1,
    seed: int = 0,
    fuzz: bool = True,
    recall_from: RecallFrom = "fsrs",
    model: MemoryModel = DEFAULT_MODEL,
) -> tuple[Workload, ...]:
    """SM-2's forecast, then FSRS's at each of ``retentions``, for ``days`` days from ``today``.

    ``cards`` are each card's key and both schedulers' current states; a card
    with no answer yet is new and comes in ``new_per_day`` a day, in the order given.
    """
    if not 1 <= days <= MAX_DAYS:
        raise ValueError(f"a forecast covers 1 to {MAX_DAYS} days, got {days}")
    if new_per_day < 0 or runs < 1:
        raise ValueError(
            "new cards a day cannot be negative, and a forecast needs at least one run"
        )
    if recall_from not in ("fsrs", "own"):
        raise ValueError(f"recall_from must be 'fsrs' or 'own', got {recall_from!r}")
    targets = [check_retention(r) for r in retentions]
    simulation = _Simulation(today, days, recall_from, model)
    counts = [([0.0] * days, [0.0] * days) for _ in range(1 + len(targets))]
    fresh = 0
    for key, schedule in cards:
        intro: int | None = None
        if schedule.sm2.is_new:
            if not new_per_day or fresh // new_per_day >= days:
                continue
            intro = simulation.start + fresh // new_per_day
            fresh += 1
        for run in range(runs):
            rng = random.Random(f"{seed}/{run}/{key}")
            drawn = rng.getstate()
            simulation.play_sm2(schedule, intro, rng, *counts[0])
            for target, (reviews, new) in zip(targets, counts[1:], strict=True):
                rng.setstate(drawn)
                simulation.play_fsrs(key, schedule, intro, target, rng, fuzz, reviews, new)
    first_day = today
    result = [Workload("sm2", None, first_day, *_means(counts[0], runs))]
    for target, pair in zip(targets, counts[1:], strict=True):
        result.append(Workload("fsrs", target, first_day, *_means(pair, runs)))
    return tuple(result)


def _means(
    pair: tuple[list[float], list[float]], runs: int
) -> tuple[tuple[float, ...], tuple[float, ...]]:
    reviews, new = pair
    return tuple(c / runs for c in reviews), tuple(c / runs for c in new)


def days_of(workload: Workload) -> tuple[date, ...]:
    """The day each count in ``workload`` belongs to, for the chart's axis."""
    return tuple(workload.first_day + timedelta(days=i) for i in range(len(workload.reviews)))
