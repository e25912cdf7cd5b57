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

from studyplan.store.errors import DatabaseError
from studyplan.store.migrations import MIGRATIONS, SCHEMA_VERSION


def connect(path: Path | str, *, migrate: bool = True) -> sqlite3.Connection:
    """Open (creating if needed) the database at ``path`` and bring its schema up to date."""
    path = Path(path)
    if path.is_dir():
        raise DatabaseError(f"{path} is a directory, not a studyplan database file")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=10)
    except (OSError, sqlite3.Error) as err:
        raise DatabaseError(f"{path} cannot be opened: {err}") from None
    try:
        conn.execute("PRAGMA busy_timeout = 10000")
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise DatabaseError(
                f"{path} was written by a newer studyplan (schema {version}, this one knows "
                f"{SCHEMA_VERSION}); upgrade studyplan to open it"
            )
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
    except sqlite3.DatabaseError as err:
        conn.close()
        raise DatabaseError(f"{path} is not a usable studyplan database: {err}") from None
    except DatabaseError:
        conn.close()
        raise
    return conn


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
            for statement in MIGRATIONS[number].split(";"):
                if statement.strip():
                    conn.execute(statement)
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


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
