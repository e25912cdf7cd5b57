"""All SQL about following study plans: enrolments, time recorded, choices, the timer."""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from studyplan.core.plan.dates import in_range
from studyplan.core.plan.schedule import Enrolment, Progress
from studyplan.core.plan.timer import Timer
from studyplan.store.db import transaction

BLOCK_KINDS = ("block", "timer", "log")
"""How minutes were recorded: a block done as planned, a study timer, or logged afterwards."""


@dataclass(frozen=True, slots=True)
class BlockRecord:
    """A stored stretch of study, enough to show and undo it."""

    id: int
    plan_id: str
    topic_id: str
    minutes: int
    study_day: date
    kind: str = "block"


@dataclass(frozen=True, slots=True)
class Unusable:
    """A stored enrolment that cannot be followed as it is (an older version stored it)."""

    plan_id: str
    reason: str


@dataclass(frozen=True, slots=True)
class Change:
    """A stored choice about a plan's pace, with what it replaced."""

    id: int
    plan_id: str
    kind: str
    made_at: datetime
    before: dict[str, Any]
    after: dict[str, Any]


class PlanRepository:
    """The one place that reads and writes plan progress."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    # -- enrolments ------------------------------------------------------------

    def enrol(self, enrolment: Enrolment, moment: datetime) -> None:
        """Store (or replace) the enrolment in ``enrolment.plan_id``; progress is kept."""
        with transaction(self.conn):
            self.conn.execute(
                """
                INSERT INTO enrolment (plan_id, start, starting_point, weekly_minutes, share,
                                       enrolled_at, active, target_days, use_pace)
                VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?)
                ON CONFLICT (plan_id) DO UPDATE SET start = excluded.start,
                    starting_point = excluded.starting_point, weekly_minutes = excluded.weekly_minutes,
                    share = excluded.share, active = 1, target_days = excluded.target_days,
                    use_pace = excluded.use_pace
                """,
                (
                    enrolment.plan_id,
                    enrolment.start.isoformat(),
                    enrolment.starting_point,
                    _week_text(enrolment.weekly_minutes),
                    enrolment.share,
                    moment.isoformat(),
                    enrolment.target_days,
                    int(enrolment.use_pace),
                ),
            )

    def leave(self, plan_id: str) -> bool:
        """Stop following a plan; its progress stays stored. False when it was not followed."""
        with transaction(self.conn):
            cursor = self.conn.execute(
                "UPDATE enrolment SET active = 0 WHERE plan_id = ? AND active = 1", (plan_id,)
            )
        return cursor.rowcount > 0

    def followed(self) -> list[str]:
        """Ids of every plan followed, usable or not, oldest enrolment first."""
        return [
            row[0]
            for row in self.conn.execute(
                "SELECT plan_id FROM enrolment WHERE active = 1 ORDER BY id"
            )
        ]

    def enrolments(self) -> list[Enrolment]:
        """The plans the learner follows, oldest enrolment first (unusable ones left out)."""
        return self.checked_enrolments()[0]

    def checked_enrolments(self) -> tuple[list[Enrolment], list[Unusable]]:
        """The usable enrolments, and the stored ones that cannot be used, with why.

        An older version could store a start such as 9999-12-31; such a row is
        reported (and can be left), never turned into dates that overflow.
        """
        good: list[Enrolment] = []
        bad: list[Unusable] = []
        rows = self.conn.execute(
            "SELECT plan_id, start, starting_point, weekly_minutes, share, target_days, use_pace "
            "FROM enrolment WHERE active = 1 ORDER BY id"
        ).fetchall()
        for plan_id, start, point, minutes, share, target, use_pace in rows:
            try:
                day = date.fromisoformat(start)
                if not in_range(day):
                    raise ValueError(f"its start {start} is out of range")
                good.append(
                    Enrolment(
                        plan_id=plan_id,
                        start=day,
                        starting_point=point,
                        weekly_minutes=tuple(int(m) for m in minutes.split(",")),
                        share=share,
                        target_days=target,
                        use_pace=bool(use_pace),
                    )
                )
            except (TypeError, ValueError) as err:
                bad.append(Unusable(plan_id, str(err)))
        return good, bad

    def set_pace(
        self,
        plan_id: str,
        weekly_minutes: tuple[int, ...],
        target_days: int | None,
        use_pace: bool,
        change: tuple[str, dict[str, Any], dict[str, Any]] | None,
        moment: datetime,
    ) -> None:
        """Set an enrolment's minutes, target and pace use; with ``change`` (kind, before,
        after), record the choice in the same transaction so it can be undone."""
        with transaction(self.conn):
            self.conn.execute(
                "UPDATE enrolment SET weekly_minutes = ?, target_days = ?, use_pace = ? "
                "WHERE plan_id = ? AND active = 1",
                (_week_text(weekly_minutes), target_days, int(use_pace), plan_id),
            )
            if change is not None:
                kind, before, after = change
                self.conn.execute(
                    "INSERT INTO plan_change (plan_id, kind, made_at, before, after) "
                    "VALUES (?, ?, ?, ?, ?)",
                    (plan_id, kind, moment.isoformat(), json.dumps(before), json.dumps(after)),
                )

    def last_change(self, plan_id: str | None = None) -> Change | None:
        """The newest choice not undone (of one plan, or of any)."""
        where, args = ("AND plan_id = ?", (plan_id,)) if plan_id else ("", ())
        row = self.conn.execute(
            "SELECT id, plan_id, kind, made_at, before, after FROM plan_change "
            f"WHERE undone_at IS NULL {where} ORDER BY id DESC LIMIT 1",
            args,
        ).fetchone()
        if row is None:
            return None
        return Change(
            row[0],
            row[1],
            row[2],
            datetime.fromisoformat(row[3]),
            json.loads(row[4]),
            json.loads(row[5]),
        )

    def undo_change(self, change: Change, moment: datetime) -> None:
        """Put the enrolment back as it was before ``change`` and mark the change undone."""
        before = change.before
        with transaction(self.conn):
            self.conn.execute(
                "UPDATE enrolment SET weekly_minutes = ?, target_days = ?, use_pace = ? "
                "WHERE plan_id = ?",
                (
                    _week_text(tuple(before["weekly_minutes"])),
                    before["target_days"],
                    int(before["use_pace"]),
                    change.plan_id,
                ),
            )
            self.conn.execute(
                "UPDATE plan_change SET undone_at = ? WHERE id = ?", (moment.isoformat(), change.id)
            )

    # -- time recorded ---------------------------------------------------------

    def progress(self, plan_id: str, today: date) -> Progress:
        """Minutes recorded per topic, topics marked done, minutes today, topics timed."""
        minutes: dict[str, int] = defaultdict(int)
        logged: set[str] = set()
        studied_today = 0
        for topic_id, spent, day, kind in self.conn.execute(
            "SELECT topic_id, minutes, study_day, kind FROM study_block WHERE plan_id = ?",
            (plan_id,),
        ):
            minutes[topic_id] += spent
            if kind != "block":
                logged.add(topic_id)
            if day == today.isoformat():
                studied_today += spent
        done = frozenset(
            row[0]
            for row in self.conn.execute(
                "SELECT topic_id FROM topic_done WHERE plan_id = ?", (plan_id,)
            )
        )
        return Progress(
            minutes=dict(minutes), done=done, studied_today=studied_today, logged=frozenset(logged)
        )

    def record_block(
        self,
        plan_id: str,
        topic_id: str,
        minutes: int,
        today: date,
        moment: datetime,
        zone: str,
        kind: str = "block",
    ) -> BlockRecord:
        """Store ``minutes`` of study of one topic on study day ``today``."""
        if kind not in BLOCK_KINDS:
            raise ValueError(f"unknown kind of study record {kind!r}")
        with transaction(self.conn):
            cursor = self.conn.execute(
                "INSERT INTO study_block (plan_id, topic_id, minutes, study_day, recorded_at, zone, kind) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (plan_id, topic_id, minutes, today.isoformat(), moment.isoformat(), zone, kind),
            )
        return BlockRecord(cursor.lastrowid or 0, plan_id, topic_id, minutes, today, kind)

    def undo_block(self, record: BlockRecord) -> None:
        """Remove a stored block."""
        with transaction(self.conn):
            self.conn.execute("DELETE FROM study_block WHERE id = ?", (record.id,))
            # Already sent to other machines: the next sync tells them it was undone.
            self.conn.execute(
                "UPDATE sync_event SET local_id = NULL, undone = 1 WHERE kind = 'block' AND local_id = ?",
                (record.id,),
            )

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
            self.conn.execute(
                "INSERT INTO topic_mark (plan_id, topic_id, done, at, study_day) VALUES (?, ?, ?, ?, ?)",
                (plan_id, topic_id, done, moment.isoformat(), today.isoformat()),
            )

    def blocks_on(self, day: date) -> list[BlockRecord]:
        """Blocks recorded on one study day, in the order they were recorded."""
        return self.blocks_between(day, day)

    def blocks_between(self, first: date, last: date) -> list[BlockRecord]:
        """Blocks recorded on the study days from ``first`` to ``last``, in recording order."""
        return [
            BlockRecord(row[0], row[1], row[2], row[3], date.fromisoformat(row[4]), row[5])
            for row in self.conn.execute(
                "SELECT id, plan_id, topic_id, minutes, study_day, kind FROM study_block "
                "WHERE study_day BETWEEN ? AND ? ORDER BY id",
                (first.isoformat(), last.isoformat()),
            )
        ]

    def topics_done_between(self, first: date, last: date) -> list[tuple[str, str, date]]:
        """(plan id, topic id, day) of topics marked finished on the days from ``first`` to ``last``."""
        return [
            (plan_id, topic_id, date.fromisoformat(day))
            for plan_id, topic_id, day in self.conn.execute(
                "SELECT plan_id, topic_id, study_day FROM topic_done "
                "WHERE study_day BETWEEN ? AND ? ORDER BY recorded_at",
                (first.isoformat(), last.isoformat()),
            )
        ]

    # -- the study timer -------------------------------------------------------

    def timer(self) -> Timer | None:
        """The study timer, if one is running or paused."""
        row = self.conn.execute(
            "SELECT plan_id, topic_id, running_since, banked_seconds FROM plan_timer"
        ).fetchone()
        if row is None:
            return None
        since = datetime.fromisoformat(row[2]) if row[2] else None
        return Timer(row[0], row[1], since, row[3])

    def save_timer(self, timer: Timer) -> None:
        """Store the timer's state (there is only ever one)."""
        since = timer.running_since.isoformat() if timer.running_since else None
        with transaction(self.conn):
            self.conn.execute(
                "INSERT INTO plan_timer (id, plan_id, topic_id, running_since, banked_seconds) "
                "VALUES (1, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET plan_id = excluded.plan_id, "
                "topic_id = excluded.topic_id, running_since = excluded.running_since, "
                "banked_seconds = excluded.banked_seconds",
                (timer.plan_id, timer.topic_id, since, timer.banked),
            )

    def stop_timer(
        self, minutes: int, today: date, moment: datetime, zone: str
    ) -> BlockRecord | None:
        """Log the timer's ``minutes`` (when above 0) and remove it, in one transaction."""
        timer = self.timer()
        if timer is None:
            return None
        with transaction(self.conn):
            self.conn.execute("DELETE FROM plan_timer")
            if minutes <= 0:
                return None
            cursor = self.conn.execute(
                "INSERT INTO study_block (plan_id, topic_id, minutes, study_day, recorded_at, zone, kind) "
                "VALUES (?, ?, ?, ?, ?, ?, 'timer')",
                (
                    timer.plan_id,
                    timer.topic_id,
                    minutes,
                    today.isoformat(),
                    moment.isoformat(),
                    zone,
                ),
            )
        return BlockRecord(
            cursor.lastrowid or 0, timer.plan_id, timer.topic_id, minutes, today, "timer"
        )

    # -- the flashcards a plan makes room for ----------------------------------

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

    def due_from(self, today: date) -> dict[date, int]:
        """Cards due on each day from ``today`` on, overdue ones counted on ``today``; only
        days with cards due are listed."""
        out: dict[date, int] = {}
        for day, count in self.conn.execute(
            "SELECT MAX(due, ?), COUNT(*) FROM card WHERE active = 1 AND due IS NOT NULL "
            "GROUP BY 1",
            (today.isoformat(),),
        ):
            try:
                out[date.fromisoformat(day)] = count
            except ValueError:  # a due date no card should carry: it never falls in a plan
                continue
        return out

    def due_by(self, day: date) -> int:
        """Active cards due on or before ``day``."""
        return self.conn.execute(
            "SELECT COUNT(*) FROM card WHERE active = 1 AND due IS NOT NULL AND due <= ?",
            (day.isoformat(),),
        ).fetchone()[0]

    def unseen_cards(self) -> int:
        """Active cards never answered."""
        return self.conn.execute(
            "SELECT COUNT(*) FROM card WHERE active = 1 AND due IS NULL"
        ).fetchone()[0]

    def new_cards_on(self, day: date) -> int:
        """New cards given their first answer on study day ``day``."""
        return self.conn.execute(
            "SELECT COUNT(*) FROM review WHERE study_day = ? AND is_drill = 0 AND before_due IS NULL",
            (day.isoformat(),),
        ).fetchone()[0]

    def cards_by_tag(self) -> dict[str, tuple[int, int]]:
        """Per tag: (active cards introduced, active cards in all)."""
        return {
            tag: (seen, total)
            for tag, seen, total in self.conn.execute(
                "SELECT card_tag.tag, SUM(card.due IS NOT NULL), COUNT(*) FROM card_tag "
                "JOIN card ON card.id = card_tag.card_id WHERE card.active = 1 GROUP BY card_tag.tag"
            )
        }

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


def _week_text(minutes: tuple[int, ...]) -> str:
    return ",".join(map(str, minutes))
