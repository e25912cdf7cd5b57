"""Formulas on a card as the learner sees them in review: display formulas as blocks."""

from __future__ import annotations

import io
from pathlib import Path

from rich.console import Console
from rich.style import Style

from studyplan.core.cards.latex import display_math
from studyplan.ui.cardview import CardRenderer, CardView
from studyplan.ui.review import ReviewScreen
from tests.ui.test_review_flow import SIZE, make_app

MSE = r"\frac{1}{n} \sum_{i=1}^{n} (y_{i} - \hat{y}_{i})^{2}"
HOSTILE = "$" + "{" * 1000 + "x" + "}" * 1000 + "$"  # the "hostile input" issue, item 2


def shown(back: str, width: int) -> list[str]:
    console = Console(file=io.StringIO(), width=width)
    strips = CardRenderer().render(console, "Q", back, width, True, Style())
    return [strip.text for strip in strips]


def test_a_display_formula_keeps_its_lines_one_above_the_other() -> None:
    lines = shown(f"The mean squared error:\n\n$${MSE}$$\n\nwhere $\\hat{{y}}_i$ is a guess.", 60)
    block = display_math(MSE, 60).lines
    row = next(i for i, line in enumerate(lines) if block[1] in line)
    column = lines[row].index(block[1])
    window = [line[column : column + len(block[0])] for line in lines[row - 1 : row + 2]]
    assert window == list(block)
    assert column == (60 - len(block[1])) // 2  # centred, as a textbook sets it
    assert lines[row - 2].strip() == "" and lines[row + 2].strip() == ""
    assert any("where ŷᵢ is a guess." in line for line in lines)


def test_a_display_formula_too_wide_for_the_screen_is_one_line() -> None:
    lines = shown(f"$${MSE}$$", 12)  # the layout needs 16 cells
    assert "".join(line.replace(" ", "") for line in lines).endswith("(1/n)∑ᵢ₌₁ⁿ(yᵢ-ŷᵢ)²")
    assert not any("─" in line for line in lines[2:])


def test_a_formula_nested_thousands_deep_is_shown_as_its_source() -> None:
    lines = shown(f"Before {HOSTILE} after", 80)
    text = "".join(line.strip() for line in lines)
    assert "{" * 70 in text and "x" + "}" * 70 in text and text.endswith("after")


async def test_reviewing_the_hostile_card_shows_it_and_takes_the_answer(tmp_path: Path) -> None:
    app = make_app(tmp_path, {"Hostile": {"Deep?": HOSTILE, "Mean squared error?": f"$${MSE}$$"}})
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        view = app.screen.query_one(CardView)
        if "Deep?" not in view.text:  # the queue's order is the scheduler's
            await pilot.press("space", "4")
            await pilot.pause()
        await pilot.press("space")
        assert "{" * 50 in view.text
        await pilot.press("4")
        await pilot.pause()
        if "Mean squared error?" in view.text:
            await pilot.press("space")
            assert "─  ∑  (yᵢ − ŷᵢ)²" in view.text
