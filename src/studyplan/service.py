"""What the app and the command line share: one open database and its settings."""

from __future__ import annotations

import re
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from studyplan import paths
from studyplan.core.studyday import study_day
from studyplan.settings import Settings, change_settings, load_settings, local_zone_name
from studyplan.store.card_repo import DeckSummary, Repository
from studyplan.store.db import connect, transaction
from studyplan.store.errors import StorageError

if TYPE_CHECKING:
    # The review and the deck sync load when used: `studyplan status` on every shell
    # prompt needs neither (issue 13).
    from studyplan.review import Clock, ReviewSession
    from studyplan.store.deck_sync import SyncReport


def system_clock() -> datetime:
    """Now, in UTC."""
    return datetime.now(UTC)


@dataclass
class Studyplan:
    """An open studyplan: database, settings and clock."""

    db_path: Path
    config_path: Path
    clock: Clock = system_clock
    bundled_decks: Path = field(default_factory=paths.bundled_decks)
    reading_only: bool = False
    """The caller only reads (status, stats, plan): on a full or read-only disk the
    database is then opened read-only instead of refused."""
    conn: sqlite3.Connection = field(init=False)
    repo: Repository = field(init=False)
    settings: Settings = field(init=False)
    read_only: bool = field(init=False, default=False)

    def __post_init__(self) -> None:
        self.settings = load_settings(self.config_path)
        try:
            self.conn = connect(self.db_path)
        except StorageError:
            if not self.reading_only:
                raise
            self.conn = connect(self.db_path, read_only=True)
            self.read_only = True
        self.repo = Repository(self.conn)
        self.follow_scheduler()

    def follow_scheduler(self) -> bool:
        """Make the database's due days follow the scheduler the settings name.

        Cheap when nothing changed (one row read). Otherwise every card's due day
        is set from the chosen scheduler in one transaction (after an upgrade, the
        FSRS states are first replayed from the log). Returns True when anything
        changed. A database opened read-only is left as it is.
        """
        if self.read_only:
            return False
        stored = self.conn.execute(
            "SELECT active, desired_retention, fsrs_replayed FROM scheduler_state"
        ).fetchone()
        wanted = (self.settings.scheduler, self.settings.desired_retention, 1)
        if tuple(stored) == wanted:
            return False
        from studyplan.core.fsrs_scheduler import FsrsSettings
        from studyplan.core.schedulers import check_scheduler
        from studyplan.store.scheduler_repo import SchedulerRepository

        return SchedulerRepository(self.conn).apply(
            check_scheduler(self.settings.scheduler),
            FsrsSettings(desired_retention=self.settings.desired_retention),
        )

    @property
    def zone_name(self) -> str:
        """The zone study days are counted in."""
        return local_zone_name(self.settings)

    @property
    def zone(self) -> ZoneInfo:
        """The zone study days are counted in."""
        return ZoneInfo(self.zone_name)

    def today(self) -> date:
        """The current study day."""
        return study_day(self.clock(), self.zone, self.settings.rollover_hour)

    def sync_decks(self) -> SyncReport:
        """Bring bundled and imported decks up to date with their files."""
        from studyplan.store.deck_sync import DeckSync, deck_files

        sync = DeckSync(self.conn)
        report = sync.sync(deck_files(self.bundled_decks), bundled=True)
        for (root,) in self.conn.execute("SELECT path FROM source ORDER BY id").fetchall():
            root_path = Path(root)
            if not root_path.exists():
                report.errors.append(
                    f"{root}: this imported deck path no longer exists; its cards are kept"
                )
                continue
            part = sync.sync(deck_files(root_path), bundled=False)
            _merge(report, part)
        self._retire_missing_decks()
        return report

    def decks_changed(self) -> bool:
        """True when a sync would change something: a deck file is new, changed or gone, or
        an imported path has disappeared. Only reads and ``stat`` calls."""
        from studyplan.store.deck_sync import DeckSync, deck_files

        sync = DeckSync(self.conn)
        roots = [(self.bundled_decks, True)] + [
            (Path(root), False)
            for (root,) in self.conn.execute("SELECT path FROM source ORDER BY id").fetchall()
        ]
        if any(not root.exists() for root, _ in roots):
            return True
        files = [f for root, _ in roots for f in deck_files(root)]
        if sync.changed(files):
            return True
        rows = self.conn.execute("SELECT source_path FROM deck WHERE active = 1").fetchall()
        return any(not Path(source).exists() for (source,) in rows)

    def another(self) -> Studyplan:
        """The same studyplan on a connection of its own, for a worker thread.

        SQLite transactions belong to a connection: a worker that wrote on the app's
        connection while the learner answers would mix the two. WAL lets this one
        read (a backup, statistics) while the app's connection commits answers.
        """
        return Studyplan(
            self.db_path,
            self.config_path,
            clock=self.clock,
            bundled_decks=self.bundled_decks,
            reading_only=self.reading_only,
        )

    def import_path(self, path: Path) -> SyncReport:
        """Import a deck file or folder now and keep syncing it at every start."""
        from studyplan.store.deck_sync import DeckSync, SyncReport, deck_files

        try:
            path = path.expanduser().resolve()
        except (OSError, RuntimeError):  # RuntimeError: a symbolic link loop, on Python 3.11
            report = SyncReport()
            report.errors.append(f"{path}: cannot be read (it is a symbolic link that loops)")
            return report
        if not path.exists():
            report = SyncReport()
            report.errors.append(f"{path}: no such file or folder")
            return report
        files = list(deck_files(path))
        report = DeckSync(self.conn).sync(files, bundled=False, force=True)
        if not files:
            report.errors.append(f"{path}: no .md deck files found here")
        if not report.errors:
            with transaction(self.conn):
                self.conn.execute(
                    "INSERT OR IGNORE INTO source (path, added_at) VALUES (?, ?)",
                    (str(path), self.clock().isoformat()),
                )
        return report

    def _retire_missing_decks(self) -> None:
        rows = self.conn.execute("SELECT id, source_path FROM deck WHERE active = 1").fetchall()
        gone = [(deck_id,) for deck_id, source in rows if not Path(source).exists()]
        if gone:
            with transaction(self.conn):
                self.conn.executemany("UPDATE deck SET active = 0 WHERE id = ?", gone)

    def daily_backup(self) -> Path | None:
        """The automatic backup: at most one per study day, the newest few kept."""
        from studyplan.store.backup import backup_folder, daily_backup

        return daily_backup(
            self.conn, backup_folder(self.db_path), self.today(), self.settings.backups_kept
        )

    def backup_now(self) -> Path:
        """A backup made on request."""
        from studyplan.store.backup import backup_folder, make_backup

        return make_backup(self.conn, backup_folder(self.db_path), self.clock(), "manual")

    def restore(self, backup: Path) -> Path:
        """Replace the database with ``backup``; the current one is backed up first."""
        from studyplan.store.backup import (
            backup_folder,
            inspect_backup,
            make_backup,
            restore_backup,
        )

        inspect_backup(backup)
        kept = make_backup(self.conn, backup_folder(self.db_path), self.clock(), "before-restore")
        restore_backup(self.conn, backup)
        self.conn.close()
        self.conn = connect(self.db_path)
        self.repo = Repository(self.conn)
        self.follow_scheduler()
        return kept

    def deck_summaries(self) -> list[DeckSummary]:
        """Decks with due / new / total counts for today."""
        return self.repo.deck_summaries(self.today())

    def find_deck(self, wanted: str) -> DeckSummary:
        """The deck ``wanted`` names: its id or name, or a part of either that only one
        deck has, in any case. Raises ``LookupError`` with one sentence otherwise."""
        decks = self.deck_summaries()
        text = wanted.casefold().strip()
        for exact in (True, False):
            found = [
                d
                for d in decks
                if any(
                    (text == name) if exact else (text in name)
                    for name in (d.key.casefold(), d.name.casefold())
                )
            ]
            if len(found) == 1:
                return found[0]
            if len(found) > 1 and not exact:
                names = ", ".join(repr(d.name) for d in found[:5])
                raise LookupError(f"{wanted!r} matches {len(found)} decks ({names}); say which")
        import difflib

        # Compared with each deck's id, name, the name's last part ("Probability and
        # statistics") and its words, in any case: a typo is usually in one word.
        by_spelling: dict[str, str] = {}
        for d in decks:
            last = d.name.split("·")[-1].strip()
            words = [w for w in re.split(r"[\s·/_-]+", d.name) if len(w) > 3]
            for spelling in (d.key, d.name, last, *words):
                by_spelling.setdefault(spelling.casefold(), d.name)
        matches = difflib.get_close_matches(text, list(by_spelling), n=3, cutoff=0.6)
        close = list(dict.fromkeys(by_spelling[m] for m in matches))
        if close:
            hint = f"; did you mean {' or '.join(repr(n) for n in close)}?"
        else:
            hint = "; `studyplan decks` lists them" if decks else "; there are no decks yet"
        raise LookupError(f"no deck is called {wanted!r}{hint}")

    def start_review(
        self,
        deck_id: int | None = None,
        monotonic: Callable[[], float] | None = None,
        favoured_tags: tuple[str, ...] = (),
        practice: list[int] | None = None,
    ) -> ReviewSession:
        """A session over today's cards of one deck, or of all decks; new cards with
        ``favoured_tags`` (this week's plan topics) come first. With ``practice``, a
        custom study of those cards instead, which changes no schedule."""
        from studyplan.review import ReviewSession

        return ReviewSession(
            self.repo,
            self.settings,
            self.clock,
            self.zone_name,
            deck_id,
            monotonic=monotonic or time.monotonic,
            favoured_tags=favoured_tags,
            practice=practice,
        )

    def change_settings(self, **changes: object) -> Settings:
        """Save only these settings (the file is read again first) and use the result."""
        self.settings = change_settings(self.config_path, changes)
        self.follow_scheduler()
        return self.settings

    def reload_settings(self) -> Settings:
        """The settings as the file holds them now (``studyplan config`` may have changed it)."""
        self.settings = load_settings(self.config_path)
        self.follow_scheduler()
        return self.settings

    def close(self) -> None:
        """Close the database."""
        self.conn.close()


def _merge(into: SyncReport, part: SyncReport) -> None:
    into.imported += part.imported
    into.unchanged += part.unchanged
    into.errors += part.errors
    into.cards_added += part.cards_added
    into.cards_updated += part.cards_updated
    into.cards_retired += part.cards_retired
