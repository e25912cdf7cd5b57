"""A study plan as iCalendar (RFC 5545) events: one week, or every week that is left.

Each block is named by its plan, its topic and the minutes of that topic
recorded or planned before it (``three-month.py-essentials.60@studyplan``),
so the name survives a re-export even when the block moves to another day:
the calendar then updates the event instead of adding a second one.
Flashcard review is one event per day, time off one all-day event per range.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from studyplan.core.plan.describe import short_title
from studyplan.core.plan.notes import plain_links
from studyplan.core.plan.parse import Plan
from studyplan.core.plan.schedule import Block, DayPlan, WeekPlan
from studyplan.core.plan.timeoff import TimeOff

UTC = ZoneInfo("UTC")


@dataclass(frozen=True, slots=True)
class EventFields:
    """What an event says and when, in the learner's zone; ``all_day`` events use dates."""

    uid: str
    day: date
    summary: str
    description: str
    start: datetime | date
    end: datetime | date
    all_day: bool = False

    def body(self) -> str:
        """The fields as JSON, to store and compare with the next export."""
        return json.dumps(
            {
                "summary": self.summary,
                "description": self.description,
                "start": _iso(self.start),
                "end": _iso(self.end),
                "all_day": self.all_day,
                "zone": self.start.tzinfo.key
                if isinstance(self.start, datetime) and isinstance(self.start.tzinfo, ZoneInfo)
                else "",
            },
            sort_keys=True,
            ensure_ascii=False,
        )

    @staticmethod
    def from_body(uid: str, day: date, body: str) -> EventFields:
        """An event read back from ``body``."""
        data = json.loads(body)
        zone = ZoneInfo(data["zone"]) if data.get("zone") else None

        def when(text: str) -> datetime | date:
            if data["all_day"]:
                return date.fromisoformat(text)
            return datetime.fromisoformat(text).replace(tzinfo=zone)

        return EventFields(
            uid,
            day,
            data["summary"],
            data["description"],
            when(data["start"]),
            when(data["end"]),
            data["all_day"],
        )


@dataclass(frozen=True, slots=True)
class IcsEvent:
    """An event to write, with its revision: SEQUENCE, DTSTAMP and whether it is cancelled."""

    fields: EventFields
    sequence: int = 0
    stamp: datetime = datetime(2000, 1, 1, tzinfo=UTC)
    cancelled: bool = False


def _iso(value: datetime | date) -> str:
    if isinstance(value, datetime):
        return value.replace(tzinfo=None).isoformat()
    return value.isoformat()


def block_uid(block: Block) -> str:
    """The block's stable name (see the module's docstring)."""
    return f"{block.plan_id}.{block.topic.id}.{block.offset}@studyplan"


def block_description(block: Block, plan: Plan) -> str:
    """What the event says about a block: minutes, plan, deliverables, resources, tags."""
    topic = block.topic
    lines = [f"{block.minutes} min of {topic.title} ({plan.title})."]
    lines += [f"Deliverable: {plain_links(d)}" for d in topic.deliverables]
    lines += [f"Resource: {plain_links(r)}" for r in topic.resources]
    if topic.tags:
        lines.append(f"Flashcard tags: {', '.join(topic.tags)}")
    return "\n".join(lines)


def day_events(
    day: DayPlan, plans: Mapping[str, Plan], zone: ZoneInfo, start: time
) -> list[EventFields]:
    """One day's review and blocks, laid end to end from ``start``."""
    moment = datetime.combine(day.day, start, tzinfo=zone)
    out = []
    items: list[tuple[str, str, str, int]] = []
    if day.review:
        items.append(
            (
                f"review.{day.day.isoformat()}@studyplan",
                "Flashcard review",
                "Cards due today, and today's new cards.",
                day.review,
            )
        )
    for block in day.blocks:
        plan = plans[block.plan_id]
        items.append(
            (
                block_uid(block),
                f"{block.topic.title} ({short_title(plan.title)})",
                block_description(block, plan),
                block.minutes,
            )
        )
    for uid, summary, description, minutes in items:
        end = moment + timedelta(minutes=minutes)
        out.append(EventFields(uid, day.day, summary, description, moment, end))
        moment = end
    return out


def time_off_event(time_off: TimeOff) -> EventFields:
    """A range of time off as one all-day event (DTEND is the day after, as RFC 5545 says)."""
    return EventFields(
        f"off.{time_off.id}@studyplan",
        time_off.first,
        "Time off" + (f": {time_off.note}" if time_off.note else ""),
        "No study planned; the plan carries the work forward.",
        time_off.first,
        time_off.last + timedelta(days=1),
        all_day=True,
    )


def plan_events(
    days: Iterable[DayPlan],
    plans: Mapping[str, Plan],
    zone: ZoneInfo,
    start: time,
    time_off: Sequence[TimeOff] = (),
) -> dict[str, EventFields]:
    """Every event of ``days`` and of the time off, by UID."""
    out: dict[str, EventFields] = {}
    for day in days:
        for event in day_events(day, plans, zone, start):
            out[event.uid] = event
    for range_off in time_off:
        event = time_off_event(range_off)
        out[event.uid] = event
    return out


def events_ics(events: Iterable[IcsEvent]) -> bytes:
    """A calendar file holding ``events`` (cancelled ones with STATUS:CANCELLED)."""
    from icalendar import Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", "-//studyplan//EN")
    calendar.add("version", "2.0")
    for item in sorted(
        events,
        key=lambda e: (e.fields.day, not e.fields.all_day, _iso(e.fields.start), e.fields.uid),
    ):
        f = item.fields
        event = Event()
        event.add("uid", f.uid)
        event.add("dtstamp", item.stamp.astimezone(UTC))
        event.add("dtstart", f.start)
        event.add("dtend", f.end)
        event.add("summary", f.summary)
        event.add("description", f.description)
        event.add("sequence", item.sequence)
        if f.all_day:
            event.add("transp", "TRANSPARENT")
        if item.cancelled:
            event.add("status", "CANCELLED")
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()


def week_ics(
    week: WeekPlan, plans: Mapping[str, Plan], zone: ZoneInfo, start: time = time(18, 0)
) -> bytes:
    """The week's review and blocks as events laid end to end from ``start`` each day.

    DTSTAMP comes from the week, so exporting the same week again gives the
    same bytes. For every remaining week, with updates and cancellations of
    events exported before, see ``studyplan.plan_calendar``.
    """
    stamp = datetime.combine(week.monday, time(0, 0), tzinfo=UTC)
    return events_ics(
        IcsEvent(fields, 0, stamp) for fields in plan_events(week.days, plans, zone, start).values()
    )
