"""Running the command line in-process, its one-sentence refusals, and what is stored."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from studyplan.cli import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def assert_one_sentence(err: str, path: Path, *words: str) -> None:
    assert err.endswith("\n") and err.count("\n") == 1, err
    assert err.startswith("studyplan: ") and str(path) in err, err
    assert "Traceback" not in err
    for word in words:
        assert word in err, err


def dump(conn: sqlite3.Connection, tables: tuple[str, ...] | None = None) -> dict[str, list]:
    if tables is None:
        tables = tuple(
            name
            for (name,) in conn.execute(
                # A virtual table reads card.search, dumped with the card; the index's
                # own rows are in its shadow tables, which are dumped.
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND sql NOT LIKE 'CREATE VIRTUAL%' ORDER BY name"
            )
        )
    return {t: conn.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall() for t in tables}


def dump_file(path: Path) -> dict[str, list]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return dump(conn)
    finally:
        conn.close()
