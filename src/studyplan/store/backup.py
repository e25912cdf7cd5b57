"""Backups with SQLite's online backup API, and a restore that checks before it replaces."""

from __future__ import annotations

import os
import secrets
import sqlite3
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from studyplan.store.errors import DatabaseError
from studyplan.store.migrations import SCHEMA_VERSION

PREFIX = "studyplan-"


@dataclass(frozen=True)
class BackupInfo:
    """What a backup file holds, shown before a restore."""

    path: Path
    cards: int
    reviews: int
    last_review: str | None
    schema: int


def backup_folder(db_path: Path) -> Path:
    """Backups live next to the database."""
    return db_path.parent / "backups"


def make_backup(
    conn: sqlite3.Connection, folder: Path, stamp: datetime | date, label: str = ""
) -> Path:
    """Copy the open database to ``folder`` with the online backup API; returns the file.

    Raises ``DatabaseError`` naming the backup when it cannot be written (no
    half-written backup is left behind).
    """
    name = f"{PREFIX}{stamp.isoformat().replace(':', '')[:17]}{'-' + label if label else ''}.db"
    target = folder / name
    damage = damage_of(conn)
    if damage is not None:
        # A damaged copy would count as a backup and, day after day, push the good ones out.
        raise DatabaseError(_damaged_sentence(conn, folder, damage))
    # Each backup writes its own partial file: two windows starting on a new
    # study day (two processes, or two apps in one) must not write into, or
    # delete, each other's copy. The last to finish replaces the other's.
    tmp = target.with_suffix(f".db.{os.getpid()}-{secrets.token_hex(4)}.partial")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        dest = sqlite3.connect(tmp)
        try:
            conn.backup(dest)
            # A copy in rollback-journal mode is one self-contained file: opening it to
            # inspect or restore leaves no -wal or -shm beside it in backups/.
            dest.execute("PRAGMA journal_mode = DELETE")
        finally:
            dest.close()
        tmp.replace(target)
    except (OSError, sqlite3.Error) as err:
        try:
            tmp.unlink(missing_ok=True)
        except OSError:
            pass
        reason = err.strerror if isinstance(err, OSError) and err.strerror else err
        raise DatabaseError(
            f"{target} could not be written ({reason}); no backup was made"
        ) from None
    return target


def daily_backup(conn: sqlite3.Connection, folder: Path, today: date, keep: int) -> Path | None:
    """At most one automatic backup per study day, keeping the newest ``keep``.

    None when there is nothing to do: backups are off, today's is made, or the clock
    reads a day before the newest automatic backup (set back: a backup named for that
    day would sort oldest and be pruned at once, and say the wrong day).
    """
    if keep <= 0:
        return None
    autos = sorted(folder.glob(f"{PREFIX}*-auto.db"))
    if any(p.name.startswith(f"{PREFIX}{today.isoformat()}") for p in autos):
        return None
    if autos and autos[-1].name[len(PREFIX) : len(PREFIX) + 10] > today.isoformat():
        return None
    path = make_backup(conn, folder, today, "auto")
    autos = sorted(folder.glob(f"{PREFIX}*-auto.db"))
    for old in autos[:-keep]:
        if old != path:
            old.unlink(missing_ok=True)
    return path


def damage_of(conn: sqlite3.Connection) -> str | None:
    """What SQLite's integrity checks find wrong with the open database, or None when whole.

    ``quick_check`` first, as it is fast; what it reports is confirmed by the full
    ``integrity_check``, because SQLite 3.40's quick_check reports NULLs that are not
    there in WITHOUT ROWID tables whose key lists columns out of order (card_tag).
    """
    for pragma in ("quick_check(3)", "integrity_check(3)"):
        try:
            rows = conn.execute(f"PRAGMA {pragma}").fetchall()
        except sqlite3.DatabaseError as err:
            return str(err)
        found = [" ".join(str(row[0]).split()) for row in rows if row[0] != "ok"]
        if not found:
            return None
    return "; ".join(found)[:200]


def newest_good_backup(folder: Path) -> Path | None:
    """The most recent backup in ``folder`` that is a whole studyplan database."""
    candidates = sorted(folder.glob(f"{PREFIX}*.db"), key=lambda p: p.stat().st_mtime, reverse=True)
    for path in candidates:
        try:
            inspect_backup(path)
        except DatabaseError:
            continue
        return path
    return None


def _damaged_sentence(conn: sqlite3.Connection, folder: Path, damage: str) -> str:
    rows = conn.execute("PRAGMA database_list").fetchall()
    db = next((row[2] for row in rows if row[1] == "main" and row[2]), "the database")
    good = newest_good_backup(folder)
    advice = (
        f"the newest good backup is {good}; restore it with: studyplan restore {good}"
        if good
        else "there is no good backup to restore; copy the file somewhere safe before anything else"
    )
    return f"{db} is damaged ({damage}), so no backup was made and the backups were kept; {advice}"


def inspect_backup(path: Path) -> BackupInfo:
    """Open ``path`` read-only and check it is a whole studyplan database, or raise ``DatabaseError``."""
    if not path.is_file():
        raise DatabaseError(f"{path}: no such backup file")
    try:
        conn = sqlite3.connect(_read_only(path), uri=True)
    except sqlite3.Error as err:
        raise DatabaseError(f"{path} cannot be opened: {err}") from None
    try:
        check = conn.execute("PRAGMA integrity_check").fetchone()[0]
        if check != "ok":
            raise DatabaseError(f"{path} is damaged ({check}); nothing was restored")
        schema = conn.execute("PRAGMA user_version").fetchone()[0]
        if schema > SCHEMA_VERSION:
            raise DatabaseError(
                f"{path} was written by a newer studyplan (schema {schema}); nothing was restored"
            )
        cards = conn.execute("SELECT COUNT(*) FROM card").fetchone()[0]
        reviews, last = conn.execute("SELECT COUNT(*), MAX(answered_at) FROM review").fetchone()
    except sqlite3.DatabaseError as err:
        raise DatabaseError(
            f"{path} is not a studyplan backup ({err}); nothing was restored"
        ) from None
    finally:
        conn.close()
    return BackupInfo(path, cards, reviews, last, schema)


def _read_only(path: Path) -> str:
    """A URI that opens ``path`` without writing beside it: no -wal, no -shm (a backup
    from an older studyplan may still be in WAL mode)."""
    from urllib.parse import quote

    return f"file:{quote(str(path.resolve()))}?mode=ro&immutable=1"


def restore_backup(conn: sqlite3.Connection, backup: Path) -> None:
    """Replace the open database's content with ``backup`` (checked first) in one step."""
    inspect_backup(backup)
    source = sqlite3.connect(_read_only(backup), uri=True)
    try:
        source.backup(conn)
    finally:
        source.close()
