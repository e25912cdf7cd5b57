"""The SM-2 scheduler, exactly as ``shared/SM2.md`` fixes it.

Pure: no clock, no I/O. The easiness factor is kept in permille as an integer
so that no float drift can change an interval.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

GRADES = range(6)
PASSING_GRADE = 3
DRILL_UNTIL_GRADE = 4
START_EF_PERMILLE = 2500
MIN_EF_PERMILLE = 1300
MAX_INTERVAL_DAYS = 36500

GRADE_MEANINGS: dict[int, str] = {
    5: "perfect recall",
    4: "correct, after a hesitation",
    3: "correct, with serious difficulty",
    2: "wrong; easy once shown",
    1: "wrong; familiar once shown",
    0: "complete blackout",
}


@dataclass(frozen=True, slots=True)
class Sm2State:
    """The scheduling state of one card. ``Sm2State()`` is a new card."""

    repetitions: int = 0
    ef_permille: int = START_EF_PERMILLE
    interval: int = 0
    due: date | None = None
    lapses: int = 0

    @property
    def is_new(self) -> bool:
        """True for a card that has never had a scheduling answer."""
        return self.due is None


def check_grade(quality: object) -> int:
    """Return ``quality`` as a grade, or raise ``ValueError`` naming what was wrong."""
    if isinstance(quality, bool) or not isinstance(quality, int) or quality not in GRADES:
        raise ValueError(f"a grade must be a whole number from 0 to 5, got {quality!r}")
    return quality


def next_ef(ef_permille: int, quality: int) -> int:
    """The easiness factor after an answer of ``quality``, floored at 1300."""
    miss = 5 - quality
    return max(MIN_EF_PERMILLE, ef_permille + 100 - miss * (80 + miss * 20))


def review(state: Sm2State, quality: int, today: date) -> Sm2State:
    """Apply one scheduling answer of ``quality`` given on study day ``today``.

    Returns a new state; ``state`` is never changed.
    """
    quality = check_grade(quality)
    if not isinstance(today, date):
        raise TypeError(f"today must be a datetime.date, got {type(today).__name__}")
    return advance(state, quality, today)


def advance(state: Sm2State, quality: int, today: date) -> Sm2State:
    """``review`` without checking its arguments: for replaying a log whose grades and
    days were checked as they were read (a sync's merge replays thousands of them)."""
    if quality >= PASSING_GRADE:
        if state.repetitions == 0:
            interval = 1
        elif state.repetitions == 1:
            interval = 6
        else:
            interval = (state.interval * state.ef_permille + 999) // 1000
        repetitions = state.repetitions + 1
        lapses = state.lapses
    else:
        interval = 1
        repetitions = 0
        lapses = state.lapses + 1
    interval = min(interval, MAX_INTERVAL_DAYS)
    # Every field is new (built directly: dataclasses.replace costs more than the rest).
    return Sm2State(
        repetitions=repetitions,
        ef_permille=next_ef(state.ef_permille, quality),
        interval=interval,
        due=today + timedelta(days=interval),
        lapses=lapses,
    )


def needs_drill(quality: int) -> bool:
    """True when an answer of ``quality`` keeps the card in today's queue."""
    return quality < DRILL_UNTIL_GRADE
