"""All SQL about time off: the ranges, and the reviews spread over the first days back."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime, timedelta

from studyplan.core.plan.timeoff import TimeOff
from studyplan.store.db import transaction

# Sets the active scheduler's own due day to the value bound twice, the other's unchanged.
_OWN_DUE = (
    "sm2_due = CASE (SELECT active FROM scheduler_state) WHEN 'sm2' THEN ? ELSE sm2_due END, "
    "fsrs_due = CASE (SELECT active FROM scheduler_state) WHEN 'fsrs' THEN ? ELSE fsrs_due END"
)


class TimeOffRepository:
    """Ranges of days off, and cards moved to spread the reviews that wait on return."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def ranges(self) -> list[TimeOff]:
        """Every range, earliest first."""
        return [
            TimeOff(date.fromisoformat(first), date.fromisoformat(last), note, row_id)
            for row_id, first, last, note in self.conn.execute(
                "SELECT id, first_day, last_day, note FROM time_off ORDER BY first_day, id"
            )
        ]

    def add(self, time_off: TimeOff, moment: datetime) -> TimeOff:
        """Store a checked range (see ``core.plan.timeoff.new_time_off``)."""
        with transaction(self.conn):
            cursor = self.conn.execute(
                "INSERT INTO time_off (first_day, last_day, note, added_at) VALUES (?, ?, ?, ?)",
                (
                    time_off.first.isoformat(),
                    time_off.last.isoformat(),
                    time_off.note,
                    moment.isoformat(),
                ),
            )
        return TimeOff(time_off.first, time_off.last, time_off.note, cursor.lastrowid)

    def remove(self, time_off: TimeOff) -> None:
        """Remove a stored range."""
        with transaction(self.conn):
            self.conn.execute("DELETE FROM time_off WHERE id = ?", (time_off.id,))
            self.conn.execute(
                "UPDATE sync_event SET local_id = NULL, undone = 1 WHERE kind = 'off' AND local_id = ?",
                (time_off.id,),
            )

    def spread(self, back: date, days: int) -> tuple[int, int]:
        """Spread the cards due on or before ``back`` over ``days`` days from ``back``.

        The most overdue come first; no card is moved earlier. Returns (batch,
        cards moved); the batch can be undone with ``unspread``.
        """
        cards = self.conn.execute(
            "SELECT id, due FROM card WHERE active = 1 AND due IS NOT NULL AND due <= ? "
            "ORDER BY due, id",
            (back.isoformat(),),
        ).fetchall()
        batch = (
            self.conn.execute("SELECT COALESCE(MAX(batch), 0) FROM review_spread").fetchone()[0] + 1
        )
        moved = []
        for k, (card_id, due) in enumerate(cards):
            new_due = (back + timedelta(days=k * days // len(cards))).isoformat()
            if new_due != due:
                moved.append((batch, card_id, due, new_due))
        with transaction(self.conn):
            self.conn.executemany(
                "INSERT INTO review_spread (batch, card_id, old_due, new_due) VALUES (?, ?, ?, ?)",
                moved,
            )
            # The active scheduler's own due day moves with the queue's, so the spread
            # outlives a later switch of scheduler and back.
            self.conn.executemany(
                f"UPDATE card SET due = ?, {_OWN_DUE} WHERE id = ?",
                [(new, new, new, card) for _, card, _, new in moved],
            )
        return batch, len(moved)

    def last_spread(self) -> int | None:
        """The newest batch of spread cards, if any."""
        return self.conn.execute("SELECT MAX(batch) FROM review_spread").fetchone()[0]

    def unspread(self, batch: int) -> int:
        """Put back the due dates of one batch (cards answered since keep their new state)."""
        with transaction(self.conn):
            cursor = self.conn.execute(
                f"UPDATE card SET due = s.old_due, {_OWN_DUE.replace('?', 's.old_due')} "
                "FROM review_spread AS s WHERE s.card_id = card.id AND s.batch = ? "
                "AND card.due = s.new_due",
                (batch,),
            )
            self.conn.execute("DELETE FROM review_spread WHERE batch = ?", (batch,))
        return cursor.rowcount
