"""A study plan's week, standing and choices in plain words, for the terminal and for sharing."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from datetime import date

from studyplan.core.plan.catchup import CatchUp
from studyplan.core.plan.model import Topic
from studyplan.core.plan.notes import plain_links
from studyplan.core.plan.parse import Plan
from studyplan.core.plan.schedule import Standing, WeekPlan
from studyplan.core.plan.weekview import Row


def short_title(title: str) -> str:
    """A plan's title up to its first colon or dash, for narrow places."""
    for mark in (":", " — ", " - "):
        title = title.split(mark)[0]
    return title.strip()


def day_name(day: date, year: bool = True) -> str:
    """``Mon 4 Jan 2027`` (or without the year)."""
    return f"{day:%a} {day.day} {day:%b}" + (f" {day:%Y}" if year else "")


def standing_line(plan: Plan, st: Standing) -> str:
    """Where the learner stands in one plan, in words."""
    phase = short_title(st.phase.title) if st.phase else "finished"
    line = f"{short_title(plan.title)}: {phase}; {st.hours_done:.1f} of {st.hours_total:.0f} h done"
    if abs(st.hours_ahead) < 0.05:
        line += ", on pace"
    else:
        side = "ahead" if st.hours_ahead > 0 else "behind"
        line += f", {abs(st.hours_ahead):.1f} h ({abs(st.weeks_ahead):.1f} weeks) {side}"
    if st.overrun_hours >= 0.05:
        line += f"; topics past their estimates moved later work by {st.overrun_hours:.1f} h"
    if st.projected_finish and not st.finished:
        how = "at your pace" if st.pace_from_history else "as planned"
        line += f"; {how} you finish about {st.projected_finish:%d %b %Y}"
        if st.days_off_ahead:
            line += f" ({st.days_off_ahead} days off included)"
    return line


def catch_up_line(plan: Plan, cu: CatchUp, keys: bool) -> str:
    """The two choices when a plan now ends after its target; ``keys`` names the screen's
    keys, else the commands."""
    keep_how, move_how = ("K", "M") if keys else ("studyplan plan keep", "studyplan plan move")
    late = cu.days_late
    when = f"{late} days after" if late is not None else "long after"
    line = (
        f"{short_title(plan.title)} now ends {when} its target ({day_name(cu.target)}). "
        "Keep the target: "
    )
    if cu.keep_week is None:
        line += "not possible even with whole days; "
    else:
        line += f"{cu.minutes_needed} min a week instead of {cu.minutes_now} ({keep_how}); "
    if cu.scheduled is not None:
        line += f"or move it to {day_name(cu.scheduled)} ({move_how})."
    else:
        line += "or give it more minutes."
    return line


def topic_notes(topic: Topic) -> list[str]:
    """A topic's deliverables and resources, one line each."""
    return [f"Deliverable: {plain_links(d)}" for d in topic.deliverables] + [
        f"Resource: {plain_links(r)}" for r in topic.resources
    ]


def minutes_cell(row: Row, past: bool) -> str:
    """The minutes of a row: planned, ``✓done``, or ``✓done/planned`` on a past day."""
    if row.done is not None:
        done = f"✓{row.done}" if row.done else "✓"
        return f"{done}/{row.planned}" if row.planned is not None else done
    if row.planned is None:
        return ""
    return f"0/{row.planned}" if past and row.kind == "topic" else str(row.planned)


def row_text(row: Row, plan_label: str = "") -> str:
    """The words of a row."""
    if row.kind != "topic":
        return row.text
    text = (f"{plan_label}: " if plan_label else "") + row.text
    if row.finished:
        text += " (finished)"
    elif row.block is not None and not row.block.finishes and row.done is None:
        text += " (continues)"
    if row.block is not None and row.block.carried and row.done is None:
        text += " (carried)"
    return text


def week_text(
    week: WeekPlan,
    rows: Sequence[tuple[date, list[Row]]],
    plans: Mapping[str, Plan],
    standings: Sequence[tuple[Plan, Standing]],
    today: date,
    width: int = 80,
    notes: Sequence[str] = (),
) -> str:
    """The week as plain text for a terminal; ``notes`` are extra sentences at the end."""
    several = len(standings) > 1
    out = [f"Week of {week.monday:%a %d %b %Y}", ""]
    by_day = {d.day: d for d in week.days}
    for day, day_rows in rows:
        mark = "  (today)" if day == today else ""
        plan_day = by_day[day]
        out.append(f"{day:%a %d %b}{mark}  {plan_day.available} min available")
        for row in day_rows:
            cell = minutes_cell(row, day < today)
            head = f"  {cell:>7} min  " if cell else " " * 15
            label = row.plan_id if several and row.plan_id else ""
            out += textwrap.wrap(
                row_text(row, label),
                width=width,
                initial_indent=head,
                subsequent_indent=" " * len(head),
            )
    topics = _week_topics(rows)
    noted = [(t, topic_notes(t)) for t in topics if topic_notes(t)]
    if noted:
        out += ["", "This week's topics:"]
        for topic, lines in noted:
            out += textwrap.wrap(topic.title, width=width, initial_indent="  ")
            for line in lines:
                out += textwrap.wrap(
                    line, width=width, initial_indent="    ", subsequent_indent="      "
                )
    if standings or notes:
        out.append("")
        for followed, st in standings:
            out += textwrap.wrap(standing_line(followed, st), width=width, subsequent_indent="  ")
        for note in notes:
            out += textwrap.wrap(note, width=width, subsequent_indent="  ")
    return "\n".join(out) + "\n"


def _week_topics(rows: Sequence[tuple[date, list[Row]]]) -> list[Topic]:
    seen: dict[tuple[str, str], Topic] = {}
    for _, day_rows in rows:
        for row in day_rows:
            if row.topic is not None:
                seen.setdefault((row.plan_id, row.topic.id), row.topic)
    return list(seen.values())
