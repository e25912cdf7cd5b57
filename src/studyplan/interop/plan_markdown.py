"""A week of a study plan as a markdown document to share."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from studyplan.core.plan.describe import minutes_cell, row_text, standing_line
from studyplan.core.plan.model import Topic
from studyplan.core.plan.parse import Plan
from studyplan.core.plan.schedule import Standing, WeekPlan
from studyplan.core.plan.weekview import Row


def week_markdown(
    week: WeekPlan,
    rows: Sequence[tuple[date, list[Row]]],
    plans: Mapping[str, Plan],
    standings: Sequence[tuple[Plan, Standing]],
    today: date,
) -> str:
    """The week as a markdown document: a table of days, then the week's topics with their
    deliverables and resources, then where the learner stands."""
    out = [
        f"# Study plan: week of {week.monday:%d %B %Y}",
        "",
        "| Day | Plan | Topic | Minutes |",
        "| --- | --- | --- | ---: |",
    ]
    several = len(standings) > 1
    topics: dict[tuple[str, str], Topic] = {}
    for day, day_rows in rows:
        for n, row in enumerate(day_rows):
            label = f"{day:%a %d %b}" + (" (today)" if day == today else "") if n == 0 else ""
            plan = row.plan_id if several else ""
            cells = [label, plan, row_text(row), minutes_cell(row, day < today)]
            out.append("| " + " | ".join(_cell(c) for c in cells) + " |")
            if row.topic is not None:
                topics.setdefault((row.plan_id, row.topic.id), row.topic)
    noted = [t for t in topics.values() if t.deliverables or t.resources]
    if noted:
        out += ["", "## This week's topics", ""]
        for topic in noted:
            out.append(f"- **{_inline(topic.title)}**")
            # As written in the plan: links stay links in a document that renders them.
            out += [f"  - Deliverable: {_inline(d)}" for d in topic.deliverables]
            out += [f"  - Resource: {_inline(r)}" for r in topic.resources]
    if standings:
        out.append("")
        out += [f"- {_inline(standing_line(plan, st))}" for plan, st in standings]
    return "\n".join(out) + "\n"


def _cell(text: str) -> str:
    return _inline(text).replace("|", "\\|")


def _inline(text: str) -> str:
    return " ".join(text.split())
