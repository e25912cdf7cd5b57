"""How much flashcard time a study day needs: cards already due, new cards, and their reviews.

A simple model, documented in docs/plan-format.md ("Review time"):

* Cards the store says are due come from the forecast (``due``).
* Every study day the learner is expected to meet ``new_per_day`` new cards
  (the setting) while unseen cards last. A new card costs ``NEW_CARD_COST``
  answers on its first day (reading it, and the drill repeats that follow a
  first wrong answer).
* Each new card then comes back on the days SM-2 gives a card answered 4
  ("correct after some thought") every time: 1, 6, 15, 38, 95 and 238 days
  apart, so ``REVIEW_OFFSETS`` days after it was introduced. Lapses are not
  modelled, so the forecast errs on the short side for hard material.
"""

from __future__ import annotations

from dataclasses import dataclass

NEW_CARD_COST = 3.0
"""Answers a new card takes on its first day, in units of one review."""
REVIEW_OFFSETS = (1, 7, 22, 60, 155, 393)
"""Days after its first day on which a new card is due again (cumulative SM-2 intervals)."""


@dataclass(frozen=True, slots=True)
class NewCards:
    """The new cards a learner meets each study day."""

    per_day: int
    """The ``new_per_day`` setting."""
    unseen: int | None = None
    """Cards never shown yet; None when there is no limit to assume."""
    done_today: int = 0
    """New cards already met today (today needs only the rest)."""

    def __post_init__(self) -> None:
        if self.per_day < 0 or self.done_today < 0 or (self.unseen is not None and self.unseen < 0):
            raise ValueError("new-card counts cannot be negative")
