"""A package that cannot be imported is one sentence naming it, and changes nothing."""

from __future__ import annotations

import sqlite3
import zipfile
from pathlib import Path

import pytest

from studyplan.cli import main
from studyplan.interop.anki import package as package_module

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "anki"


def run(capsys, tmp_path: Path, *argv: str) -> tuple[int, str, str]:
    code = main(["--db", str(tmp_path / "sp.db"), *argv])
    out, err = capsys.readouterr()
    return code, out, err


def state(tmp_path: Path) -> tuple:
    conn = sqlite3.connect(tmp_path / "sp.db")
    try:
        return (
            conn.execute("SELECT count(*) FROM card").fetchone(),
            conn.execute("SELECT count(*) FROM review").fetchone(),
            sorted(p.name for p in (tmp_path / "decks").rglob("*"))
            if (tmp_path / "decks").exists()
            else [],
        )
    finally:
        conn.close()


def rezip(tmp_path: Path, name: str, change) -> Path:
    out = tmp_path / name
    with zipfile.ZipFile(FIXTURES / "latest.apkg") as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = change(info.filename, src.read(info))
            if data is not None:
                dst.writestr(info.filename, data)
    return out


def corrupt_collection(tmp_path: Path) -> Path:
    import zstandard

    return rezip(
        tmp_path,
        "corrupt.apkg",
        lambda n, d: (
            zstandard.ZstdCompressor().compress(b"SQLite format 3\x00" + b"\x07" * 8000)
            if n == "collection.anki21b"
            else d
        ),
    )


def newer_schema(tmp_path: Path) -> Path:
    import zstandard

    def change(name: str, data: bytes) -> bytes:
        if name != "collection.anki21b":
            return data
        db = tmp_path / "x.db"
        db.write_bytes(zstandard.ZstdDecompressor().decompressobj().decompress(data))
        conn = sqlite3.connect(db)
        conn.execute("UPDATE col SET ver = 99")
        conn.commit()
        conn.close()
        return zstandard.ZstdCompressor().compress(db.read_bytes())

    return rezip(tmp_path, "newer.apkg", change)


def encrypted(tmp_path: Path) -> Path:
    out = rezip(tmp_path, "locked.apkg", lambda n, d: d)
    data = bytearray(out.read_bytes())
    # Set the "encrypted" flag bit on every entry, as a password-protected zip has it.
    for sig, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = data.find(sig)
        while at >= 0:
            data[at + offset] |= 1
            at = data.find(sig, at + 4)
    out.write_bytes(bytes(data))
    return out


def truncated(tmp_path: Path) -> Path:
    out = tmp_path / "cut.apkg"
    out.write_bytes((FIXTURES / "latest.apkg").read_bytes()[:20000])
    return out


CASES = {
    "truncated": (truncated, "is not a complete Anki package"),
    "no collection": (
        lambda t: rezip(t, "empty.apkg", lambda n, d: None if n.startswith("collection") else d),
        "this zip holds no Anki collection",
    ),
    "only the placeholder": (
        lambda t: rezip(t, "placeholder.apkg", lambda n, d: None if n.endswith("anki21b") else d),
        "the package says it holds collection.anki21b, but it does not",
    ),
    "a plain zip": (
        lambda t: rezip(t, "plain.zip", lambda n, d: d if n == "0" else None),
        "this zip holds no Anki collection",
    ),
    "corrupt collection": (corrupt_collection, "its collection is damaged"),
    "unsupported schema": (newer_schema, "its collection has schema 99"),
    "encrypted": (encrypted, "the package is encrypted (password-protected)"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_bad_packages_are_one_sentence_and_change_nothing(
    case: str, tmp_path: Path, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STUDYPLAN_DECKS_DIR", str(tmp_path / "decks"))
    assert run(capsys, tmp_path, "import", str(FIXTURES / "maths-only.apkg"))[0] == 0
    before = state(tmp_path)
    make, sentence = CASES[case]
    bad = make(tmp_path)
    code, _, err = run(capsys, tmp_path, "import", str(bad))
    assert code == 1
    assert err.count("\n") == 1 and str(bad) in err and sentence in err, err
    assert "Traceback" not in err
    assert state(tmp_path) == before


def test_a_failure_at_the_last_step_of_an_import_leaves_nothing_behind(
    tmp_path: Path, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The FSRS replay of the imported history is part of the import's one transaction."""
    from studyplan.store.scheduler_repo import SchedulerRepository

    monkeypatch.setenv("STUDYPLAN_DECKS_DIR", str(tmp_path / "decks"))
    assert run(capsys, tmp_path, "import", str(FIXTURES / "maths-only.apkg"))[0] == 0
    before = state(tmp_path)
    conn = sqlite3.connect(tmp_path / "sp.db")
    fsrs_before = conn.execute("SELECT * FROM card ORDER BY id").fetchall()
    conn.close()

    def fail(self, card_ids=None):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(SchedulerRepository, "replay_fsrs_within", fail)
    code, _, err = run(capsys, tmp_path, "import", str(FIXTURES / "latest.apkg"))
    assert code == 1 and "No space left on device" in err and "nothing was imported" in err
    assert state(tmp_path) == before
    conn = sqlite3.connect(tmp_path / "sp.db")
    assert conn.execute("SELECT * FROM card ORDER BY id").fetchall() == fsrs_before
    conn.close()


def test_a_huge_package_is_refused_before_it_is_read(
    tmp_path: Path, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STUDYPLAN_DECKS_DIR", str(tmp_path / "decks"))
    huge = tmp_path / "huge.apkg"
    with huge.open("wb") as f:  # sparse: 500 MB on paper, nothing on disk
        f.write(b"PK\x03\x04")
        f.truncate(500 * 2**20)
    code, _, err = run(capsys, tmp_path, "import", str(huge))
    assert code == 1
    assert "the package is 500 MB; studyplan imports Anki packages of at most 256 MB" in err


def test_a_collection_that_unpacks_too_large_is_refused(
    tmp_path: Path, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STUDYPLAN_DECKS_DIR", str(tmp_path / "decks"))
    monkeypatch.setattr(package_module, "MAX_COLLECTION_BYTES", 4096)
    code, _, err = run(capsys, tmp_path, "import", str(FIXTURES / "latest.apkg"))
    assert code == 1
    assert "its collection unpacks to more than 0 MB" in err
    assert not (tmp_path / "decks").exists()


def test_the_command_imports_a_package_and_keeps_markdown_decks(
    tmp_path: Path, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STUDYPLAN_DECKS_DIR", str(tmp_path / "decks"))
    named_txt = tmp_path / "export.apkg.txt"  # judged by content, not by its name
    named_txt.write_bytes((FIXTURES / "collection.colpkg").read_bytes())
    code, out, err = run(capsys, tmp_path, "import", str(named_txt))
    assert (code, err) == (0, "")
    assert "2 decks, 10 notes, 13 cards (13 new or changed), 13 reviews added, 1 media files" in out
    mine = tmp_path / "mine.md"
    mine.write_text('+++\nname = "Mine"\n+++\n\n## Q\n\nA\n')
    code, out, _ = run(capsys, tmp_path, "import", str(mine))
    assert code == 0 and "1 card added" in out
    code, out, _ = run(capsys, tmp_path, "decks")
    assert "ML · Basics" in out and "Maths" in out and "Mine" in out
    code, out, _ = run(
        capsys, tmp_path, "export", "--apkg", str(tmp_path / "o.apkg"), "--deck", "Maths"
    )
    assert (code, out.strip()) == (0, f"{tmp_path / 'o.apkg'}: 1 deck, 5 notes")
    code, out, _ = run(capsys, tmp_path, "export", "--log", str(tmp_path / "log.csv"))
    assert (code, out.strip()) == (0, f"{tmp_path / 'log.csv'}: 13 answers")
    code, out, _ = run(capsys, tmp_path, "export", "--markdown", str(tmp_path / "md"))
    assert code == 0 and (tmp_path / "md" / "maths.md").is_file()
    assert (tmp_path / "md" / "media" / "plot.png").is_file()


def test_export_takes_the_cards_a_query_finds(tmp_path: Path, capsys, monkeypatch) -> None:
    monkeypatch.setenv("STUDYPLAN_DECKS_DIR", str(tmp_path / "decks"))
    assert run(capsys, tmp_path, "import", str(FIXTURES / "collection.colpkg"))[0] == 0
    out_file = tmp_path / "ml.apkg"
    code, out, err = run(
        capsys, tmp_path, "export", "--apkg", str(out_file), "--query", "deck:basics tag:ml"
    )
    assert (code, err, out.strip()) == (0, "", f"{out_file}: 1 deck, 2 notes")
    with zipfile.ZipFile(out_file) as package:
        (tmp_path / "col").write_bytes(package.read("collection.anki2"))
    conn = sqlite3.connect(tmp_path / "col")
    try:
        fronts = sorted(row[0].split("\x1f")[0] for row in conn.execute("SELECT flds FROM notes"))
    finally:
        conn.close()
    # overfitting (Basic), and sigmoid with its reverse as one "Basic (and reversed card)" note
    assert fronts == ["What is <strong>overfitting</strong>?", "sigmoid"]


@pytest.mark.parametrize(
    ("query", "said"),
    [
        (
            "deck:basics (tag:ml",
            'the query cannot be read: a bracket "(" is never closed (at column 13)',
        ),
        ("tag:no-such-tag", "no cards match the query; nothing was written"),
    ],
)
def test_a_bad_or_empty_export_query_is_one_sentence_and_writes_nothing(
    tmp_path: Path, capsys, monkeypatch, query: str, said: str
) -> None:
    monkeypatch.setenv("STUDYPLAN_DECKS_DIR", str(tmp_path / "decks"))
    assert run(capsys, tmp_path, "import", str(FIXTURES / "collection.colpkg"))[0] == 0
    out_file = tmp_path / "ml.apkg"
    code, out, err = run(capsys, tmp_path, "export", "--apkg", str(out_file), "--query", query)
    assert (code, out) == (1, "")
    assert said in err and err.count("\n") == 1
    assert not out_file.exists() and not list(tmp_path.glob(".ml.apkg*"))
    code, _, err = run(capsys, tmp_path, "export", "--log", str(out_file), "--query", "tag:ml")
    assert (code, err) == (1, "studyplan: --query chooses cards for --apkg only\n")
    assert not out_file.exists()
