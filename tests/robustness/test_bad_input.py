"""Deck and plan files a learner may hand studyplan by mistake, and command lines typed wrong.

Each is refused in one sentence naming the file (and its line where there is one),
with a non-zero exit, no traceback, and nothing stored changed.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from studyplan import paths
from studyplan.cli import main
from tests.helpers import write_deck
from tests.robustness.cli_run import dump_file

FIFTY_MB = 50 * 2**20


def fifty_mb_deck() -> bytes:
    """A valid deck of 50 MB: refused by size, before it is read or parsed."""
    card = "".join(f"## Question {i:07d}\n\n{'answer ' * 20}\n\n" for i in range(1000)).encode()
    data = b'+++\nname = "Huge"\n+++\n\n' + card * (FIFTY_MB // len(card) + 1)
    return data[:FIFTY_MB]


# name -> (file content, line of the error or None, message)
BAD_FILES: dict[str, tuple[Callable[[], bytes], int | None, str]] = {
    "empty": (lambda: b"", 1, "the file is empty"),
    "binary": (
        lambda: b'+++\nname = "Pic"\n+++\n\n## Q\n\n\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR',
        9,  # the PNG signature holds two line ends before its first NUL
        "this is not a text file (it holds NUL bytes)",
    ),
    "not-utf8": (
        lambda: '+++\nname = "Café"\n+++\n\n## Q\n\nA\n'.encode("latin-1"),
        2,
        "the file is not UTF-8 text; save it as UTF-8",
    ),
    "50MB": (fifty_mb_deck, None, "the file is 50 MB; deck and plan files may be at most 20 MB"),
}


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def dump(db: Path) -> list[list[tuple]]:
    return list(dump_file(db).values())


def where(path: Path, line: int | None) -> str:
    return f"{path}:{line}" if line else f"{path}"


@pytest.fixture(autouse=True)
def bundled(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    """Bundled folders the test can replace: no bundled decks (the start-up sync then only
    reads the learner's decks), the real plans unless a test puts its own."""
    (tmp_path / "no-bundled-decks").mkdir()
    folders = {"decks": tmp_path / "no-bundled-decks", "plans": paths.bundled_plans()}
    monkeypatch.setattr(paths, "_bundled", folders.__getitem__)
    return folders


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every file read whole with ``Path.read_bytes`` (how deck and plan files are read)."""
    seen: list[Path] = []
    real = Path.read_bytes

    def recording(self: Path) -> bytes:
        seen.append(self)
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", recording)
    return seen


@pytest.fixture
def db(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """A database holding one imported deck folder."""
    path = tmp_path / "sp.db"
    write_deck(tmp_path / "mine", "Mine", {"Q1": "A1", "Q2": "A2"})
    code, _, err = run(capsys, "--db", str(path), "import", str(tmp_path / "mine"))
    assert (code, err) == (0, "")
    return path


@pytest.mark.parametrize("kind", BAD_FILES)
def test_a_bad_deck_file_is_refused_by_import(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str, reads: list[Path]
) -> None:
    content, line, message = BAD_FILES[kind]
    bad = tmp_path / "bad" / f"{kind}.md"
    bad.parent.mkdir()
    bad.write_bytes(content())
    before = dump(db)
    reads.clear()
    code, out, err = run(capsys, "--db", str(db), "import", str(bad))
    assert code == 1
    assert err == f"{where(bad, line)}: {message}\n"
    assert out == f"{bad}: 0 deck files, 0 cards added, 0 updated, 0 retired\n"
    assert dump(db) == before
    assert (bad in reads) == (kind != "50MB")  # the 50 MB file is refused by its size, unread


@pytest.mark.parametrize("kind", BAD_FILES)
def test_a_bad_deck_file_is_reported_by_decks_check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    content, line, message = BAD_FILES[kind]
    bad = tmp_path / f"{kind}.md"
    bad.write_bytes(content())
    code, out, err = run(capsys, "decks", "check", str(bad))
    assert code == 1
    assert out == f"{bad}:{line or 1}: {message}\n"
    assert err == "1 deck file checked, 1 finding\n"


@pytest.mark.parametrize("kind", BAD_FILES)
@pytest.mark.parametrize("how", ["new file", "overwritten"])
def test_a_bad_deck_file_found_by_the_sync_at_start_up_changes_nothing(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str, how: str
) -> None:
    content, line, message = BAD_FILES[kind]
    bad = tmp_path / "mine" / ("mine.md" if how == "overwritten" else f"{kind}.md")
    before = dump(db)
    bad.write_bytes(content())
    code, out, err = run(capsys, "--db", str(db), "decks")
    assert code == 1
    assert err == f"{where(bad, line)}: {message}\n"
    assert "Mine" in out  # the deck and its cards are kept as they were
    assert dump(db) == before


@pytest.fixture
def plans(tmp_path: Path, bundled: dict[str, Path]) -> Path:
    """A plans folder standing in for the bundled one."""
    folder = tmp_path / "plans"
    folder.mkdir()
    shutil.copy(bundled["plans"] / "multi-year.md", folder)
    bundled["plans"] = folder
    return folder


@pytest.mark.parametrize("kind", BAD_FILES)
def test_a_bad_plan_file_is_named_and_nothing_is_enrolled(
    db: Path, plans: Path, capsys: pytest.CaptureFixture[str], kind: str, reads: list[Path]
) -> None:
    content, line, message = BAD_FILES[kind]
    bad = plans / "three-month.md"
    bad.write_bytes(content())
    before = dump(db)
    reads.clear()
    code, out, err = run(capsys, "--db", str(db), "enrol", "three-month", "--start", "2026-03-02")
    assert code == 1 and out == ""
    assert err.splitlines() == [
        f"{where(bad, line)}: {message}",
        "studyplan: there is no plan called 'three-month' (plans: multi-year)",
    ]
    assert dump(db) == before
    assert (bad in reads) == (kind != "50MB")  # refused by its size, unread


def test_a_deck_folder_with_symlink_loops_imports_each_file_once(
    tmp_path: Path, db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "loopy"
    write_deck(folder, "Looped", {"Q": "A"})
    (folder / "again").symlink_to(folder)  # a folder loop
    (folder / "sub").mkdir()
    (folder / "sub" / "up").symlink_to(folder)  # a longer one
    code, out, err = run(capsys, "--db", str(db), "import", str(folder))
    assert (code, err) == (0, "")
    assert "1 deck file, 1 card added" in out
    before = dump(db)
    loop = folder / "loop.md"
    loop.symlink_to(loop)  # a file that links to itself
    code, _, err = run(capsys, "--db", str(db), "decks")
    assert code == 1
    assert err == f"{loop}: cannot be read (Too many levels of symbolic links)\n"
    assert dump(db) == before
    code, out, err = run(capsys, "decks", "check", str(folder))
    assert code == 1 and err == "2 deck files checked, 1 finding\n"
    assert out == f"{loop}:1: cannot be read (Too many levels of symbolic links)\n"


def test_a_folder_import_beside_a_file_that_links_to_itself_checks_the_rest(
    tmp_path: Path, db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The checks after an import read the decks it parsed; a looping link beside them is
    named once, by the import, and the checks still run on the rest."""
    folder = tmp_path / "loopy"
    write_deck(folder, "Looped", {"Q": "A", "Q?": "B"})
    loop = folder / "loop.md"
    loop.symlink_to(loop)
    code, out, err = run(capsys, "--db", str(db), "import", str(folder))
    assert code == 1 and "Traceback" not in err
    assert f"{loop}: cannot be read (Too many levels of symbolic links)" in err
    assert "the same front as" in err and "1 deck file, 2 cards added" in out


def test_importing_a_file_that_links_to_itself_is_one_sentence(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    loop = tmp_path / "loop.md"
    loop.symlink_to(loop)
    before = dump(db)
    code, _, err = run(capsys, "--db", str(db), "import", str(loop))
    assert code == 1 and str(loop) in err and err.count("\n") == 1
    assert dump(db) == before


# -- the command line --------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "sentence"),
    [
        (["--colour"], "studyplan: error: unrecognized arguments: --colour"),
        (["decks", "--fast"], "studyplan: error: unrecognized arguments: --fast"),
        (["plan", "--week"], "studyplan plan: error: argument --week: expected one argument"),
        (["teleport"], "studyplan: error: argument COMMAND: invalid choice: 'teleport'"),
    ],
)
def test_an_unknown_option_ends_in_a_sentence_and_exit_2(
    capsys: pytest.CaptureFixture[str], argv: list[str], sentence: str
) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    assert exit_.value.code == 2
    out, err = capsys.readouterr()
    assert out == "" and "Traceback" not in err
    assert err.splitlines()[-1].startswith(sentence)
    # argparse puts its usage line first: the only other line
    assert [line for line in err.splitlines() if not line.startswith(("usage:", " "))] == [
        err.splitlines()[-1]
    ]


def test_an_unknown_option_is_exactly_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--colour"])
    assert capsys.readouterr().err.count("\n") == 1


@pytest.mark.parametrize(
    ("argv", "sentence"),
    [
        (
            ["plan", "--week", "2026-02-30"],
            "studyplan: --week '2026-02-30' is not a date; write it like 2026-11-30",
        ),
        (
            ["plan", "--week", "2026-11-31"],
            "studyplan: --week '2026-11-31' is not a date; write it like 2026-11-30",
        ),
        (
            ["enrol", "three-month", "--start", "30/11/2026"],
            "studyplan: --start '30/11/2026' is not a date; write it like 2026-11-30",
        ),
        (
            ["enrol", "three-month", "--start", "2026-11-30\x00"],
            "studyplan: --start '2026-11-30\\x00' is not a date; write it like 2026-11-30",
        ),
    ],
)
def test_a_bad_date_is_one_sentence_and_stores_nothing(
    db: Path, capsys: pytest.CaptureFixture[str], argv: list[str], sentence: str
) -> None:
    before = dump(db)
    code, out, err = run(capsys, "--db", str(db), *argv)
    assert code == 1 and out == ""
    assert err == sentence + "\n"
    assert dump(db) == before


def test_front_matter_nested_thousands_deep_is_one_sentence(
    db: Path, tmp_path: Path, plans: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    deep = "[" * 5000 + "]" * 5000
    deck = tmp_path / "deep.md"
    deck.write_text(f'+++\nname = "Deep"\ntags = {deep}\n+++\n\n## Q\n\nA\n', encoding="utf-8")
    before = dump(db)
    code, _, err = run(capsys, "--db", str(db), "import", str(deck))
    assert code == 1
    assert err == f"{deck}:2: the front matter nests arrays or tables too deeply\n"
    assert dump(db) == before
    plan = plans / "three-month.md"
    plan.write_text(f'+++\nid = "three-month"\ntitle = {deep}\n+++\n', encoding="utf-8")
    code, _, err = run(capsys, "--db", str(db), "enrol", "three-month")
    assert code == 1
    assert err.splitlines()[0] == f"{plan}:2: the front matter nests arrays or tables too deeply"
    assert dump(db) == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('timezone = "Europe"\n', "timezone = 'Europe' must be an IANA zone like Europe/Berlin"),
        ("theme = " + "[" * 5000 + "]" * 5000 + "\n", "is not valid TOML: arrays or tables nest"),
        ("new_per_day = 20\x00\n", "is not valid TOML"),
    ],
    ids=["a-zone-folder", "nested-5000-deep", "a-nul-byte"],
)
def test_a_bad_settings_file_is_one_sentence_naming_it(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, message: str
) -> None:
    config = tmp_path / "config.toml"
    config.write_text(content, encoding="utf-8")
    before = dump(db)
    code, out, err = run(capsys, "--db", str(db), "--config", str(config), "decks")
    assert code == 1 and out == ""
    assert err.startswith(f"studyplan: {config}: ") and message in err and err.count("\n") == 1
    assert dump(db) == before and config.read_text(encoding="utf-8") == content
