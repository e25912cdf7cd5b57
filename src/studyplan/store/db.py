"""Opening the SQLite file: pragmas, schema checks, migrations, transactions.

The stdlib ``sqlite3`` driver is used at run time: importing SQLAlchemy and
SQLModel costs 0.75 s on the machines we target, more than the whole
start-to-first-card budget. ``store.schema`` declares the same tables as
SQLModel classes for tools and tests.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from studyplan.store.errors import DatabaseError, StorageError
from studyplan.store.migrations import MIGRATIONS, SCHEMA_VERSION

APPLICATION_ID = 0x53545059
"""``PRAGMA application_id`` of every studyplan database ("STPY"): another program's
SQLite file is refused, never converted."""
MIN_FREE_BYTES = 1 << 20
"""Below this much free space the disk counts as full when SQLite reports an I/O error."""


def connect(
    path: Path | str, *, migrate: bool = True, read_only: bool = False
) -> sqlite3.Connection:
    """Open (creating if needed) the database at ``path`` and bring its schema up to date.

    With ``read_only`` the file is opened without writing anything, even a journal
    (for commands that only read, on a read-only disk); it must exist already.
    Raises ``DatabaseError`` with one sentence; a file that is not studyplan's is
    left exactly as it was.
    """
    path = Path(path)
    if path.is_dir():
        raise DatabaseError(f"{path} is a directory, not a studyplan database file")
    if read_only:
        return _connect_read_only(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=10)
    except (OSError, sqlite3.Error) as err:
        raise _open_error(path, err) from None
    try:
        conn.execute("PRAGMA busy_timeout = 10000")
        version = _check_identity(conn, path)  # before anything is written
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
        if migrate and version < SCHEMA_VERSION:
            if version > 0:
                _backup_before_upgrade(conn, path, version)
            try:
                _migrate(conn, version)
            except sqlite3.Error as err:
                raise DatabaseError(
                    f"{path} could not be upgraded from schema {version} to {SCHEMA_VERSION} "
                    f"({err}); it was left as it was"
                ) from None
        if conn.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")  # one of ours from before
    except sqlite3.DatabaseError as err:
        conn.close()
        raise _open_error(path, err) from None
    except DatabaseError:
        conn.close()
        raise
    return conn


def _connect_read_only(path: Path) -> sqlite3.Connection:
    if not path.is_file():
        raise DatabaseError(f"{path} does not exist, and cannot be made on a read-only disk")
    from urllib.parse import quote

    # immutable: no -wal or -shm is made beside it (the folder may not allow one).
    uri = f"file:{quote(str(path.resolve()))}?mode=ro&immutable=1"
    try:
        conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
        version = _check_identity(conn, path)
        conn.execute("PRAGMA query_only = 1")
    except sqlite3.DatabaseError as err:
        raise _open_error(path, err) from None
    if version < SCHEMA_VERSION:
        conn.close()
        raise DatabaseError(
            f"{path} needs an upgrade (schema {version} to {SCHEMA_VERSION}), which cannot "
            "be written on a read-only disk"
        )
    return conn


def is_read_only(conn: sqlite3.Connection) -> bool:
    """True for a connection opened with ``read_only``: writes would fail."""
    return bool(conn.execute("PRAGMA query_only").fetchone()[0])


def _tables(conn: sqlite3.Connection) -> set[str]:
    return {
        row[0]
        for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    }


def tables_of_schema(version: int) -> set[str]:
    """The tables a studyplan database at schema ``version`` holds."""
    import re

    return {name for sql in MIGRATIONS[:version] for name in re.findall(r"CREATE TABLE (\w+)", sql)}


def _check_identity(conn: sqlite3.Connection, path: Path) -> int:
    """The file's schema version, once it is known to be a studyplan database (or empty)."""
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise DatabaseError(
            f"{path} was written by a newer studyplan (schema {version}, this one knows "
            f"{SCHEMA_VERSION}); upgrade studyplan to open it"
        )
    app = conn.execute("PRAGMA application_id").fetchone()[0]
    tables = _tables(conn)
    if app not in (0, APPLICATION_ID) or (app == 0 and version == 0 and tables):
        held = ", ".join(sorted(tables)[:3]) + (", ..." if len(tables) > 3 else "")
        raise DatabaseError(
            f"{path} is another program's database"
            + (f" (it holds the tables {held})" if tables else "")
            + "; studyplan left it as it was: choose another file with --db or STUDYPLAN_DB"
        )
    missing = sorted(tables_of_schema(version) - tables)
    if missing:
        raise DatabaseError(
            f"{path} is not a usable studyplan database: it says schema {version} but has no "
            f"{missing[0]} table; it was left as it was"
        )
    return version


def _open_error(path: Path, err: BaseException) -> DatabaseError:
    """The sentence for a database that cannot be opened, naming what the learner can fix:
    a full disk, a read-only folder, or a file that is not a usable database."""
    import os
    import shutil

    folder = path.parent if path.parent.exists() else path.parent.parent
    try:
        free = shutil.disk_usage(folder).free
    except OSError:
        free = None
    name = getattr(err, "sqlite_errorname", "") or ""
    if (
        (isinstance(err, OSError) and err.errno == 28)
        or name.startswith("SQLITE_FULL")
        or (
            free is not None
            and free < MIN_FREE_BYTES
            and name.startswith(("SQLITE_IOERR", "SQLITE_CANTOPEN"))
        )
    ):
        return StorageError(
            f"{path} cannot be opened because the disk is full ({(free or 0) // 1024} KB free); "
            "free some space and try again"
        )
    writable = os.access(folder, os.W_OK) and (not path.exists() or os.access(path, os.W_OK))
    if (
        not writable
        or name.startswith("SQLITE_READONLY")
        or (isinstance(err, OSError) and err.errno == 30)
    ):
        return StorageError(
            f"{path} cannot be opened for writing because its folder {folder} is read-only"
        )
    if isinstance(err, OSError) or name.startswith("SQLITE_CANTOPEN"):
        reason = err.strerror if isinstance(err, OSError) and err.strerror else err
        return DatabaseError(f"{path} cannot be opened: {reason}")
    return DatabaseError(f"{path} is not a usable studyplan database: {err}")


def _backup_before_upgrade(conn: sqlite3.Connection, path: Path, version: int) -> None:
    from datetime import UTC, datetime

    from studyplan.store.backup import backup_folder, make_backup

    try:
        make_backup(conn, backup_folder(path), datetime.now(UTC), f"before-schema-{version + 1}")
    except DatabaseError as err:
        raise DatabaseError(
            f"{path} was not upgraded, as the backup before it failed: {err}"
        ) from None


def _migrate(conn: sqlite3.Connection, version: int) -> None:
    with transaction(conn):
        # Another studyplan opening the same file may have migrated it while this
        # one waited for the write lock: start from the version seen under the lock.
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        for number in range(version, SCHEMA_VERSION):
            if number == 8:
                fold_missing_search(conn)
            if number == 10:
                from studyplan.store.import_repo import anchor_imported_history

                anchor_imported_history(conn)
            for statement in statements(MIGRATIONS[number]):
                conn.execute(statement)
        if version == 0:
            # A new database has no log to replay FSRS states from: it starts replayed,
            # so its first command does not load FSRS to replay nothing (25 ms).
            conn.execute("UPDATE scheduler_state SET fsrs_replayed = 1")
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def fold_missing_search(conn: sqlite3.Connection) -> None:
    """Fold the text of cards stored before search existed (SQL alone cannot fold),
    inside the caller's transaction: before schema 9 indexes ``card.search`` (so the
    index is built once, whole, not card by card through its triggers: 20 s at 100,000
    cards), and for any card still unfolded at the browser's first search."""
    from studyplan.core.cards.query import search_text

    rows = conn.execute("SELECT id, front, back FROM card WHERE search IS NULL").fetchall()
    conn.executemany(
        "UPDATE card SET search = ? WHERE id = ?",
        [(search_text(front, back), card_id) for card_id, front, back in rows],
    )


def statements(script: str) -> Iterator[str]:
    """The SQL statements of ``script`` one by one (a trigger's body holds semicolons of
    its own, so a piece ends a statement only once SQLite calls it complete)."""
    pending = ""
    for piece in script.split(";"):
        pending += piece + ";"
        if sqlite3.complete_statement(pending):
            if pending.strip().strip(";").strip():
                yield pending
            pending = ""
    if pending.strip().strip(";").strip():
        yield pending


# Conditions of the file or the disk, not of studyplan's SQL: the learner can act on them.
_STORAGE_ERRORS = {
    "SQLITE_FULL": "the disk is full",
    "SQLITE_READONLY": "it is read-only",
    "SQLITE_BUSY": "another program is writing to it",
    "SQLITE_LOCKED": "another program is writing to it",
    "SQLITE_IOERR": "the disk reported an error",
    "SQLITE_CORRUPT": "it is damaged",
    "SQLITE_NOTADB": "it is not a database",
    "SQLITE_CANTOPEN": "it cannot be opened",
    "SQLITE_PERM": "permission was denied",
}


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """Run the block as one write transaction: all of it is committed, or none.

    A write the file or the disk refuses (full, read-only, damaged, busy) is
    raised as ``DatabaseError`` naming the file, after the rollback.
    """
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.Error as err:
        raise _storage_error(conn, err) from None
    try:
        yield conn
        conn.execute("COMMIT")
    except BaseException as err:
        if conn.in_transaction:  # SQLite rolls back by itself after some errors (SQLITE_FULL)
            conn.execute("ROLLBACK")
        if isinstance(err, sqlite3.Error) and _storage_reason(err):
            raise _storage_error(conn, err) from None
        raise


def _storage_reason(err: sqlite3.Error) -> str | None:
    name = getattr(err, "sqlite_errorname", "") or ""
    return next((why for code, why in _STORAGE_ERRORS.items() if name.startswith(code)), None)


def _storage_error(conn: sqlite3.Connection, err: sqlite3.Error) -> BaseException:
    reason = _storage_reason(err)
    if reason is None:
        return err
    try:
        rows = conn.execute("PRAGMA database_list").fetchall()
        path = next((row[2] for row in rows if row[1] == "main" and row[2]), "the database")
    except sqlite3.Error:
        path = "the database"
    return DatabaseError(f"{path} cannot be written because {reason} ({err}); nothing was saved")
