"""Anki's scheduling and review log as studyplan's SM-2 state and review log. Pure.

Anki's buttons become SM-2 grades: Again 1, Hard 3, Good 4, Easy 5. Hard is a
pass in Anki (the interval still grows), so it must be a passing grade (3, "correct
with serious difficulty"); Again is a fail that was familiar once shown (1); Good
and Easy are SM-2's 4 and 5. The first answer of a study day schedules; later ones
that day are drill, as in studyplan's own reviews, and keep the state.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from functools import lru_cache
from typing import NamedTuple

from studyplan.core.sm2 import MAX_INTERVAL_DAYS, MIN_EF_PERMILLE, START_EF_PERMILLE, Sm2State
from studyplan.core.studyday import study_day
from studyplan.interop.anki.collection import Card, Review

GRADE_OF_EASE = {1: 1, 2: 3, 3: 4, 4: 5}
"""Anki's button (1 Again, 2 Hard, 3 Good, 4 Easy) -> SM-2 grade."""
MAX_TOOK_MS = 3_600_000


class PastAnswer(NamedTuple):
    """One Anki review as a studyplan answer (a tuple in the order
    ``import_repo.imported_answer_rows`` reads: a package holds tens of thousands)."""

    moment: datetime
    study_day: date
    grade: int
    is_drill: bool
    took_ms: int
    before: Sm2State
    after: Sm2State


@dataclass(frozen=True, slots=True)
class CardHistory:
    """A card's imported state and answers."""

    state: Sm2State
    suspended: bool
    buried_until: date | None
    answers: tuple[PastAnswer, ...]


NEW_CARD = CardHistory(state=Sm2State(), suspended=False, buried_until=None, answers=())
"""A new card with no log, neither suspended nor buried."""


def ef_of(factor: int, fallback: int = START_EF_PERMILLE) -> int:
    """Anki's per-mille factor as an SM-2 EF in per mille, never below 1300."""
    return max(MIN_EF_PERMILLE, factor) if factor > 0 else fallback


def card_history(
    card: Card,
    reviews: list[Review],
    *,
    created: int,
    zone: tzinfo,
    rollover_hour: int,
    today: date,
) -> CardHistory:
    """``card``'s state and answers; ``reviews`` are its log rows, oldest first;
    ``created`` is the collection's ``crt`` (review cards are due that many days after)."""
    if not reviews and card.type == 0 and card.queue not in (-1, -2, -3):
        return NEW_CARD  # what the rest gives a new card without a log, made once
    state = Sm2State()
    answers: list[PastAnswer] = []
    last_day: date | None = None
    for review in reviews:
        grade = GRADE_OF_EASE.get(review.ease)
        if grade is None or review.type in (4, 5):
            continue  # a manual reschedule, not an answer
        moment = datetime.fromtimestamp(review.id / 1000, UTC)
        day = study_day(moment, zone, rollover_hour)
        before = state
        if day != last_day:
            passed = grade >= 3
            interval = min(review.interval, MAX_INTERVAL_DAYS) if review.interval > 0 else 1
            state = Sm2State(
                repetitions=state.repetitions + 1 if passed else 0,
                ef_permille=ef_of(review.factor, state.ef_permille),
                interval=interval,
                due=day + timedelta(days=interval),
                lapses=state.lapses + (0 if passed else 1),
            )
        took_ms = min(max(0, review.time_ms), MAX_TOOK_MS)
        answers.append(PastAnswer(moment, day, grade, day == last_day, took_ms, before, state))
        last_day = day
    final = _final_state(card, state, created, zone, rollover_hour, today)
    if answers and final != state:
        _leave_at(answers, final)
    return CardHistory(
        state=final,
        suspended=card.queue == -1,
        buried_until=today + timedelta(days=1) if card.queue in (-2, -3) else None,
        answers=tuple(answers),
    )


def _leave_at(answers: list[PastAnswer], final: Sm2State) -> None:
    """Make the last scheduling answer leave the card in ``final``, the state Anki holds
    it in (its due day, which Anki fuzzes, not the answer's day plus interval; new again
    if Anki reset it), and the drills after it keep that state. The log then ends where
    the card stands, and a sync's replay, which takes each imported answer's state as it
    is stored, carries on from the same state on every machine."""
    last = max(n for n, a in enumerate(answers) if not a.is_drill)
    answers[last] = answers[last]._replace(after=final)
    for n in range(last + 1, len(answers)):
        answers[n] = answers[n]._replace(before=final, after=final)


def _final_state(
    card: Card, logged: Sm2State, created: int, zone: tzinfo, rollover_hour: int, today: date
) -> Sm2State:
    if card.type == 0:
        return Sm2State()  # new (or reset to new in Anki): SM-2 starts it afresh
    if card.type == 2:
        first_day = _collection_day(created, zone, rollover_hour)
        try:
            due = first_day + timedelta(days=card.due)
        except OverflowError:
            due = today
    else:  # learning or relearning: due again within the day in Anki
        due = today
    interval = min(card.interval, MAX_INTERVAL_DAYS) if card.interval > 0 else logged.interval
    repetitions, lapses = logged.repetitions, logged.lapses
    if logged.due is None:
        # A package without its log (or with the log cut short): a card Anki has
        # graduated counts as learned twice, so SM-2 goes on growing its interval.
        repetitions = 2 if card.type == 2 else 0
        lapses = card.lapses
    return Sm2State(
        repetitions=repetitions,
        ef_permille=ef_of(card.factor, logged.ef_permille),
        interval=interval,
        due=due,
        lapses=lapses,
    )


@lru_cache(maxsize=8)
def _collection_day(created: int, zone: tzinfo, rollover_hour: int) -> date:
    """The study day the collection was created on (every review card counts from it)."""
    return study_day(datetime.fromtimestamp(created, UTC), zone, rollover_hour)
