"""The SQLite file under stress: a path that is a directory, not SQLite, truncated,
read-only or on a full disk.

Every refusal is one sentence naming the file, a non-zero exit, no traceback, and
nothing already stored changes.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest

from studyplan.service import Studyplan
from studyplan.store.errors import DatabaseError
from tests.helpers import FakeClock, write_deck
from tests.robustness.cli_run import (
    assert_one_sentence,
    dump,
    dump_file,
    run,
)

# -- database path trouble, through the command line -------------------------


@pytest.fixture
def filled_db(tmp_path: Path) -> Path:
    """A current database with a deck, answers and an enrolment."""
    path = tmp_path / "sp.db"
    empty = tmp_path / "no-bundled"
    empty.mkdir(exist_ok=True)
    service = Studyplan(path, tmp_path / "c.toml", clock=FakeClock(), bundled_decks=empty)
    deck = write_deck(tmp_path / "mine", "Mine", {f"Q{i}": f"A{i}" for i in range(30)})
    assert service.import_path(deck).errors == []
    session = service.start_review(monotonic=lambda: 0.0)
    for grade in (5, 3, 0):
        session.answer(grade)
    service.close()
    return path


def test_a_directory_is_one_sentence(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "folder"
    folder.mkdir()
    code, _, err = run(capsys, "--db", str(folder), "import", str(tmp_path))
    assert code == 1
    assert_one_sentence(err, folder, "is a directory")
    assert list(folder.iterdir()) == []


@pytest.mark.parametrize("command", [("decks",), ("backup",), ("plan",)])
def test_a_file_that_is_not_sqlite_is_one_sentence_and_kept(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: tuple[str, ...]
) -> None:
    path = tmp_path / "notes.db"
    path.write_text("my notes, not a database\n" * 200)
    data = path.read_bytes()
    code, out, err = run(capsys, "--db", str(path), *command)
    assert code == 1 and out == ""
    assert_one_sentence(err, path, "is not a usable studyplan database")
    assert path.read_bytes() == data


@pytest.mark.parametrize("fraction", [0.1, 0.5, 0.9])
def test_a_truncated_database_is_one_sentence_and_kept(
    filled_db: Path, capsys: pytest.CaptureFixture[str], fraction: float
) -> None:
    data = filled_db.read_bytes()
    assert not filled_db.with_name("sp.db-wal").exists()  # closed cleanly: all in the file
    cut = data[: int(len(data) * fraction)]
    filled_db.write_bytes(cut)
    for command in (("decks",), ("import", str(filled_db.parent / "mine")), ("backup",)):
        code, out, err = run(capsys, "--db", str(filled_db), *command)
        assert code == 1 and out == "", command
        assert_one_sentence(err, filled_db, "is not a usable studyplan database")
        assert filled_db.read_bytes() == cut


def read_only(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    """Open ``path`` as SQLite does a file it may not write (we run as root, for whom
    chmod changes nothing): read-only, so every write fails with SQLITE_READONLY."""
    real = sqlite3.connect

    def connect_ro(database: object, *args: object, **kwargs: object) -> sqlite3.Connection:
        if Path(str(database)) == path:
            return real(f"file:{path}?mode=ro", *args, uri=True, **kwargs)
        return real(database, *args, **kwargs)

    monkeypatch.setattr(sqlite3, "connect", connect_ro)


def test_a_read_only_database_is_one_sentence_and_unchanged(
    filled_db: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    before = dump_file(filled_db)
    new_deck = write_deck(tmp_path / "more", "More", {"Q": "A"})
    read_only(monkeypatch, filled_db)
    for command in (
        ("import", str(new_deck)),
        ("decks",),  # the start-up sync writes the bundled decks
        ("enrol", "three-month", "--start", "2026-03-02"),
    ):
        code, _, err = run(capsys, "--db", str(filled_db), *command)
        assert code == 1, command
        assert_one_sentence(err, filled_db, "cannot be written because it is read-only")
    monkeypatch.undo()
    assert dump_file(filled_db) == before


def full_disk(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every database the service opens can grow by no page: SQLite itself then
    raises SQLITE_FULL, as on a full disk."""
    import studyplan.service

    real = studyplan.service.connect

    def connect_full(path: Path, **kwargs: object) -> sqlite3.Connection:
        conn = real(path, **kwargs)
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count = {pages}")
        return conn

    monkeypatch.setattr(studyplan.service, "connect", connect_full)


def test_a_full_disk_during_import_and_sync_is_one_sentence_and_unchanged(
    filled_db: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    big = write_deck(tmp_path / "big", "Big", {f"Q{i} {'x' * 200}": "A" * 300 for i in range(300)})
    before = dump_file(filled_db)
    full_disk(monkeypatch)
    code, _, err = run(capsys, "--db", str(filled_db), "import", str(big))
    assert code == 1
    assert_one_sentence(err, filled_db, "cannot be written because the disk is full")
    assert dump_file(filled_db) == before
    # The start-up sync: an imported deck changed on disk and grew.
    mine = filled_db.parent / "mine" / "mine.md"
    mine.write_text(mine.read_text() + "".join(f"## N{i}\n\n{'y' * 400}\n\n" for i in range(200)))
    code, _, err = run(capsys, "--db", str(filled_db), "decks")
    assert code == 1
    assert_one_sentence(err, filled_db, "cannot be written because the disk is full")
    assert dump_file(filled_db) == before


def test_a_full_disk_during_answers_changes_nothing(filled_db: Path, tmp_path: Path) -> None:
    service = Studyplan(
        filled_db, tmp_path / "c.toml", clock=FakeClock(), bundled_decks=tmp_path / "no-bundled"
    )
    pages = service.conn.execute("PRAGMA page_count").fetchone()[0]
    service.conn.execute(f"PRAGMA max_page_count = {pages}")
    card = service.repo.card(1)
    day = date(2026, 3, 2)
    refused = None
    for _ in range(10_000):  # drill answers fill the free room left in the file's pages
        before = dump(service.conn)
        try:
            service.repo.record_answer(
                card.id, card.state, None, 3, moment=datetime(2026, 3, 2, 9), zone="UTC",
                today=day, took_ms=1234,
            )  # fmt: skip
        except DatabaseError as err:
            refused = err
            break
    assert refused is not None, "the file never filled up"
    assert str(refused).startswith(f"{filled_db} cannot be written because the disk is full")
    assert dump(service.conn) == before
    # A scheduling answer through the review session is refused the same way.
    session = service.start_review(monotonic=lambda: 0.0)
    shown = session.current
    with pytest.raises(DatabaseError, match="the disk is full"):
        session.answer(4)
    assert dump(service.conn) == before
    assert service.repo.card(shown.id).state == shown.state
    service.close()


def test_a_real_process_on_a_bad_database_prints_one_sentence(tmp_path: Path) -> None:
    path = tmp_path / "half.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE t (x)")
        conn.executemany("INSERT INTO t VALUES (?)", [("x" * 500,)] * 200)
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    data = path.read_bytes()
    result = subprocess.run(
        [sys.executable, "-m", "studyplan", "--db", str(path), "decks"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1 and result.stdout == ""
    assert_one_sentence(result.stderr, path, "is not a usable studyplan database")
    assert path.read_bytes() == data


def test_a_backup_that_cannot_be_written_is_one_sentence(
    filled_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (filled_db.parent / "backups").write_text("a file where the backups folder should be")
    before = dump_file(filled_db)
    code, out, err = run(capsys, "--db", str(filled_db), "backup")
    assert code == 1 and out == ""
    assert_one_sentence(err, filled_db.parent / "backups", "no backup was made")
    assert dump_file(filled_db) == before


def unwritable_disk(monkeypatch: pytest.MonkeyPatch, db: Path, *, full: bool) -> None:
    """The disk as SQLite meets it when it is full or mounted read-only: opening the file
    for writing fails (I/O error, or cannot open), reading it still works. Root may write
    anywhere, so the refusal is made here; the file itself is untouched."""
    import os
    import shutil

    real_connect = sqlite3.connect

    def connect(database: object, *args: object, **kwargs: object) -> sqlite3.Connection:
        if str(database) == str(db):
            err = sqlite3.OperationalError(
                "disk I/O error" if full else "unable to open database file"
            )
            err.sqlite_errorname = "SQLITE_IOERR" if full else "SQLITE_CANTOPEN"  # type: ignore[attr-defined]
            raise err
        return real_connect(database, *args, **kwargs)

    monkeypatch.setattr(sqlite3, "connect", connect)
    real_usage = shutil.disk_usage
    if full:
        monkeypatch.setattr(shutil, "disk_usage", lambda p: real_usage(p)._replace(free=4096))
    else:
        real_access = os.access
        monkeypatch.setattr(
            os,
            "access",
            lambda p, mode, **k: False if Path(p) in (db, db.parent) else real_access(p, mode, **k),
        )


@pytest.mark.parametrize(
    ("full", "reason"),
    [(True, "because the disk is full"), (False, "because its folder")],
    ids=["full", "read-only"],
)
def test_a_full_or_read_only_disk_is_named_and_reading_commands_still_work(
    filled_db: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    full: bool,
    reason: str,
) -> None:
    before = dump_file(filled_db)
    unwritable_disk(monkeypatch, filled_db, full=full)
    code, _, err = run(capsys, "--db", str(filled_db), "decks")  # syncs: it must write
    assert code == 1
    assert_one_sentence(err, filled_db, reason)
    assert "not a usable studyplan database" not in err  # the disk, not the file, is at fault
    for command in (("status", "--ascii"), ("stats",), ("plan",)):
        code, out, err = run(capsys, "--db", str(filled_db), *command)
        assert "Traceback" not in err and "cannot be" not in err, (command, err)
        if command[0] != "plan":
            assert code == 0 and out, command
    assert run(capsys, "--db", str(filled_db), "status", "--ascii")[1].startswith("0d streak | ")
    monkeypatch.undo()
    assert dump_file(filled_db) == before
