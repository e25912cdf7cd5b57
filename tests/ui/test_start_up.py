"""Start-up: the first card comes before the day's backup, the deck sync and the streak,
and nothing the learner does meanwhile is lost or kept waiting."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from pathlib import Path

from studyplan.progress import Progress
from studyplan.service import Studyplan
from studyplan.store import backup
from studyplan.ui.app import build_app
from studyplan.ui.cardview import CardView
from studyplan.ui.home import HomeScreen
from studyplan.ui.review import ReviewScreen
from studyplan.ui.stats import StatsScreen
from tests.helpers import FakeClock, write_deck
from tests.helpers import screen_text as shown

SIZE = (80, 24)


def synced_learner(tmp_path: Path) -> tuple[Path, Path, Path]:
    """A database whose decks are already in, as on any start after the first."""
    folder = tmp_path / "decks"
    write_deck(folder, "Deck", {"Alpha?": "a", "Beta?": "b", "Gamma?": "c"})
    db, config = tmp_path / "sp.db", tmp_path / "config.toml"
    sp = Studyplan(db, config, clock=FakeClock(), bundled_decks=folder)
    assert sp.sync_decks().errors == []
    sp.close()
    return db, config, folder


def reviews_in(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT COUNT(*) FROM review").fetchone()[0]
    finally:
        conn.close()


async def until(condition, pilot) -> None:
    for _ in range(500):
        if condition():
            return
        await pilot.pause(0.01)
    raise AssertionError("timed out waiting")


async def test_an_answer_given_while_the_daily_backup_runs_is_committed_at_once_and_kept(
    tmp_path: Path, monkeypatch
) -> None:
    db, config, folder = synced_learner(tmp_path)
    in_backup, release = threading.Event(), threading.Event()
    real = backup.make_backup

    def slow_backup(conn, target, stamp, label=""):
        # Hold a read snapshot, as SQLite's online backup does while it copies.
        conn.execute("BEGIN")
        conn.execute("SELECT COUNT(*) FROM review").fetchone()
        in_backup.set()
        assert release.wait(20)
        conn.execute("COMMIT")
        return real(conn, target, stamp, label)

    monkeypatch.setattr(backup, "make_backup", slow_backup)
    app = build_app(db, config, clock=FakeClock(), bundled_decks=folder, start="review")
    async with app.run_test(size=SIZE) as pilot:
        await until(in_backup.is_set, pilot)
        # The backup is still running and the first card is on screen.
        assert isinstance(app.screen, ReviewScreen)
        assert "Alpha?" in app.screen.query_one(CardView).text
        await pilot.press("space", "5")
        await pilot.pause()
        assert "Beta?" in app.screen.query_one(CardView).text
        assert reviews_in(db) == 1  # committed before the next card, backup or not
        release.set()
        await app.workers.wait_for_complete()
    made = sorted((tmp_path / "backups").glob("*-auto.db"))
    assert len(made) == 1
    assert reviews_in(made[0]) == 1  # the backup finished after the answer, holding it
    assert reviews_in(db) == 1


async def test_home_under_the_first_review_is_filled_only_when_the_review_ends(
    tmp_path: Path, monkeypatch
) -> None:
    db, config, folder = synced_learner(tmp_path)
    app = build_app(db, config, clock=FakeClock(), bundled_decks=folder, start="review")
    reads: list[int] = []
    real = Studyplan.deck_summaries
    monkeypatch.setattr(Studyplan, "deck_summaries", lambda sp: reads.append(1) or real(sp))
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        assert reads == []  # the covered home read nothing
        await pilot.press("escape")  # end the session: the summary
        await pilot.press("escape")  # and home
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert len(reads) == 1
        assert "Deck" in shown(app, "#home-today") or app.screen.query_one("#decks").row_count


async def test_the_streak_is_counted_once_per_start(tmp_path: Path, monkeypatch) -> None:
    db, config, folder = synced_learner(tmp_path)
    counted: list[int] = []
    real = Progress._compute_streak
    monkeypatch.setattr(
        Progress, "_compute_streak", lambda self, spend: counted.append(1) or real(self, spend)
    )
    app = build_app(db, config, clock=FakeClock(), bundled_decks=folder)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "No streak yet" in shown(app, "#home-streak")
        assert len(counted) == 1


async def test_the_stats_screen_says_it_is_counting_until_the_worker_is_done(
    tmp_path: Path, monkeypatch
) -> None:
    db, config, folder = synced_learner(tmp_path)
    release = threading.Event()
    real = Progress.statistics

    def slow(self):
        assert release.wait(20)
        return real(self)

    monkeypatch.setattr(Progress, "statistics", slow)
    app = build_app(db, config, clock=FakeClock(), bundled_decks=folder)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, StatsScreen)
        assert "Counting your reviews" in shown(app, "#stats-streak")
        await pilot.press("down")  # the screen answers keys meanwhile
        release.set()
        await until(lambda: "No streak yet" in shown(app, "#stats-streak"), pilot)
        await asyncio.sleep(0)


async def test_the_collector_held_off_for_the_start_runs_again_once_the_card_is_painted(
    tmp_path: Path, monkeypatch
) -> None:
    """`studyplan review` holds the garbage collector off while it starts; once the first
    card is on screen the app freezes what start-up made and collects again, and gives
    the frozen objects back when it ends."""
    import gc

    db, config, folder = synced_learner(tmp_path)
    painted: list[bool] = []
    real = ReviewScreen._show_front
    monkeypatch.setattr(
        ReviewScreen, "_show_front", lambda screen: painted.append(gc.isenabled()) or real(screen)
    )
    frozen = gc.get_freeze_count()
    gc.disable()
    try:
        app = build_app(db, config, clock=FakeClock(), bundled_decks=folder, start="review")
        async with app.run_test(size=SIZE) as pilot:
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert isinstance(app.screen, ReviewScreen)
            assert painted == [False]  # the first card was laid out with collection off
            assert gc.isenabled()  # and it is on again once the card is painted
            assert gc.get_freeze_count() > frozen
        assert gc.get_freeze_count() == 0  # given back when the app ended
    finally:
        gc.enable()
        gc.unfreeze()


async def test_the_start_up_heap_is_frozen_while_the_app_runs_and_given_back_when_it_ends(
    tmp_path: Path,
) -> None:
    """Once start-up is done, what it made is out of the collector's sight (a full
    collection of it held a key press 35-70 ms); when the app ends, it is collectable
    again, so a process that runs many apps (the tests) does not keep them all."""
    import gc

    db, config, folder = synced_learner(tmp_path)
    app = build_app(db, config, clock=FakeClock(), bundled_decks=folder)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(lambda: app.synced, pilot)
        assert gc.get_freeze_count() > 10_000
    assert gc.get_freeze_count() == 0


async def test_the_first_card_comes_from_the_queues_head_and_the_counts_follow(
    tmp_path: Path, monkeypatch
) -> None:
    """Forty cards due: the first card is shown from the queue's first few, before the
    rest is read; the status then counts all of them, and answering goes on in order."""
    from studyplan import review

    folder = tmp_path / "decks"
    write_deck(folder, "Deck", {f"Card {n:02d}?": f"answer {n}" for n in range(40)})
    db, config = tmp_path / "sp.db", tmp_path / "config.toml"
    sp = Studyplan(db, config, clock=FakeClock(), bundled_decks=folder)
    assert sp.sync_decks().errors == []
    day = sp.today().toordinal()
    for n in range(40):  # the last cards in the file are the most overdue
        sp.conn.execute(
            "UPDATE card SET repetitions = 2, interval = 6, due = ? WHERE front = ?",
            (type(sp.today()).fromordinal(day - n).isoformat(), f"Card {n:02d}?"),
        )
    sp.close()
    monkeypatch.setattr(review, "QUEUE_HEAD", 4)
    read: list[int] = []
    due_cards = review.Repository.due_cards

    def counted(self, today, deck_id, limit):
        read.append(limit)
        return due_cards(self, today, deck_id, limit)

    monkeypatch.setattr(review.Repository, "due_cards", counted)
    app = build_app(db, config, clock=FakeClock(), bundled_decks=folder, start="review")
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        assert "Card 39?" in screen.query_one(CardView).text
        await until(lambda: "due 40" in shown(app, "#review-left"), pilot)
        assert read[0] == 4  # the head first, then the rest
        assert "new 0" in shown(app, "#review-left") and "again 0" in shown(app, "#review-left")
        for expected in ("Card 39?", "Card 38?", "Card 37?", "Card 36?", "Card 35?"):
            assert expected in screen.query_one(CardView).text
            await pilot.press("space", "5")
            await pilot.pause()
        assert "due 35" in shown(app, "#review-left")
        assert reviews_in(db) == 5
        await app.workers.wait_for_complete()


def test_the_first_card_is_shown_without_loading_what_only_an_answer_needs(
    tmp_path: Path,
) -> None:
    """`studyplan review` on a collection already synced: py-fsrs (needed to answer), the
    deck parser and the streaks (needed by the sync and the start-up work that follow the
    first card) are not loaded when the first card's frame is drawn; nor is argparse,
    which the command line needs only for its other commands."""
    import subprocess
    import sys

    db, config = tmp_path / "sp.db", tmp_path / "config.toml"
    sp = Studyplan(db, config)  # the bundled decks, as the command line has them
    assert sp.sync_decks().errors == []
    sp.close()
    code = f"""
import os, sys
from studyplan.ui import app as app_module
from studyplan.ui.review import ReviewScreen

class Probe(app_module.StudyplanApp):
    def _display(self, screen, renderable):
        super()._display(screen, renderable)
        if renderable is not None and isinstance(screen, ReviewScreen):
            print(" ".join(sorted(sys.modules)), flush=True)
            os._exit(0)

    def run(self, *args, **kwargs):
        return super().run(headless=True)

app_module.StudyplanApp = Probe
from studyplan.cli import main
main(["--db", {str(db)!r}, "--config", {str(config)!r}, "review"])
"""
    env = {"PATH": "", "HOME": str(tmp_path), "STUDYPLAN_DATA_DIR": str(tmp_path / "data")}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60
    )
    loaded = set(out.stdout.split())
    assert "studyplan.ui.review" in loaded and "markdown_it" in loaded, out.stderr[-2000:]
    assert (
        not {
            "fsrs",
            "studyplan.core.fsrs_scheduler",
            "studyplan.core.cards.deck",
            "studyplan.core.cards.query",
            "studyplan.core.streaks",
            "studyplan.progress",
            "argparse",
            "studyplan.cli.arguments",
        }
        & loaded
    )


CODE_FRONT = "What does this print?\n\n```python\nprint(sum(n * n for n in range(4)))\n```"


def test_plain_code_draws_the_same_lines_without_the_languages_colours() -> None:
    import io

    from rich.console import Console
    from rich.style import Style

    from studyplan.ui.cardview import CardRenderer

    console = Console(file=io.StringIO(), width=80, color_system="truecolor")
    renderer = CardRenderer()
    plain = renderer.render(console, CODE_FRONT, "`14`", 60, True, Style(), plain_code=True)
    coloured = renderer.render(console, CODE_FRONT, "`14`", 60, True, Style())
    assert [s.text for s in plain] == [s.text for s in coloured]
    assert plain != coloured  # the language's colours are only in one of them
    words = "Which **country** has $x^2$ in it?"
    assert renderer.render(console, words, None, 60, True, Style(), plain_code=True) == (
        renderer.render(console, words, None, 60, True, Style())
    )


async def test_the_first_cards_code_is_coloured_once_it_is_on_screen(
    tmp_path: Path, monkeypatch
) -> None:
    """The first card of a start is drawn with its code plain (Pygments' first use of a
    language costs tens of milliseconds) and coloured in place once painted; later cards
    are drawn coloured at once."""
    folder = tmp_path / "decks"
    folder.mkdir()
    (folder / "code.md").write_text(
        '+++\nname = "Code"\n+++\n\n## What does this print?\n\n```python\n'
        "print(sum(n * n for n in range(4)))\n```\n\n---\n\n`14`\n\n## Second?\n\ntwo\n",
        encoding="utf-8",
    )
    db, config = tmp_path / "sp.db", tmp_path / "config.toml"
    sp = Studyplan(db, config, clock=FakeClock(), bundled_decks=folder)
    assert sp.sync_decks().errors == []
    sp.close()
    shown: list[list] = []
    show = CardView.show
    monkeypatch.setattr(
        CardView,
        "show",
        lambda self, strips, **kw: shown.append(strips) or show(self, strips, **kw),
    )
    app = build_app(db, config, clock=FakeClock(), bundled_decks=folder, start="review")
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        view = screen.query_one(CardView)
        card = screen.session.current
        assert card is not None and "```python" in card.front

        def drawn(strips: list, plain: bool) -> list:
            width = strips[0].cell_length
            return app.renderer.render(
                app.console, card.front, None, width, True, view.rich_style, plain
            )

        await until(lambda: shown and shown[-1] == drawn(shown[-1], False), pilot)
        # Plain until it is on screen (the first layout and a resize included), then
        # coloured in place: the same lines.
        assert len(shown) >= 2
        assert all(strips == drawn(strips, True) for strips in shown[:-1])
        assert view._strips == shown[-1] != drawn(shown[-1], True)
        assert [s.text for s in shown[-1]] == [s.text for s in drawn(shown[-1], True)]
        await pilot.press("space")
        await pilot.pause()
        assert "14" in view.text
        await pilot.press("5")
        await pilot.pause()
        assert "Second?" in view.text
        await app.workers.wait_for_complete()
        # A second session in the same process: its lexer is compiled, so its first
        # card is drawn coloured at once (no plain first draw, no flash).
        assert app.renderer.warm
        again = ReviewScreen(app.service.start_review(), app.renderer, "Code")
        await app.push_screen(again)
        await pilot.pause()
        assert not again._plain_shown
