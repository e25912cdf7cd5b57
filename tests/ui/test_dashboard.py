"""The home dashboard and the stats screen, driven by real key presses and clicks."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from textual.widgets import DataTable

from studyplan.service import Studyplan
from studyplan.ui.app import StudyplanApp, build_app
from studyplan.ui.cardview import CardView
from studyplan.ui.home import HomeScreen
from studyplan.ui.plan import PlanScreen
from studyplan.ui.review import ReviewScreen
from studyplan.ui.stats import StatsScreen
from studyplan.ui.summary import SummaryScreen
from tests.helpers import FakeClock, answer_on, write_deck
from tests.helpers import screen_text as shown

SIZE = (100, 32)
MON = date(2026, 3, 2)
CARDS = {"Alpha?": "a", "Beta?": "b", "Gamma?": "c"}


def berlin(day: date, hour: int, minute: int = 0) -> datetime:
    """``hour:minute`` in Berlin on ``day`` (UTC+1 in March), as a UTC moment."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC) - timedelta(hours=1)


def make_app(tmp_path: Path, clock: FakeClock, cards: dict[str, str] = CARDS) -> StudyplanApp:
    folder = tmp_path / "bundled"
    if not folder.exists():
        write_deck(folder, "Deck", cards)
    return build_app(
        tmp_path / "sp.db", tmp_path / "config.toml", clock=clock, bundled_decks=folder
    )


async def settle(app: StudyplanApp, pilot) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()


async def review_all(app: StudyplanApp, pilot, grades: list[int]) -> None:
    """Press r, then space and a grade for each card, then leave the summary with escape."""
    await pilot.press("r")
    await pilot.pause()
    assert isinstance(app.screen, ReviewScreen)
    for grade in grades:
        assert app.screen.query_one(CardView).text  # a card is on screen
        await pilot.press("space", str(grade))
    await pilot.pause()
    assert isinstance(app.screen, SummaryScreen)
    assert "All done for today." in shown(app, "#summary-headline")
    await pilot.press("escape")
    await pilot.pause()
    assert isinstance(app.screen, HomeScreen)


async def refresh_home(app: StudyplanApp, pilot) -> None:
    """Look at the stats and come back: home reads everything again."""
    await pilot.press("t")
    await pilot.pause()
    assert isinstance(app.screen, StatsScreen)
    await pilot.press("escape")
    await pilot.pause()
    assert isinstance(app.screen, HomeScreen)


async def test_a_first_review_starts_a_streak_and_the_next_day_extends_it(
    tmp_path: Path,
) -> None:
    clock = FakeClock(berlin(MON, 10))
    app = make_app(tmp_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        streak = shown(app, "#home-streak")
        assert "No streak yet" in streak
        assert "Longest: 0 days" in streak
        heat = shown(app, "#home-heatmap")
        assert "0 answers on 0 days since 3 Mar 2025" in heat
        # A month name over each month's first week; none cut off at the right edge.
        assert heat.splitlines()[0].split() == [
            "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec", "Jan", "Feb"
        ]  # fmt: skip
        # Beta graded 3 comes back as a drill: four answers, three of them scheduling ones.
        await review_all(app, pilot, [5, 3, 5, 4])
        streak = shown(app, "#home-streak")
        assert streak.startswith("1-day streak")
        assert "Today counts." in streak
        assert "Freezes: 0 of 2 (next in 6 days)" in streak
        assert "4 answers on 1 day since 3 Mar 2025" in shown(app, "#home-heatmap")
        assert "all caught up" in shown(app, "#home-today")

    # Tuesday 03:30 in Berlin is still Monday's study day (the rollover is at 04:00).
    clock.now = berlin(MON + timedelta(days=1), 3, 30)
    app = make_app(tmp_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert "this study day runs until 04:00" in shown(app, "#home-title")
        assert shown(app, "#home-streak").startswith("1-day streak")
        assert "Today counts." in shown(app, "#home-streak")
        assert "all caught up" in shown(app, "#home-today")
        # Past the rollover: Tuesday, with Monday's three cards due again.
        clock.advance(hours=1)
        await refresh_home(app, pilot)
        streak = shown(app, "#home-streak")
        assert streak.startswith("1-day streak")
        assert "Today does not count yet: reach your goal to go on." in streak
        assert "3 due" in shown(app, "#home-today")
        await review_all(app, pilot, [5, 4, 5])
        streak = shown(app, "#home-streak")
        assert streak.startswith("2-day streak")
        assert "Longest: 2 days" in streak
        assert "7 answers on 2 days since" in shown(app, "#home-heatmap")


async def test_a_missed_day_is_covered_by_a_freeze_and_the_learner_is_told(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "bundled"
    write_deck(folder, "Deck", {f"Q{i}?": f"A{i}" for i in range(10)})
    clock = FakeClock(berlin(MON, 10))
    sp = Studyplan(tmp_path / "sp.db", tmp_path / "config.toml", clock=clock, bundled_decks=folder)
    sp.sync_decks()
    for n in range(7):  # Mon 2 to Sun 8 March: seven good days earn a freeze
        card_id = sp.conn.execute("SELECT id FROM card WHERE front = ?", (f"Q{n}?",)).fetchone()[0]
        answer_on(sp, card_id, MON + timedelta(days=n), 4)
    sp.close()
    clock.now = berlin(date(2026, 3, 10), 10)  # Monday 9 March was missed
    app = make_app(tmp_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        told = [n for n in app._notifications if n.title == "Streak kept"]
        assert [n.message for n in told] == ["A freeze covered Mon 9 Mar: your streak goes on."]
        streak = shown(app, "#home-streak")
        assert streak.startswith("7-day streak (1 day bridged, 1 by a freeze)")
        assert "Freezes: 0 of 2 (next in 7 days)" in streak
        await pilot.press("t")
        await app.workers.wait_for_complete()  # the stats are counted in a worker
        await pilot.pause()
        stats = shown(app, "#stats-streak")
        assert "7-day streak (1 day bridged, 1 by a freeze)" in stats
        assert "covered by a freeze" in stats
    # Opened again: the freeze is not spent twice, nor announced again.
    app = make_app(tmp_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert not [n for n in app._notifications if n.title == "Streak kept"]
        assert shown(app, "#home-streak").startswith("7-day streak (1 day bridged, 1 by a freeze)")


async def test_t_opens_the_stats_and_escape_comes_back(tmp_path: Path) -> None:
    clock = FakeClock(berlin(MON, 10))
    app = make_app(tmp_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await review_all(app, pilot, [5, 5, 4])
        await pilot.press("t")
        await app.workers.wait_for_complete()  # the stats are counted in a worker
        await pilot.pause()
        assert isinstance(app.screen, StatsScreen)
        assert shown(app, "#stats-streak").startswith("1-day streak")
        assert "3 answers on 1 day since 3 Mar 2025" in shown(app, "#stats-heatmap")
        forecast = shown(app, "#stats-forecast")
        assert "Next 7 days: 3 reviews" in forecast
        assert "Minutes assume 10 s a card" in forecast
        calendar = shown(app, "#stats-calendar").splitlines()
        tuesday = next(line for line in calendar if line.strip().startswith("2 Mar"))
        assert tuesday.split()[2:6] == ["·", "3", "·", "1m"]  # none today, 3 on Tuesday
        table = app.screen.query_one("#stats-retention", DataTable)
        rows = [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]
        assert rows == [["All decks", "100% of 3", "100% of 3"], ["Deck", "100% of 3", "100% of 3"]]
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_every_panel_is_a_way_in(tmp_path: Path) -> None:
    clock = FakeClock(berlin(MON, 10))
    app = make_app(tmp_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert await pilot.click("#home-streak")
        await pilot.pause()
        assert isinstance(app.screen, StatsScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert await pilot.click("#home-heatmap")
        await pilot.pause()
        assert isinstance(app.screen, StatsScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert await pilot.click("#home-plan")
        await pilot.pause()
        assert isinstance(app.screen, PlanScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert await pilot.click("#home-today")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        assert app.screen.query_one(CardView).text.strip().startswith("Alpha?")
