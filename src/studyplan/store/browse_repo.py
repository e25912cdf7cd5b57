"""All SQL of the card browser: searching, the rows on screen, a card's whole story,
and what a learner does to cards by hand (each change logged, undone by batch)."""

from __future__ import annotations

import itertools
import json
import re
import sqlite3
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from studyplan.core.cards.query import All, Node, Not, QueryError, Term
from studyplan.core.sm2 import Sm2State
from studyplan.core.text import fold, visible
from studyplan.store.db import fold_missing_search, transaction

SORTS = {
    "deck": "deck.name, card.position",
    "front": "card.front COLLATE NOCASE",
    "due": "card.due IS NULL, card.due",
    "interval": "card.interval",
    "ease": "card.ef_permille",
    "lapses": "card.lapses",
    "answered": "card.last_answered",
    "added": "card.id",
}
"""Columns the browser sorts by, each with its SQL (``card.id`` breaks ties)."""

ACTIONS = ("suspend", "unsuspend", "bury", "unbury", "flag", "reset", "leech", "unleech")

_MARKS = (
    "suspended, buried_until, flag, leech, repetitions, ef_permille, interval, due, lapses, sm2_due"
)
LEAD_AT_MOST = 3000
"""A set of cards smaller than this leads a search (see ``_lead_or_test``)."""
_COPIES = itertools.count(1)
"""Numbers the schemas sorted copies are attached under: each repository its own, as
two may search on one connection."""
_COPIED = (
    "id, active, suspended, buried_until, due, repetitions, interval, ef_permille, lapses, "
    "flag, leech, last_answered, deck_id, search"
)
"""The columns of the card table a search tests (all but the text shown)."""
_OPS = {"=": "=", "<": "<", "<=": "<=", ">": ">", ">=": ">="}


@dataclass(frozen=True, slots=True)
class BrowseRow:
    """One line of the browser's table."""

    id: int
    deck: str
    front: str
    state: str
    due: date | None
    interval: int
    ef_permille: int
    lapses: int
    answered: date | None
    flag: int
    key: str


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """One answer in a card's log."""

    study_day: date
    answered_at: str
    grade: int
    interval_before: int
    interval_after: int
    ef_after: int
    took_ms: int
    days_late: int
    drill: bool
    practice: bool
    imported: bool


@dataclass(frozen=True, slots=True)
class CardDetail:
    """Everything the card view shows about one card."""

    id: int
    key: str
    kind: str
    front: str
    back: str
    deck: str
    deck_key: str
    source: str
    line: int
    bundled: bool
    active: bool
    tags: tuple[str, ...]
    state: Sm2State
    suspended: bool
    buried_until: date | None
    flag: int
    leech: bool
    history: tuple[HistoryEntry, ...]


def _phrase(text: str) -> str:
    """``text`` as one FTS5 phrase: the trigram index matches it as a substring."""
    return '"' + text.replace('"', '""') + '"'


def state_of(
    active: int,
    suspended: int,
    buried_until: str | None,
    due: str | None,
    repetitions: int,
    today: str,
) -> str:
    """The word the browser shows for a card's state."""
    if not active:
        return "retired"
    if suspended:
        return "suspended"
    if buried_until and buried_until > today:
        return "buried"
    if due is None:
        return "new"
    return "learning" if repetitions < 2 else "review"


class BrowseRepository:
    """Reads and writes for the browser; rows go out as plain dataclasses."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self._folded = False
        self._indexed: bool | None = None
        self._limited = False
        self._by_id = True
        self._sort = "added"
        self._copy: tuple[str, tuple[int, int]] | None = None
        """The sort of the copy attached, and the mark it was read after."""
        self._schema = f"browse_sorted_{next(_COPIES)}"
        """The schema this repository attaches its copy under."""

    # -- searching -----------------------------------------------------

    def _fill_search(self) -> None:
        """Fold the text of cards stored before search existed (once per database)."""
        if self._folded:
            return
        self._folded = True
        missing = self.conn.execute("SELECT 1 FROM card WHERE search IS NULL LIMIT 1").fetchone()
        if missing is None:
            return
        try:
            with transaction(self.conn) as conn:
                fold_missing_search(conn)
        except sqlite3.OperationalError:
            self._folded = False  # read-only: searched below with lower() instead

    def _has_index(self) -> bool:
        """The trigram index of schema 9 is there (a database opened before its upgrade,
        read-only, has none: words are then found by a scan)."""
        if self._indexed is None:
            self._indexed = (
                self.conn.execute(
                    "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'card_text'"
                ).fetchone()
                is not None
            )
        return self._indexed

    # -- the cards in one sort's order, copied into memory ----------------

    def text_mark(self) -> tuple[int, int] | None:
        """What changes whenever a card may have: a commit by any other connection
        (``PRAGMA data_version``) or a change made through this one (``total_changes``);
        None inside a transaction, whose changes are not committed yet."""
        if self.conn.in_transaction:
            return None
        version = self.conn.execute("PRAGMA data_version").fetchone()[0]
        return version, self.conn.total_changes

    def sorted_copy(self, sort: str) -> bytes | None:
        """Every card (retired ones too), with what a search tests, in ``sort``'s order
        (ties by id), as an SQLite database serialized: its table ``sorted`` numbers the
        cards in that order (``place``), so a search reads it in that order and stops at
        a screenful, with no sort and no read of the wide card table. None while some
        card's text is not folded, or when the database cannot be read."""
        if sort not in SORTS:
            return None
        _return_big_blocks()
        stored = self._stored_uri()
        if stored is None:
            return None
        order = SORTS[sort]
        join = "JOIN main.deck AS deck ON deck.id = card.deck_id " if "deck." in order else ""
        columns = ", ".join(f"card.{column}" for column in _COPIED.split(", "))
        try:
            # Read on a connection of its own, into a database in memory (SQLite's memdb:
            # one block, given back whole when it is closed).
            conn = sqlite3.connect(stored, uri=True, isolation_level=None)
        except sqlite3.Error:
            return None
        try:
            if conn.execute("SELECT 1 FROM card WHERE search IS NULL LIMIT 1").fetchone():
                return None
            conn.execute("ATTACH 'file:studyplan-sorted?vfs=memdb' AS copy")
            conn.execute(
                """
                CREATE TABLE copy.sorted (
                    place INTEGER PRIMARY KEY, id INTEGER NOT NULL, active INTEGER,
                    suspended INTEGER, buried_until TEXT, due TEXT, repetitions INTEGER,
                    interval INTEGER, ef_permille INTEGER, lapses INTEGER, flag INTEGER,
                    leech INTEGER, last_answered TEXT, deck_id INTEGER, search TEXT)
                """
            )
            conn.execute(
                f"INSERT INTO copy.sorted ({_COPIED}) SELECT {columns} "
                f"FROM main.card AS card {join}ORDER BY {order}, card.id"
            )
            conn.execute("CREATE UNIQUE INDEX copy.sorted_id ON sorted (id)")
            return conn.serialize(name="copy")
        except sqlite3.Error:
            return None
        finally:
            conn.close()

    def _stored_uri(self) -> str | None:
        """A read-only URI of the database file this connection reads (None in memory)."""
        from urllib.parse import quote

        try:
            files = {row[1]: row[2] for row in self.conn.execute("PRAGMA database_list")}
            query_only = self.conn.execute("PRAGMA query_only").fetchone()[0]
        except sqlite3.Error:
            return None
        if not files.get("main"):
            return None
        # A database opened read-only (a read-only disk) is read as it was opened.
        return f"file:{quote(files['main'])}?mode=ro" + ("&immutable=1" if query_only else "")

    def hold_sorted_copy(self, sort: str, copy: bytes | None, mark: tuple[int, int] | None) -> None:
        """Search sorted by ``sort`` in ``copy`` (from ``sorted_copy``, read after ``mark``
        was taken on this connection) for as long as the mark stays the same; the copy
        held before is let go."""
        self._drop_copy()
        if copy is None or mark is None or mark != self.text_mark():
            return
        try:
            self.conn.execute(f"ATTACH ':memory:' AS {self._schema}")
            self.conn.deserialize(copy, name=self._schema)
        except sqlite3.Error:
            self._detach_copy()
            return
        self._copy = (sort, mark)

    def holds_sorted_copy(self, sort: str) -> bool:
        """A copy of the cards in ``sort``'s order is held, and still as stored."""
        if self._copy is not None and self.text_mark() != self._copy[1]:
            self._drop_copy()
        return self._copy is not None and self._copy[0] == sort

    def drop_sorted_copy(self) -> None:
        """Let go of the copy held (its memory, and its schema on the connection)."""
        self._drop_copy()

    def _drop_copy(self) -> None:
        if self._copy is not None:
            self._copy = None
            self._detach_copy()

    def _detach_copy(self) -> None:
        try:
            self.conn.execute(f"DETACH {self._schema}")
        except sqlite3.Error:
            pass  # not attached (or a statement on it is still open: let go with the conn)

    def search(
        self,
        query: Node,
        today: date,
        sort: str = "added",
        descending: bool = False,
        limit: int | None = None,
    ) -> list[int]:
        """The ids of every card ``query`` matches, in ``sort`` order; with ``limit``, only
        the first ``limit`` of them (the same as the head of the whole list)."""
        self._fill_search()
        self._limited = limit is not None
        self._by_id = sort not in SORTS or sort == "added"
        self._sort = sort if sort in SORTS else "added"
        where, params = self._where(query, today, top=True)
        if not _mentions(query, "is", "retired"):
            # "+": not through an index on active, which would read the table out of
            # order and sort it after; a scan in id order needs no sort for the default.
            where = f"+card.active = 1 AND ({where})"
        direction = " DESC" if descending else ""
        if limit is not None and self._folded and self.holds_sorted_copy(sort):
            # Read in the sort's order, it stops at the screenful: no sort, and no scan of
            # the wide card table. A few cards that lead are found by id and sorted.
            # By when added, the copy's order is the ids': a list of cards (a tag) is then
            # read through the id index in that order and stops too (7 ms, not 21 for a
            # list of 30,000); anything else is a scan in place order (23 ms, not 37, for
            # a word no card holds).
            place = "card.id" if self._by_id and "card.id IN (" in where else "card.place"
            sql = (
                f"SELECT card.id FROM {self._schema}.sorted AS card WHERE {where} "
                f"ORDER BY {place}{direction} LIMIT {int(limit)}"
            )
            return [row[0] for row in self.conn.execute(sql, params)]
        order = SORTS.get(sort, SORTS["added"])
        order = ", ".join(f"{part}{direction}" for part in order.split(", "))
        join = "JOIN deck ON deck.id = card.deck_id " if "deck." in order else ""
        sql = f"SELECT card.id FROM card {join}WHERE {where} ORDER BY {order}, card.id{direction}"
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        return [row[0] for row in self.conn.execute(sql, params)]

    def _where(self, node: Node, today: date, top: bool = False) -> tuple[str, list[object]]:
        """SQL for ``node``; ``top``: one of the conditions every result meets (not under
        an ``or`` or a ``-``), which may lead the search instead of being tested."""
        if isinstance(node, Term):
            if top and node.field == "answered" and self._sort == "answered":
                # The range of the very index the result is read in: it leads and stops.
                return "card.last_answered >= ?", [self._answered_since(node, today)]
            sql, params = self._term(node, today)
            scan = [str(node.value)] if self._indexed_word(node) else None
            return self._lead_or_test(sql, params, top, scan=scan)
        if isinstance(node, Not):
            sql, params = self._where(node.part, today)
            return f"NOT {sql}", params
        if not node.parts:
            return "1", []
        parts = list(node.parts)
        pieces, params = [], []
        every = isinstance(node, All)
        if every:
            # Words of three characters or more all go to the index in one match: it
            # intersects them itself, instead of listing every card each word is in.
            words = [p for p in parts if isinstance(p, Term) and self._indexed_word(p)]
            if len(words) > 1:
                parts = [p for p in parts if not any(p is w for w in words)]
                sql, more = self._lead_or_test(
                    "card.id IN (SELECT rowid FROM card_text WHERE card_text MATCH ?)",
                    [" ".join(_phrase(str(w.value)) for w in words)],
                    top,
                    scan=[str(w.value) for w in words],
                )
                pieces.append(sql)
                params += more
        for part in parts:
            sql, more = self._where(part, today, top and every)
            pieces.append(sql)
            params += more
        return "(" + (" AND " if every else " OR ").join(pieces) + ")", params

    def _lead_or_test(
        self, sql: str, params: list[object], top: bool, scan: list[str] | None = None
    ) -> tuple[str, list[object]]:
        """A term's condition as SQLite should use it. A set of a few cards (a rare word,
        a small deck, cards answered lately) leads: read through its index in id order;
        for the first screenful in id order, so does any list of cards but an index
        match (a tag, answered:), which is built whole anyway. Any other condition is tested on each card of a scan in id order, which stops as
        soon as a screenful is found (NULL counting as false); for the first screenful,
        a common word (``scan``: the words of an index match) is looked for in each
        card's text, which costs less than listing every card that holds it."""
        if top and sql.startswith("card.deck_id IN ("):
            if self._by_id or self._few(f"SELECT 1 FROM card WHERE {sql}", params):
                return sql, params
            # Many cards in another order: read through the deck index, every one of them
            # is read and sorted (0.1 s for half of 100,000 cards); tested instead, on a
            # scan that stops at a screenful where an index gives the order.
            return f"+{sql}", params
        if top and scan is None and self._limited and self._by_id and sql.startswith("card.id IN"):
            # The list is built whole whether it leads or is tested; read in id order, it
            # stops at a screenful (cards answered lately are the newest: a scan from the
            # oldest read 80,000 cards before the first).
            return sql, params
        if sql.startswith("card.id IN (SELECT ") and (top or (scan and self._limited)):
            few = self.conn.execute(
                f"SELECT COUNT(*) FROM ({sql[len('card.id IN (') : -1]} LIMIT {LEAD_AT_MOST})",
                params,
            ).fetchone()[0]
            if few < LEAD_AT_MOST and top:
                return sql, params
            if few >= LEAD_AT_MOST and scan and self._limited:
                return " AND ".join(["instr(card.search, ?) > 0"] * len(scan)), list(scan)
        return f"COALESCE(({sql}), 0)", params

    def _indexed_word(self, term: Term) -> bool:
        """A free word the trigram index can find: three characters or more, with the
        text of every card folded (else words are scanned for)."""
        return (
            term.field == "text"
            and len(str(term.value)) >= 3
            and self._folded
            and self._has_index()
        )

    def _term(self, term: Term, today: date) -> tuple[str, list[object]]:
        day = today.isoformat()
        field, value, op = term.field, term.value, _OPS[term.op]
        if field == "text":
            if self._indexed_word(term):
                # A trigram index finds any substring of three characters or more.
                return "card.id IN (SELECT rowid FROM card_text WHERE card_text MATCH ?)", [
                    _phrase(str(value))
                ]
            column = "card.search" if self._folded else "lower(card.front || char(10) || card.back)"
            return f"instr({column}, ?) > 0", [value]
        if field == "deck":
            ids, decks = self._decks_matching(str(value))
            if not ids:
                return "0", []
            marks = ", ".join("?" * len(ids))
            if 2 * len(ids) > decks:
                # Most decks: cheaper tested card by card in id order than read through
                # the deck index and sorted again.
                return f"+card.deck_id IN ({marks})", list(ids)
            return f"card.deck_id IN ({marks})", list(ids)  # may lead (_lead_or_test)
        if field == "tag":
            if value == "leech":
                return "card.leech = 1", []
            pattern = str(value).replace("[", "[[]").replace("?", "[?]")
            return "card.id IN (SELECT card_id FROM card_tag WHERE tag GLOB ?)", [pattern]
        if field == "is":
            return _STATE_SQL[str(value)], [day] if "?" in _STATE_SQL[str(value)] else []
        if field == "flag":
            return "card.flag = ?", [value]
        if field == "due":
            target = (today + timedelta(days=int(value))).isoformat()
            return f"card.due IS NOT NULL AND card.due {op} ?", [target]
        if field == "ivl":
            return f"card.due IS NOT NULL AND card.interval {op} ?", [value]
        if field == "lapses":
            return f"card.lapses {op} ?", [value]
        if field == "ease":
            return f"card.due IS NOT NULL AND card.ef_permille {op} ?", [round(float(value) * 1000)]
        if field == "answered":
            # From each card's last answered day (schema 10), through its index: not the
            # log, ten times as long.
            return "card.id IN (SELECT id FROM card WHERE last_answered >= ?)", [
                self._answered_since(term, today)
            ]
        raise QueryError(f"there is no search field {field!r}", 0)  # the parser never gives one

    def _answered_since(self, term: Term, today: date) -> str:
        """The first study day ``answered:N`` reaches back to (N days, today included)."""
        return (today - timedelta(days=int(term.value) - 1)).isoformat()

    def _few(self, select: str, params: list[object]) -> bool:
        """``select`` gives fewer than ``LEAD_AT_MOST`` rows (read up to that many)."""
        found = self.conn.execute(
            f"SELECT COUNT(*) FROM ({select} LIMIT {LEAD_AT_MOST})", params
        ).fetchone()[0]
        return found < LEAD_AT_MOST

    def _decks_matching(self, folded: str) -> tuple[list[int], int]:
        """The ids of the decks whose name or key holds ``folded``, and how many decks
        there are."""
        decks = self.conn.execute("SELECT id, key, name FROM deck").fetchall()
        found = [i for i, key, name in decks if folded in fold(name) or folded in fold(key)]
        return found, len(decks)

    def rows(self, ids: list[int], today: date) -> list[BrowseRow]:
        """The table rows of ``ids`` (in that order; ids no longer stored are left out)."""
        if not ids:
            return []
        marks = ", ".join("?" * len(ids))
        found = {}
        for row in self.conn.execute(
            f"""
            SELECT card.id, deck.name, card.front, card.active, card.suspended,
                   card.buried_until, card.due, card.repetitions, card.interval,
                   card.ef_permille, card.lapses, card.flag, card.key, card.last_answered
            FROM card JOIN deck ON deck.id = card.deck_id WHERE card.id IN ({marks})
            """,
            ids,
        ):
            (card_id, deck, front, active, suspended, buried, due, reps) = row[:8]
            interval, ef, lapses, flag, key, answered = row[8:]
            found[card_id] = BrowseRow(
                id=card_id,
                deck=visible(deck),
                front=visible(_one_line(front)),
                state=state_of(active, suspended, buried, due, reps, today.isoformat()),
                due=date.fromisoformat(due) if due else None,
                interval=interval,
                ef_permille=ef,
                lapses=lapses,
                answered=date.fromisoformat(answered) if answered else None,
                flag=flag,
                key=key,
            )
        return [found[i] for i in ids if i in found]

    def detail(self, card_id: int) -> CardDetail:
        """One card with its source, marks and whole review log; ``KeyError`` if unknown."""
        row = self.conn.execute(
            """
            SELECT card.id, card.key, card.kind, card.front, card.back, deck.name, deck.key,
                   deck.source_path, card.line, deck.bundled, card.active, card.repetitions,
                   card.ef_permille, card.interval, card.due, card.lapses, card.suspended,
                   card.buried_until, card.flag, card.leech
            FROM card JOIN deck ON deck.id = card.deck_id WHERE card.id = ?
            """,
            (card_id,),
        ).fetchone()
        if row is None:
            raise KeyError(card_id)
        tags = tuple(
            t
            for (t,) in self.conn.execute(
                "SELECT tag FROM card_tag WHERE card_id = ? ORDER BY tag", (card_id,)
            )
        )
        history = tuple(
            HistoryEntry(
                study_day=date.fromisoformat(r[0]),
                answered_at=r[1],
                grade=r[2],
                interval_before=r[3],
                interval_after=r[4],
                ef_after=r[5],
                took_ms=r[6],
                days_late=r[7],
                drill=bool(r[8]),
                practice=bool(r[9]),
                imported=bool(r[10]),
            )
            for r in self.conn.execute(
                "SELECT study_day, answered_at, grade, before_interval, after_interval, "
                "after_ef_permille, took_ms, days_late, is_drill, practice, imported "
                "FROM review WHERE card_id = ? ORDER BY julianday(answered_at), id",
                (card_id,),
            )
        )
        return CardDetail(
            id=row[0],
            key=row[1],
            kind=row[2],
            front=visible(row[3]),
            back=visible(row[4]),
            deck=visible(row[5]),
            deck_key=row[6],
            source=visible(row[7]),
            line=row[8],
            bundled=bool(row[9]),
            active=bool(row[10]),
            tags=tuple(visible(t) for t in tags),
            state=Sm2State(
                repetitions=row[11],
                ef_permille=row[12],
                interval=row[13],
                due=date.fromisoformat(row[14]) if row[14] else None,
                lapses=row[15],
            ),
            suspended=bool(row[16]),
            buried_until=date.fromisoformat(row[17]) if row[17] else None,
            flag=row[18],
            leech=bool(row[19]),
            history=history,
        )

    def known_ids(self, ids: list[int]) -> list[int]:
        """The ids among ``ids`` that name a stored card."""
        if not ids:
            return []
        marks = ", ".join("?" * len(ids))
        found = {r[0] for r in self.conn.execute(f"SELECT id FROM card WHERE id IN ({marks})", ids)}
        return [i for i in ids if i in found]

    # -- changing cards by hand -----------------------------------------

    def change(
        self,
        ids: list[int],
        *actions: str,
        today: date,
        moment: datetime,
        flag: int = 0,
    ) -> int:
        """Apply ``actions`` to every card of ``ids`` in one transaction; the number changed.

        Every change is logged with the card's marks before and after, under one
        batch, so that ``undo`` takes back the whole key press.
        """
        for action in actions:
            if action not in ACTIONS:
                raise ValueError(f"unknown card action {action!r}")
        action = ",".join(actions)
        changed = 0
        with transaction(self.conn) as conn:
            batch = (
                (conn.execute("SELECT COALESCE(MAX(batch), 0) FROM card_action").fetchone()[0]) + 1
            )
            for card_id in ids:
                row = conn.execute(f"SELECT {_MARKS} FROM card WHERE id = ?", (card_id,)).fetchone()
                if row is None:
                    continue
                before = dict(zip(_MARKS.split(", "), row, strict=True))
                after = dict(before)
                for one in actions:
                    after = _apply(after, one, today, flag)
                if after == before:
                    continue
                sets = ", ".join(f"{k} = ?" for k in after)
                conn.execute(f"UPDATE card SET {sets} WHERE id = ?", (*after.values(), card_id))
                conn.execute(
                    "INSERT INTO card_action (card_id, action, before, after, done_at, study_day, batch) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (
                        card_id,
                        action,
                        json.dumps(before),
                        json.dumps(after),
                        moment.isoformat(),
                        today.isoformat(),
                        batch,
                    ),
                )
                changed += 1
        return changed

    def undo(self) -> tuple[str, int] | None:
        """Take back the last batch of card actions not yet undone: (action, cards). Only
        the learner's own key presses: batch 0 holds actions merged from another machine
        and an import's marks, which no key here made."""
        with transaction(self.conn) as conn:
            row = conn.execute(
                "SELECT batch, action FROM card_action WHERE undone = 0 AND batch > 0 "
                "ORDER BY id DESC LIMIT 1"
            ).fetchone()
            if row is None:
                return None
            batch, action = row
            actions = conn.execute(
                "SELECT id, card_id, before FROM card_action WHERE batch = ? AND undone = 0 "
                "ORDER BY id DESC",
                (batch,),
            ).fetchall()
            for action_id, card_id, before in actions:
                marks = json.loads(before)
                sets = ", ".join(f"{k} = ?" for k in marks)
                conn.execute(f"UPDATE card SET {sets} WHERE id = ?", (*marks.values(), card_id))
                conn.execute("UPDATE card_action SET undone = 1 WHERE id = ?", (action_id,))
        return action, len(actions)

    # -- saved searches ------------------------------------------------------

    def saved_searches(self) -> list[tuple[str, str]]:
        """(name, query) of every saved search, by name."""
        return [
            (visible(name), visible(query))
            for name, query in self.conn.execute(
                "SELECT name, query FROM saved_search ORDER BY name COLLATE NOCASE"
            )
        ]

    def save_search(self, name: str, query: str, moment: datetime) -> None:
        """Keep ``query`` under ``name`` (replacing one of that name)."""
        with transaction(self.conn) as conn:
            conn.execute(
                "INSERT INTO saved_search (name, query, created_at) VALUES (?, ?, ?) "
                "ON CONFLICT (name) DO UPDATE SET query = excluded.query",
                (name, query, moment.isoformat()),
            )

    def delete_search(self, name: str) -> None:
        """Forget the saved search ``name``."""
        with transaction(self.conn) as conn:
            conn.execute("DELETE FROM saved_search WHERE name = ?", (name,))

    # -- more new cards today ------------------------------------------------

    def add_extra_new(self, today: date, deck_key: str, extra: int) -> int:
        """Raise today's new-card limit for ``deck_key`` ("*" for all decks); the new total."""
        with transaction(self.conn) as conn:
            conn.execute(
                "INSERT INTO extra_new (study_day, deck_key, extra) VALUES (?, ?, ?) "
                "ON CONFLICT (study_day, deck_key) DO UPDATE SET extra = extra + excluded.extra",
                (today.isoformat(), deck_key, extra),
            )
            return conn.execute(
                "SELECT extra FROM extra_new WHERE study_day = ? AND deck_key = ?",
                (today.isoformat(), deck_key),
            ).fetchone()[0]


_STATE_SQL = {
    "new": "card.due IS NULL",
    "due": "card.due IS NOT NULL AND card.due <= ? AND card.suspended = 0",
    "learning": "card.due IS NOT NULL AND card.repetitions < 2",
    "review": "card.due IS NOT NULL AND card.repetitions >= 2",
    "suspended": "card.suspended = 1",
    "buried": "card.buried_until IS NOT NULL AND card.buried_until > ?",
    "leech": "card.leech = 1",
    "flagged": "card.flag > 0",
    "retired": "card.active = 0",
}


_BIG_BLOCKS = {"returned": False}


def _return_big_blocks() -> None:
    """Have the C allocator give a block of 1 MB or more back to the system as soon as it
    is freed (glibc's ``M_MMAP_THRESHOLD``; elsewhere nothing is done). A sorted copy is
    three such blocks on its way from a worker to the app (its database, the bytes, the
    app's copy of them), and glibc raises its threshold to the largest block freed, so
    every copy after the first stayed resident: browsing 100,000 cards took 135 MB after
    one sort change, 93 MB with this."""
    if _BIG_BLOCKS["returned"]:
        return
    _BIG_BLOCKS["returned"] = True
    try:
        import ctypes

        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return  # not glibc
    mallopt(-3, 1 << 20)  # M_MMAP_THRESHOLD, which also ends its raising


def _mentions(node: Node, field: str, value: object) -> bool:
    if isinstance(node, Term):
        return node.field == field and node.value == value
    if isinstance(node, Not):
        return _mentions(node.part, field, value)
    return any(_mentions(part, field, value) for part in node.parts)


_ESCAPED = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|])")


def _one_line(text: str) -> str:
    """The text on one line, markdown's backslash escapes taken out (``\\[...\\]``)."""
    return _ESCAPED.sub(r"\1", " ".join(text.split()))


def _apply(before: dict[str, object], action: str, today: date, flag: int) -> dict[str, object]:
    after = dict(before)
    if action == "suspend":
        after["suspended"] = 1
    elif action == "unsuspend":
        after["suspended"] = 0
    elif action == "bury":
        after["buried_until"] = (today + timedelta(days=1)).isoformat()
    elif action == "unbury":
        after["buried_until"] = None
    elif action == "flag":
        after["flag"] = flag
    elif action == "leech":
        after["leech"] = 1
    elif action == "unleech":
        after["leech"] = 0
    elif action == "reset":
        # Back to new: the SM-2 state of a card never answered; the log keeps its history.
        after.update(
            repetitions=0, ef_permille=2500, interval=0, due=None, sm2_due=None, lapses=0, leech=0
        )
    return after
