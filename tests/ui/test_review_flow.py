"""A learner's whole flows, driven by real key presses through Pilot."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from textual.widgets import DataTable

from studyplan.service import Studyplan
from studyplan.ui.app import StudyplanApp
from studyplan.ui.cardview import CardView
from studyplan.ui.home import HomeScreen
from studyplan.ui.review import ReviewScreen
from studyplan.ui.summary import SummaryScreen
from tests.helpers import FakeClock, write_deck
from tests.helpers import screen_text as text_of

SIZE = (100, 32)


def make_app(tmp_path: Path, decks: dict[str, dict[str, str]], start: str = "home") -> StudyplanApp:
    folder = tmp_path / "bundled"
    folder.mkdir(exist_ok=True)
    for name, cards in decks.items():
        write_deck(folder, name, cards)
    service = Studyplan(
        tmp_path / "sp.db", tmp_path / "config.toml", clock=FakeClock(), bundled_decks=folder
    )
    return StudyplanApp(service, start=start)


async def settle(app: StudyplanApp, pilot) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()


LOG = (
    "SELECT card.front, review.grade, review.is_drill FROM review JOIN card ON card.id = review.card_id "
    "ORDER BY review.id"
)


def log_rows(app: StudyplanApp) -> list[tuple]:
    return app.service.conn.execute(LOG).fetchall()


def committed_log_rows(app: StudyplanApp) -> list[tuple]:
    """The answers another connection to the database file sees: only what was committed."""
    other = sqlite3.connect(app.service.db_path)
    try:
        return other.execute(LOG).fetchall()
    finally:
        other.close()


async def test_a_learner_reviews_a_deck_from_home_to_summary(tmp_path: Path) -> None:
    app = make_app(tmp_path, {"Capitals": {"France?": "Paris", "Italy?": "Rome"}})
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        table = app.screen.query_one(DataTable)
        assert table.row_count == 2  # "All decks" and the deck
        assert "2 new" in text_of(app, "#home-today")
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        view = app.screen.query_one(CardView)
        assert "France?" in view.text and "Paris" not in view.text
        assert "show the answer" in text_of(app, "#grade-bar")
        await pilot.press("space")
        assert "Paris" in view.text
        assert "perfect recall" in text_of(app, "#grade-bar")
        await pilot.press("5")
        # the answer is committed while the next card is on screen: a second connection
        # to the file, which cannot see an open transaction, reads it
        assert "Italy?" in view.text
        assert committed_log_rows(app) == [("France?", 5, 0)]
        await pilot.press("space", "4")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        assert "All done for today." in text_of(app, "#summary-headline")
        figures = text_of(app, "#summary-figures")
        assert "2  cards reviewed" in figures
        assert "2  answers (0 of them drills of cards graded below 4)" in figures
        assert "100%  recalled (graded 3 or more)" in figures
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert "all caught up" in text_of(app, "#home-today")


async def test_a_grade_below_4_brings_the_card_back_as_a_drill(tmp_path: Path) -> None:
    app = make_app(tmp_path, {"Deck": {"Hard?": "Yes", "Easy?": "Yes"}})
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("r", "space", "2")
        assert "again 1" in text_of(app, "#review-left")
        state_after_fail = app.service.conn.execute(
            "SELECT interval, lapses FROM card WHERE front='Hard?'"
        ).fetchone()
        await pilot.press("space", "5")  # Easy?
        view = app.screen.query_one(CardView)
        assert "Hard?" in view.text
        await pilot.press("space", "3")  # drill below 4: comes back again
        assert "Hard?" in view.text
        await pilot.press("space", "4")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
    assert log_rows(app) == [("Hard?", 2, 0), ("Easy?", 5, 0), ("Hard?", 3, 1), ("Hard?", 4, 1)]
    assert (
        app.service.conn.execute("SELECT interval, lapses FROM card WHERE front='Hard?'").fetchone()
        == state_after_fail
    )


async def test_undo_restores_the_card_and_removes_the_log_row(tmp_path: Path) -> None:
    app = make_app(tmp_path, {"Deck": {"One?": "1", "Two?": "2"}})
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("r", "space", "5")
        assert len(log_rows(app)) == 1
        await pilot.press("u")
        view = app.screen.query_one(CardView)
        assert "One?" in view.text
        assert log_rows(app) == []
        state = app.service.conn.execute(
            "SELECT repetitions, due FROM card WHERE front='One?'"
        ).fetchone()
        assert state == (0, None)
        await pilot.press("u")  # nothing more to undo: nothing changes
        assert "One?" in view.text


async def test_grading_before_the_answer_is_shown_does_nothing(tmp_path: Path) -> None:
    app = make_app(tmp_path, {"Deck": {"One?": "1"}})
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("r", "5")
        assert log_rows(app) == []
        assert "One?" in app.screen.query_one(CardView).text
        assert any("Show the answer first" in n.message for n in app._notifications)


async def test_card_text_that_looks_like_markup_is_shown_as_typed(tmp_path: Path) -> None:
    front = "[bold]x[/bold] [@click=app.quit]quit[/] [red]"
    app = make_app(tmp_path, {"Deck": {front: "[link=https://x]y[/link] \\[b]"}})
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("r")
        view = app.screen.query_one(CardView)
        assert "[bold]x[/bold] [@click=app.quit]quit[/] [red]" in view.text
        await pilot.click(CardView)
        await pilot.press("space")
        assert "[link=https://x]y[/link]" in view.text
        assert app.is_running


async def test_a_learner_without_decks_is_told_what_to_do(tmp_path: Path) -> None:
    app = make_app(tmp_path, {})
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert "No decks yet" in text_of(app, "#home-empty")
        assert "studyplan import PATH" in text_of(app, "#home-empty")


async def test_a_broken_deck_is_listed_on_home_with_its_line(tmp_path: Path) -> None:
    folder = tmp_path / "bundled"
    folder.mkdir()
    (folder / "broken.md").write_text('+++\nname = "B"\n+++\n## Q\n', encoding="utf-8")
    app = make_app(tmp_path, {"Good": {"Q?": "A"}})
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        problems = text_of(app, "#home-problems")
        assert "broken.md:4: this card has no answer under its heading" in problems
        assert app.screen.query_one(DataTable).row_count == 2


async def test_settings_change_the_daily_new_card_limit(tmp_path: Path) -> None:
    app = make_app(tmp_path, {"Deck": {f"Q{i}?": "A" for i in range(5)}})
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert "5 new" in text_of(app, "#home-today")
        await pilot.press("s")
        await pilot.pause()
        field = app.screen.query_one("#set-new_per_day")
        field.focus()
        field.value = ""
        await pilot.press("2", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert "2 new" in text_of(app, "#home-today")
        assert "new_per_day = 2" in (tmp_path / "config.toml").read_text()
        await pilot.press("r", "space", "5", "space", "5")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)


async def test_settings_refuse_a_bad_value_and_keep_the_file(tmp_path: Path) -> None:
    app = make_app(tmp_path, {"Deck": {"Q?": "A"}})
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("s")
        await pilot.pause()
        app.screen.query_one("#set-rollover_hour").value = "25"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "rollover_hour = 25 must be an hour from 0 to 23" in text_of(app, "#settings-error")
        assert not (tmp_path / "config.toml").exists()


async def test_review_can_start_straight_from_the_command_line(tmp_path: Path) -> None:
    app = make_app(tmp_path, {"Deck": {"Q?": "A"}}, start="review")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, ReviewScreen)
        assert "Q?" in app.screen.query_one(CardView).text
        await pilot.press("escape")
        await pilot.pause()
        assert "Session ended before any answer." in text_of(app, "#summary-headline")
        # leaving before an answer stores none, and the card stays new
        assert committed_log_rows(app) == []
        other = sqlite3.connect(app.service.db_path)
        try:
            state = other.execute("SELECT repetitions, due FROM card WHERE front='Q?'").fetchone()
        finally:
            other.close()
        assert state == (0, None)


async def test_the_scroll_key_is_in_the_footer_only_while_a_card_is_longer_than_its_area(
    tmp_path: Path,
) -> None:
    from tests.ui.terminal_size import footer_keys

    long_back = "\n\n".join(f"Line {n} of a long answer." for n in range(40))
    app = make_app(
        tmp_path, {"Mixed": {"Short one?": "Yes.", "Long one?": long_back, "Short two?": "No."}}
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("r")
        await settle(app, pilot)
        seen = []
        for _ in range(3):
            await pilot.press("space")
            await settle(app, pilot)
            front = app.screen.session.current.front
            seen.append((front, "down" in footer_keys(app)))
            await pilot.press("4")
            await settle(app, pilot)
        assert seen == [("Short one?", False), ("Long one?", True), ("Short two?", False)]


async def test_a_review_started_from_the_command_line_ends_at_home(tmp_path: Path) -> None:
    """`studyplan review` opens the review alone (home is built only when needed): the
    summary's keys still lead home, with the decks filled, and back into a review."""
    app = make_app(tmp_path, {"Capitals": {"France?": "Paris", "Italy?": "Rome"}}, start="review")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, ReviewScreen)
        assert not any(isinstance(s, HomeScreen) for s in app.screen_stack)
        for _ in range(2):
            await pilot.press("space", "4")
            await settle(app, pilot)
        assert isinstance(app.screen, SummaryScreen)
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, HomeScreen) and len(app.screen_stack) == 2
        table = app.screen.query_one(DataTable)
        assert table.row_count == 2  # "All decks" and the deck
        assert "Capitals" in str(table.get_row_at(1))
        await pilot.press("r")  # nothing due: the review ends at once, and home again
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, HomeScreen) and len(app.screen_stack) == 2
