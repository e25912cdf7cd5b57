"""All SQL about progress: what each study day held, spent freezes, answers for statistics."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from studyplan.store.db import is_read_only, transaction

if TYPE_CHECKING:
    from studyplan.core.stats import AnswerRow
    from studyplan.core.streaks import DayRecord

# Days this close to today are always counted again from the log: an undo in a
# session that ran past the rollover, or a second window, can still change them.
_OPEN_DAYS = 2

_DAY_COUNTS = """
    SELECT study_day, COUNT(*), SUM(is_drill = 0),
           SUM(is_drill = 0 AND before_due IS NOT NULL AND before_due <= study_day)
    FROM review WHERE study_day > ? GROUP BY study_day
"""


@dataclass(frozen=True, slots=True)
class DayActivity:
    """One stored study day: the streak's record and every answer given (drills too)."""

    record: DayRecord
    answers: int


class ProgressRepository:
    """Reads the review and plan logs per study day; keeps the small tables streaks need."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        # Opened read-only (a full or read-only disk): the caches below are not written,
        # only read; every figure comes out the same, a little slower.
        self.writable = not is_read_only(conn)

    def due_count(self, today: date) -> int:
        """Active cards due on or before ``today``."""
        row = self.conn.execute(
            "SELECT COUNT(*) FROM card WHERE active = 1 AND due IS NOT NULL AND due <= ?",
            (today.isoformat(),),
        ).fetchone()
        return row[0]

    def note_due(self, today: date, due: int, moment: datetime) -> None:
        """Remember how many cards were due when ``today`` was first seen (later calls keep it)."""
        exists = self.conn.execute(
            "SELECT 1 FROM day_due WHERE study_day = ?", (today.isoformat(),)
        ).fetchone()
        if exists is None and self.writable:
            with transaction(self.conn):
                self.conn.execute(
                    "INSERT OR IGNORE INTO day_due (study_day, due, noted_at) VALUES (?, ?, ?)",
                    (today.isoformat(), due, moment.isoformat()),
                )

    def activity(self, today: date) -> list[DayActivity]:
        """Every study day with an answer, a plan block or a noted due count, oldest first.

        Closed days come from ``day_total``; the log is scanned only after the
        newest of them, and days that have since closed are added to it. A day
        from before due counts were noted is taken as having had only the due
        cards that were answered on it.
        """
        closed_until = today - timedelta(days=_OPEN_DAYS)
        cached = {
            date.fromisoformat(day): (answers, reviews, due_reviewed)
            for day, answers, reviews, due_reviewed in self.conn.execute(
                "SELECT study_day, answers, reviews, due_reviewed FROM day_total"
            )
        }
        newest = max((d for d in cached if d < closed_until), default=date.min)
        fresh = {
            date.fromisoformat(day): (answers, reviews, due_reviewed)
            for day, answers, reviews, due_reviewed in self.conn.execute(
                _DAY_COUNTS, (newest.isoformat() if newest != date.min else "",)
            )
        }
        closing = [
            (day.isoformat(), *counts)
            for day, counts in fresh.items()
            if day < closed_until and day not in cached
        ]
        if closing and self.writable:
            with transaction(self.conn):
                self.conn.executemany(
                    "INSERT OR REPLACE INTO day_total (study_day, answers, reviews, due_reviewed) "
                    "VALUES (?, ?, ?, ?)",
                    closing,
                )
        counts = {day: c for day, c in cached.items() if day < closed_until} | fresh
        due = {
            date.fromisoformat(day): n
            for day, n in self.conn.execute("SELECT study_day, due FROM day_due")
        }
        blocks = {
            date.fromisoformat(day): n
            for day, n in self.conn.execute(
                "SELECT study_day, COUNT(*) FROM study_block GROUP BY study_day"
            )
        }
        from studyplan.core.streaks import DayRecord  # not for a start's plan check

        out = []
        for day in sorted(counts.keys() | due.keys() | blocks.keys()):
            answers, reviews, due_reviewed = counts.get(day, (0, 0, 0))
            record = DayRecord(
                day,
                reviews=reviews,
                due=due.get(day, due_reviewed),
                due_reviewed=due_reviewed,
                blocks_done=blocks.get(day, 0),
            )
            out.append(DayActivity(record, answers))
        return out

    def uncounted_answers(self, today: date, at_most: int) -> int:
        """Answers on closed days not yet in the day-totals cache, counted up to ``at_most``
        (a bounded walk of the study-day index: cheap even when millions are uncounted)."""
        closed_until = today - timedelta(days=_OPEN_DAYS)
        newest = self.conn.execute(
            "SELECT MAX(study_day) FROM day_total WHERE study_day < ?", (closed_until.isoformat(),)
        ).fetchone()[0]
        row = self.conn.execute(
            "SELECT COUNT(*) FROM (SELECT 1 FROM review WHERE study_day > ? AND study_day < ? "
            "LIMIT ?)",
            (newest or "", closed_until.isoformat(), at_most),
        ).fetchone()
        return row[0]

    def weekly_minutes(self) -> list[tuple[int, ...]]:
        """Minutes per weekday, Monday first, of each plan followed."""
        return [
            tuple(int(m) for m in text.split(","))
            for (text,) in self.conn.execute(
                "SELECT weekly_minutes FROM enrolment WHERE active = 1 ORDER BY id"
            )
        ]

    def freezes(self) -> frozenset[date]:
        """Study days bridged by a spent freeze."""
        return frozenset(
            date.fromisoformat(day)
            for (day,) in self.conn.execute("SELECT study_day FROM streak_freeze")
        )

    def spend_freezes(self, days: frozenset[date], moment: datetime) -> None:
        """Persist freezes spent on ``days``."""
        if days and self.writable:
            with transaction(self.conn):
                self.conn.executemany(
                    "INSERT OR IGNORE INTO streak_freeze (study_day, spent_at) VALUES (?, ?)",
                    [(day.isoformat(), moment.isoformat()) for day in sorted(days)],
                )

    def answers_since(self, first: date) -> list[AnswerRow]:
        """(study day, deck name, grade, is_drill) for every answer from ``first`` on."""
        return [
            (date.fromisoformat(day), deck, grade, bool(drill))
            for day, deck, grade, drill in self.conn.execute(
                "SELECT review.study_day, deck.name, review.grade, review.is_drill "
                "FROM review JOIN card ON card.id = review.card_id "
                "JOIN deck ON deck.id = card.deck_id WHERE review.study_day >= ?",
                (first.isoformat(),),
            )
        ]

    def newest_answer(self) -> tuple[datetime, date] | None:
        """The latest moment and the latest study day of any answer, if there is one.

        Not the last row inserted: an answer given while the clock was set back is
        inserted last but is not the newest.
        """
        moment = self.conn.execute(
            "SELECT answered_at FROM review ORDER BY julianday(answered_at) DESC LIMIT 1"
        ).fetchone()
        if moment is None:
            return None
        (day,) = self.conn.execute("SELECT MAX(study_day) FROM review").fetchone()
        return datetime.fromisoformat(moment[0]), date.fromisoformat(day)
