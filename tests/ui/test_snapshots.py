"""Screenshots of the home dashboard and the stats screen, compared with approved SVGs.

Everything on screen is fixed: the clock, the zone and theme (set in the config
file, not taken from the machine), two small decks and six weeks of answers
written through the repository. Regenerate after a deliberate change with
``uv run pytest tests/ui/test_snapshots.py --snapshot-update`` and look at the
SVGs in ``__snapshots__`` before committing them.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from textual.pilot import Pilot

from studyplan.progress import Progress
from studyplan.service import Studyplan
from studyplan.ui.app import StudyplanApp, build_app
from studyplan.ui.home import HomeScreen
from studyplan.ui.stats import StatsScreen
from tests.helpers import FakeClock, answer_on, write_deck

SIZE = (100, 32)
TODAY = date(2026, 3, 2)  # a Monday
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # 10:00 in Berlin
FIRST = TODAY - timedelta(weeks=6)
MISSED = {3, 10, 11, 17, 25}  # days after FIRST without a review
GRADES = (5, 4, 3, 5, 4, 2, 5, 4)


def make_app(tmp_path: Path, theme: str = "textual-dark") -> StudyplanApp:
    """Two decks, six weeks of answers up to yesterday, nothing yet today."""
    folder = tmp_path / "bundled"
    write_deck(
        folder,
        "Linear algebra",
        {f"What is property {i} of a matrix?": f"Answer {i}." for i in range(24)},
    )
    write_deck(
        folder,
        "Probability",
        {f"State rule {i} of probability.": f"Rule {i}." for i in range(24)},
    )
    config = tmp_path / "config.toml"
    config.write_text(f'theme = "{theme}"\ntimezone = "Europe/Berlin"\n', encoding="utf-8")
    clock = FakeClock(NOW)
    sp = Studyplan(tmp_path / "sp.db", config, clock=clock, bundled_decks=folder)
    sp.sync_decks()
    cards = [row[0] for row in sp.conn.execute("SELECT id FROM card ORDER BY deck_id, position")]
    for n in range((TODAY - FIRST).days):
        if n in MISSED:
            continue
        day = FIRST + timedelta(days=n)
        for k in range(2 + n * 5 % 9):
            answer_on(sp, cards[(n * 7 + k) % len(cards)], day, GRADES[(n + k) % len(GRADES)])
    Progress(sp).streak()  # any freeze is spent now, so no notice covers the screenshot
    sp.close()
    return build_app(tmp_path / "sp.db", config, clock=clock, bundled_decks=folder)


async def settle(pilot: Pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    assert isinstance(pilot.app.screen, HomeScreen)
    assert not pilot.app._notifications  # nothing on screen that could time out


async def open_stats(pilot: Pilot) -> None:
    await settle(pilot)
    await pilot.press("t")
    await pilot.app.workers.wait_for_complete()  # the stats are counted in a worker
    await pilot.pause()
    assert isinstance(pilot.app.screen, StatsScreen)
    await pilot.app.workers.wait_for_complete()  # the memory sections (issue 16)
    await pilot.pause()


async def stats_scrolled_down(pilot: Pilot) -> None:
    await open_stats(pilot)
    await pilot.press("end")
    await pilot.pause()


def test_home_dashboard(tmp_path: Path, snap_compare) -> None:
    assert snap_compare(make_app(tmp_path), terminal_size=SIZE, run_before=settle)


def test_stats_screen(tmp_path: Path, snap_compare) -> None:
    assert snap_compare(make_app(tmp_path), terminal_size=SIZE, run_before=open_stats)


def test_stats_screen_scrolled_to_retention(tmp_path: Path, snap_compare) -> None:
    assert snap_compare(make_app(tmp_path), terminal_size=SIZE, run_before=stats_scrolled_down)


async def review_revealed(pilot: Pilot) -> None:
    await settle(pilot)
    await pilot.press("r")
    await pilot.pause()
    await pilot.press("space")
    await pilot.pause()


# At 80x24, in one dark and one light theme: every screen must stay readable in both
# (the heatmap's shades come from the theme; grade colours too).
@pytest.mark.parametrize("theme", ["textual-dark", "textual-light"])
def test_home_at_80x24(tmp_path: Path, snap_compare, theme: str) -> None:
    assert snap_compare(make_app(tmp_path, theme), terminal_size=(80, 24), run_before=settle)


@pytest.mark.parametrize("theme", ["textual-dark", "textual-light"])
def test_review_revealed_at_80x24(tmp_path: Path, snap_compare, theme: str) -> None:
    assert snap_compare(
        make_app(tmp_path, theme), terminal_size=(80, 24), run_before=review_revealed
    )
