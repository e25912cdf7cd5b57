"""A study plan's week and standing in plain words, for the terminal and for sharing."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from datetime import date

from studyplan.core.plan.parse import Plan
from studyplan.core.plan.schedule import DayPlan, Standing, WeekPlan


def short_title(title: str) -> str:
    """A plan's title up to its first colon or dash, for narrow places."""
    for mark in (":", " — ", " - "):
        title = title.split(mark)[0]
    return title.strip()


def standing_line(plan: Plan, st: Standing) -> str:
    """Where the learner stands in one plan, in words."""
    phase = st.phase.title if st.phase else "finished"
    line = f"{short_title(plan.title)}: {phase}; {st.hours_done:.1f} of {st.hours_total:.0f} h done"
    if abs(st.hours_ahead) < 0.05:
        line += ", on pace"
    else:
        side = "ahead" if st.hours_ahead > 0 else "behind"
        line += f", {abs(st.hours_ahead):.1f} h ({abs(st.weeks_ahead):.1f} weeks) {side}"
    if st.projected_finish:
        line += f"; at your pace you finish about {st.projected_finish:%d %b %Y}"
    return line


def day_lines(day: DayPlan, several: bool) -> list[tuple[str, str, int | None]]:
    """(plan, what, minutes) rows of one day; the plan is named when ``several`` run."""
    if day.available == 0:
        return [("", "rest day", None)]
    if day.past and not day.blocks:
        return [("", "past", None)]
    rows: list[tuple[str, str, int | None]] = []
    if day.review:
        rows.append(("", "Flashcard review", day.review))
    for block in day.blocks:
        what = block.topic.title
        if not block.finishes:
            what += " (continues)"
        if block.carried:
            what += " (carried)"
        rows.append((block.plan_id if several else "", what, block.minutes))
    if not rows:
        rows.append(("", "nothing left", None))
    return rows


def week_text(
    week: WeekPlan,
    plans: Mapping[str, Plan],
    standings: Sequence[tuple[Plan, Standing]],
    today: date,
    width: int = 80,
) -> str:
    """The week as plain text for a terminal."""
    out = [f"Week of {week.monday:%a %d %b %Y}", ""]
    for day in week.days:
        mark = "  (today)" if day.day == today else ""
        out.append(f"{day.day:%a %d %b}{mark}  {day.available} min available")
        for plan, what, minutes in day_lines(day, len(standings) > 1):
            head = f"  {minutes:>4} min  " if minutes is not None else "            "
            label = f"{plan}: " if plan else ""
            out += textwrap.wrap(
                label + what, width=width, initial_indent=head, subsequent_indent=" " * len(head)
            )
    if standings:
        out.append("")
        for followed, st in standings:
            out += textwrap.wrap(standing_line(followed, st), width=width, subsequent_indent="  ")
    return "\n".join(out) + "\n"
