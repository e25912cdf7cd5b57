"""All SQL about the two schedulers: which one sets ``card.due``, FSRS's cached states, the log.

``card_repo.Repository.record_answer`` advances both states on every answer; this
module switches schedulers, replays FSRS states from the log, and reads what the
model comparison and the workload forecast need.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from datetime import date

from studyplan.core.fsrs_scheduler import FsrsSettings, FsrsState, replay_days, reschedule
from studyplan.core.memory_models import LogEntry
from studyplan.core.schedulers import CardSchedule, SchedulerName, check_scheduler
from studyplan.store.card_repo import (
    _FSRS_COLUMNS,
    _STATE_COLUMNS,
    _state,
    fsrs_state,
    fsrs_values,
    scheduler_settings,
)
from studyplan.store.db import is_read_only, transaction

# The answers that schedule: not drills (a second answer the same study day), not
# practice (studying ahead); imported history counts.
SCHEDULING = "is_drill = 0 AND practice = 0"


class SchedulerRepository:
    """The active scheduler, switching, and FSRS states replayed from the review log."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def active(self) -> tuple[SchedulerName, FsrsSettings]:
        """The scheduler ``card.due`` follows now, and the FSRS settings it was given."""
        return scheduler_settings(self.conn)

    def replayed(self) -> bool:
        """True once every card's FSRS state has been replayed from the log."""
        row = self.conn.execute("SELECT fsrs_replayed FROM scheduler_state").fetchone()
        return bool(row[0])

    def _scheduling_days(self, card_ids: list[int] | None) -> Iterator[tuple[int, str, list]]:
        """(card id, key, [(study day, grade), ...] in time order) for cards with answers."""
        join = ""
        if card_ids is not None:
            # A temporary table, not a list of parameters: a merge may touch more cards
            # than SQLite takes parameters.
            self.conn.execute("CREATE TEMP TABLE IF NOT EXISTS fsrs_card (id INTEGER PRIMARY KEY)")
            self.conn.execute("DELETE FROM fsrs_card")
            self.conn.executemany(
                "INSERT OR IGNORE INTO fsrs_card (id) VALUES (?)", [(i,) for i in card_ids]
            )
            join = "JOIN fsrs_card ON fsrs_card.id = review.card_id "
        rows = self.conn.execute(
            f"SELECT review.card_id, card.key, review.study_day, review.grade FROM review {join}"
            f"JOIN card ON card.id = review.card_id WHERE {SCHEDULING} "
            "ORDER BY review.card_id, julianday(review.answered_at), review.id"
        )
        current: int | None = None
        key = ""
        answers: list[tuple[date, int]] = []
        days: dict[str, date] = {}
        for card_id, card_key, day, grade in rows:
            if card_id != current:
                if current is not None:
                    yield current, key, answers
                current, key, answers = card_id, card_key, []
            when = days.get(day)
            if when is None:
                when = days[day] = date.fromisoformat(day)
            answers.append((when, grade))
        if current is not None:
            yield current, key, answers

    def replay_fsrs(self, card_ids: list[int] | None = None) -> int:
        """Replay the FSRS state of ``card_ids`` (every card by default) from the log.

        SM-2's state is not touched; ``card.due`` follows the active scheduler
        afterwards. Anything that writes answers other than ``record_answer`` (an
        import of another tool's history) calls this for the cards it wrote.
        Returns how many cards have answers.
        """
        with transaction(self.conn):
            return self.replay_fsrs_within(card_ids)

    def replay_fsrs_within(self, card_ids: list[int] | None = None) -> int:
        """``replay_fsrs`` inside a transaction the caller holds (a sync's merge)."""
        if card_ids is not None and not card_ids:
            # Nothing to read (an import that wrote its cards' FSRS states itself), but
            # card.due still follows the active scheduler.
            return self.write_fsrs((), card_ids)
        return self.write_fsrs(self._scheduling_days(card_ids), card_ids)

    def write_fsrs(
        self, logs: Iterable[tuple[int, str, list[tuple[date, int]]]], card_ids: list[int] | None
    ) -> int:
        """Replay and write the FSRS state of ``card_ids`` (every card with None) from
        ``logs``: (card id, key, its scheduling answers as (study day, grade) in time
        order) for those with answers, as a caller that has just read them gives them.
        Inside the caller's transaction."""
        active, settings = self.active()
        states = [
            (*fsrs_values(replay_days(answers, key, settings)), card_id)
            for card_id, key, answers in logs
            if answers
        ]
        empty = (None, None, None, None, 0)
        if card_ids is None:
            self.conn.execute(
                "UPDATE card SET fsrs_stability = ?, fsrs_difficulty = ?, "
                "fsrs_last_review = ?, fsrs_due = ?, fsrs_reviews = ?",
                empty,
            )
        else:
            # Only the cards left without answers are emptied: the rest are written next.
            replayed = {state[-1] for state in states}
            self.conn.executemany(
                "UPDATE card SET fsrs_stability = ?, fsrs_difficulty = ?, "
                "fsrs_last_review = ?, fsrs_due = ?, fsrs_reviews = ? WHERE id = ?",
                [(*empty, card_id) for card_id in card_ids if card_id not in replayed],
            )
        self.conn.executemany(
            "UPDATE card SET fsrs_stability = ?, fsrs_difficulty = ?, fsrs_last_review = ?, "
            "fsrs_due = ?, fsrs_reviews = ? WHERE id = ?",
            states,
        )
        self._follow(active)
        self.conn.execute("UPDATE scheduler_state SET fsrs_replayed = 1")
        return len(states)

    def _follow(self, active: SchedulerName) -> None:
        """Set every card's queue due day to the active scheduler's (inside a transaction)."""
        column = "sm2_due" if active == "sm2" else "fsrs_due"
        self.conn.execute(f"UPDATE card SET due = {column} WHERE due IS NOT {column}")

    def switch(self, active: SchedulerName, settings: FsrsSettings) -> int:
        """Make ``active`` set every card's due day, at ``settings``, in one transaction.

        SM-2's own state is never written, so switching back restores it exactly.
        A new desired retention works FSRS's due days out again from the same
        memory states. Returns how many cards' queue due day changed.
        """
        active = check_scheduler(active)
        _old, old_settings = self.active()
        with transaction(self.conn):
            if settings.desired_retention != old_settings.desired_retention:
                rows = self.conn.execute(
                    f"SELECT id, key, {_FSRS_COLUMNS} FROM card WHERE fsrs_last_review IS NOT NULL"
                ).fetchall()
                self.conn.executemany(
                    "UPDATE card SET fsrs_due = ? WHERE id = ?",
                    [
                        (_iso(reschedule(fsrs_state(row[2:]), row[1], settings).due), row[0])
                        for row in rows
                    ],
                )
            before = self.conn.total_changes
            self._follow(active)
            moved = self.conn.total_changes - before
            self.conn.execute(
                "UPDATE scheduler_state SET active = ?, desired_retention = ?",
                (active, settings.desired_retention),
            )
        return moved

    def apply(self, active: SchedulerName, settings: FsrsSettings) -> bool:
        """Bring the database in line with the settings (replaying first after an upgrade).

        Returns True when anything was written. A read-only database is left as it is.
        """
        if is_read_only(self.conn):
            return False
        wrote = False
        if not self.replayed():
            self.replay_fsrs()
            wrote = True
        if self.active() != (active, settings):
            self.switch(active, settings)
            wrote = True
        return wrote

    def schedules(self) -> list[tuple[str, CardSchedule]]:
        """Every active, unsuspended card's key and both states, in file order (for forecasts)."""
        rows = self.conn.execute(
            f"SELECT key, {_STATE_COLUMNS}, {_FSRS_COLUMNS} FROM card "
            "WHERE active = 1 AND suspended = 0 ORDER BY deck_id, position"
        )
        # The key seeds FSRS's fuzz, as record_answer seeds it.
        return [(row[0], CardSchedule(_state(row[1:6]), fsrs_state(row[6:11]))) for row in rows]

    def fsrs_states(self) -> list[FsrsState]:
        """The FSRS state of every active, unsuspended card that has been answered."""
        rows = self.conn.execute(
            f"SELECT {_FSRS_COLUMNS} FROM card WHERE active = 1 AND suspended = 0 "
            "AND fsrs_last_review IS NOT NULL"
        )
        return [fsrs_state(row) for row in rows]

    def scheduling_log(self) -> Iterator[LogEntry]:
        """Every scheduling answer as (card, study day, grade), in time order, read as it
        is used (millions of answers are not held at once)."""
        days: dict[str, date] = {}  # a few thousand study days, each read once
        for card, day, grade in self.conn.execute(
            f"SELECT card_id, study_day, grade FROM review WHERE {SCHEDULING} "
            "ORDER BY julianday(answered_at), id"
        ):
            known = days.get(day)
            if known is None:
                known = days[day] = date.fromisoformat(day)
            yield card, known, grade

    def weekly_retention(self, since: date) -> list[tuple[date, int, int]]:
        """(Monday, review answers, passed) per week from ``since``: scheduling answers to
        cards seen before (not new), graded 3 or more to pass."""
        rows = self.conn.execute(
            "SELECT date(study_day, 'weekday 0', '-6 days'), COUNT(*), SUM(grade >= 3) "
            f"FROM review WHERE {SCHEDULING} AND before_due IS NOT NULL "
            "AND study_day >= ? GROUP BY 1 ORDER BY 1",
            (since.isoformat(),),
        )
        return [(date.fromisoformat(monday), n, passed) for monday, n, passed in rows]


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None
