"""The dates a learner may type for a plan: parsed in one sentence and kept in a safe range.

Dates far from today break the arithmetic downstream (a start in 9999 plus a
multi-year plan overflows ``datetime.date``), so every date a learner types
for a plan must fall between ``FIRST_DAY`` and ``LAST_DAY``.
"""

from __future__ import annotations

from datetime import date

FIRST_DAY = date(1970, 1, 1)
LAST_DAY = date(2200, 12, 31)
"""A plan's dates stay in this range; the longest plan then still ends centuries before 9999."""


def in_range(day: date) -> bool:
    """Whether ``day`` is one a plan may use."""
    return FIRST_DAY <= day <= LAST_DAY


def check_day(day: date, what: str) -> date:
    """``day``, or a ``ValueError`` in one sentence when it is out of range."""
    if not in_range(day):
        raise ValueError(
            f"{what} {day.isoformat()} is out of range; "
            f"give a date from {FIRST_DAY.isoformat()} to {LAST_DAY.isoformat()}"
        )
    return day


def parse_day(text: str, what: str) -> date:
    """A date typed as ``YYYY-MM-DD``, or a ``ValueError`` in one sentence naming ``what``."""
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"{what} {text!r} is not a date; write it like 2026-11-30") from None
    return check_day(day, what)
