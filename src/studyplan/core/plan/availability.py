"""Weekly availability as a learner types it: ``mon-fri=60,sat=180,sun=0`` or seven numbers."""

from __future__ import annotations

import re

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_PAIR = re.compile(r"^([a-z]{3})(?:-([a-z]{3}))?=(\d{1,4})$")


def parse_weekly_minutes(text: str) -> tuple[int, ...]:
    """Seven minute counts, Monday first, or ``ValueError`` saying what is wrong.

    Accepts ``60,60,60,60,60,180,0`` or day pairs such as ``mon-fri=60,sat=180``
    (days not named get 0).
    """
    parts = [p.strip().lower() for p in text.replace(";", ",").split(",") if p.strip()]
    if not parts:
        raise ValueError("give the minutes you have per weekday, like mon-fri=60,sat=180,sun=0")
    if all(p.isdigit() for p in parts):
        if len(parts) != 7:
            raise ValueError(f"seven numbers are needed, Monday to Sunday; got {len(parts)}")
        return tuple(int(p) for p in parts)
    minutes = [0] * 7
    for part in parts:
        found = _PAIR.match(part)
        if (
            not found
            or found.group(1) not in DAYS
            or (found.group(2) and found.group(2) not in DAYS)
        ):
            raise ValueError(
                f"{part!r} should look like mon=60 or mon-fri=60 (days: {', '.join(DAYS)})"
            )
        first = DAYS.index(found.group(1))
        last = DAYS.index(found.group(2)) if found.group(2) else first
        if last < first:
            raise ValueError(f"{part!r}: the range must run forwards, like mon-fri")
        for day in range(first, last + 1):
            minutes[day] = int(found.group(3))
    return tuple(minutes)


def format_weekly_minutes(minutes: tuple[int, ...]) -> str:
    """The short form a learner would type back, e.g. ``mon-fri=60,sat=180,sun=0``."""
    out, start = [], 0
    for day in range(1, 8):
        if day == 7 or minutes[day] != minutes[start]:
            span = DAYS[start] if day - 1 == start else f"{DAYS[start]}-{DAYS[day - 1]}"
            out.append(f"{span}={minutes[start]}")
            start = day
    return ",".join(out)


_DURATION = re.compile(
    r"(?:(?P<h>\d{1,3}(?:\.\d{1,2})?)h)?(?:(?P<m>\d{1,4})m(?:in)?)?|(?P<plain>\d{1,4})"
)
WEEKDAY_SHARE = 0.15
"""Of a week's time, each weekday's part in the default week (Saturday takes the rest)."""


def parse_duration(text: str) -> int:
    """Minutes from ``45m``, ``1h``, ``1h30m``, ``1.5h`` or ``90``; ``ValueError`` in one sentence."""
    cleaned = text.strip().lower().replace(" ", "")
    found = _DURATION.fullmatch(cleaned)
    if not cleaned or found is None or not any(found.groupdict().values()):
        raise ValueError(f"{text!r} is not a duration; write it like 45m, 1h30m or 1.5h")
    if found.group("plain"):
        return int(found.group("plain"))
    hours = float(found.group("h") or 0)
    return round(hours * 60) + int(found.group("m") or 0)


def week_for_hours(hours: float) -> tuple[int, ...]:
    """A week of ``hours`` spread as the default one is: weekdays alike, more on Saturday,
    Sunday off; whole 5 minutes."""
    total = round(hours * 60 / 5) * 5
    weekday = min(24 * 60, round(total * WEEKDAY_SHARE / 5) * 5)
    saturday = min(24 * 60, max(0, total - 5 * weekday))
    return (weekday,) * 5 + (saturday, 0)
