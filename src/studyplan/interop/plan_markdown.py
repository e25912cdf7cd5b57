"""A week of a study plan as a markdown document to share."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from studyplan.core.plan.describe import day_lines, standing_line
from studyplan.core.plan.parse import Plan
from studyplan.core.plan.schedule import Standing, WeekPlan


def week_markdown(
    week: WeekPlan,
    plans: Mapping[str, Plan],
    standings: Sequence[tuple[Plan, Standing]],
    today: date,
) -> str:
    """The week as a markdown document to share."""
    out = [
        f"# Study plan: week of {week.monday:%d %B %Y}",
        "",
        "| Day | Plan | Topic | Minutes |",
        "| --- | --- | --- | ---: |",
    ]
    for day in week.days:
        for n, (plan, what, minutes) in enumerate(day_lines(day, len(standings) > 1)):
            label = (
                f"{day.day:%a %d %b}" + (" (today)" if day.day == today else "") if n == 0 else ""
            )
            cells = [label, plan, what, "" if minutes is None else str(minutes)]
            out.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    if standings:
        out.append("")
        out += [f"- {standing_line(plan, st)}" for plan, st in standings]
    return "\n".join(out) + "\n"
