"""Hostile and careless input, each a reproduction from the hostile-input issue: met in one
sentence naming the file and line, shown as text, nothing stored changed."""

from __future__ import annotations

from pathlib import Path

import pytest

from studyplan.core.cards.deck import parse_deck
from studyplan.core.errors import SourceError
from studyplan.core.plan.parse import parse_plan
from studyplan.core.text import has_controls, visible
from studyplan.service import Studyplan
from studyplan.ui.app import build_app
from studyplan.ui.cardview import CardView
from tests.helpers import FakeClock
from tests.robustness.cli_run import dump_file, run

OSC_TITLE = "\x1b]0;PWNED\x07"
WIPE = "\x1b[2J"
CLIPBOARD = "\x1b]52;c;ZWNobyBwd25lZA==\x07"
HOSTILE_DECK = (
    f'+++\nname = "Evil{WIPE} deck"\n+++\n\n## Front {OSC_TITLE}here?\n\n'
    f"Back {WIPE} and {CLIPBOARD} and a C1 \x9b2J.\n"
)


def deck(body: str) -> str:
    return f'+++\nname = "D"\n+++\n\n{body}'


# -- control characters: shown as text, never sent to the terminal --------------------


def test_control_characters_in_a_deck_become_visible_signs() -> None:
    parsed = parse_deck(HOSTILE_DECK, "evil.md")
    card = parsed.cards[0]
    for text in (parsed.name, card.front, card.back):
        assert not has_controls(text), repr(text)
    assert card.front == "Front ␛]0;PWNED␇here?"
    assert "␛[2J" in card.back and "\ufffd2J" in card.back


async def test_control_characters_never_reach_the_card_view(tmp_path: Path) -> None:
    folder = tmp_path / "decks"
    folder.mkdir()
    (folder / "evil.md").write_text(HOSTILE_DECK, encoding="utf-8")
    app = build_app(
        tmp_path / "sp.db", tmp_path / "c.toml", clock=FakeClock(), bundled_decks=folder
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("r", "space")
        await pilot.pause()
        view = app.screen.query_one(CardView)
        drawn = "".join(seg.text for strip in view._strips for seg in strip)
        assert "PWNED" in drawn and not has_controls(drawn)


def test_a_database_holding_control_characters_shows_them_as_signs(tmp_path: Path) -> None:
    folder = tmp_path / "decks"
    folder.mkdir()
    (folder / "d.md").write_text(deck("## Q?\n\nA\n"), encoding="utf-8")
    sp = Studyplan(tmp_path / "sp.db", tmp_path / "c.toml", clock=FakeClock(), bundled_decks=folder)
    sp.sync_decks()
    # A database file from elsewhere: written behind studyplan's back.
    sp.conn.execute(f"UPDATE card SET front = 'Q{OSC_TITLE}', back = '{WIPE}'")
    sp.conn.execute(f"UPDATE deck SET name = 'D{CLIPBOARD}'")
    card = sp.start_review().current
    assert card is not None and not has_controls(card.front + card.back + card.deck_name)
    assert not has_controls(sp.deck_summaries()[0].name)


def test_command_line_output_shows_control_characters_as_signs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / f"mine{WIPE}"
    folder.mkdir()
    (folder / "evil.md").write_text(HOSTILE_DECK, encoding="utf-8")
    (folder / f"broken{OSC_TITLE}.md").write_text("no front matter", encoding="utf-8")
    db = str(tmp_path / "sp.db")
    code, out, err = run(capsys, "--db", db, "import", str(folder))
    assert code == 1  # the broken file is refused, the good one imported
    code, out2, err2 = run(capsys, "--db", db, "decks")
    for text in (out, err, out2, err2):
        assert "\x1b" not in text and "\x07" not in text, repr(text)
    assert "broken␛]0;PWNED␇.md" in err and "mine␛[2J" in err
    assert "Evil␛[2J deck" in out2


def test_markup_in_card_text_stays_literal() -> None:
    card = parse_deck(deck("## [bold]Q[/bold]?\n\n[@click=app.quit]A[/]\n"), "d.md").cards[0]
    assert card.front == "[bold]Q[/bold]?" and card.back == "[@click=app.quit]A[/]"


def test_visible_keeps_newlines_and_tabs() -> None:
    assert visible("a\tb\nc\x1bd\x7fe") == "a\tb\nc␛d␡e"


# -- cloze numbers --------------------------------------------------------------------


@pytest.mark.parametrize("number", ["0", "00", "1000", "9" * 5000])
def test_a_cloze_number_out_of_range_is_one_sentence_with_its_line(number: str) -> None:
    with pytest.raises(SourceError) as refused:
        parse_deck(deck(f"## Q\n\nx {{{{c{number}::a}}}}\n"), "d.md")
    assert str(refused.value).startswith("d.md:7: cloze number c")


# -- nesting the parser cannot read ---------------------------------------------------


@pytest.mark.parametrize(
    "nested",
    [
        "".join("  " * i + "- x\n" for i in range(3000)),
        "> " * 3000 + "x\n",
        "".join("  " * i + "1. x\n" for i in range(40)),
    ],
    ids=["list-3000", "quote-3000", "ordered-40"],
)
def test_text_nested_deeper_than_markdown_reads_is_refused_not_half_read(nested: str) -> None:
    text = deck(f"## Q1\n\nA1\n\n## Q2\n\n{nested}\n## Q3\n\nA3\n")
    with pytest.raises(SourceError) as refused:
        parse_deck(text, "d.md")
    assert "nest too deeply" in str(refused.value)
    assert str(refused.value).startswith("d.md:")
    plan = '+++\nid = "p"\ntitle = "P"\n+++\n\n## Phase {weeks=1}\n\n- T {hours=1}\n' + "".join(
        "  " * (i + 1) + "- x\n" for i in range(3000)
    )
    with pytest.raises(SourceError, match="nest too deeply"):
        parse_plan(plan, "p.md")


def test_a_deeply_nested_deck_changes_nothing_stored(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    path = mine / "d.md"
    path.write_text(deck("## Q1\n\nA1\n"), encoding="utf-8")
    db = tmp_path / "sp.db"
    assert run(capsys, "--db", str(db), "import", str(mine))[0] == 0
    before = dump_file(db)
    nested = "".join("  " * i + "- x\n" for i in range(3000))
    path.write_text(deck(f"## Q1\n\nA1\n\n## Q2\n\n{nested}\n## Q3\n\nA3\n"), encoding="utf-8")
    code, _, err = run(capsys, "--db", str(db), "import", str(mine))
    assert code == 1 and "nest too deeply" in err
    assert dump_file(db) == before


# -- databases that are not studyplan's ------------------------------------------------


def test_another_programs_sqlite_file_is_refused_untouched(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import sqlite3

    other = tmp_path / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE notes (id, body)")
        conn.execute("INSERT INTO notes VALUES (1, 'mine')")
    conn.close()
    data = other.read_bytes()
    for command in (("status",), ("decks",), ("stats",)):
        code, out, err = run(capsys, "--db", str(other), *command)
        assert code == 1 and out == "" and err.count("\n") == 1, (command, err)
        assert "is another program's database (it holds the tables notes)" in err
    assert other.read_bytes() == data
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.db"]  # no -wal, no backups


def test_a_file_claiming_a_schema_without_its_tables_is_refused_untouched(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import sqlite3

    from studyplan.store.db import APPLICATION_ID

    hollow = tmp_path / "hollow.db"
    with sqlite3.connect(hollow) as conn:
        conn.execute("PRAGMA user_version = 3")
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.close()
    data = hollow.read_bytes()
    code, _, err = run(capsys, "--db", str(hollow), "decks")
    assert code == 1 and err.count("\n") == 1
    assert "says schema 3 but has no card table" in err
    assert hollow.read_bytes() == data


def test_a_new_database_is_marked_as_studyplans(tmp_path: Path) -> None:
    import sqlite3

    from studyplan.store.db import APPLICATION_ID, connect

    connect(tmp_path / "new.db").close()
    with sqlite3.connect(tmp_path / "new.db") as conn:
        assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID


# -- files a command writes -------------------------------------------------------------


def enrolled(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    db = str(tmp_path / "sp.db")
    assert run(capsys, "--db", db, "enrol", "three-month", "--start", "2026-11-30")[0] == 0
    return db


@pytest.mark.parametrize(
    ("target", "reason"),
    [("missing/folder/week.ics", "its folder does not exist"), ("a-folder", "it is a folder")],
)
def test_an_export_into_a_missing_folder_or_onto_a_folder_is_one_sentence(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], target: str, reason: str
) -> None:
    db = enrolled(tmp_path, capsys)
    (tmp_path / "a-folder").mkdir()
    before = sorted(p.name for p in tmp_path.rglob("*"))
    code, out, err = run(capsys, "--db", db, "plan", "--ics", str(tmp_path / target))
    assert code == 1 and out == "" and err.count("\n") == 1
    assert (
        err
        == f"studyplan: {tmp_path / target}: cannot be written because {reason}; nothing was written\n"
    )
    assert sorted(p.name for p in tmp_path.rglob("*")) == before  # no half-written file


def test_settings_that_cannot_be_written_are_one_sentence_and_unchanged(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno
    import os

    config = tmp_path / "conf" / "config.toml"
    assert run(capsys, "--config", str(config), "config", "new_per_day", "30")[0] == 0
    data = config.read_bytes()

    def refuse(src: object, dst: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(os, "replace", refuse)  # a read-only config folder, as root sees none
    code, out, err = run(capsys, "--config", str(config), "config", "new_per_day", "5")
    assert code == 1 and out == ""
    assert err == (
        f"studyplan: {config}: cannot be written because permission was denied; "
        "nothing was written\n"
    )
    monkeypatch.undo()
    assert config.read_bytes() == data
    assert sorted(p.name for p in config.parent.iterdir()) == ["config.toml"]
