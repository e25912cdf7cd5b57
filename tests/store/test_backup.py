"""Backups: what is made, what pruning may delete, and a damaged database never copied."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta
from pathlib import Path

import pytest

from studyplan.service import Studyplan
from studyplan.settings import Settings
from studyplan.store.backup import daily_backup, damage_of, make_backup, newest_good_backup
from studyplan.store.errors import DatabaseError
from tests.helpers import FakeClock, write_deck

DAY = date(2026, 3, 2)


@pytest.fixture
def sp(tmp_path: Path) -> Studyplan:
    empty = tmp_path / "no-bundled"
    empty.mkdir()
    service = Studyplan(
        tmp_path / "sp.db", tmp_path / "c.toml", clock=FakeClock(), bundled_decks=empty
    )
    deck = write_deck(tmp_path / "mine", "Mine", {f"Q{i}?": f"A{i} " * 40 for i in range(400)})
    assert service.import_path(deck).errors == []
    yield service
    service.close()


def names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_pruning_deletes_only_automatic_backups_beyond_the_number_kept(
    sp: Studyplan, tmp_path: Path
) -> None:
    folder = tmp_path / "backups"
    manual = make_backup(sp.conn, folder, DAY - timedelta(days=30), "manual")
    restore = make_backup(sp.conn, folder, DAY - timedelta(days=29), "before-restore")
    upgrade = make_backup(sp.conn, folder, DAY - timedelta(days=28), "before-schema-4")
    # Not ours, in the folder: a learner's copy and a damaged file with our prefix.
    (folder / "my-notes.db").write_bytes(b"not studyplan's")
    (folder / "studyplan-2026-01-01-odd.db").write_bytes(b"\x00" * 100)
    autos = [daily_backup(sp.conn, folder, DAY + timedelta(days=n), keep=2) for n in range(5)]
    kept = names(folder)
    for path in (manual, restore, upgrade):
        assert path.name in kept
    assert "my-notes.db" in kept and "studyplan-2026-01-01-odd.db" in kept
    assert [a.name for a in autos if a.name in kept] == [autos[3].name, autos[4].name]


def test_backups_kept_zero_turns_automatic_backups_off(sp: Studyplan, tmp_path: Path) -> None:
    sp.settings = Settings(backups_kept=0)
    assert sp.daily_backup() is None
    assert not (tmp_path / "backups").exists()


def test_a_clock_set_back_makes_no_backup_and_deletes_none(sp: Studyplan, tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    made = [daily_backup(sp.conn, folder, DAY + timedelta(days=n), keep=2) for n in range(2)]
    assert daily_backup(sp.conn, folder, DAY - timedelta(days=3), keep=2) is None
    assert names(folder) == sorted(p.name for p in made)


def zero_a_page(path: Path) -> None:
    """Zero one interior page of a closed database, as a bad sector would."""
    with sqlite3.connect(path) as conn:
        size = conn.execute("PRAGMA page_size").fetchone()[0]
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
    assert pages > 10
    data = bytearray(path.read_bytes())
    start = size * (pages // 2)
    data[start : start + size] = bytes(size)
    path.write_bytes(bytes(data))


def test_a_damaged_database_is_never_backed_up_and_the_newest_good_backup_is_named(
    tmp_path: Path, sp: Studyplan
) -> None:
    service, db = sp, sp.db_path
    good = service.backup_now()
    assert damage_of(service.conn) is None
    service.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    service.close()
    zero_a_page(db)
    folder = tmp_path / "backups"
    before = names(folder)
    conn = sqlite3.connect(db)
    assert damage_of(conn) is not None
    for day in range(10):  # ten study days: no damaged copy, nothing pruned
        with pytest.raises(DatabaseError) as refused:
            daily_backup(conn, folder, DAY + timedelta(days=day), keep=2)
        assert names(folder) == before
    message = str(refused.value)
    assert message.startswith(f"{db} is damaged (")
    assert f"the newest good backup is {good}; restore it with: studyplan restore {good}" in message
    assert newest_good_backup(folder) == good
    conn.close()


def test_studyplan_backup_on_a_damaged_database_is_one_sentence(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from studyplan.cli import main

    db = tmp_path / "sp.db"
    deck = write_deck(tmp_path / "mine", "Mine", {f"Q{i}?": f"A{i} " * 40 for i in range(400)})
    assert main(["--db", str(db), "import", str(deck)]) == 0
    assert main(["--db", str(db), "backup"]) == 0
    capsys.readouterr()
    zero_a_page(db)
    code = main(["--db", str(db), "backup"])
    out, err = capsys.readouterr()
    assert code == 1 and out == "" and err.count("\n") == 1
    assert "is damaged" in err and "studyplan restore" in err


def test_keeping_one_backup_keeps_the_newest_automatic_one(sp: Studyplan, tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    made = [daily_backup(sp.conn, folder, DAY + timedelta(days=n), keep=1) for n in range(3)]
    assert all(made)
    assert names(folder) == [made[-1].name]


def test_pruning_a_backup_another_window_already_deleted_is_no_error(
    sp: Studyplan, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "backups"
    first = daily_backup(sp.conn, folder, DAY, keep=1)
    real_glob = Path.glob
    calls = []

    def glob_then_lose(self: Path, pattern: str):
        found = list(real_glob(self, pattern))
        calls.append(pattern)
        if len(calls) == 2:  # the listing before pruning: the other window deletes it now
            first.unlink()
        return found

    monkeypatch.setattr(Path, "glob", glob_then_lose)
    second = daily_backup(sp.conn, folder, DAY + timedelta(days=1), keep=1)
    assert len(calls) == 2
    assert names(folder) == [second.name]


def test_a_restore_puts_back_what_the_backup_holds(sp: Studyplan, tmp_path: Path) -> None:
    from studyplan.store.backup import restore_backup

    folder = tmp_path / "backups"
    saved = make_backup(sp.conn, folder, DAY, "manual")
    cards = sp.conn.execute("SELECT COUNT(*) FROM card").fetchone()[0]
    sp.conn.execute("DELETE FROM card_tag")
    sp.conn.execute("UPDATE card SET ef_permille = 1300")
    restore_backup(sp.conn, saved)
    assert sp.conn.execute("SELECT COUNT(*), MIN(ef_permille) FROM card").fetchone() == (
        cards,
        2500,
    )
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("file:")) == []


def test_the_newest_good_backup_is_the_last_written_that_opens(
    sp: Studyplan, tmp_path: Path
) -> None:
    import os

    folder = tmp_path / "backups"
    older_name = make_backup(sp.conn, folder, DAY - timedelta(days=9), "manual")
    newer_name = make_backup(sp.conn, folder, DAY, "auto")
    os.utime(newer_name, (1_000_000, 1_000_000))  # written long before the other
    os.utime(older_name, (2_000_000, 2_000_000))
    assert newest_good_backup(folder) == older_name
    # The last written is damaged: the one before it is named instead.
    broken = folder / "studyplan-2026-03-01-before-restore.db"
    broken.write_bytes(b"SQLite format 3\x00" + bytes(200))
    os.utime(broken, (3_000_000, 3_000_000))
    assert newest_good_backup(folder) == older_name
    os.utime(older_name, (500_000, 500_000))
    assert newest_good_backup(folder) == newer_name


def test_a_backup_is_named_for_its_moment_and_label(sp: Studyplan, tmp_path: Path) -> None:
    from datetime import UTC, datetime

    deep = tmp_path / "not" / "yet" / "backups"  # folders made as needed
    assert make_backup(sp.conn, deep, DAY).name == "studyplan-2026-03-02.db"
    moment = datetime(2026, 3, 2, 9, 5, 7, 123456, tzinfo=UTC)
    made = make_backup(sp.conn, deep, moment, "manual")
    assert made.name == "studyplan-2026-03-02T090507-manual.db"
    assert names(deep) == ["studyplan-2026-03-02.db", "studyplan-2026-03-02T090507-manual.db"]


def test_a_backup_that_cannot_be_written_says_why_in_one_sentence(
    sp: Studyplan, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from studyplan.store import backup as backup_module

    blocked = tmp_path / "backups"
    blocked.write_text("a file where the folder should be")
    with pytest.raises(DatabaseError) as refused:
        make_backup(sp.conn, blocked, DAY, "manual")
    target = blocked / "studyplan-2026-03-02-manual.db"
    assert str(refused.value) == f"{target} could not be written (File exists); no backup was made"

    def failing_connect(*args, **kwargs):
        raise sqlite3.OperationalError("disk I/O error")

    folder = tmp_path / "good"
    monkeypatch.setattr(backup_module.sqlite3, "connect", failing_connect)
    with pytest.raises(DatabaseError) as refused:
        make_backup(sp.conn, folder, DAY, "manual")
    target = folder / "studyplan-2026-03-02-manual.db"
    assert (
        str(refused.value) == f"{target} could not be written (disk I/O error); no backup was made"
    )
    assert names(folder) == []


def test_a_damaged_database_without_a_good_backup_says_to_copy_it_first(
    tmp_path: Path, sp: Studyplan
) -> None:
    service, db = sp, sp.db_path
    service.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    service.close()
    zero_a_page(db)
    conn = sqlite3.connect(db)
    damage = damage_of(conn)
    with pytest.raises(DatabaseError) as refused:
        make_backup(conn, tmp_path / "backups", DAY, "manual")
    conn.close()
    assert str(refused.value) == (
        f"{db} is damaged ({damage}), so no backup was made and the backups were kept; "
        "there is no good backup to restore; copy the file somewhere safe before anything else"
    )


def test_inspecting_a_backup_reports_what_it_holds(sp: Studyplan, tmp_path: Path) -> None:
    from studyplan.store.backup import BackupInfo, inspect_backup
    from studyplan.store.migrations import SCHEMA_VERSION
    from tests.helpers import answer_on

    card = sp.conn.execute("SELECT id FROM card ORDER BY id LIMIT 1").fetchone()[0]
    answer_on(sp, card, DAY, 4)
    saved = make_backup(sp.conn, tmp_path / "backups", DAY, "manual")
    last = sp.conn.execute("SELECT answered_at FROM review").fetchone()[0]
    assert inspect_backup(saved) == BackupInfo(saved, 400, 1, last, SCHEMA_VERSION)


def test_inspecting_refuses_a_missing_foreign_newer_or_damaged_file(
    sp: Studyplan, tmp_path: Path
) -> None:
    from studyplan.store.backup import inspect_backup
    from studyplan.store.migrations import SCHEMA_VERSION

    folder = tmp_path / "backups"
    folder.mkdir()
    missing = folder / "studyplan-gone.db"
    with pytest.raises(DatabaseError) as refused:
        inspect_backup(missing)
    assert str(refused.value) == f"{missing}: no such backup file"

    foreign = folder / "other.db"
    with sqlite3.connect(foreign) as other:
        other.execute("CREATE TABLE note (x)")
    other.close()
    with pytest.raises(DatabaseError) as refused:
        inspect_backup(foreign)
    assert str(refused.value) == (
        f"{foreign} is not a studyplan backup (no such table: card); nothing was restored"
    )

    newer = make_backup(sp.conn, folder, DAY, "manual")
    with sqlite3.connect(newer) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(DatabaseError) as refused:
        inspect_backup(newer)
    assert str(refused.value) == (
        f"{newer} was written by a newer studyplan (schema {SCHEMA_VERSION + 1}); "
        "nothing was restored"
    )

    damaged = make_backup(sp.conn, folder, DAY, "before-restore")
    zero_a_page(damaged)
    with pytest.raises(DatabaseError) as refused:
        inspect_backup(damaged)
    message = str(refused.value)
    assert message.startswith(f"{damaged} is damaged (") or message.startswith(
        f"{damaged} is not a studyplan backup ("
    )
    assert message.endswith("; nothing was restored")
