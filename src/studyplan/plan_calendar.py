"""The whole plan in a calendar: every remaining week, updated and cancelled as RFC 5545 intends.

Each export compares its events with those exported before (stored in the
database): an unchanged event is written as it was; a changed one (moved,
resized) gets the next SEQUENCE; one that is no longer planned from today on
is written with STATUS:CANCELLED. Events of past days stay as they were, so a
calendar that subscribes to the file keeps the history.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING

from studyplan.core.errors import SourceError
from studyplan.core.plan.schedule import week_start
from studyplan.files import write_file
from studyplan.interop.ical import EventFields, IcsEvent, events_ics, plan_events
from studyplan.store.calendar_repo import CalendarRepository, ExportedEvent

if TYPE_CHECKING:
    from studyplan.planning import Planner

DEFAULT_AT = time(18, 0)
"""When study starts each day in the calendar, unless the learner says otherwise."""


@dataclass(frozen=True, slots=True)
class CalendarReport:
    """What an export wrote."""

    path: Path
    events: int
    changed: int
    """New or updated events (their SEQUENCE went up, or they are new)."""
    cancelled: int
    """Events cancelled by this export."""
    weeks: int


class PlanCalendar:
    """Writes the plan's calendar files."""

    def __init__(self, planner: Planner) -> None:
        self.planner = planner

    def export(self, path: Path, at: time = DEFAULT_AT) -> CalendarReport:
        """Write every remaining week, with the time off, to ``path`` (``SourceError`` on failure)."""
        planner = self.planner
        sp = planner.studyplan
        inputs = planner.inputs()
        today = inputs.today
        monday = week_start(today)
        days = planner.run(inputs, record_from=monday).days if inputs.courses else []
        wanted = plan_events(days, planner.plans, sp.zone, at, inputs.off)
        repo = CalendarRepository(sp.conn)
        stored = repo.events()
        now = sp.clock()
        out: list[IcsEvent] = []
        changed: list[ExportedEvent] = []
        cancelled = 0
        for uid, fields in wanted.items():
            body = fields.body()
            print_ = _fingerprint(body)
            old = stored.get(uid)
            if old is not None and old.fingerprint == print_ and not old.cancelled:
                out.append(IcsEvent(fields, old.sequence, datetime.fromisoformat(old.stamp)))
                continue
            sequence = old.sequence + 1 if old is not None else 0
            out.append(IcsEvent(fields, sequence, now))
            changed.append(
                ExportedEvent(
                    uid, fields.day.isoformat(), sequence, print_, body, False, now.isoformat()
                )
            )
        for uid, old in stored.items():
            if uid in wanted:
                continue
            fields = EventFields.from_body(uid, date.fromisoformat(old.day), old.body)
            history = not uid.startswith("off.") and fields.day <= today
            if old.cancelled or history:
                out.append(
                    IcsEvent(fields, old.sequence, datetime.fromisoformat(old.stamp), old.cancelled)
                )
                continue
            cancelled += 1
            out.append(IcsEvent(fields, old.sequence + 1, now, cancelled=True))
            changed.append(
                ExportedEvent(
                    uid, old.day, old.sequence + 1, old.fingerprint, old.body, True, now.isoformat()
                )
            )
        write_file(path, events_ics(out))
        repo.save(changed)
        weeks = len({week_start(d.day) for d in days})
        live = sum(1 for e in out if not e.cancelled)
        return CalendarReport(path, live, len(changed) - cancelled, cancelled, weeks)

    def refresh_file(self) -> str | None:
        """Rewrite the file named by the ``calendar_file`` setting; a sentence if that fails."""
        name = self.planner.studyplan.settings.calendar_file
        if not name:
            return None
        try:
            self.export(Path(name).expanduser())
        except SourceError as err:
            return f"The calendar file was not updated: {err}"
        return None


def _fingerprint(body: str) -> str:
    return hashlib.sha256(body.encode("utf-8")).hexdigest()[:32]
