"""A study timer on one topic: start, pause, resume, stop; the minutes are then logged.

Pure: every moment is passed in (aware datetimes, as the store keeps them).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

MAX_SECONDS = 16 * 3600
"""A timer left running overnight is not sixteen hours of study; it stops counting here."""


def _aware(moment: datetime) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("the timer needs aware datetimes, not naive ones")
    return moment


@dataclass(frozen=True, slots=True)
class Timer:
    """A timer on ``topic_id`` of ``plan_id``: running since a moment, or paused."""

    plan_id: str
    topic_id: str
    running_since: datetime | None
    """When the current run started; None while paused."""
    banked: int = 0
    """Seconds counted before the current run."""

    @staticmethod
    def start(plan_id: str, topic_id: str, now: datetime) -> Timer:
        """A new timer, running."""
        return Timer(plan_id, topic_id, _aware(now), 0)

    @property
    def running(self) -> bool:
        """Counting now."""
        return self.running_since is not None

    def seconds(self, now: datetime) -> int:
        """Seconds counted up to ``now`` (a clock set back counts nothing for the run)."""
        run = 0
        if self.running_since is not None:
            run = max(0, int((_aware(now) - self.running_since).total_seconds()))
        return min(MAX_SECONDS, self.banked + run)

    def pause(self, now: datetime) -> Timer:
        """Stop counting for now; ``resume`` goes on."""
        if not self.running:
            return self
        return replace(self, running_since=None, banked=self.seconds(now))

    def resume(self, now: datetime) -> Timer:
        """Count again."""
        if self.running:
            return self
        return replace(self, running_since=_aware(now))

    def minutes(self, now: datetime) -> int:
        """Whole minutes to log when stopped at ``now`` (half a minute rounds up)."""
        return (self.seconds(now) + 30) // 60

    def clock(self, now: datetime) -> str:
        """``mm:ss`` (or ``h:mm:ss``) for a display."""
        seconds = self.seconds(now)
        hours, rest = divmod(seconds, 3600)
        text = f"{rest // 60:02d}:{rest % 60:02d}"
        return f"{hours}:{text}" if hours else text
