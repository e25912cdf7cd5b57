"""A card's FSRS state and FSRS's settings, without py-fsrs.

Every card read from the database carries its FSRS state, so the first card of a
start needs this type; the maths (``core.fsrs_scheduler``, over py-fsrs) is needed
only once a card is answered. Keeping the two apart keeps py-fsrs's import off the
path to the first card.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from enum import IntEnum

DEFAULT_RETENTION = 0.9
MIN_RETENTION = 0.70
MAX_RETENTION = 0.99


class State(IntEnum):
    """FSRS's card states, with py-fsrs's values (``fsrs.State``): equal to them, and
    converted to them where py-fsrs is called."""

    Learning = 1
    Review = 2
    Relearning = 3


def check_retention(value: object) -> float:
    """Return ``value`` as a desired retention, or raise ``ValueError`` in one sentence."""
    if isinstance(value, bool) or not isinstance(value, int | float) or math.isnan(value):
        raise ValueError(f"desired retention must be a number from 0.70 to 0.99, got {value!r}")
    if not MIN_RETENTION <= value <= MAX_RETENTION:
        raise ValueError(f"desired retention must be from 0.70 to 0.99, got {value}")
    return float(value)


@dataclass(frozen=True, slots=True)
class FsrsSettings:
    """How FSRS schedules: the recall it aims for at the due day, and whether it fuzzes."""

    desired_retention: float = DEFAULT_RETENTION
    """Probability of recall FSRS aims for on the due day (0.70-0.99)."""
    fuzz: bool = True
    """Spread intervals of 3 days or more over FSRS's small range (deterministic here)."""

    def __post_init__(self) -> None:
        check_retention(self.desired_retention)


DEFAULT_SETTINGS = FsrsSettings()


@dataclass(frozen=True, slots=True)
class FsrsState:
    """One card's FSRS state. ``FsrsState()`` is a card with no scheduling answer yet."""

    stability: float | None = None
    """Days until recall falls to 90%; None before the first answer."""
    difficulty: float | None = None
    """1 (easy) to 10 (hard); None before the first answer."""
    state: State = State.Learning
    """FSRS's state (py-fsrs's values): Learning before the first answer, Review after it
    (no steps here)."""
    step: int | None = 0
    """py-fsrs's learning step: 0 before the first answer, None after it."""
    last_review: date | None = None
    """The study day of the last scheduling answer."""
    due: date | None = None
    """The study day the card is next due; None for a new card."""
    reviews: int = 0
    """How many scheduling answers the card has had (seeds the fuzz)."""

    @property
    def is_new(self) -> bool:
        """True for a card that has never had a scheduling answer."""
        return self.last_review is None

    @property
    def interval(self) -> int:
        """Days from the last answer to the due day (0 for a new card)."""
        if self.due is None or self.last_review is None:
            return 0
        return (self.due - self.last_review).days
