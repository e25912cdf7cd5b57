"""Study days: the calendar day a moment counts for, with a rollover hour."""

from __future__ import annotations

from datetime import date, datetime, timedelta, tzinfo

DEFAULT_ROLLOVER_HOUR = 4


def study_day(moment: datetime, zone: tzinfo, rollover_hour: int = DEFAULT_ROLLOVER_HOUR) -> date:
    """Return the study day ``moment`` counts for in ``zone``.

    A study day starts at ``rollover_hour`` local time, so 01:30 belongs to the
    day before. ``moment`` must be timezone-aware; a naive one is refused.
    """
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("study_day needs a timezone-aware moment, got a naive datetime")
    if not 0 <= rollover_hour <= 23:
        raise ValueError(f"rollover hour must be 0-23, got {rollover_hour}")
    local = moment.astimezone(zone)
    return (local - timedelta(hours=rollover_hour)).date()
