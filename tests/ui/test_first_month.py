"""What a learner meets in the first month, at 80x24, driven by real key presses: every
list scrolls with its cursor, answers come into view, nothing set is lost."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import DataTable

from studyplan import paths
from studyplan.cli import main
from studyplan.core.cards.deck import parse_deck
from studyplan.settings import load_settings
from studyplan.store.deck_sync import deck_files
from studyplan.ui.app import StudyplanApp, build_app
from studyplan.ui.cardview import CardView
from studyplan.ui.home import HomeScreen
from studyplan.ui.review import ReviewScreen
from studyplan.ui.settings import SettingsScreen
from studyplan.ui.summary import SummaryScreen
from tests.helpers import FakeClock, write_deck
from tests.ui.terminal_size import BIG, assert_whole, footer_keys, settle, text_of


def bundled_app(tmp_path: Path, **kwargs) -> StudyplanApp:
    return build_app(tmp_path / "sp.db", tmp_path / "c.toml", clock=FakeClock(), **kwargs)


def cursor_row_on_screen(table: DataTable) -> bool:
    """The highlighted row lies inside the part of the table that is drawn."""
    top = table.scroll_offset.y
    visible_rows = table.scrollable_content_region.height - 1  # the header row
    return top <= table.cursor_row < top + visible_rows


async def test_the_highlighted_deck_stays_on_screen_after_any_number_of_downs(
    tmp_path: Path,
) -> None:
    mine = write_deck(tmp_path / "mine", "Zz my own deck", {"Mine?": "Yes"})
    app = bundled_app(tmp_path)
    assert app.service.import_path(mine).errors == []
    async with app.run_test(size=BIG) as pilot:
        await settle(app, pilot)
        table = app.screen.query_one("#decks", DataTable)
        assert table.has_focus
        rows = table.row_count
        assert rows > 15  # more decks than fit at 80x24
        # The learner's own deck is listed first, right under "All decks".
        assert table.get_row_at(1)[0].plain == "Zz my own deck"
        for n in range(rows + 3):
            assert cursor_row_on_screen(table), f"after {n} downs"
            await pilot.press("down")
        assert table.cursor_row == rows - 1
        name = table.get_row_at(table.cursor_row)[0].plain
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        assert app.screen.deck_title == name  # the deck the learner saw highlighted


async def test_a_broken_deck_of_the_learners_is_reported_where_it_is_seen(tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    write_deck(mine, "Good", {"Q?": "A"})
    app = bundled_app(tmp_path)
    assert app.service.import_path(mine).errors == []
    (mine / "broken.md").write_text("no front matter\n", encoding="utf-8")
    async with app.run_test(size=BIG) as pilot:
        await settle(app, pilot)
        assert_whole(app, "#home-problems")
        assert "broken.md" in text_of(app.screen.query_one("#home-problems"))


def longest_bundled_card() -> tuple[str, str]:
    """The bundled basic card with the most lines, as (front, back) markdown."""
    cards = [
        card
        for path in deck_files(paths.bundled_decks())
        for card in parse_deck(path.read_text(encoding="utf-8"), str(path)).cards
        if card.kind == "basic"
    ]
    card = max(cards, key=lambda c: c.front.count("\n") + c.back.count("\n"))
    return card.front, card.back


async def test_the_answer_of_the_longest_bundled_card_comes_into_view_at_80x24(
    tmp_path: Path,
) -> None:
    front, back = longest_bundled_card()
    title, _, rest = front.partition("\n")
    deck = tmp_path / "long"
    deck.mkdir()
    (deck / "long.md").write_text(
        f'+++\nname = "Long"\n+++\n\n## {title}\n{rest}\n\n---\n\n{back}\n', encoding="utf-8"
    )
    app = build_app(tmp_path / "sp.db", tmp_path / "c.toml", clock=FakeClock(), bundled_decks=deck)
    async with app.run_test(size=BIG) as pilot:
        await settle(app, pilot)
        await pilot.press("r")
        await pilot.pause()
        view = app.screen.query_one(CardView)
        assert view.max_scroll_y > 0, "the card must be longer than the screen for this test"
        bar_height = app.screen.query_one("#grade-bar").size.height
        await pilot.press("space")
        await pilot.pause()
        lines = view.text.splitlines()
        last = max(i for i, line in enumerate(lines) if line.strip())
        top = view.scroll_offset.y
        assert top <= last < top + view.size.height, "the answer's last line is off screen"
        # The grade keys stay in view, the bar keeps its height (nothing moves).
        assert_whole(app, "#grade-bar")
        assert app.screen.query_one("#grade-bar").size.height == bar_height
        # The card scrolls with keys the footer names.
        await pilot.press("home")
        assert view.scroll_offset.y == 0
        await pilot.press("j", "j")
        assert view.scroll_offset.y == 4
        await pilot.press("k")
        assert view.scroll_offset.y == 2
        await pilot.press("end")
        assert view.scroll_offset.y == view.max_scroll_y
        assert footer_keys(app).get("down"), "the footer names the scroll keys"
        await pilot.press("4")  # the grade keys work after scrolling
        assert app.service.conn.execute("SELECT grade FROM review").fetchall() == [(4,)]


async def test_the_grade_bar_says_when_each_grade_brings_the_card_back(tmp_path: Path) -> None:
    deck = tmp_path / "d"
    write_deck(deck, "D", {"Q?": "A", "R?": "B"})
    app = build_app(tmp_path / "sp.db", tmp_path / "c.toml", clock=FakeClock(), bundled_decks=deck)
    async with app.run_test(size=BIG) as pilot:
        await settle(app, pilot)
        await pilot.press("r", "space")
        await pilot.pause()
        bar = text_of(app.screen.query_one("#grade-bar"))
        assert "perfect recall · 1d" in bar
        assert "+again" in bar  # grades below 4 come back today


async def test_the_summary_ignores_space_and_can_be_read_again_from_home(tmp_path: Path) -> None:
    deck = tmp_path / "d"
    write_deck(deck, "D", {"Q?": "A"})
    app = build_app(tmp_path / "sp.db", tmp_path / "c.toml", clock=FakeClock(), bundled_decks=deck)
    async with app.run_test(size=BIG) as pilot:
        await settle(app, pilot)
        await pilot.press("r", "space", "5")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        await pilot.press("space")  # the learner's next reflexive space
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert "last session" in text_of(app.screen.query_one("#home-today"))
        await pilot.press("l")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        assert "1" in text_of(app.screen.query_one("#summary-figures"))


async def test_a_value_set_on_the_command_line_survives_a_save_in_settings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    deck = tmp_path / "d"
    write_deck(deck, "D", {"Q?": "A"})
    config = tmp_path / "c.toml"
    app = build_app(tmp_path / "sp.db", config, clock=FakeClock(), bundled_decks=deck)
    async with app.run_test(size=BIG) as pilot:
        await settle(app, pilot)
        # While the app is open, the learner changes a limit from a shell.
        assert main(["--config", str(config), "config", "new_per_day", "40"]) == 0
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, SettingsScreen)
        assert app.screen.query_one("#set-new_per_day").value == "40"
        app.screen.query_one("#set-rollover_hour").value = "5"
        await pilot.press("ctrl+s")
        await pilot.pause()
    saved = load_settings(config)
    assert (saved.new_per_day, saved.rollover_hour) == (40, 5)
    # Only what was set is in the file; the defaults are not written out.
    assert set(config.read_text(encoding="utf-8").split()) >= {"new_per_day", "rollover_hour"}
    assert "reviews_per_day" not in config.read_text(encoding="utf-8")
    capsys.readouterr()


async def test_a_theme_picked_in_the_command_palette_is_kept(tmp_path: Path) -> None:
    deck = tmp_path / "d"
    write_deck(deck, "D", {"Q?": "A"})
    config = tmp_path / "c.toml"
    app = build_app(tmp_path / "sp.db", config, clock=FakeClock(), bundled_decks=deck)
    async with app.run_test(size=BIG) as pilot:
        await settle(app, pilot)
        app.theme = "nord"  # what the palette's "Change theme" does
        await pilot.pause()
    assert load_settings(config).theme == "nord"


@pytest.mark.parametrize("size", [(60, 20), (70, 24), (80, 24)])
async def test_every_home_key_and_f1_fit_the_footer_under_80_columns(
    tmp_path: Path, size: tuple[int, int]
) -> None:
    deck = tmp_path / "d"
    write_deck(deck, "D", {"Q?": "A"})
    app = build_app(tmp_path / "sp.db", tmp_path / "c.toml", clock=FakeClock(), bundled_decks=deck)
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        keys = footer_keys(app)
        assert keys.get("f1") and keys.get("q") and keys.get("r"), keys
