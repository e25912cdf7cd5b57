"""A week of a study plan as iCalendar (RFC 5545) events."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from studyplan.core.plan.describe import short_title
from studyplan.core.plan.parse import Plan
from studyplan.core.plan.schedule import WeekPlan


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
