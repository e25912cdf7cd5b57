"""SM-2 and FSRS side by side: both remember every answer, one decides the due day.

The rule the store and the review screen follow:

- every scheduling answer advances both states: SM-2 exactly as
  ``shared/SM2.md`` says (``core.sm2.review``), FSRS by ``fsrs_scheduler.advance``;
- only the active scheduler (a setting, SM-2 by default) decides the day a
  card is due;
- switching is lossless either way: the FSRS state can always be derived
  again from the log (``replay_both``), and nothing FSRS does is ever written
  into the SM-2 state, so going back to SM-2 finds it exactly as a pure SM-2
  run over the same answers would have left it.

Drill answers (a second answer on the same study day) change neither state.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Literal, get_args

from studyplan.core import fsrs_scheduler, sm2
from studyplan.core.fsrs_scheduler import (
    DEFAULT_SETTINGS,
    FsrsSettings,
    FsrsState,
    SchedulingAnswer,
)
from studyplan.core.sm2 import Sm2State

SchedulerName = Literal["sm2", "fsrs"]
SCHEDULERS: tuple[SchedulerName, ...] = get_args(SchedulerName)
DEFAULT_SCHEDULER: SchedulerName = "sm2"


def check_scheduler(name: object) -> SchedulerName:
    """Return ``name`` as a scheduler name, or raise ``ValueError`` in one sentence."""
    for known in SCHEDULERS:
        if name == known:
            return known
    raise ValueError(f"the scheduler must be 'sm2' or 'fsrs', got {name!r}")


@dataclass(frozen=True, slots=True)
class CardSchedule:
    """Both schedulers' states of one card. ``CardSchedule()`` is a new card."""

    sm2: Sm2State = field(default_factory=Sm2State)
    fsrs: FsrsState = field(default_factory=FsrsState)

    def due(self, active: SchedulerName) -> date | None:
        """The study day the active scheduler has the card due; None for a new card."""
        return self.sm2.due if check_scheduler(active) == "sm2" else self.fsrs.due


def record_answer(
    schedule: CardSchedule,
    answer: SchedulingAnswer,
    card_key: str,
    settings: FsrsSettings = DEFAULT_SETTINGS,
) -> CardSchedule:
    """Both states after one scheduling answer, whichever scheduler is active."""
    return CardSchedule(
        sm2=sm2.review(schedule.sm2, answer.grade, answer.day),
        fsrs=fsrs_scheduler.advance(schedule.fsrs, answer.day, answer.grade, card_key, settings),
    )


def replay_both(
    answers: Iterable[SchedulingAnswer], card_key: str, settings: FsrsSettings = DEFAULT_SETTINGS
) -> CardSchedule:
    """Both states of a card from its scheduling answers (sorted by moment here)."""
    schedule = CardSchedule()
    for answer in sorted(answers, key=lambda a: a.moment):
        schedule = record_answer(schedule, answer, card_key, settings)
    return schedule
