"""All SQL about study plans: enrolments, finished blocks and topics, the due forecast."""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from studyplan.core.plan.schedule import Enrolment, Progress
from studyplan.store.db import transaction


@dataclass(frozen=True, slots=True)
class BlockRecord:
    """A stored finished block, enough to show and undo it."""

    id: int
    plan_id: str
    topic_id: str
    minutes: int
    study_day: date


class PlanRepository:
    """The one place that reads and writes plan progress."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def enrol(self, enrolment: Enrolment, moment: datetime) -> None:
        """Store (or replace) the enrolment in ``enrolment.plan_id``; progress is kept."""
        with transaction(self.conn):
            self.conn.execute(
                """
                INSERT INTO enrolment (plan_id, start, starting_point, weekly_minutes, share, enrolled_at, active)
                VALUES (?, ?, ?, ?, ?, ?, 1)
                ON CONFLICT (plan_id) DO UPDATE SET start = excluded.start,
                    starting_point = excluded.starting_point, weekly_minutes = excluded.weekly_minutes,
                    share = excluded.share, active = 1
                """,
                (
                    enrolment.plan_id,
                    enrolment.start.isoformat(),
                    enrolment.starting_point,
                    ",".join(map(str, enrolment.weekly_minutes)),
                    enrolment.share,
                    moment.isoformat(),
                ),
            )

    def leave(self, plan_id: str) -> None:
        """Stop following a plan; its progress stays stored."""
        with transaction(self.conn):
            self.conn.execute("UPDATE enrolment SET active = 0 WHERE plan_id = ?", (plan_id,))

    def enrolments(self) -> list[Enrolment]:
        """The plans the learner follows, oldest enrolment first."""
        rows = self.conn.execute(
            "SELECT plan_id, start, starting_point, weekly_minutes, share FROM enrolment "
            "WHERE active = 1 ORDER BY id"
        ).fetchall()
        return [
            Enrolment(
                plan_id=plan_id,
                start=date.fromisoformat(start),
                starting_point=point,
                weekly_minutes=tuple(int(m) for m in minutes.split(",")),
                share=share,
            )
            for plan_id, start, point, minutes, share in rows
        ]

    def progress(self, plan_id: str, today: date) -> Progress:
        """Minutes studied per topic, topics marked done, and minutes studied today."""
        minutes: dict[str, int] = defaultdict(int)
        studied_today = 0
        for topic_id, spent, day in self.conn.execute(
            "SELECT topic_id, minutes, study_day FROM study_block WHERE plan_id = ?", (plan_id,)
        ):
            minutes[topic_id] += spent
            if day == today.isoformat():
                studied_today += spent
        done = frozenset(
            row[0]
            for row in self.conn.execute(
                "SELECT topic_id FROM topic_done WHERE plan_id = ?", (plan_id,)
            )
        )
        return Progress(minutes=dict(minutes), done=done, studied_today=studied_today)

    def record_block(
        self, plan_id: str, topic_id: str, minutes: int, today: date, moment: datetime, zone: str
    ) -> BlockRecord:
        """Store ``minutes`` of study of one topic on study day ``today``."""
        with transaction(self.conn):
            cursor = self.conn.execute(
                "INSERT INTO study_block (plan_id, topic_id, minutes, study_day, recorded_at, zone) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (plan_id, topic_id, minutes, today.isoformat(), moment.isoformat(), zone),
            )
        return BlockRecord(cursor.lastrowid or 0, plan_id, topic_id, minutes, today)

    def undo_block(self, record: BlockRecord) -> None:
        """Remove a stored block."""
        with transaction(self.conn):
            self.conn.execute("DELETE FROM study_block WHERE id = ?", (record.id,))

    def set_topic_done(
        self, plan_id: str, topic_id: str, done: bool, today: date, moment: datetime
    ) -> None:
        """Mark a topic finished (or not)."""
        with transaction(self.conn):
            if done:
                self.conn.execute(
                    "INSERT OR IGNORE INTO topic_done (plan_id, topic_id, study_day, recorded_at) VALUES (?, ?, ?, ?)",
                    (plan_id, topic_id, today.isoformat(), moment.isoformat()),
                )
            else:
                self.conn.execute(
                    "DELETE FROM topic_done WHERE plan_id = ? AND topic_id = ?", (plan_id, topic_id)
                )

    def blocks_on(self, day: date) -> list[BlockRecord]:
        """Blocks recorded on one study day, in the order they were recorded."""
        return [
            BlockRecord(row[0], row[1], row[2], row[3], date.fromisoformat(row[4]))
            for row in self.conn.execute(
                "SELECT id, plan_id, topic_id, minutes, study_day FROM study_block WHERE study_day = ? ORDER BY id",
                (day.isoformat(),),
            )
        ]

    def due_forecast(self, today: date, days: int) -> dict[date, int]:
        """Cards due on each of the next ``days`` days; overdue cards count on ``today``."""
        end = today + timedelta(days=days - 1)
        forecast = {today + timedelta(days=n): 0 for n in range(days)}
        rows = self.conn.execute(
            "SELECT MAX(due, ?), COUNT(*) FROM card WHERE active = 1 AND due IS NOT NULL AND due <= ? GROUP BY 1",
            (today.isoformat(), end.isoformat()),
        )
        for day, count in rows:
            forecast[date.fromisoformat(day)] = count
        return forecast

    def seconds_per_card(self, answers: int = 200) -> float | None:
        """Median seconds per scheduling answer over the last ``answers`` answers; None without history."""
        rows = self.conn.execute(
            "SELECT took_ms FROM review WHERE is_drill = 0 AND took_ms > 0 ORDER BY id DESC LIMIT ?",
            (answers,),
        ).fetchall()
        if len(rows) < 10:
            return None
        times = sorted(min(row[0], 120_000) for row in rows)
        return times[len(times) // 2] / 1000
