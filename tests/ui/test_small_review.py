"""Review and the session summary at 80x24 and 40x12."""

from __future__ import annotations

from pathlib import Path

from studyplan.ui.app import StudyplanApp
from studyplan.ui.cardview import CardView
from studyplan.ui.home import HomeScreen
from studyplan.ui.review import ReviewScreen
from studyplan.ui.summary import SummaryScreen
from tests.ui.terminal_size import (
    BIG,
    CARDS,
    SMALL,
    assert_footer,
    assert_whole,
    card_in_view,
    make_app,
    resize,
    settle,
    text_of,
)

# -- review ----------------------------------------------------------------


def answers(app: StudyplanApp) -> list[tuple[str, int]]:
    return app.service.conn.execute(
        "SELECT card.front, review.grade FROM review JOIN card ON card.id = review.card_id "
        "ORDER BY review.id"
    ).fetchall()


def check_question(app: StudyplanApp, *footer: str) -> str:
    assert isinstance(app.screen, ReviewScreen)
    assert_whole(app, "#review-status", CardView, "#grade-bar")
    shown = card_in_view(app)
    front = next(front for front in CARDS if front in shown)
    assert CARDS[front] not in app.screen.query_one(CardView).text
    assert "space" in text_of(app.screen.query_one("#grade-bar"))
    assert_footer(app, *footer)
    return front


def check_answer(app: StudyplanApp, front: str, *footer: str) -> None:
    assert_whole(app, "#review-status", CardView, "#grade-bar")
    shown = card_in_view(app)
    assert front in shown and CARDS[front] in shown
    bar = text_of(app.screen.query_one("#grade-bar"))
    assert all(f" {g} " in bar for g in range(6)), bar
    assert_footer(app, *footer)


async def test_review_question_and_answer_at_80x24_and_40x12(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=BIG) as pilot:
        await settle(app, pilot)
        await pilot.press("r")
        await pilot.pause()
        first = check_question(app)
        await pilot.press("space")
        check_answer(app, first)

        await resize(app, pilot, SMALL)  # the answer is on screen
        check_answer(app, first, "space", "u", "escape")
        await pilot.press("4")
        assert answers(app) == [(first, 4)]
        second = check_question(app, "space", "u", "escape")

        await resize(app, pilot, BIG)  # the question is on screen
        assert check_question(app) == second
        await resize(app, pilot, SMALL)
        await pilot.press("space")
        check_answer(app, second, "space", "u", "escape")
        await pilot.press("5")
        assert answers(app) == [(first, 4), (second, 5)]
        third = check_question(app, "space", "u", "escape")

        await resize(app, pilot, BIG)
        assert check_question(app) == third
        await pilot.press("space")
        check_answer(app, third)
        assert app.is_running


# -- session summary -------------------------------------------------------


async def test_session_summary_at_80x24_and_40x12(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=BIG) as pilot:
        await settle(app, pilot)
        await pilot.press("r", "space", "5", "space", "2", "escape")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        whole = ("#summary-headline", "#summary-figures", "#summary-grades")
        assert_whole(app, *whole)
        assert_footer(app)

        await resize(app, pilot, SMALL)
        assert_whole(app, "#summary-headline")
        assert_footer(app, "enter", "q")
        await pilot.press("end")  # the grades are below: the summary scrolls to them
        await pilot.pause()
        assert_whole(app, "#summary-grades")
        assert "blackout" in text_of(app.screen.query_one("#summary-grades"))

        await resize(app, pilot, BIG)
        await pilot.press("home")
        await pilot.pause()
        assert_whole(app, *whole)
        assert_footer(app)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
