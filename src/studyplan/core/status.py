"""The line ``studyplan status`` prints for a shell prompt.

Pure and small: a prompt imports it on every command, so it imports only ``math``.
"""

from __future__ import annotations

import math


def format_minutes(minutes: float) -> str:
    """Minutes as the prompt shows them, rounded up: ``45m``, ``1h``, ``1h30m``."""
    whole = max(0, math.ceil(minutes))
    hours, rest = divmod(whole, 60)
    if not hours:
        return f"{rest}m"
    return f"{hours}h{rest}m" if rest else f"{hours}h"


def status_line(
    streak: int | None, due: int, plan_minutes: float | None = None, *, ascii_only: bool = False
) -> str:
    """One line for a shell prompt: ``🔥 12d · 34 due · 45m plan``.

    ``ascii_only`` gives ``12d streak | 34 due | 45m plan`` for terminals
    without emoji. The plan part is left out when ``plan_minutes`` is None. A
    ``streak`` of None is one still being counted (``streak counting``).
    """
    # A flame on a streak of 0 reads as a streak; say there is none.
    if streak is None:
        first = "streak counting"
    else:
        flame = f"🔥 {streak}d" if streak else "no streak"
        first = f"{streak}d streak" if ascii_only else flame
    parts = [first, f"{due} due"]
    if plan_minutes is not None:
        parts.append(f"{format_minutes(plan_minutes)} plan")
    return (" | " if ascii_only else " · ").join(parts)
