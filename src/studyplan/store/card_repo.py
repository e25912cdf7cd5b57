"""All SQL about cards and answers; rows go in and out as core objects."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from studyplan.core.cards.keys import note_key
from studyplan.core.cards.order import NEW_CARD_ORDERS, take_turns
from studyplan.core.sm2 import Sm2State
from studyplan.core.text import visible
from studyplan.store.db import transaction

if TYPE_CHECKING:
    from studyplan.core.fsrs_state import FsrsSettings, FsrsState
    from studyplan.core.schedulers import SchedulerName

# SM-2's state (its own due day is sm2_due; card.due is the active scheduler's), then FSRS's.
_STATE_COLUMNS = "repetitions, ef_permille, interval, sm2_due, lapses"
_FSRS_COLUMNS = "fsrs_stability, fsrs_difficulty, fsrs_last_review, fsrs_due, fsrs_reviews"
_CARD_COLUMNS = (
    "SELECT card.id, card.deck_id, deck.name, card.front, card.back, card.kind, "
    "card.repetitions, card.ef_permille, card.interval, card.sm2_due, card.lapses, card.key, "
    "card.fsrs_stability, card.fsrs_difficulty, card.fsrs_last_review, card.fsrs_due, "
    "card.fsrs_reviews, card.due "
)
_CARD_SELECT = _CARD_COLUMNS + "FROM card JOIN deck ON deck.id = card.deck_id "
# A card a learner can be shown today: in its file, not suspended, not buried past today.
_SHOWABLE = "card.active = 1 AND card.suspended = 0 AND (card.buried_until IS NULL OR card.buried_until <= ?)"


@dataclass(frozen=True, slots=True)
class StoredCard:
    """A card ready to be shown, with the state it had when read."""

    id: int
    deck_id: int
    deck_name: str
    front: str
    back: str
    kind: str
    state: Sm2State
    """SM-2's state, whichever scheduler is active."""
    fsrs: FsrsState
    """FSRS's state, replayed from the log and cached (advanced on every answer too)."""
    due: date | None
    """The day the queue has the card due: the active scheduler's."""
    key: str = ""
    """The card's id in its deck (cloze cards of one note share what comes before ``#``)."""

    @property
    def note(self) -> tuple[int, str]:
        """The note this card was made from: its siblings share it."""
        return (self.deck_id, note_key(self.key))


@dataclass(frozen=True, slots=True)
class DeckSummary:
    """One row of the home screen."""

    id: int
    key: str
    name: str
    description: str
    due: int
    new: int
    total: int


@dataclass(frozen=True, slots=True)
class Answer:
    """One stored answer, enough to show it and to undo it."""

    review_id: int
    card_id: int
    grade: int
    is_drill: bool
    before: Sm2State
    after: Sm2State
    before_fsrs: FsrsState
    after_fsrs: FsrsState
    after_due: date | None
    """The queue's due day after the answer (the active scheduler's)."""


class StaleCardError(Exception):
    """The card changed in the database since it was read (another studyplan answered it)."""


def _state(row: tuple) -> Sm2State:
    repetitions, ef, interval, due, lapses = row
    return Sm2State(
        repetitions=repetitions,
        ef_permille=ef,
        interval=interval,
        due=date.fromisoformat(due) if due else None,
        lapses=lapses,
    )


def fsrs_state(row: tuple) -> FsrsState:
    """An FSRS state from the five ``_FSRS_COLUMNS`` of a card row."""
    from studyplan.core.fsrs_state import FsrsState, State

    stability, difficulty, last, due, reviews = row
    if last is None or stability is None or difficulty is None:
        return FsrsState()
    return FsrsState(
        stability=stability,
        difficulty=difficulty,
        state=State.Review,
        step=None,
        last_review=date.fromisoformat(last),
        due=date.fromisoformat(due) if due else None,
        reviews=reviews,
    )


def fsrs_values(state: FsrsState) -> tuple:
    """The five ``_FSRS_COLUMNS`` values of ``state``."""
    return (
        state.stability,
        state.difficulty,
        _iso(state.last_review),
        _iso(state.due),
        state.reviews,
    )


def _card(row: tuple) -> StoredCard:
    # Text is made visible on the way out as well as when files are parsed: a database
    # file from elsewhere may hold anything.
    return StoredCard(
        id=row[0],
        deck_id=row[1],
        deck_name=visible(row[2]),
        front=visible(row[3]),
        back=visible(row[4]),
        kind=row[5],
        state=_state(row[6:11]),
        key=row[11],
        fsrs=fsrs_state(row[12:17]),
        due=date.fromisoformat(row[17]) if row[17] else None,
    )


class CardRow:
    """A card in today's queue: its id, note and both states, read with the queue, and
    its text read when it comes up.

    A queue holds every card due today, thousands after a break; reading each one's
    text and building it whole (three dataclasses, dates parsed, text checked) held the
    first card back by about 80 ms at start-up. The states are the queue's, so an answer
    still finds a card changed elsewhere meanwhile (``StaleCardError``); the text is read
    as it stands when the card is shown (cards are never deleted, only made inactive)."""

    __slots__ = ("_built", "_conn", "_note", "row")

    def __init__(self, conn: sqlite3.Connection, row: tuple) -> None:
        self._conn = conn
        self.row = row
        """The ``_QUEUE_COLUMNS`` of the card."""
        self._built: StoredCard | None = None
        self._note: tuple[int, str] | None = None

    @property
    def id(self) -> int:
        return self.row[0]

    @property
    def note(self) -> tuple[int, str]:
        """The note this card was made from (as ``StoredCard.note``; the queue asks for
        it two or three times a card)."""
        note = self._note
        if note is None:
            note = self._note = (self.row[1], note_key(self.row[2]))
        return note

    @property
    def card(self) -> StoredCard:
        """The card, its text read the first time it is asked for."""
        built = self._built
        if built is None:
            card_id, deck_id, key, *states = self.row
            text = self._conn.execute(
                "SELECT deck.name, card.front, card.back, card.kind FROM card "
                "JOIN deck ON deck.id = card.deck_id WHERE card.id = ?",
                (card_id,),
            ).fetchone()
            # The row _card reads: _CARD_COLUMNS' order.
            built = self._built = _card((card_id, deck_id, *text, *states[:5], key, *states[5:]))
        return built

    def __eq__(self, other: object) -> bool:
        return isinstance(other, CardRow) and other.row == self.row

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"CardRow(id={self.id})"


_QUEUE_COLUMNS = (
    "SELECT card.id, card.deck_id, card.key, card.repetitions, card.ef_permille, card.interval, "
    "card.sm2_due, card.lapses, card.fsrs_stability, card.fsrs_difficulty, "
    "card.fsrs_last_review, card.fsrs_due, card.fsrs_reviews, card.due "
)
"""What a queue reads of each card with the queue (``CardRow``): all but its text."""


def _forget_day_totals(conn: sqlite3.Connection, study_day: str) -> None:
    """Drop cached day totals from ``study_day`` on: its answers are changing.

    Normally nothing is cached that late; but a clock that once read weeks
    ahead closes (and caches) days that are still being studied.
    """
    conn.execute("DELETE FROM day_total WHERE study_day >= ?", (study_day,))


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


class Repository:
    """The one place that reads and writes cards and answers."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    # -- reading -------------------------------------------------------

    def deck_summaries(self, today: date) -> list[DeckSummary]:
        """Every active deck with its due, new and total card counts."""
        rows = self.conn.execute(
            """
            SELECT deck.id, deck.key, deck.name, deck.description,
                   COALESCE(SUM(card.due IS NOT NULL AND card.due <= ?), 0),
                   COALESCE(SUM(card.due IS NULL), 0),
                   COUNT(card.id)
            FROM deck LEFT JOIN card ON card.deck_id = deck.id AND card.active = 1
            WHERE deck.active = 1
            GROUP BY deck.id ORDER BY deck.bundled, deck.name
            """,
            (today.isoformat(),),
        ).fetchall()
        return [
            DeckSummary(deck, key, visible(name), visible(description), *counts)
            for deck, key, name, description, *counts in rows
        ]

    def done_today(self, today: date) -> tuple[int, int]:
        """(reviews, new cards) given a scheduling answer on study day ``today``."""
        row = self.conn.execute(
            "SELECT COALESCE(SUM(before_due IS NOT NULL), 0), COALESCE(SUM(before_due IS NULL), 0) "
            "FROM review WHERE study_day = ? AND is_drill = 0",
            (today.isoformat(),),
        ).fetchone()
        return row[0], row[1]

    def due_cards(self, today: date, deck_id: int | None, limit: int) -> list[CardRow]:
        """Cards due on or before ``today``, most overdue first."""
        if limit <= 0:
            return []
        where, args = self._deck_filter(deck_id)
        rows = self.conn.execute(
            _QUEUE_COLUMNS
            + f"FROM card WHERE {_SHOWABLE} AND card.due IS NOT NULL AND card.due <= ? {where} "
            "ORDER BY card.due, card.id LIMIT ?",
            (today.isoformat(), today.isoformat(), *args, limit),
        ).fetchall()
        return [CardRow(self.conn, row) for row in rows]

    def new_cards(
        self,
        deck_id: int | None,
        limit: int,
        favoured: tuple[str, ...] = (),
        *,
        today: date,
        order: str = "mixed",
    ) -> list[CardRow]:
        """Up to ``limit`` cards never answered, those with a ``favoured`` tag first.

        ``order`` "mixed" takes one card from each deck in turn (the first deck
        turns with the day, so no subject always leads), "deck" takes deck after
        deck, "random" shuffles with a seed of the day; within a deck, cards keep
        their file order except under "random".
        """
        if limit <= 0:
            return []
        if order not in NEW_CARD_ORDERS:
            raise ValueError(f"new card order must be one of {', '.join(NEW_CARD_ORDERS)}")
        day = today.isoformat()
        if order == "random":
            return self._new_shuffled(deck_id, limit, favoured, today)
        decks = [deck_id] if deck_id is not None else self._active_deck_ids()
        groups: list[list[CardRow]] = []
        for want_favoured in (True, False) if favoured else (False,):
            per_deck = [self._new_in_deck(d, limit, favoured, want_favoured, day) for d in decks]
            if order == "mixed":
                groups.append(take_turns(per_deck, today.toordinal()))
            else:
                groups.append([card for cards in per_deck for card in cards])
        return [card for group in groups for card in group][:limit]

    def _active_deck_ids(self) -> list[int]:
        return [
            row[0]
            for row in self.conn.execute(
                "SELECT id FROM deck WHERE active = 1 ORDER BY bundled, name, id"
            )
        ]

    def _new_in_deck(
        self, deck_id: int, limit: int, favoured: tuple[str, ...], want_favoured: bool, day: str
    ) -> list[CardRow]:
        """New cards of one deck in file order (the card_new index walks them)."""
        tag_filter = ""
        if favoured:
            marks = ", ".join("?" * len(favoured))
            tag_filter = (
                f"AND {'' if want_favoured else 'NOT '}EXISTS (SELECT 1 FROM card_tag "
                f"WHERE card_id = card.id AND tag IN ({marks})) "
            )
        rows = self.conn.execute(
            _QUEUE_COLUMNS + "FROM card INDEXED BY card_new "
            f"WHERE card.deck_id = ? AND card.due IS NULL AND card.active = 1 "
            "AND card.suspended = 0 AND (card.buried_until IS NULL OR card.buried_until <= ?) "
            f"{tag_filter}ORDER BY card.position LIMIT ?",
            (deck_id, day, *favoured, limit),
        ).fetchall()
        return [CardRow(self.conn, row) for row in rows]

    def _new_shuffled(
        self, deck_id: int | None, limit: int, favoured: tuple[str, ...], today: date
    ) -> list[CardRow]:
        where, args = self._deck_filter(deck_id)
        first = ""
        if favoured:
            marks = ", ".join("?" * len(favoured))
            first = f"NOT EXISTS (SELECT 1 FROM card_tag WHERE card_id = card.id AND tag IN ({marks})), "
        # A multiplicative hash of the id with the day as seed: a fixed order all day
        # (a restarted session shows the same cards), a new one tomorrow.
        seed = today.toordinal() * 2654435761 % 4294967296
        rows = self.conn.execute(
            _QUEUE_COLUMNS + f"FROM card WHERE {_SHOWABLE} AND card.due IS NULL {where} "
            f"ORDER BY {first}(card.id * 2246822519 + ?) % 4294967291, card.id LIMIT ?",
            (today.isoformat(), *args, *favoured, seed, limit),
        ).fetchall()
        return [CardRow(self.conn, row) for row in rows]

    def notes_answered(self, today: date) -> set[tuple[int, str]]:
        """The notes (deck, note key) with a scheduling answer on ``today``: their other
        cards (siblings) wait for another day."""
        rows = self.conn.execute(
            "SELECT DISTINCT card.deck_id, card.key FROM review JOIN card ON card.id = review.card_id "
            "WHERE review.study_day = ? AND review.is_drill = 0 AND review.practice = 0",
            (today.isoformat(),),
        )
        return {(deck, note_key(key)) for deck, key in rows}

    def drill_pending(self, today: date, deck_id: int | None) -> list[CardRow]:
        """Cards graded below 4 today that have not yet been drilled to 4 or 5."""
        where, args = self._deck_filter(deck_id)
        # The day's answers lead (CROSS JOIN keeps them first): left to itself, SQLite
        # walks every active card to test each against them, 20 ms at 100k cards.
        rows = self.conn.execute(
            _QUEUE_COLUMNS
            + f"""
            FROM (
                SELECT card_id FROM review WHERE study_day = ?
                GROUP BY card_id
                HAVING SUM(is_drill = 0 AND grade < 4) > 0 AND SUM(is_drill = 1 AND grade >= 4) = 0
            ) AS pending CROSS JOIN card ON card.id = pending.card_id
            WHERE card.active = 1 AND card.suspended = 0 {where} ORDER BY card.id
            """,
            (today.isoformat(), *args),
        ).fetchall()
        return [CardRow(self.conn, row) for row in rows]

    def cards(self, card_ids: list[int]) -> list[StoredCard]:
        """The cards of ``card_ids`` that are stored and in their files, in that order."""
        found: dict[int, StoredCard] = {}
        for start in range(0, len(card_ids), 500):
            chunk = card_ids[start : start + 500]
            marks = ", ".join("?" * len(chunk))
            for row in self.conn.execute(
                _CARD_SELECT + f"WHERE card.active = 1 AND card.id IN ({marks})", chunk
            ):
                found[row[0]] = _card(row)
        return [found[i] for i in card_ids if i in found]

    def showable(self, card_id: int, today: date) -> bool:
        """True when the card may be shown on ``today`` (not suspended, buried or retired)."""
        row = self.conn.execute(
            f"SELECT 1 FROM card WHERE id = ? AND {_SHOWABLE}", (card_id, today.isoformat())
        ).fetchone()
        return row is not None

    def extra_new(self, today: date, deck_id: int | None) -> int:
        """New cards added to today's limit by hand, for all decks ("*") and for ``deck_id``."""
        row = self.conn.execute(
            "SELECT COALESCE(SUM(extra), 0) FROM extra_new WHERE study_day = ? AND (deck_key = '*' "
            "OR deck_key = (SELECT key FROM deck WHERE id = ?))",
            (today.isoformat(), deck_id),
        ).fetchone()
        return row[0]

    def card(self, card_id: int) -> StoredCard:
        """One card as it is stored now."""
        row = self.conn.execute(_CARD_SELECT + "WHERE card.id = ?", (card_id,)).fetchone()
        if row is None:
            raise KeyError(card_id)
        return _card(row)

    def deck_source(self, deck_id: int) -> str | None:
        """The deck file a deck was read from."""
        row = self.conn.execute("SELECT source_path FROM deck WHERE id = ?", (deck_id,)).fetchone()
        return row[0] if row else None

    @staticmethod
    def _deck_filter(deck_id: int | None) -> tuple[str, tuple[int, ...]]:
        return ("AND card.deck_id = ?", (deck_id,)) if deck_id is not None else ("", ())

    # -- writing -------------------------------------------------------

    def record_answer(
        self,
        card_id: int,
        seen: Sm2State,
        after: Sm2State | None,
        grade: int,
        *,
        moment: datetime,
        zone: str,
        today: date,
        took_ms: int,
        practice: bool = False,
    ) -> Answer:
        """Store one answer and, for a scheduling answer, the card's new states.

        ``after`` is SM-2's next state, or None for a drill answer. A scheduling
        answer advances the card's FSRS state here too, whichever scheduler is
        active, so no caller can advance one without the other; the active one
        sets ``card.due``. Raises ``StaleCardError`` when the card's stored SM-2
        state is no longer ``seen``; nothing is written then.
        A practice answer (custom study) is logged as such and, like a drill, changes
        no schedule.
        """
        with transaction(self.conn) as conn:
            row = conn.execute(
                f"SELECT {_STATE_COLUMNS}, {_FSRS_COLUMNS}, due, key FROM card WHERE id = ?",
                (card_id,),
            ).fetchone()
            if row is None or _state(row[:5]) != seen:
                raise StaleCardError(card_id)
            before_fsrs = fsrs_state(row[5:10])
            before_due = date.fromisoformat(row[10]) if row[10] else None
            new, new_fsrs, new_due = seen, before_fsrs, before_due
            if after is not None:
                from studyplan.core.fsrs_scheduler import advance

                active, settings = scheduler_settings(conn)
                new = after
                new_fsrs = advance(before_fsrs, today, grade, row[11], settings)
                new_due = new.due if active == "sm2" else new_fsrs.due
                conn.execute(
                    "UPDATE card SET repetitions = ?, ef_permille = ?, interval = ?, sm2_due = ?, "
                    "lapses = ?, fsrs_stability = ?, fsrs_difficulty = ?, fsrs_last_review = ?, "
                    "fsrs_due = ?, fsrs_reviews = ?, due = ? WHERE id = ?",
                    (
                        new.repetitions,
                        new.ef_permille,
                        new.interval,
                        _iso(new.due),
                        new.lapses,
                        *fsrs_values(new_fsrs),
                        _iso(new_due),
                        card_id,
                    ),
                )
            days_late = max(0, (today - before_due).days) if before_due else 0
            _forget_day_totals(conn, today.isoformat())
            # before_due and after_due are the queue's due days (the active scheduler's):
            # streaks count a review as due by them. The other columns are SM-2's state.
            cursor = conn.execute(
                """
                INSERT INTO review (card_id, answered_at, zone, study_day, grade, is_drill, days_late,
                    took_ms, before_repetitions, before_ef_permille, before_interval, before_due,
                    before_lapses, after_repetitions, after_ef_permille, after_interval, after_due,
                    after_lapses, practice)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
                (
                    card_id,
                    moment.isoformat(),
                    zone,
                    today.isoformat(),
                    grade,
                    after is None,
                    days_late,
                    max(0, took_ms),
                    seen.repetitions,
                    seen.ef_permille,
                    seen.interval,
                    _iso(before_due),
                    seen.lapses,
                    new.repetitions,
                    new.ef_permille,
                    new.interval,
                    _iso(new_due),
                    new.lapses,
                    practice,
                ),
            )
        return Answer(
            cursor.lastrowid or 0,
            card_id,
            grade,
            after is None,
            seen,
            new,
            before_fsrs,
            new_fsrs,
            new_due,
        )

    def has_scheduling_answer(self, card_id: int, today: date) -> bool:
        """True when the card already had its scheduling answer on ``today``."""
        row = self.conn.execute(
            "SELECT 1 FROM review WHERE card_id = ? AND study_day = ? AND is_drill = 0 LIMIT 1",
            (card_id, today.isoformat()),
        ).fetchone()
        return row is not None

    def undo(self, answer: Answer) -> None:
        """Remove ``answer`` from the log and put the card back as it was before it."""
        with transaction(self.conn) as conn:
            row = conn.execute(
                f"SELECT {_STATE_COLUMNS} FROM card WHERE id = ?", (answer.card_id,)
            ).fetchone()
            if row is None or _state(row) != answer.after:
                raise StaleCardError(answer.card_id)
            day = conn.execute(
                "SELECT study_day FROM review WHERE id = ?", (answer.review_id,)
            ).fetchone()
            if day is not None:
                _forget_day_totals(conn, day[0])
            deleted = conn.execute("DELETE FROM review WHERE id = ?", (answer.review_id,)).rowcount
            if deleted != 1:
                raise StaleCardError(answer.card_id)
            # Already sent to other machines: the next sync tells them it was undone.
            conn.execute(
                "UPDATE sync_event SET local_id = NULL, undone = 1 "
                "WHERE kind = 'answer' AND local_id = ?",
                (answer.review_id,),
            )
            if answer.is_drill:
                return
            b, f = answer.before, answer.before_fsrs
            active, _settings = scheduler_settings(conn)
            due = b.due if active == "sm2" else f.due
            conn.execute(
                "UPDATE card SET repetitions = ?, ef_permille = ?, interval = ?, sm2_due = ?, "
                "lapses = ?, fsrs_stability = ?, fsrs_difficulty = ?, fsrs_last_review = ?, "
                "fsrs_due = ?, fsrs_reviews = ?, due = ? WHERE id = ?",
                (
                    b.repetitions,
                    b.ef_permille,
                    b.interval,
                    _iso(b.due),
                    b.lapses,
                    *fsrs_values(f),
                    _iso(due),
                    answer.card_id,
                ),
            )


def scheduler_settings(conn: sqlite3.Connection) -> tuple[SchedulerName, FsrsSettings]:
    """The scheduler ``card.due`` follows, and FSRS's settings, as the database holds them."""
    from studyplan.core.fsrs_state import FsrsSettings
    from studyplan.core.schedulers import check_scheduler

    active, retention = conn.execute(
        "SELECT active, desired_retention FROM scheduler_state WHERE id = 1"
    ).fetchone()
    return check_scheduler(active), FsrsSettings(desired_retention=retention)
