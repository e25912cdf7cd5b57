"""Bringing deck files into the database: bundled decks and the learner's own.

A file is read only when its size or modification time changed, parsed
whole, and written in one transaction: a broken file changes nothing.
Cards that left their file are kept with their history and hidden.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from studyplan.core.errors import SourceError
from studyplan.store.db import transaction

if TYPE_CHECKING:
    from studyplan.core.cards.deck import Deck

MAX_DECK_BYTES = 20 * 1024 * 1024


@dataclass
class SyncReport:
    """What a sync did, file by file."""

    imported: list[str] = field(default_factory=list)
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)
    cards_added: int = 0
    cards_updated: int = 0
    cards_retired: int = 0
    parsed: dict[str, Deck] = field(default_factory=dict, repr=False)
    """The decks this sync parsed, by resolved path: the import's checks read these
    instead of parsing each file again."""


def deck_files(root: Path) -> Iterator[Path]:
    """The ``.md`` deck files under ``root`` (or ``root`` itself), sorted, following no link loop."""
    if root.is_file():
        yield root
        return
    seen: set[tuple[int, int]] = set()
    for folder, dirs, files in os.walk(root, followlinks=True):
        stat = os.stat(folder)
        if (stat.st_dev, stat.st_ino) in seen:
            dirs[:] = []
            continue
        seen.add((stat.st_dev, stat.st_ino))
        dirs.sort()
        for name in sorted(files):
            if name.endswith(".md") and not name.startswith(".") and name.lower() != "readme.md":
                yield Path(folder) / name


def read_text(path: Path) -> str:
    """The file's text, or ``SourceError`` for a file that is not UTF-8 text."""
    try:
        size = path.stat().st_size
        if size > MAX_DECK_BYTES:
            raise SourceError(
                path,
                None,
                f"the file is {size // 2**20} MB; deck and plan files may be at most "
                f"{MAX_DECK_BYTES // 2**20} MB",
            )
        data = path.read_bytes()
    except OSError as err:
        raise SourceError(path, None, f"cannot be read ({err.strerror or err})") from None
    if b"\x00" in data:
        line = data.count(b"\n", 0, data.index(b"\x00")) + 1
        raise SourceError(path, line, "this is not a text file (it holds NUL bytes)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        raise SourceError(path, line, "the file is not UTF-8 text; save it as UTF-8") from None


class DeckSync:
    """Syncs deck files into the deck and card tables."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def changed(self, files: Iterable[Path]) -> bool:
        """True when a sync would read any of ``files``: new, or its size or time changed.

        Only ``stat`` calls: the app asks this before the first card, so a start with
        unchanged decks shows it without waiting for the sync.
        """
        known = {
            row[0]: (row[1], row[2])
            for row in self.conn.execute("SELECT source_path, file_mtime_ns, file_size FROM deck")
        }
        for path in files:
            try:
                stat = path.stat()
                if known.get(str(path.resolve())) != (stat.st_mtime_ns, stat.st_size):
                    return True
            except OSError:
                return True
        return False

    def sync(self, files: Iterable[Path], *, bundled: bool, force: bool = False) -> SyncReport:
        """Import every changed file; report errors instead of raising them."""
        report = SyncReport()
        known = {
            row[0]: (row[1], row[2])
            for row in self.conn.execute("SELECT source_path, file_mtime_ns, file_size FROM deck")
        }
        for path in files:
            try:
                stat = path.stat()
                key = str(path.resolve())
                if not force and known.get(key) == (stat.st_mtime_ns, stat.st_size):
                    report.unchanged += 1
                    continue
                self._sync_file(path, key, stat, bundled, report)
            except SourceError as err:
                report.errors.append(str(err))
            except OSError as err:
                report.errors.append(f"{path}: cannot be read ({err.strerror or err})")
        return report

    def _sync_file(
        self, path: Path, key: str, stat: os.stat_result, bundled: bool, report: SyncReport
    ) -> None:
        import hashlib

        from studyplan.core.cards.deck import parse_deck  # markdown-it only when a file changed

        text = read_text(path)
        digest = hashlib.sha256(text.encode()).hexdigest()
        row = self.conn.execute(
            "SELECT id, content_hash FROM deck WHERE source_path = ?", (key,)
        ).fetchone()
        if row is not None and row[1] == digest:
            with transaction(self.conn):
                self.conn.execute(
                    "UPDATE deck SET file_mtime_ns = ?, file_size = ? WHERE id = ?",
                    (stat.st_mtime_ns, stat.st_size, row[0]),
                )
            report.unchanged += 1
            return
        deck = parse_deck(text, str(path), default_key=key)
        with transaction(self.conn):
            self.store_deck(
                path, deck, key, stat.st_mtime_ns, stat.st_size, digest, bundled, report
            )
        report.imported.append(str(path))
        report.parsed[key] = deck

    def store_deck(
        self,
        path: Path,
        deck: Deck,
        key: str,
        mtime_ns: int,
        size: int,
        digest: str,
        bundled: bool,
        report: SyncReport,
    ) -> int:
        """Write a parsed deck and its cards; the caller holds the transaction.

        Returns the deck's row id. Cards that left the file are kept, hidden.
        """
        from studyplan.core.cards.query import search_text  # not for a start's ``changed``

        conn = self.conn
        owner = conn.execute("SELECT source_path FROM deck WHERE key = ?", (deck.key,)).fetchone()
        if owner is not None and owner[0] != key and Path(owner[0]).exists():
            raise SourceError(
                path,
                2,
                f"deck id {deck.key!r} is already used by {owner[0]}; give this deck its own id",
            )
        conn.execute(
            """
            INSERT INTO deck (key, name, description, source_path, bundled, file_mtime_ns,
                              file_size, content_hash, active)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1)
            ON CONFLICT (key) DO UPDATE SET name = excluded.name,
                description = excluded.description, source_path = excluded.source_path,
                bundled = excluded.bundled, file_mtime_ns = excluded.file_mtime_ns,
                file_size = excluded.file_size, content_hash = excluded.content_hash, active = 1
            """,
            (
                deck.key,
                deck.name,
                deck.description,
                key,
                bundled,
                mtime_ns,
                size,
                digest,
            ),
        )
        deck_id = conn.execute("SELECT id FROM deck WHERE key = ?", (deck.key,)).fetchone()[0]
        existing = {
            row[0]: row[1:]
            for row in conn.execute(
                "SELECT key, id, kind, front, back, tags, position, line, active "
                "FROM card WHERE deck_id = ?",
                (deck_id,),
            )
        }
        present: set[str] = set()
        added: list[tuple] = []
        tagged: list[tuple[str, tuple[str, ...]]] = []
        for position, card in enumerate(deck.cards):
            tags = " ".join(card.tags)
            present.add(card.key)
            values = (card.kind, card.front, card.back, tags, position, card.line)
            if card.key not in existing:
                added.append((card.key, *values, search_text(card.front, card.back)))
                if card.tags:
                    tagged.append((card.key, card.tags))
                continue
            if existing[card.key][1:] == (*values, 1):
                continue
            card_id = existing[card.key][0]
            conn.execute(
                "UPDATE card SET kind = ?, front = ?, back = ?, tags = ?, position = ?, "
                "line = ?, active = 1, search = ? WHERE id = ?",
                (*values, search_text(card.front, card.back), card_id),
            )
            conn.execute("DELETE FROM card_tag WHERE card_id = ?", (card_id,))
            report.cards_updated += 1
            if card.tags:
                conn.executemany(
                    "INSERT INTO card_tag (card_id, tag) VALUES (?, ?)",
                    [(card_id, t) for t in card.tags],
                )
        if added:
            _insert_cards(conn, deck_id, added)
            report.cards_added += len(added)
        if tagged:
            ids = dict(conn.execute("SELECT key, id FROM card WHERE deck_id = ?", (deck_id,)))
            conn.executemany(
                "INSERT INTO card_tag (card_id, tag) VALUES (?, ?)",
                [(ids[key], t) for key, tags in tagged for t in tags],
            )
        gone = [
            (row[0],) for card_key, row in existing.items() if card_key not in present and row[-1]
        ]
        conn.executemany("UPDATE card SET active = 0 WHERE id = ?", gone)
        report.cards_retired += len(gone)
        return deck_id


def _insert_cards(conn: sqlite3.Connection, deck_id: int, rows: list[tuple]) -> None:
    """Insert new cards (key, kind, front, back, tags, position, line, search), in order.

    Through a temporary table and one ``INSERT ... SELECT``: the search index's trigger
    fires for every card as before, but FTS5 writes its pending index data out at the end
    of every statement, so a statement per card wrote 10,000 small index segments and
    merged them (0.75 s for 15,000 cards; 0.2 s in one statement). The caller's
    transaction holds the temporary rows too: they go wherever it goes.
    """
    conn.execute(
        "CREATE TEMP TABLE IF NOT EXISTS new_card (key, kind, front, back, tags, position, "
        "line, search)"
    )
    conn.executemany("INSERT INTO temp.new_card VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
    conn.execute(
        "INSERT INTO card (deck_id, key, kind, front, back, tags, position, line, search) "
        "SELECT ?, key, kind, front, back, tags, position, line, search FROM temp.new_card "
        "ORDER BY rowid",
        (deck_id,),
    )
    conn.execute("DELETE FROM temp.new_card")
