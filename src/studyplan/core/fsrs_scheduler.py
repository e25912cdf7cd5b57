"""FSRS as an opt-in scheduler, derived from the review log, with py-fsrs doing the maths.

SM-2 (``core.sm2``) stays the default; this module never touches its state.

**Grades.** studyplan's grades 0-5 become FSRS's four ratings: 0, 1 and 2 (all
wrong answers) are Again; 3 (correct, with serious difficulty) is Hard; 4
(correct, after a hesitation) is Good; 5 (perfect) is Easy. So "passed" means
the same in both schedulers: grade >= 3.

**A card's FSRS state is a replay of its log.** The input is the card's
scheduling answers (the first answer of each study day; drill answers are left
out by the caller, imported history is kept). Replaying the same answers gives
the same state, so the state can be cached or thrown away and derived again.

**Study days, not minutes.** FSRS's learning steps (1 and 10 minutes) and its
relearning step (10 minutes) make a card due again within the hour. studyplan
already has a same-day loop: SM-2's drill (a card graded below 4 comes back
until it is graded 4 or 5), whose answers never change a schedule. So the FSRS
scheduler is built with no learning and no relearning steps: every answer
schedules the card at least one study day ahead, and the drill loop stays what
it is. Time is counted in study days: each answer is given to FSRS at midnight
UTC of its stored study day, so elapsed time is the number of study days
between two answers (FSRS's default parameters were fitted on Anki logs that
count days the same way, with a rollover hour), and daylight-saving changes,
travel or a review at 01:30 cannot shift it. A card is due on
``last review day + interval``. A day earlier than the one before (a flight
west) counts as the same day, so elapsed time is never negative.

**Fuzz.** FSRS spreads intervals of 3 days or more over a small range so that
cards learnt together do not stay together; studyplan keeps that default. py-fsrs
draws the fuzz from the process-wide ``random.random()``, which would make a
replay give a different due day each time. So the scheduler is run with fuzz
off (fuzz moves only the due day, never stability or difficulty) and the due
day is fuzzed here with FSRS's own ranges (``fsrs.scheduler.FUZZ_RANGES``) and
a draw seeded by the card's key and how many answers it has had (as Anki seeds
it by card id and repetitions). A preview therefore shows the very day the
answer will give.

**Both schedulers, one log (for the integrator).** Both the SM-2 state and the
FSRS state advance on every scheduling answer; only the active scheduler
decides when a card is due (``core.schedulers``). Switching is lossless both
ways: the FSRS state is always derivable from the log, and the SM-2 state is
never overwritten by FSRS.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import lru_cache
from types import MappingProxyType

from fsrs import Card, Rating, Scheduler
from fsrs import State as FsrsCardState
from fsrs.scheduler import FUZZ_RANGES

from studyplan.core.fsrs_memory import DEFAULT_MODEL
from studyplan.core.fsrs_state import (
    DEFAULT_RETENTION,
    DEFAULT_SETTINGS,
    FsrsSettings,
    FsrsState,
    State,
    check_retention,
)
from studyplan.core.sm2 import GRADES, MAX_INTERVAL_DAYS, check_grade
from studyplan.core.studyday import DEFAULT_ROLLOVER_HOUR, study_day

RATING_FOR_GRADE: Mapping[int, Rating] = MappingProxyType(
    {
        0: Rating.Again,
        1: Rating.Again,
        2: Rating.Again,
        3: Rating.Hard,
        4: Rating.Good,
        5: Rating.Easy,
    }
)
"""Our grade -> FSRS rating: every wrong answer is Again, 3 Hard, 4 Good, 5 Easy."""


def rating_for(grade: int) -> Rating:
    """The FSRS rating for one of our grades (refused like SM-2 refuses it when out of range)."""
    return RATING_FOR_GRADE[check_grade(grade)]


@dataclass(frozen=True, slots=True)
class SchedulingAnswer:
    """One scheduling answer of a card: when, on which study day, and the grade."""

    moment: datetime
    """When it was given (timezone-aware); orders answers."""
    day: date
    """The study day stored with the answer (never recomputed with today's zone)."""
    grade: int

    def __post_init__(self) -> None:
        if self.moment.tzinfo is None or self.moment.utcoffset() is None:
            raise ValueError("an answer's moment must be timezone-aware, got a naive datetime")
        check_grade(self.grade)

    @classmethod
    def at(
        cls,
        moment: datetime,
        grade: int,
        zone: tzinfo,
        rollover_hour: int = DEFAULT_ROLLOVER_HOUR,
    ) -> SchedulingAnswer:
        """An answer whose study day is worked out from the zone and rollover it was given in."""
        return cls(moment, study_day(moment, zone, rollover_hour), grade)


@lru_cache(maxsize=16)
def scheduler_for(desired_retention: float) -> Scheduler:
    """py-fsrs's scheduler with its default parameters, no sub-day steps and no fuzz of its own."""
    return Scheduler(
        desired_retention=check_retention(desired_retention),
        learning_steps=(),
        relearning_steps=(),
        maximum_interval=MAX_INTERVAL_DAYS,
        enable_fuzzing=False,
    )


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=UTC)


def _card(state: FsrsState, day: date) -> Card:
    # card_id and due are given so that py-fsrs reads no clock (it would use
    # now() for both, and sleep a millisecond to keep card ids apart).
    return Card(
        card_id=0,
        state=FsrsCardState(state.state),
        step=state.step,
        stability=state.stability,
        difficulty=state.difficulty,
        due=_midnight(state.due or day),
        last_review=None if state.last_review is None else _midnight(state.last_review),
    )


def fuzz_draw(card_key: str, answer_number: int) -> float:
    """The uniform draw in [0, 1) that fuzzes a card's ``answer_number``-th answer.

    ``random.Random`` seeded with a string hashes it with SHA-512, so the draw is
    the same in every process and on every machine.
    """
    return random.Random(f"{card_key}#{answer_number}").random()


def fuzzed_interval(days: int, draw: float, maximum: int = MAX_INTERVAL_DAYS) -> int:
    """``days`` moved within FSRS's fuzz range by ``draw``, exactly as py-fsrs does it."""
    if days < 2.5:
        return days
    delta = 1.0
    for fuzz_range in FUZZ_RANGES:
        delta += fuzz_range["factor"] * max(
            min(float(days), fuzz_range["end"]) - fuzz_range["start"], 0.0
        )
    low = max(2, round(days - delta))
    high = min(round(days + delta), maximum)
    low = min(low, high)
    return min(round(draw * (high - low + 1) + low), maximum)


def advance(
    state: FsrsState,
    day: date,
    grade: int,
    card_key: str,
    settings: FsrsSettings = DEFAULT_SETTINGS,
) -> FsrsState:
    """The FSRS state after one scheduling answer of ``grade`` on study day ``day``."""
    rating = rating_for(grade)
    if state.last_review is not None and day < state.last_review:
        day = state.last_review
    card, _ = scheduler_for(settings.desired_retention).review_card(
        _card(state, day), rating, _midnight(day)
    )
    reviews = state.reviews + 1
    days = (card.due - _midnight(day)).days
    if settings.fuzz:
        days = fuzzed_interval(days, fuzz_draw(card_key, reviews))
    return FsrsState(
        stability=card.stability,
        difficulty=card.difficulty,
        state=State(card.state),
        step=card.step,
        last_review=day,
        due=day + timedelta(days=days),
        reviews=reviews,
    )


def replay(
    answers: Iterable[SchedulingAnswer], card_key: str, settings: FsrsSettings = DEFAULT_SETTINGS
) -> FsrsState:
    """A card's FSRS state from its scheduling answers (sorted by moment here)."""
    state = FsrsState()
    for answer in sorted(answers, key=lambda a: a.moment):
        state = advance(state, answer.day, answer.grade, card_key, settings)
    return state


def reschedule(
    state: FsrsState, card_key: str, settings: FsrsSettings = DEFAULT_SETTINGS
) -> FsrsState:
    """The same memory state with its due day worked out again, after a change of settings."""
    if state.stability is None or state.last_review is None:
        return state
    days = DEFAULT_MODEL.interval(state.stability, settings.desired_retention, MAX_INTERVAL_DAYS)
    if settings.fuzz:
        days = fuzzed_interval(days, fuzz_draw(card_key, state.reviews))
    return replace(state, due=state.last_review + timedelta(days=days))


@dataclass(frozen=True, slots=True)
class Preview:
    """What one grade would do: the state after it and the due day, for "4 · in 6 days"."""

    grade: int
    rating: Rating
    state: FsrsState
    due: date
    days: int
    """Days from the answer's day to the due day."""


def preview(
    state: FsrsState, today: date, card_key: str, settings: FsrsSettings = DEFAULT_SETTINGS
) -> tuple[Preview, ...]:
    """One preview per grade 0-5 for an answer given on study day ``today``."""
    previews = []
    for grade in GRADES:
        after = advance(state, today, grade, card_key, settings)
        assert after.due is not None and after.last_review is not None
        previews.append(
            Preview(grade, rating_for(grade), after, after.due, (after.due - today).days)
        )
    return tuple(previews)


def recall_probability(state: FsrsState, day: date) -> float | None:
    """FSRS's predicted probability of recall on study ``day``; None for a new card.

    For a moment rather than a day, pass ``study_day(moment, zone, rollover)``:
    FSRS counts whole days, and studyplan counts study days.
    """
    if state.is_new:
        return None
    when = _midnight(max(day, state.last_review or day))
    return scheduler_for(DEFAULT_RETENTION).get_card_retrievability(_card(state, day), when)


def replay_days(
    answers: Iterable[tuple[date, int]],
    card_key: str,
    settings: FsrsSettings = DEFAULT_SETTINGS,
) -> FsrsState:
    """``replay`` for answers already in time order as (study day, grade), about 30x faster.

    The same floats as py-fsrs (``fsrs_memory`` is held equal to it), for rebuilding
    every card's state from a long log at once (a database upgrade, say).
    """
    model = DEFAULT_MODEL
    stability = difficulty = 0.0
    last: date | None = None
    reviews = 0
    for day, grade in answers:
        rating = int(rating_for(grade))
        if last is None:
            stability, difficulty = model.first(rating)
            last = day
        else:
            day = max(day, last)
            stability, difficulty = model.step(stability, difficulty, rating, (day - last).days)
            last = day
        reviews += 1
    if last is None:
        return FsrsState()
    days = model.interval(stability, settings.desired_retention, MAX_INTERVAL_DAYS)
    if settings.fuzz:
        days = fuzzed_interval(days, fuzz_draw(card_key, reviews))
    return FsrsState(
        stability=stability,
        difficulty=difficulty,
        state=State.Review,
        step=None,
        last_review=last,
        due=last + timedelta(days=days),
        reviews=reviews,
    )
