"""The command line as a learner types it."""

from __future__ import annotations

from pathlib import Path

import pytest

from studyplan.cli import main
from tests.helpers import write_deck


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_import_then_list_decks(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    deck = write_deck(tmp_path / "mine", "My deck", {"Q1": "A1", "Q2": "A2"})
    db = str(tmp_path / "sp.db")
    code, out, err = run(capsys, "--db", db, "import", str(deck))
    assert (code, err) == (0, "")
    assert "1 deck file, 2 cards added, 0 updated, 0 retired" in out
    code, out, _ = run(capsys, "--db", db, "decks")
    assert code == 0
    assert any(
        line.startswith("My deck") and line.split()[-3:] == ["0", "2", "2"]
        for line in out.splitlines()
    )


def test_importing_a_broken_deck_says_file_and_line_and_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.md"
    bad.write_text('+++\nname = "Bad"\n+++\n\n## Q {{c1::x}}\nA\n', encoding="utf-8")
    code, _, err = run(capsys, "--db", str(tmp_path / "sp.db"), "import", str(bad))
    assert code == 1
    assert (
        err.strip()
        == f"{bad.resolve()}:5: put cloze deletions in the text under the heading, not in the heading"
    )
    assert "Traceback" not in err


def test_config_shows_and_changes_one_setting(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "c" / "config.toml"
    code, out, _ = run(capsys, "--config", str(config), "config")
    assert code == 0 and "new_per_day = 20" in out
    code, out, _ = run(capsys, "--config", str(config), "config", "new_per_day", "35")
    assert code == 0 and "new_per_day = 35" in config.read_text()
    code, out, _ = run(capsys, "--config", str(config), "config", "new_per_day")
    assert out.strip() == "35"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("rollover_hour", "24"), "rollover_hour = 24 must be an hour from 0 to 23"),
        (("new_per_day", "lots"), "new_per_day must be a whole number, got 'lots'"),
        (("colour", "red"), "unknown setting 'colour'"),
        (("timezone", "Mars/Olympus"), "must be an IANA zone"),
    ],
)
def test_a_bad_setting_is_refused_and_the_file_kept(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: tuple[str, str], message: str
) -> None:
    config = tmp_path / "config.toml"
    config.write_text("new_per_day = 7\n")
    code, _, err = run(capsys, "--config", str(config), "config", *args)
    assert code == 1 and message in err and err.count("\n") == 1
    assert config.read_text() == "new_per_day = 7\n"


def test_a_broken_settings_file_is_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "config.toml"
    config.write_text("new_per_day = = 3\n")
    code, _, err = run(capsys, "--config", str(config), "decks")
    assert code == 1 and err.startswith(f"studyplan: {config}: is not valid TOML")


def test_a_database_path_that_is_a_directory_is_one_clear_sentence(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "--db", str(tmp_path), "decks")
    assert code == 1
    assert err == f"studyplan: {tmp_path} is a directory, not a studyplan database file\n"


def test_an_unknown_option_exits_with_usage(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["--colour"])
    assert exit_.value.code == 2
    assert "unrecognized arguments: --colour" in capsys.readouterr().err


def test_the_bundled_decks_are_listed_on_a_fresh_install(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "decks")
    assert (code, err) == (0, "")
    assert "Mathematics" in out and "Algorithms" in out and "ML" in out
    assert (tmp_path / "data" / "studyplan.db").exists()


def test_backup_and_restore_from_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "sp.db")
    run(capsys, "--db", db, "import", str(write_deck(tmp_path / "mine", "Mine", {"Q": "A"})))
    code, out, _ = run(capsys, "--db", db, "backup")
    backup = Path(out.strip().removeprefix("backed up to "))
    assert code == 0 and backup.is_file()
    code, _, err = run(capsys, "--db", db, "restore", str(backup))
    assert code == 1 and "--yes" in err  # no terminal to ask: refuse rather than guess
    code, out, _ = run(capsys, "--db", db, "restore", str(backup), "--yes")
    assert code == 0 and "the database as it was is kept in" in out
    # Inspecting and restoring left nothing beside the backups: no -wal, no -shm.
    assert sorted(p.suffix for p in backup.parent.iterdir()) == [".db", ".db"]
    code, _, err = run(capsys, "--db", db, "restore", str(tmp_path / "nope.db"), "--yes")
    assert code == 1 and err == f"studyplan: {tmp_path / 'nope.db'}: no such backup file\n"


def test_enrol_then_print_the_week_as_text_markdown_and_calendar(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "sp.db")
    code, out, err = run(capsys, "--db", db, "enrol", "three-month", "--start", "2026-11-23",
                         "--minutes", "mon-fri=60,sat=120,sun=0")  # fmt: skip
    assert (code, err) == (0, "") and "Enrolled in" in out
    code, out, _ = run(capsys, "--db", db, "plan", "--week", "2026-11-25")
    assert code == 0 and "23 Nov" in out and "rest day" in out
    code, out, _ = run(capsys, "--db", db, "plan", "--week", "2026-11-25", "--markdown")
    assert code == 0 and "| Day |" in out
    ics = tmp_path / "week.ics"
    code, out, _ = run(capsys, "--db", db, "plan", "--week", "2026-11-25", "--ics", str(ics))
    first = ics.read_bytes()
    run(capsys, "--db", db, "plan", "--week", "2026-11-25", "--ics", str(ics))
    assert code == 0 and first.startswith(b"BEGIN:VCALENDAR") and ics.read_bytes() == first


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("enrol", "six-month"), "there is no plan called 'six-month'"),
        (("enrol", "three-month", "--start", "2026-13-01"), "'2026-13-01' is not a date"),
        (("enrol", "three-month", "--minutes", "0,0,0,0,0,0,0"), "every day has 0 minutes"),
        (("enrol", "multi-year", "--from", "genius"), "has no starting point 'genius'"),
        (("plan",), "not following a plan yet"),
        (("plan", "--week", "last tuesday"), "'last tuesday' is not a date"),
    ],
)
def test_plan_commands_refuse_bad_input_in_one_sentence(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: tuple[str, ...], message: str
) -> None:
    code, _, err = run(capsys, "--db", str(tmp_path / "sp.db"), *args)
    assert code == 1 and message in err and err.count("\n") == 1


def test_import_and_decks_check_flag_the_same_things(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "m.md").write_text(
        '+++\nname = "Mine"\n+++\n\n## Odd formula?\ntags: my-own-tag\n\n$\\weird{x}$\n',
        encoding="utf-8",
    )
    db = str(tmp_path / "sp.db")
    assert main(["--db", db, "import", str(mine)]) == 0
    _, err = capsys.readouterr()
    assert "uses \\weird" in err and "(imported anyway)" in err
    assert main(["decks", "check", str(mine)]) == 1
    out, _ = capsys.readouterr()
    assert "uses \\weird" in out
    # A learner's deck may use tags of its own: neither command calls them unknown.
    assert "unknown tag" not in out + err


def test_import_checks_each_changed_file_from_its_one_parse(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import studyplan.core.cards.deck as deck_module
    import studyplan.lint as lint

    mine = tmp_path / "mine"
    write_deck(mine, "Old", {"What is rank?": "A"})
    db = str(tmp_path / "sp.db")
    assert main(["--db", db, "import", str(mine)]) == 0
    capsys.readouterr()
    write_deck(mine, "Zed", {"Rank: what is it?": "B"})
    parsed: list[str] = []
    real = deck_module.parse_deck

    def counting(text: str, path: str, default_key: str | None = None):
        parsed.append(Path(path).name)
        return real(text, path, default_key)

    monkeypatch.setattr(deck_module, "parse_deck", counting)
    monkeypatch.setattr(lint, "parse_deck", counting)
    assert main(["--db", db, "import", str(mine)]) == 0
    _, err = capsys.readouterr()
    # The new file is parsed once (the sync's parse serves the checks); the unchanged
    # one is read for the checks only, and a near-duplicate across the two is still shown.
    assert sorted(parsed) == ["old.md", "zed.md"]
    assert f"zed.md:5: nearly the same front as {mine / 'old.md'}:5 (imported anyway)" in err


def test_a_learners_own_tag_list_is_checked_when_there_is_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "tags.toml").write_text(
        '[tags]\nmy-own-tag = { description = "x" }\n', encoding="utf-8"
    )
    (mine / "m.md").write_text(
        '+++\nname = "Mine"\n+++\n\n## A?\ntags: my-own-tag\n\nA\n\n## B?\ntags: typo-tag\n\nB\n',
        encoding="utf-8",
    )
    assert main(["decks", "check", str(mine)]) == 1
    out, _ = capsys.readouterr()
    assert "unknown tag 'typo-tag'" in out and "my-own-tag" not in out


def test_one_card_added_is_said_in_the_singular(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    deck = tmp_path / "one.md"
    deck.write_text('+++\nname = "One"\n+++\n\n## Q?\n\nA\n', encoding="utf-8")
    assert main(["--db", str(tmp_path / "sp.db"), "import", str(deck)]) == 0
    out, _ = capsys.readouterr()
    assert "1 deck file, 1 card added" in out


def test_review_deck_accepts_an_id_a_name_or_a_part_of_either(tmp_path: Path) -> None:
    from studyplan.service import Studyplan

    sp = Studyplan(tmp_path / "sp.db", tmp_path / "c.toml")
    sp.sync_decks()
    assert sp.find_deck("math-linear-algebra").name == "Mathematics · Linear algebra"
    assert sp.find_deck("mathematics · linear algebra").key == "math-linear-algebra"
    assert sp.find_deck("LINEAR alg").key == "math-linear-algebra"
    with pytest.raises(LookupError, match=r"'ML' matches \d+ decks"):
        sp.find_deck("ML")
    with pytest.raises(LookupError, match=r"no deck is called 'Linear algebar'; did you mean"):
        sp.find_deck("Linear algebar")


def test_review_with_an_unknown_deck_refuses_in_one_sentence_and_starts_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from studyplan.ui.app import StudyplanApp

    monkeypatch.setattr(StudyplanApp, "run", lambda self: pytest.fail("the app started"))
    code = main(["--db", str(tmp_path / "sp.db"), "review", "--deck", "probabilty"])
    out, err = capsys.readouterr()
    assert code == 1 and out == ""
    assert err.count("\n") == 1
    assert err.startswith("studyplan: no deck is called 'probabilty'; did you mean")
    assert "Probability and statistics" in err


def test_review_holds_the_collector_off_only_while_the_app_starts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`studyplan review` starts with the garbage collector off (the app turns it on after
    its first screen); however the command ends, it is on again."""
    import gc

    from studyplan.ui.app import StudyplanApp

    seen: list[bool] = []
    monkeypatch.setattr(StudyplanApp, "run", lambda self: seen.append(gc.isenabled()))
    assert main(["--db", str(tmp_path / "sp.db"), "review"]) == 0
    assert seen == [False] and gc.isenabled()
    assert main(["--db", str(tmp_path / "sp.db"), "review", "--deck", "probabilty"]) == 1
    assert gc.isenabled()
    capsys.readouterr()


def test_an_import_loads_markdown_it_only_for_a_deck_that_needs_it(tmp_path: Path) -> None:
    """A deck of paragraphs, headings, rules and fenced code, and an Anki package, are
    read without markdown-it (a fifth of an import's start); the checks are loaded only
    for a deck file, and the Anki readers only for an Anki file."""
    import subprocess
    import sys

    plain = tmp_path / "plain.md"
    plain.write_text(
        '+++\nname = "Plain"\n+++\n\n## Q\n\n```python\nprint(1)\n```\n\n---\n\n`1`\n',
        encoding="utf-8",
    )
    listed = tmp_path / "listed.md"
    listed.write_text('+++\nname = "Listed"\n+++\n\n## Q\n\n- a\n- b\n', encoding="utf-8")
    package = Path(__file__).parents[1] / "fixtures" / "anki" / "maths-only.apkg"
    loaded = {}
    for source in (plain, listed, package):
        code = (
            "import sys; from studyplan.cli import main; "
            f"main(['--db', {str(tmp_path / 'sp.db')!r}, '--config', "
            f"{str(tmp_path / 'config.toml')!r}, 'import', {str(source)!r}]); "
            "print(' '.join(sorted(sys.modules)))"
        )
        env = {"PATH": "", "HOME": str(tmp_path), "STUDYPLAN_DECKS_DIR": str(tmp_path / "decks")}
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
        ).stdout.splitlines()
        loaded[source.name] = set(out[-1].split())
    assert "markdown_it" not in loaded["plain.md"] and "studyplan.lint" in loaded["plain.md"]
    assert not {"studyplan.interop.anki.package", "zipfile"} & loaded["plain.md"]
    assert not {"shutil", "tempfile"} & loaded["plain.md"]  # the package import's own
    assert "markdown_it" in loaded["listed.md"]
    assert not {"markdown_it", "studyplan.lint"} & loaded["maths-only.apkg"]


def test_a_deck_import_runs_without_the_collector_and_turns_it_back_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import gc

    import studyplan.anki_import
    from studyplan.service import Studyplan
    from studyplan.store.errors import DatabaseError

    collecting: list[bool] = []
    real_import, real_anki = Studyplan.import_path, studyplan.anki_import.import_anki

    def deck_import(self: Studyplan, target: Path):
        collecting.append(gc.isenabled())
        return real_import(self, target)

    def anki_import(service: Studyplan, target: Path, decks_dir: Path | None = None):
        collecting.append(gc.isenabled())  # its HTML trees make cycles: collected as it goes
        return real_anki(service, target, decks_dir)

    monkeypatch.setattr(Studyplan, "import_path", deck_import)
    monkeypatch.setattr(studyplan.anki_import, "import_anki", anki_import)
    monkeypatch.setenv("STUDYPLAN_DECKS_DIR", str(tmp_path / "decks"))
    deck = write_deck(tmp_path / "mine", "My deck", {"Q1": "A1", "Q2": "A2"})
    package = Path(__file__).parents[1] / "fixtures" / "anki" / "legacy.apkg"
    db = str(tmp_path / "sp.db")
    code, out, _ = run(capsys, "--db", db, "import", str(deck), str(package))
    assert code == 0
    assert "2 cards added" in out
    assert collecting == [False, True]
    assert gc.isenabled()

    def failing(self: Studyplan, target: Path):
        raise DatabaseError("the disk is full")

    monkeypatch.setattr(Studyplan, "import_path", failing)
    code, _, err = run(capsys, "--db", db, "import", str(deck))
    assert (code, err.strip()) == (1, "studyplan: the disk is full")
    assert gc.isenabled()


def test_under_fsrs_importing_a_package_again_leaves_every_due_day(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 15: `studyplan import` of the same package a second time once set the due
    days shown back to SM-2's while FSRS was the scheduler."""
    import json

    monkeypatch.setenv("STUDYPLAN_DECKS_DIR", str(tmp_path / "decks"))
    package = str(Path(__file__).parents[1] / "fixtures" / "anki" / "legacy.apkg")
    db = str(tmp_path / "sp.db")
    assert run(capsys, "--db", db, "config", "scheduler", "fsrs")[0] == 0
    assert run(capsys, "--db", db, "import", package)[0] == 0
    code, first, _ = run(capsys, "--db", db, "cards", "--json", "--limit", "0")
    assert code == 0 and sum(c["key"].startswith("anki-") for c in json.loads(first)) == 13
    code, out, _ = run(capsys, "--db", db, "import", package)
    assert code == 0 and "(0 new or changed), 0 reviews added" in out
    assert run(capsys, "--db", db, "cards", "--json", "--limit", "0")[1] == first
