"""All SQL about calendar events already exported, so a new export can update or cancel them."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass

from studyplan.store.db import transaction


@dataclass(frozen=True, slots=True)
class ExportedEvent:
    """An event as last written to a calendar file."""

    uid: str
    day: str
    sequence: int
    fingerprint: str
    body: str
    """The event's fields as JSON (see ``interop.ical``)."""
    cancelled: bool
    stamp: str


class CalendarRepository:
    """The ``calendar_event`` table."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def events(self) -> dict[str, ExportedEvent]:
        """Every event exported so far, by UID."""
        return {
            row[0]: ExportedEvent(row[0], row[1], row[2], row[3], row[4], bool(row[5]), row[6])
            for row in self.conn.execute(
                "SELECT uid, day, sequence, fingerprint, body, cancelled, stamp FROM calendar_event"
            )
        }

    def save(self, events: Iterable[ExportedEvent]) -> None:
        """Store new and changed events, in one transaction."""
        rows = [
            (e.uid, e.day, e.sequence, e.fingerprint, e.body, int(e.cancelled), e.stamp)
            for e in events
        ]
        if not rows:
            return
        with transaction(self.conn):
            self.conn.executemany(
                "INSERT INTO calendar_event (uid, day, sequence, fingerprint, body, cancelled, stamp) "
                "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (uid) DO UPDATE SET day = excluded.day, "
                "sequence = excluded.sequence, fingerprint = excluded.fingerprint, "
                "body = excluded.body, cancelled = excluded.cancelled, stamp = excluded.stamp",
                rows,
            )
