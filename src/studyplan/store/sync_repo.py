"""All SQL of sync: this machine's events out, other machines' events in, and the
replay that recomputes each touched card from its merged log."""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from studyplan.core.sm2 import Sm2State
from studyplan.core.sync import Event, body_text, line, replay_log
from studyplan.store.card_repo import _state
from studyplan.store.db import transaction
from studyplan.store.scheduler_repo import SchedulerRepository

MARKS = ("suspended", "buried_until", "flag", "leech")
_DEFAULT_MARKS = {"suspended": 0, "buried_until": None, "flag": 0, "leech": 0}


@dataclass
class Merged:
    """What one merge did."""

    received: int = 0
    pending: int = 0
    cards: set[int] = field(default_factory=set)
    days: set[str] = field(default_factory=set)
    """Study days whose plan blocks changed (their cached totals are dropped)."""


class SyncRepository:
    """Events in and out of the database, and the replay of touched cards."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self._cards: dict[tuple[str, str], int] | None = None
        self._batch = _Batch()

    def room_for_a_large_merge(self) -> None:
        """Let this connection (sync's own) keep a large merge's pages in memory until it
        commits, rather than spill them to the log and write them twice: 32 MB at most,
        given back when the connection closes."""
        self.conn.execute("PRAGMA cache_size = -32768")

    # -- this machine --------------------------------------------------

    def machine(self) -> str:
        """This database's machine id, made once."""
        row = self.conn.execute("SELECT machine FROM sync_machine WHERE id = 1").fetchone()
        if row is not None:
            return row[0]
        made = uuid.uuid4().hex[:12]
        with transaction(self.conn) as conn:
            conn.execute("INSERT OR IGNORE INTO sync_machine (id, machine) VALUES (1, ?)", (made,))
        return self.conn.execute("SELECT machine FROM sync_machine WHERE id = 1").fetchone()[0]

    def record_local(self) -> int:
        """Give every answer, undo and card action made here since the last sync an event
        id (in one transaction); the number of new events."""
        me = self.machine()
        made = 0
        with transaction(self.conn) as conn:
            seq = conn.execute("SELECT seq FROM sync_machine WHERE id = 1").fetchone()[0]

            rows: list[tuple] = []

            def add(kind: str, local_id: int | None, target: str | None, body: dict) -> None:
                nonlocal seq, made
                seq += 1
                made += 1
                rows.append((f"{me}-{seq}", kind, me, local_id, target, body_text(seq, body)))

            def flush() -> None:
                conn.executemany(
                    "INSERT INTO sync_event (event_id, kind, origin, local_id, target, body, written) "
                    "VALUES (?, ?, ?, ?, ?, ?, 0)",
                    rows,
                )
                rows.clear()

            # The answers, by far the most events, are numbered and written in SQL: each
            # body is made once, here, and goes into the file as it is stored.
            made = conn.execute(
                """
                INSERT INTO sync_event (event_id, kind, origin, local_id, target, body, written)
                SELECT :me || '-' || (:seq + n), 'answer', :me, rid, NULL, json_object(
                    'answered_at', answered_at, 'card', card_key, 'days_late', days_late,
                    'deck', deck_key, 'grade', grade,
                    'practice', json(CASE WHEN practice THEN 'true' ELSE 'false' END),
                    'seq', :seq + n, 'study_day', study_day, 'took_ms', took_ms, 'zone', zone),
                    0
                FROM (
                    SELECT review.id AS rid, deck.key AS deck_key, card.key AS card_key,
                           answered_at, zone, study_day, grade, practice, took_ms, days_late,
                           row_number() OVER (ORDER BY review.id) AS n
                    FROM review JOIN card ON card.id = review.card_id
                    JOIN deck ON deck.id = card.deck_id
                    WHERE review.imported = 0 AND NOT EXISTS (
                        SELECT 1 FROM sync_event WHERE kind = 'answer' AND local_id = review.id)
                )
                ORDER BY n
                """,
                {"me": me, "seq": seq},
            ).rowcount
            seq += made
            for (target,) in conn.execute(
                "SELECT event_id FROM sync_event e WHERE kind = 'answer' AND undone = 1 "
                "AND NOT EXISTS (SELECT 1 FROM sync_event u WHERE u.kind = 'undo' AND u.target = e.event_id)"
            ).fetchall():
                add("undo", None, target, {"target": target})
            flush()
            actions = conn.execute(
                """
                SELECT card_action.id, deck.key, card.key, action, before, after, done_at,
                       card_action.study_day
                FROM card_action JOIN card ON card.id = card_action.card_id
                JOIN deck ON deck.id = card.deck_id
                WHERE NOT EXISTS (
                    SELECT 1 FROM sync_event WHERE kind = 'action' AND local_id = card_action.id)
                ORDER BY card_action.id
                """
            ).fetchall()
            for aid, deck, card, action, before, after, done_at, day in actions:
                old, new = json.loads(before), json.loads(after)
                marks = {k: new.get(k) for k in MARKS if old.get(k) != new.get(k)}
                body = {
                    "deck": deck,
                    "card": card,
                    "action": action,
                    "marks": marks,
                    "done_at": done_at,
                    "study_day": day,
                }
                add("action", aid, None, body)
            flush()
            for (target,) in conn.execute(
                """
                SELECT e.event_id FROM sync_event e JOIN card_action a ON a.id = e.local_id
                WHERE e.kind = 'action' AND a.undone = 1 AND NOT EXISTS (
                    SELECT 1 FROM sync_event u WHERE u.kind = 'action_undo' AND u.target = e.event_id)
                """
            ).fetchall():
                add("action_undo", None, target, {"target": target})
            flush()
            self._record_plan(conn, add, flush)
            conn.execute("UPDATE sync_machine SET seq = ? WHERE id = 1", (seq,))
        return made

    def raise_seq(self, seen: int) -> None:
        """This machine's events up to ``seen`` exist (in its file): never number one again."""
        self.machine()
        with transaction(self.conn) as conn:
            conn.execute("UPDATE sync_machine SET seq = MAX(seq, ?) WHERE id = 1", (seen,))

    @staticmethod
    def _record_plan(conn: sqlite3.Connection, add, flush) -> None:
        """Plan progress made here: blocks done and time logged (and their undos), topics
        marked finished or not, time off added (and removed)."""
        marked: set[tuple[str, str]] = set()
        for bid, plan, topic, minutes, day, at, zone, kind in conn.execute(
            """
            SELECT id, plan_id, topic_id, minutes, study_day, recorded_at, zone, kind
            FROM study_block b WHERE NOT EXISTS (
                SELECT 1 FROM sync_event WHERE kind = 'block' AND local_id = b.id)
            ORDER BY id
            """
        ).fetchall():
            body = {
                "plan": plan,
                "topic": topic,
                "minutes": minutes,
                "study_day": day,
                "recorded_at": at,
                "zone": zone,
                "block_kind": kind,
            }
            add("block", bid, None, body)
        for mid, plan, topic, done, at, day in conn.execute(
            """
            SELECT id, plan_id, topic_id, done, at, study_day FROM topic_mark m WHERE NOT EXISTS (
                SELECT 1 FROM sync_event WHERE kind = 'topic' AND local_id = m.id)
            ORDER BY id
            """
        ).fetchall():
            body = {"plan": plan, "topic": topic, "done": bool(done), "at": at, "study_day": day}
            add("topic", mid, None, body)
            marked.add((plan, topic))
        flush()
        for plan, topic in sorted(marked):
            # The latest mark wins here too, so a tie in time goes the same way everywhere.
            SyncRepository._settle_topic(conn, plan, topic)
        for oid, first, last, note, added in conn.execute(
            """
            SELECT id, first_day, last_day, note, added_at FROM time_off o WHERE NOT EXISTS (
                SELECT 1 FROM sync_event WHERE kind = 'off' AND local_id = o.id)
            ORDER BY id
            """
        ).fetchall():
            body = {"first_day": first, "last_day": last, "note": note, "added_at": added}
            add("off", oid, None, body)
        flush()
        for kind in ("block", "off"):
            for (target,) in conn.execute(
                "SELECT event_id FROM sync_event e WHERE kind = ? AND undone = 1 AND NOT EXISTS "
                "(SELECT 1 FROM sync_event u WHERE u.kind = ? AND u.target = e.event_id)",
                (kind, f"{kind}_undo"),
            ).fetchall():
                add(f"{kind}_undo", None, target, {"target": target})
        flush()

    def unwritten(self) -> tuple[list[str], int]:
        """This machine's events not yet in its file, as the file's lines in the order
        they were made (numbered and inserted in that order), and the row of the last
        one, for ``mark_written`` (0 when there is none)."""
        rows = self.conn.execute(
            "SELECT event_id, kind, body, rowid FROM sync_event WHERE written = 0 ORDER BY rowid"
        ).fetchall()
        if not rows:
            return [], 0
        return [line(event_id, kind, body) for event_id, kind, body, _ in rows], rows[-1][3]

    def mark_written(self, through: int, position: tuple[str, int, int, int] | None = None) -> None:
        """This machine's events up to the row ``through`` are safely in its file; with
        ``position`` (file, offset before the write, offset and line after it) the file is
        known to be read up to its end, unless it was read only up to elsewhere."""
        with transaction(self.conn) as conn:
            conn.execute(
                "UPDATE sync_event SET written = 1 WHERE written = 0 AND rowid <= ?", (through,)
            )
            if position is not None:
                name, before, offset, next_line = position
                row = conn.execute(
                    "SELECT offset FROM sync_peer WHERE file = ?", (name,)
                ).fetchone()
                if (row[0] if row else 0) == before:
                    conn.execute(
                        "INSERT INTO sync_peer (file, offset, line) VALUES (?, ?, ?) ON CONFLICT "
                        "(file) DO UPDATE SET offset = excluded.offset, line = excluded.line",
                        (name, offset, next_line),
                    )

    def cards_of_unwritten(self) -> set[int]:
        """The cards that this machine's events not yet in its file touch and that also
        have events from another machine: each is replayed after the sync, so every
        machine ends on the full-log replay. (A card only this machine has touched is
        already as its replay would leave it.)"""
        me = self.machine()
        foreign = {
            row[0]
            for row in self.conn.execute(
                """
                SELECT r.card_id FROM sync_event e JOIN review r ON r.id = e.local_id
                WHERE e.kind = 'answer' AND e.origin != ?
                UNION
                SELECT a.card_id FROM sync_event e JOIN card_action a ON a.id = e.local_id
                WHERE e.kind = 'action' AND e.origin != ?
                """,
                (me, me),
            )
        }
        if not foreign:
            return set()
        rows = self.conn.execute(
            """
            SELECT r.card_id FROM sync_event e JOIN review r ON r.id = e.local_id
            WHERE e.written = 0 AND e.kind = 'answer'
            UNION
            SELECT a.card_id FROM sync_event e JOIN card_action a ON a.id = e.local_id
            WHERE e.written = 0 AND e.kind = 'action'
            UNION
            SELECT card.id FROM sync_event u JOIN sync_event t ON t.event_id = u.target
            JOIN deck ON deck.key = json_extract(t.body, '$.deck')
            JOIN card ON card.deck_id = deck.id AND card.key = json_extract(t.body, '$.card')
            WHERE u.written = 0 AND u.kind IN ('undo', 'action_undo')
            """
        )
        return {row[0] for row in rows} & foreign

    # -- where each file was left ---------------------------------------------

    def peer_position(self, name: str) -> tuple[int, int]:
        """(byte offset, line number) reached in the file ``name``; (0, 1) when new."""
        row = self.conn.execute(
            "SELECT offset, line FROM sync_peer WHERE file = ?", (name,)
        ).fetchone()
        return (row[0], row[1]) if row else (0, 1)

    # -- merging -----------------------------------------------------------

    def merge(self, origin: str, events: list[Event], position: tuple[str, int, int]) -> Merged:
        """Apply ``events`` of machine ``origin`` that are new here, move the file's read
        position and replay every card they touch (SM-2, marks and FSRS): one transaction."""
        merged = Merged()
        name, offset, line = position
        with transaction(self.conn) as conn:
            known = self._known(conn, [e.id for e in events])
            # Every card by (deck id, card id), read once rather than once an event.
            self._cards = {
                (deck, key): card
                for card, deck, key in conn.execute(
                    "SELECT card.id, deck.key, card.key FROM card JOIN deck ON deck.id = card.deck_id"
                )
            }
            self._batch = _Batch()
            for event in events:
                if event.id in known:
                    continue
                known.add(event.id)
                merged.received += 1
                self._apply(conn, origin, event, merged)
            conn.execute(
                "INSERT INTO sync_peer (file, offset, line) VALUES (?, ?, ?) "
                "ON CONFLICT (file) DO UPDATE SET offset = excluded.offset, line = excluded.line",
                (name, offset, line),
            )
            fresh: _Batch | None = None
            if conn.execute("SELECT 1 FROM sync_event WHERE applied = 0 LIMIT 1").fetchone():
                self._batch.flush(conn)
                merged.cards |= self._retry_pending(conn, merged)
            else:
                # Nothing was waiting (nor is anything this merge has kept waiting able to
                # apply now): the new answers are written once, after the replay, with
                # the states it gives them.
                fresh, self._batch = self._batch, _Batch()
            if merged.days:
                conn.execute("DELETE FROM day_total WHERE study_day >= ?", (min(merged.days),))
            # The touched cards are replayed in the same transaction: a merge is never
            # seen (or left by a crash) with the new answers but the old states.
            ids = sorted(merged.cards)
            if ids:
                SchedulerRepository(conn).write_fsrs(self._replay(conn, ids, fresh), ids)
            elif fresh is not None:
                fresh.flush(conn)
            merged.pending = conn.execute(
                "SELECT COUNT(*) FROM sync_event WHERE applied = 0"
            ).fetchone()[0]
        self._cards = None
        return merged

    @staticmethod
    def _known(conn: sqlite3.Connection, wanted: list[str]) -> set[str]:
        """Which of the event ids ``wanted`` are here already."""
        known: set[str] = set()
        for start in range(0, len(wanted), 5000):
            chunk = wanted[start : start + 5000]
            marks = ", ".join("?" * len(chunk))
            known.update(
                r[0]
                for r in conn.execute(
                    f"SELECT event_id FROM sync_event WHERE event_id IN ({marks})", chunk
                )
            )
        return known

    def _apply(
        self,
        conn: sqlite3.Connection,
        origin: str,
        event: Event,
        merged: Merged,
        retry: bool = False,
    ) -> bool:
        """Apply one event; False when it waits for its card (or for the event it takes
        back). With ``retry`` it is one already waiting: left as it is unless it applies,
        and then stored anew."""
        body = event.body
        text = event.text or json.dumps(body)
        if event.kind == "answer":  # the bulk of every file: batched
            card = self._card_id(body["deck"], body["card"])
            if card is None:  # its deck has not arrived here yet: kept, applied when it does
                if not retry:
                    self._batch.event(event.id, event.kind, origin, None, text, applied=False)
                    merged.pending += 1
                return False
            self._batch.answer(event.id, origin, card, body, text)
            merged.cards.add(card)
            return True
        self._batch.flush(conn)  # what follows reads what came before
        if event.kind in ("block", "block_undo", "topic", "off", "off_undo"):
            return self._apply_plan(conn, origin, event, merged, retry)
        target = body.get("target") if event.kind in ("undo", "action_undo") else None
        if event.kind == "action":
            card = self._card_id(body["deck"], body["card"])
            if card is None:  # its deck has not arrived here yet: kept, applied when it does
                return self._wait(conn, origin, event, text, None, merged, retry)
            local_id = self._insert_action(conn, card, body)
            conn.execute(
                "INSERT OR REPLACE INTO sync_event (event_id, kind, origin, local_id, body) "
                "VALUES (?, ?, ?, ?, ?)",
                (event.id, event.kind, origin, local_id, text),
            )
            merged.cards.add(card)
            return True
        # An undo: of an answer (its row goes) or of a card action (marked undone).
        found = conn.execute(
            "SELECT kind, local_id, applied, body FROM sync_event WHERE event_id = ?", (target,)
        ).fetchone()
        if found is None or not found[2]:
            return self._wait(conn, origin, event, text, target, merged, retry)
        kind, local_id, _, target_body = found
        card = self._card_id(*(json.loads(target_body)[k] for k in ("deck", "card")))
        if kind == "answer" and local_id is not None:
            conn.execute("DELETE FROM review WHERE id = ?", (local_id,))
            conn.execute("UPDATE sync_event SET local_id = NULL WHERE event_id = ?", (target,))
        elif kind == "action" and local_id is not None:
            conn.execute("UPDATE card_action SET undone = 1 WHERE id = ?", (local_id,))
        conn.execute(
            "INSERT OR REPLACE INTO sync_event (event_id, kind, origin, target, body) "
            "VALUES (?, ?, ?, ?, ?)",
            (event.id, event.kind, origin, target, text),
        )
        if card is not None:
            merged.cards.add(card)
        return True

    @staticmethod
    def _wait(
        conn: sqlite3.Connection,
        origin: str,
        event: Event,
        text: str,
        target: str | None,
        merged: Merged,
        retry: bool,
    ) -> bool:
        """Keep ``event`` until what it needs arrives (a retried one is kept already);
        False: not applied."""
        if not retry:
            conn.execute(
                "INSERT INTO sync_event (event_id, kind, origin, target, body, applied) "
                "VALUES (?, ?, ?, ?, ?, 0)",
                (event.id, event.kind, origin, target, text),
            )
            merged.pending += 1
        return False

    def _apply_plan(
        self, conn: sqlite3.Connection, origin: str, event: Event, merged: Merged, retry: bool
    ) -> bool:
        body = event.body
        text = event.text or json.dumps(body)
        local_id: int | None = None
        target = body.get("target")
        if event.kind == "block":
            local_id = conn.execute(
                "INSERT INTO study_block (plan_id, topic_id, minutes, study_day, recorded_at, zone, kind) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    body["plan"],
                    body["topic"],
                    max(1, int(body["minutes"])),
                    body["study_day"],
                    body["recorded_at"],
                    body["zone"],
                    body["block_kind"]
                    if body["block_kind"] in ("block", "timer", "log")
                    else "log",
                ),
            ).lastrowid
            merged.days.add(str(body["study_day"]))
        elif event.kind == "off":
            local_id = conn.execute(
                "INSERT INTO time_off (first_day, last_day, note, added_at) VALUES (?, ?, ?, ?)",
                (body["first_day"], body["last_day"], str(body["note"]), body["added_at"]),
            ).lastrowid
        elif event.kind in ("block_undo", "off_undo"):
            found = conn.execute(
                "SELECT local_id, applied FROM sync_event WHERE event_id = ?", (target,)
            ).fetchone()
            if found is None:  # its block has not arrived yet: kept until it does
                return self._wait(conn, origin, event, text, target, merged, retry)
            if found[0] is not None:
                table = "study_block" if event.kind == "block_undo" else "time_off"
                conn.execute(f"DELETE FROM {table} WHERE id = ?", (found[0],))
                conn.execute("UPDATE sync_event SET local_id = NULL WHERE event_id = ?", (target,))
        conn.execute(
            "INSERT OR REPLACE INTO sync_event (event_id, kind, origin, local_id, target, body) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (event.id, event.kind, origin, local_id, target, text),
        )
        if event.kind == "topic":
            self._settle_topic(conn, str(body["plan"]), str(body["topic"]))
        return True

    @staticmethod
    def _settle_topic(conn: sqlite3.Connection, plan: str, topic: str) -> None:
        """A topic is finished or not as its latest mark, on any machine, says."""
        marks = conn.execute(
            "SELECT julianday(json_extract(body, '$.at')), event_id, json_extract(body, '$.done'), "
            "json_extract(body, '$.study_day'), json_extract(body, '$.at') FROM sync_event "
            "WHERE kind = 'topic' AND json_extract(body, '$.plan') = ? "
            "AND json_extract(body, '$.topic') = ?",
            (plan, topic),
        ).fetchall()
        if not marks:
            return
        _, _, done, day, at = max(marks, key=lambda m: (m[0] or 0.0, m[1]))
        if done:
            conn.execute(
                "INSERT OR REPLACE INTO topic_done (plan_id, topic_id, study_day, recorded_at) "
                "VALUES (?, ?, ?, ?)",
                (plan, topic, day, at),
            )
        else:
            conn.execute("DELETE FROM topic_done WHERE plan_id = ? AND topic_id = ?", (plan, topic))

    def _retry_pending(self, conn: sqlite3.Connection, merged: Merged) -> set[int]:
        """Events kept for a card (or an event) that had not arrived: apply those that can
        be now, until none can."""
        progress = True
        while progress:
            progress = False
            for event_id, kind, origin, text in conn.execute(
                "SELECT event_id, kind, origin, body FROM sync_event WHERE applied = 0 ORDER BY rowid"
            ).fetchall():
                body = json.loads(text)
                body.pop("id", None), body.pop("kind", None)
                event = Event(event_id, kind, body, text)
                if self._apply(conn, origin, event, merged, retry=True):
                    progress = True
            self._batch.flush(conn)
        merged.pending = conn.execute(
            "SELECT COUNT(*) FROM sync_event WHERE applied = 0"
        ).fetchone()[0]
        return merged.cards

    def _card_id(self, deck: str, card: str) -> int | None:
        if self._cards is not None:
            return self._cards.get((deck, card))
        row = self.conn.execute(
            "SELECT card.id FROM card JOIN deck ON deck.id = card.deck_id WHERE deck.key = ? AND card.key = ?",
            (deck, card),
        ).fetchone()
        return row[0] if row else None

    @staticmethod
    def _insert_action(conn: sqlite3.Connection, card: int, body: dict) -> int:
        marks = {k: v for k, v in body.get("marks", {}).items() if k in MARKS}
        cursor = conn.execute(
            "INSERT INTO card_action (card_id, action, before, after, done_at, study_day, batch) "
            "VALUES (?, ?, '{}', ?, ?, ?, 0)",
            (card, str(body["action"]), json.dumps(marks), body["done_at"], body["study_day"]),
        )
        return cursor.lastrowid or 0

    # -- replay ------------------------------------------------------------

    def replay_cards(self, cards: Iterable[int]) -> None:
        """Recompute each card's SM-2 state, marks and FSRS state from its merged log (the
        logs of all the cards read in two queries, the changes written in batches), in one
        transaction."""
        ids = sorted(set(cards))
        if not ids:
            return
        with transaction(self.conn) as conn:
            SchedulerRepository(conn).write_fsrs(self._replay(conn, ids), ids)

    def _replay(
        self, conn: sqlite3.Connection, ids: list[int], fresh: _Batch | None = None
    ) -> list[tuple[int, str, list]]:
        """``replay_cards`` for SM-2 and the marks, inside the caller's transaction; the
        answers of ``fresh`` (not in the database yet) are replayed with the others, then
        inserted (with their events) as the replay leaves them. Returns what FSRS replays
        next, from the same rows: each card's key and its scheduling answers (neither
        drills, as just replayed, nor practice) as (study day, grade) in the order of
        their moments, then of their rows."""
        if not ids:
            return []
        conn.execute("CREATE TEMP TABLE IF NOT EXISTS replay_card (id INTEGER PRIMARY KEY)")
        conn.execute("DELETE FROM replay_card")
        conn.executemany("INSERT INTO replay_card (id) VALUES (?)", [(i,) for i in ids])
        reviews: dict[int, list[tuple]] = defaultdict(list)
        for row in conn.execute(
            """
            SELECT review.card_id, review.id, julianday(answered_at),
                   COALESCE(e.event_id, 'local-' || review.id), study_day, grade, practice,
                   imported, is_drill, before_repetitions, before_ef_permille,
                   before_interval, before_due, before_lapses, after_repetitions,
                   after_ef_permille, after_interval, after_due, after_lapses
            FROM review JOIN replay_card ON replay_card.id = review.card_id
            LEFT JOIN sync_event e ON e.kind = 'answer' AND e.local_id = review.id
            """
        ):
            reviews[row[0]].append(row[1:])
        inserts: dict[int, tuple] = {}
        final: dict[int, tuple] = {}
        fresh_from = 1 << 62  # (no row is fresh)
        if fresh is not None:
            inserts = fresh.number(conn)
            fresh_from = fresh.first
            for card, row in fresh.replay_rows(conn, inserts):
                reviews[card].append(row)
        actions: dict[int, list[tuple]] = defaultdict(list)
        for row in conn.execute(
            """
            SELECT a.card_id, a.id, julianday(done_at), COALESCE(e.event_id, 'local-' || a.id),
                   study_day, action, before, after
            FROM card_action a JOIN replay_card ON replay_card.id = a.card_id
            LEFT JOIN sync_event e ON e.kind = 'action' AND e.local_id = a.id
            WHERE a.undone = 0
            """
        ):
            actions[row[0]].append(row[1:])
        keys = dict(
            conn.execute(
                "SELECT card.id, card.key FROM card JOIN replay_card ON replay_card.id = card.id"
            )
        )
        changed_reviews: list[tuple] = []
        states: list[tuple] = []
        marks: list[tuple] = []
        days: list[str] = []
        logs: list[tuple[int, str, list]] = []
        for card in ids:
            rows = reviews.get(card, [])
            days.append(min((r[3] for r in rows), default="9999"))
            drills: dict[int, bool] = {}
            states.append(
                self._replay_states(
                    card, rows, actions[card], changed_reviews, drills, final, fresh_from
                )
            )
            scheduling = sorted(
                # (SQL's order: a moment that is no date comes first.)
                (r[1] is not None, r[1] or 0.0, r[0], _day(r[3]), r[4])
                for r in rows
                if not r[5] and not drills.get(r[0], r[7])
            )
            logs.append((card, keys.get(card, ""), [(day, grade) for *_, day, grade in scheduling]))
            marks.append((*_marks(actions.get(card, [])), card))
        if fresh is not None:
            # The new rows as the replay leaves them.
            fresh.insert(conn, [(rid, *row, *final[rid]) for rid, row in inserts.items()])
        conn.executemany(
            """
            UPDATE review SET is_drill = ?, before_repetitions = ?, before_ef_permille = ?,
                before_interval = ?, before_due = ?, before_lapses = ?, after_repetitions = ?,
                after_ef_permille = ?, after_interval = ?, after_due = ?, after_lapses = ?
            WHERE id = ?
            """,
            changed_reviews,
        )
        conn.executemany(
            "UPDATE card SET repetitions = ?, ef_permille = ?, interval = ?, due = ?, lapses = ?, "
            "sm2_due = ? WHERE id = ?",
            [(*state[:5], state[3], state[5]) for state in states],
        )
        conn.executemany(
            "UPDATE card SET suspended = ?, buried_until = ?, flag = ?, leech = ? WHERE id = ?",
            marks,
        )
        earliest = min(days, default="9999")
        if earliest != "9999":
            conn.execute("DELETE FROM day_total WHERE study_day >= ?", (earliest,))
        return logs

    @staticmethod
    def _replay_states(
        card: int,
        rows: list[tuple],
        actions: list[tuple],
        changed: list[tuple],
        drills: dict[int, bool],
        fresh: dict[int, tuple],
        fresh_from: int,
    ) -> tuple:
        """The card's final state; rows whose replayed values differ go into ``changed``,
        those of rows not inserted yet (numbered from ``fresh_from``) into ``fresh``, and
        whether each row is a drill into ``drills``. An imported answer is taken as stored
        (``replay_log``): SM-2 cannot replay another program's history, and the state
        its last answer left is where the import put the card."""
        stored = {r[0]: r[7:] for r in rows}
        entries = [
            (jd, eid, False, _day(day), grade, bool(practice), rid)
            for rid, jd, eid, day, grade, practice, *_ in rows
        ]
        imported = {r[0]: (bool(r[7]), _state(r[13:18])) for r in rows if r[6]}
        entries += [
            (jd, eid, True, _day(day), 0, False, 0)
            for _, jd, eid, day, action, _, _ in actions
            if "reset" in action.split(",")
        ]
        outcomes, final = replay_log(entries, imported)
        seen: Sm2State | None = None
        seen_columns: tuple = ()
        for ref, drill, before, after in outcomes:
            # A state's columns are worked out once: an answer's before is the after of
            # the one before it.
            b = seen_columns if before is seen else _columns(before)
            a = b if after is before else _columns(after)
            seen, seen_columns = after, a
            drills[ref] = drill
            values = (int(drill), *b, *a)
            if ref >= fresh_from:
                fresh[ref] = values
            elif stored.get(ref) != values:  # most rows, most of the time, are as they were
                changed.append((*values, ref))
        due = final.due.isoformat() if final.due else None
        return (final.repetitions, final.ef_permille, final.interval, due, final.lapses, card)


def _columns(state: Sm2State) -> tuple:
    due = state.due
    return (
        state.repetitions,
        state.ef_permille,
        state.interval,
        due.isoformat() if due else None,
        state.lapses,
    )


@lru_cache(maxsize=4096)
def _day(text: str) -> date:
    """A study day read from the log (a few hundred distinct ones among many rows)."""
    return date.fromisoformat(text)


def _marks(actions: list[tuple]) -> tuple:
    """Each mark as the latest action that changed it left it (the default when none did).
    Only what an action changed counts, so machines that each saw part of the actions
    agree once they have seen all of them."""
    marks = dict(_DEFAULT_MARKS)
    for _, _, _, _, _, before, after in sorted(actions, key=lambda a: (a[1], a[2])):
        old, new = json.loads(before), json.loads(after)
        for key, value in new.items():
            if key in MARKS and (key not in old or old[key] != value):
                marks[key] = value
    return marks["suspended"], marks["buried_until"], marks["flag"], marks["leech"]


def _placeholders(practice: bool) -> tuple:
    """A merged answer's is_drill, before and after until its card is replayed."""
    return (int(practice), 0, 2500, 0, None, 0, 0, 2500, 0, None, 0)


class _Batch:
    """Answers merged from another machine and their events, inserted together (in the
    order they came) before anything reads the tables they go into."""

    def __init__(self) -> None:
        self.reviews: list[tuple] = []
        """(card, answered at, zone, study day, grade, practice, days late, took ms)"""
        self.events: list[tuple] = []
        """(event id, kind, origin, index into ``reviews`` or None, text, applied)"""
        self.first = 0
        """The review row of the first answer, once numbered."""

    def answer(self, event_id: str, origin: str, card: int, body: dict, text: str) -> None:
        self.reviews.append(
            (
                card,
                body["answered_at"],
                body["zone"],
                body["study_day"],
                body["grade"],
                bool(body.get("practice")),
                int(body.get("days_late", 0)),
                int(body.get("took_ms", 0)),
            )
        )
        self.events.append((event_id, "answer", origin, len(self.reviews) - 1, text, 1))

    def event(
        self, event_id: str, kind: str, origin: str, review: int | None, text: str, applied: bool
    ) -> None:
        self.events.append((event_id, kind, origin, review, text, int(applied)))

    def flush(self, conn: sqlite3.Connection) -> None:
        """Insert everything, the answers with placeholders for the replay to fill."""
        if not self.events:
            return
        rows = self.number(conn)
        self.insert(conn, [(rid, *row, *_placeholders(row[5])) for rid, row in rows.items()])

    def number(self, conn: sqlite3.Connection) -> dict[int, tuple]:
        """The answers by the review row each will be (numbered here, so that each event
        names its own)."""
        self.first = conn.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM review").fetchone()[0]
        return {self.first + n: row for n, row in enumerate(self.reviews)}

    def replay_rows(self, conn: sqlite3.Connection, rows: dict[int, tuple]) -> list[tuple]:
        """(card, row) for each answer, as ``_replay`` reads rows from the database:
        the moment as SQLite's Julian day, the event id, and placeholders."""
        moments = [
            r[0]
            for r in conn.execute(
                "SELECT julianday(value) FROM json_each(?) ORDER BY key",
                (json.dumps([row[1] for row in rows.values()]),),
            )
        ]
        names = {self.first + e[3]: e[0] for e in self.events if e[3] is not None}
        return [
            (row[0], (rid, jd, names[rid], row[3], row[4], int(row[5]), 0, *_placeholders(row[5])))
            for (rid, row), jd in zip(rows.items(), moments, strict=True)
        ]

    def insert(self, conn: sqlite3.Connection, reviews: list[tuple]) -> None:
        """Insert ``reviews`` (row, the answer, is_drill, before and after) and every
        event, then start again empty."""
        if reviews:
            conn.executemany(
                """
                INSERT INTO review (id, card_id, answered_at, zone, study_day, grade, practice,
                    days_late, took_ms, is_drill, before_repetitions, before_ef_permille,
                    before_interval, before_due, before_lapses, after_repetitions,
                    after_ef_permille, after_interval, after_due, after_lapses)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
                reviews,
            )
        if self.events:
            first = self.first
            conn.executemany(
                "INSERT OR REPLACE INTO sync_event (event_id, kind, origin, local_id, body, "
                "applied) VALUES (?, ?, ?, ?, ?, ?)",
                [
                    (event_id, kind, origin, None if index is None else first + index, text, ok)
                    for event_id, kind, origin, index, text, ok in self.events
                ],
            )
        self.reviews.clear()
        self.events.clear()
