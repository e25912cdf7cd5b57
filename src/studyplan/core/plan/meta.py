"""A plan's TOML front matter: id, title, summary and starting points."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from studyplan.core.cards.deck import ID
from studyplan.core.errors import SourceError
from studyplan.core.plan.model import DEFAULT_POINT

META_KEYS = ("id", "title", "summary", "hours_per_week", "starting_points")
MAX_WEEKLY_HOURS = 168
_RANGE = re.compile(r"\s*([0-9]{1,3}(?:\.[0-9]{1,2})?)\s*(?:-\s*([0-9]{1,3}(?:\.[0-9]{1,2})?)\s*)?")
DEFAULT_LABEL = "From the start"


@dataclass(frozen=True, slots=True)
class PlanHead:
    """The checked front matter, with the line of each key for later messages."""

    id: str
    title: str
    summary: str
    points: tuple[tuple[str, str], ...]
    points_line: int
    hours_per_week: tuple[float, float] | None = None
    """Where ``[starting_points]`` is (the front matter's first line without it)."""


def read_head(meta: dict[str, Any], lines: list[str], path: str) -> PlanHead:
    """Check the parsed front matter; ``lines`` are the file's lines up to its closing ``+++``."""
    where = _Lines(lines)
    for key in meta:
        if key not in META_KEYS:
            raise SourceError(
                path,
                where.of(key),
                f"unknown front-matter key {key!r} (known: {', '.join(META_KEYS)})",
            )
    plan_id = meta.get("id")
    if not isinstance(plan_id, str) or not ID.fullmatch(plan_id):
        raise SourceError(
            path,
            where.of("id"),
            'the front matter needs an id of letters, digits, - and _, like id = "three-month"',
        )
    title = meta.get("title")
    if not isinstance(title, str) or not title.strip():
        raise SourceError(
            path, where.of("title"), 'the front matter needs a title, like title = "My plan"'
        )
    summary = meta.get("summary", "")
    if not isinstance(summary, str):
        raise SourceError(path, where.of("summary"), "the summary must be a string in quotes")
    points_line = where.of("starting_points")
    return PlanHead(
        id=plan_id,
        title=title.strip(),
        summary=summary.strip(),
        points=_points(meta.get("starting_points"), where, path),
        points_line=points_line,
        hours_per_week=_weekly_hours(meta.get("hours_per_week"), where, path),
    )


def _weekly_hours(value: Any, where: _Lines, path: str) -> tuple[float, float] | None:
    """``hours_per_week = "10-12"`` (a range) or ``= 10``: the hours a week the plan asks for."""
    if value is None:
        return None
    problem = (
        f"hours_per_week must be hours from 1 to {MAX_WEEKLY_HOURS}, "
        'or a range like "10-12", not ' + repr(value)
    )
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise SourceError(path, where.of("hours_per_week"), problem)
    found = _RANGE.fullmatch(str(value)) if not isinstance(value, float) else None
    if isinstance(value, float):
        low = high = value
    elif found is None:
        raise SourceError(path, where.of("hours_per_week"), problem)
    else:
        low = float(found.group(1))
        high = float(found.group(2) or found.group(1))
    if not 1 <= low <= high <= MAX_WEEKLY_HOURS:
        raise SourceError(path, where.of("hours_per_week"), problem)
    return low, high


def _points(table: Any, where: _Lines, path: str) -> tuple[tuple[str, str], ...]:
    if table is None:
        return ((DEFAULT_POINT, DEFAULT_LABEL),)
    line = where.of("starting_points")
    if not isinstance(table, dict):
        raise SourceError(
            path,
            line,
            'starting_points must be a table of id = "label", like scratch = "From scratch"',
        )
    if not table:
        raise SourceError(
            path, line, "[starting_points] is empty; list at least one or remove the table"
        )
    points = []
    for point, label in table.items():
        at = where.of(point, after=line)
        if not ID.fullmatch(point):
            raise SourceError(
                path, at, f"starting point {point!r} may only hold letters, digits, - and _"
            )
        if not isinstance(label, str) or not label.strip():
            raise SourceError(
                path, at, f'starting point {point!r} needs a label, like {point} = "From scratch"'
            )
        points.append((point, label.strip()))
    return tuple(points)


class _Lines:
    """Finds the 1-based line where a front-matter key is written."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.fence = next((i for i, line in enumerate(lines) if line.strip()), 0) + 1

    def of(self, key: str, after: int | None = None) -> int:
        quoted = rf"""["']?{re.escape(key)}["']?"""
        pattern = re.compile(rf"^\s*(?:\[\s*{quoted}\s*\]|{quoted}\s*[.=])")
        start = after if after is not None else self.fence
        for number in range(start, len(self.lines)):
            if pattern.match(self.lines[number]):
                return number + 1
        return start if after is not None else self.fence
