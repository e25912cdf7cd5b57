"""One week of a study plan as terminal text, shareable markdown, or calendar events."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from studyplan.core.plans import Plan
from studyplan.core.schedule import DayPlan, Standing, WeekPlan


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


def _day_lines(day: DayPlan, several: bool) -> list[tuple[str, str, int | None]]:
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
        for plan, what, minutes in _day_lines(day, len(standings) > 1):
            head = f"  {minutes:>4} min  " if minutes is not None else "            "
            label = f"{plan}: " if plan else ""
            out += textwrap.wrap(
                label + what, width=width, initial_indent=head, subsequent_indent=" " * len(head)
            )
    if standings:
        out.append("")
        for plan, st in standings:
            out += textwrap.wrap(standing_line(plan, st), width=width, subsequent_indent="  ")
    return "\n".join(out) + "\n"


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
        for n, (plan, what, minutes) in enumerate(_day_lines(day, len(standings) > 1)):
            label = (
                f"{day.day:%a %d %b}" + (" (today)" if day.day == today else "") if n == 0 else ""
            )
            cells = [label, plan, what, "" if minutes is None else str(minutes)]
            out.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    if standings:
        out.append("")
        out += [f"- {standing_line(plan, st)}" for plan, st in standings]
    return "\n".join(out) + "\n"


def week_ics(
    week: WeekPlan, plans: Mapping[str, Plan], zone: ZoneInfo, start: time = time(18, 0)
) -> bytes:
    """The week's blocks as RFC 5545 events laid end to end from ``start`` each day.

    UIDs are made from plan, topic, day and the block's place that day, and
    DTSTAMP from the week, so exporting the same week again gives the same
    bytes and a calendar updates its events instead of duplicating them.
    """
    from icalendar import Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", "-//studyplan//EN")
    calendar.add("version", "2.0")
    stamp = datetime.combine(week.monday, time(0, 0), tzinfo=ZoneInfo("UTC"))
    for day in week.days:
        moment = datetime.combine(day.day, start, tzinfo=zone)
        items: list[tuple[str, str, str, int]] = []
        if day.review:
            items.append(
                (f"review.{day.day.isoformat()}", "Flashcard review", "Cards due today", day.review)
            )
        seen: dict[str, int] = {}
        for block in day.blocks:
            key = f"{block.plan_id}.{block.topic.id}.{day.day.isoformat()}"
            index = seen[key] = seen.get(key, -1) + 1
            plan = plans[block.plan_id]
            tags = ", ".join(block.topic.tags) or "none"
            items.append(
                (
                    f"{key}.{index}",
                    f"{block.topic.title} ({short_title(plan.title)})",
                    f"{block.minutes} min of {block.topic.title}. Tags: {tags}.",
                    block.minutes,
                )
            )
        for uid, summary, description, minutes in items:
            event = Event()
            event.add("uid", f"{uid}@studyplan")
            event.add("dtstamp", stamp)
            event.add("dtstart", moment)
            moment = moment + timedelta(minutes=minutes)
            event.add("dtend", moment)
            event.add("summary", summary)
            event.add("description", description)
            calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
