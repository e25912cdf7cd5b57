"""The learner's own keys, the command palette's studyplan commands, vim movement in lists,
and the learner's own theme files."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable

from studyplan.cli import main
from studyplan.ui.app import StudyplanApp, build_app
from studyplan.ui.browser import BrowserScreen
from studyplan.ui.home import HomeScreen
from studyplan.ui.keymap import catalogue, check_keymap, valid_key
from studyplan.ui.review import ReviewScreen
from tests.helpers import FakeClock
from tests.ui.terminal_size import BIG, settle


def app_with(tmp_path: Path, config: str = "") -> StudyplanApp:
    path = tmp_path / "config.toml"
    path.write_text(config, encoding="utf-8")
    return build_app(tmp_path / "sp.db", path, clock=FakeClock())


def test_every_binding_has_a_unique_id_and_a_description() -> None:
    rows = catalogue()
    ids = [r.id for r in rows]
    assert len(ids) == len(set(ids)) > 60
    assert {"home.browse", "review.undo", "browser.suspend", "plan.keep"} <= set(ids)
    assert all(r.description for r in rows)


def test_keys_are_checked_before_they_are_applied() -> None:
    assert valid_key("z") and valid_key("ctrl+z") and valid_key("f5") and valid_key("question_mark")
    assert not valid_key("ctrl+") and not valid_key("hyperdrive+x") and not valid_key("f99")
    assert not valid_key("banana")
    valid, problems = check_keymap({"review.undo": "z", "home.nope": "x", "home.plan": "banana"})
    assert valid == {"review.undo": "z"}
    assert problems[0] == "there is no key binding 'home.nope' (studyplan config keys lists them)"
    assert "'banana' is not a key" in problems[1]


async def test_a_remapped_key_works_and_a_bad_entry_is_one_notice(tmp_path: Path) -> None:
    app = app_with(tmp_path, '[keymap]\n"home.browse" = "B"\n"home.nope" = "x"\n')
    async with app.run_test(size=BIG) as pilot:
        await settle(app, pilot)
        notes = [n.message for n in app._notifications]
        assert any(
            "there is no key binding 'home.nope'" in n and "default keys" in n for n in notes
        )
        await pilot.press("b")  # the old key no longer opens the browser
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("B")
        await pilot.pause()
        assert isinstance(app.screen, BrowserScreen)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("r")  # defaults elsewhere still work
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)


def test_config_keys_lists_every_binding_and_marks_the_learners(tmp_path: Path, capsys) -> None:
    config = tmp_path / "c.toml"
    config.write_text('[keymap]\n"review.undo" = "z"\n', encoding="utf-8")
    assert main(["--config", str(config), "config", "keys"]) == 0
    out = capsys.readouterr().out
    assert any(line.startswith("review.undo") and " z *" in line for line in out.splitlines())
    assert any(line.startswith("home.browse") and " b " in line for line in out.splitlines())


def test_a_keymap_that_is_not_a_table_is_one_sentence(tmp_path: Path, capsys) -> None:
    config = tmp_path / "c.toml"
    config.write_text('keymap = "z"\n', encoding="utf-8")
    assert main(["--config", str(config), "config"]) == 1
    assert "keymap must be a table" in capsys.readouterr().err


async def test_j_k_g_and_G_move_in_the_deck_list(tmp_path: Path) -> None:
    app = app_with(tmp_path)
    async with app.run_test(size=BIG) as pilot:
        await settle(app, pilot)
        table = app.screen.query_one("#decks", DataTable)
        await pilot.press("j", "j")
        assert table.cursor_row == 2
        await pilot.press("k")
        assert table.cursor_row == 1
        await pilot.press("G")
        assert table.cursor_row == table.row_count - 1
        await pilot.press("g")
        assert table.cursor_row == 0


async def test_the_palette_runs_studyplan_commands_over_live_data(tmp_path: Path) -> None:
    app = app_with(tmp_path)
    async with app.run_test(size=BIG) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*list("browse cards"))
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, BrowserScreen)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*list("review deck linear"))
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        assert app.screen.deck_title == "Mathematics · Linear algebra"


async def test_a_theme_file_of_the_learner_is_offered_and_a_broken_one_named(
    tmp_path: Path,
) -> None:
    themes = tmp_path / "themes"
    themes.mkdir()
    (themes / "paper.toml").write_text('dark = false\nprimary = "#1f6feb"\n', encoding="utf-8")
    (themes / "broken.toml").write_text('primary = "not a colour"\n', encoding="utf-8")
    app = app_with(tmp_path, 'theme = "paper"\n')
    async with app.run_test(size=BIG) as pilot:
        await settle(app, pilot)
        assert app.theme == "paper" and not app.current_theme.dark
        notes = [n.message for n in app._notifications]
        assert any("broken.toml: primary = 'not a colour' is not a colour" in n for n in notes)
