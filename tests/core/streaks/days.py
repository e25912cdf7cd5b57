"""Days, zones and helpers the streak tests share."""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

from studyplan.core.streaks import (
    spend_freezes,
)

MON = date(2026, 5, 4)  # a Monday
SAT, SUN = 5, 6
ONE = timedelta(days=1)
NEW_YORK, LONDON, SYDNEY = (
    ZoneInfo(z) for z in ("America/New_York", "Europe/London", "Australia/Sydney")
)
AUCKLAND, LOS_ANGELES = ZoneInfo("Pacific/Auckland"), ZoneInfo("America/Los_Angeles")


def span(first: date, count: int) -> list[date]:
    return [first + timedelta(days=i) for i in range(count)]


def open_app(qualifying: set[date], rest: set[int], spent: set[date], today: date) -> set[date]:
    """What the app does on opening: spend what is due, persist it, return the new store."""
    return spent | spend_freezes(qualifying, rest, spent, today)
