"""FSRS-6's memory model on plain floats, for loops over a whole review log.

The same formulas as py-fsrs's ``Scheduler`` (``fsrs.scheduler``), written in
the same order of operations so the floats come out identical, and with the
same default parameters (read from the package, not copied). py-fsrs copies a
``Card`` and walks its state machine on every answer (about 15 µs); judging a
million answers or simulating a year of a collection needs about one µs each.
``tests/core/test_fsrs_memory.py`` holds this module equal to py-fsrs.

Only the path studyplan uses is here: no learning or relearning steps (see
``fsrs_scheduler``), so a card is new before its first answer and in review
after it, and elapsed time is whole study days.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from fsrs import Rating
from fsrs.scheduler import DEFAULT_PARAMETERS, STABILITY_MIN

AGAIN, HARD, GOOD, EASY = (int(r) for r in (Rating.Again, Rating.Hard, Rating.Good, Rating.Easy))
MIN_DIFFICULTY = 1.0
MAX_DIFFICULTY = 10.0


class MemoryModel:
    """FSRS-6 with one set of 21 parameters (FSRS's defaults unless given)."""

    __slots__ = (
        "_easy_difficulty",
        "_forget_cap",
        "_growth",
        "_same_day",
        "decay",
        "factor",
        "w",
    )

    def __init__(self, parameters: Sequence[float] = DEFAULT_PARAMETERS) -> None:
        if len(parameters) != len(DEFAULT_PARAMETERS):
            raise ValueError(
                f"FSRS-6 needs {len(DEFAULT_PARAMETERS)} parameters, got {len(parameters)}"
            )
        self.w = w = tuple(float(p) for p in parameters)
        self.decay = -w[20]
        self.factor = 0.9 ** (1 / self.decay) - 1
        # Terms that depend on the parameters (and the rating) only, worked out
        # once with py-fsrs's own expressions, so every float stays identical.
        self._easy_difficulty = w[4] - (math.e ** (w[5] * (EASY - 1))) + 1
        self._forget_cap = math.e ** (w[17] * w[18])
        self._growth = math.e ** (w[8])
        self._same_day = (0.0, *(math.e ** (w[17] * (r - 3 + w[18])) for r in (1, 2, 3, 4)))

    def first(self, rating: int) -> tuple[float, float]:
        """Stability and difficulty after a card's first answer."""
        w = self.w
        difficulty = w[4] - (math.e ** (w[5] * (rating - 1))) + 1
        return max(w[rating - 1], STABILITY_MIN), _clamp(difficulty)

    def recall(self, stability: float, elapsed_days: int) -> float:
        """Probability of recall ``elapsed_days`` whole days after the last answer."""
        return (1 + self.factor * max(0, elapsed_days) / stability) ** self.decay

    def step(
        self, stability: float, difficulty: float, rating: int, elapsed_days: int
    ) -> tuple[float, float]:
        """Stability and difficulty after an answer ``elapsed_days`` after the last one."""
        w = self.w
        if elapsed_days < 1:
            # A second answer on the same day: FSRS-6's short-term formula.
            increase = self._same_day[rating] * (stability ** -w[19])
            if rating != AGAIN:
                increase = max(increase, 1.0)
            new_stability = stability * increase
        else:
            r = (1 + self.factor * elapsed_days / stability) ** self.decay
            if rating == AGAIN:
                new_stability = min(
                    w[11]
                    * (difficulty ** -w[12])
                    * (((stability + 1) ** (w[13])) - 1)
                    * (math.e ** ((1 - r) * w[14])),
                    stability / self._forget_cap,
                )
            else:
                hard_penalty = w[15] if rating == HARD else 1
                easy_bonus = w[16] if rating == EASY else 1
                new_stability = stability * (
                    1
                    + self._growth
                    * (11 - difficulty)
                    * (stability ** -w[9])
                    * ((math.e ** ((1 - r) * w[10])) - 1)
                    * hard_penalty
                    * easy_bonus
                )
        damped = difficulty + (10.0 - difficulty) * -(w[6] * (rating - 3)) / 9.0
        new_difficulty = w[7] * self._easy_difficulty + (1 - w[7]) * damped
        new_stability = new_stability if new_stability > STABILITY_MIN else STABILITY_MIN
        new_difficulty = (
            MIN_DIFFICULTY
            if new_difficulty < MIN_DIFFICULTY
            else MAX_DIFFICULTY
            if new_difficulty > MAX_DIFFICULTY
            else new_difficulty
        )
        return new_stability, new_difficulty

    def interval(self, stability: float, retention: float, maximum: int = 36500) -> int:
        """Whole days until recall falls to ``retention`` (at least 1, at most ``maximum``)."""
        days = round((stability / self.factor) * ((retention ** (1 / self.decay)) - 1))
        return min(max(days, 1), maximum)


def _clamp(difficulty: float) -> float:
    return min(max(difficulty, MIN_DIFFICULTY), MAX_DIFFICULTY)


DEFAULT_MODEL = MemoryModel()
"""FSRS-6 with the default parameters py-fsrs ships (medians over 10k Anki collections)."""
