"""FSRS through the app at 80x24: switch in Settings, recall in review, the models in Stats."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from textual.widgets import Select

from studyplan.store.scheduler_repo import SchedulerRepository
from studyplan.ui.home import HomeScreen
from studyplan.ui.review import ReviewScreen
from studyplan.ui.settings import SettingsScreen
from studyplan.ui.stats import StatsScreen
from tests.helpers import answer_on
from tests.ui.terminal_size import BIG, assert_whole, make_app, settle, text_of


async def test_switch_to_fsrs_see_the_cost_then_recall_in_review_and_models_in_stats(
    tmp_path: Path,
) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=BIG) as pilot:
        await settle(app, pilot)
        service = app.service
        # Every card answered 4 days ago, so each is due again with a memory to predict.
        ids = [row[0] for row in service.conn.execute("SELECT id FROM card ORDER BY id")]
        for card in ids:
            answer_on(service, card, service.today() - timedelta(days=6), 4)
            answer_on(service, card, service.today() - timedelta(days=5), 4)

        await pilot.press("s")
        await settle(app, pilot)
        assert isinstance(app.screen, SettingsScreen)
        scheduler = app.screen.query_one("#set-scheduler", Select)
        while app.screen.focused is not scheduler:
            await pilot.press("tab")
        await pilot.press("enter", "down", "enter")  # open the list, pick FSRS
        await settle(app, pilot)
        assert scheduler.value == "fsrs"
        cost = text_of(app.screen.query_one("#settings-cost"))
        assert "What switching would cost" in cost
        assert "SM-2 (now)" in cost and "FSRS 90%" in cost and "FSRS 95%" in cost
        app.screen.query_one("#settings-cost").scroll_visible(animate=False)
        await pilot.pause()
        assert_whole(app, "#settings-cost")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, HomeScreen)
        assert 'scheduler = "fsrs"' in (tmp_path / "c.toml").read_text()
        assert SchedulerRepository(service.conn).active()[0] == "fsrs"
        due = service.conn.execute("SELECT DISTINCT due = fsrs_due FROM card").fetchall()
        assert due == [(1,)]

        # Review: FSRS has these cards due today; after reveal, recall and FSRS's intervals.
        await pilot.press("r")
        await settle(app, pilot)
        assert isinstance(app.screen, ReviewScreen)
        assert "recall now" not in text_of(app.screen.query_one("#review-left"))
        await pilot.press("space")
        await pilot.pause()
        status = text_of(app.screen.query_one("#review-left"))
        card = app.screen.session.current
        from studyplan.core.fsrs_scheduler import preview, recall_probability

        expected = recall_probability(card.fsrs, service.today())
        assert f"recall now {expected:.0%} (FSRS)" in status
        bar = text_of(app.screen.query_one("#grade-bar"))
        good = next(p for p in preview(card.fsrs, service.today(), card.key) if p.grade == 4)
        assert f"hesitated · {good.days}d" in bar  # short words at 80 columns
        assert_whole(app, "#review-left", "#grade-bar")
        await pilot.press("escape", "enter")
        await settle(app, pilot)

        # Stats: the memory sections fill in from a worker.
        await pilot.press("t")
        await settle(app, pilot)
        assert isinstance(app.screen, StatsScreen)
        memory = text_of(app.screen.query_one("#stats-memory"))
        assert "Predicted recall today: FSRS" in memory
        models = text_of(app.screen.query_one("#stats-models"))
        assert "Not enough history yet" in models and "needs 300 reviews" in models
        assert "FSRS 90% (now)" in text_of(app.screen.query_one("#stats-cost"))
        await pilot.press("end")
        await pilot.pause()
        assert_whole(app, "#stats-cost")


async def test_a_retention_out_of_range_is_one_sentence_and_nothing_is_saved(
    tmp_path: Path,
) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=BIG) as pilot:
        await settle(app, pilot)
        await pilot.press("s")
        await settle(app, pilot)
        field = app.screen.query_one("#set-desired_retention")
        while app.screen.focused is not field:
            await pilot.press("tab")
        await pilot.press("end", *["backspace"] * 5, "0", ".", "5")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, SettingsScreen)
        error = text_of(app.screen.query_one("#settings-error")).strip()
        assert error == "desired_retention = 0.5 must be a number from 0.70 to 0.99, like 0.9"
        assert not (tmp_path / "c.toml").exists()


def test_model_comparison_with_enough_history_names_the_better_model(tmp_path: Path) -> None:
    """`studyplan stats --models` on a long log: both scores, calibration and the cost."""
    import random
    import subprocess
    import sys

    from studyplan.service import Studyplan
    from tests.helpers import FakeClock, write_deck

    folder = tmp_path / "decks"
    write_deck(folder, "Many", {f"Q{i}": f"A{i}" for i in range(60)})
    sp = Studyplan(tmp_path / "sp.db", tmp_path / "c.toml", clock=FakeClock(), bundled_decks=folder)
    sp.sync_decks()
    rng = random.Random(3)
    start = date(2025, 10, 1)
    for card in [row[0] for row in sp.conn.execute("SELECT id FROM card")]:
        day = start + timedelta(days=rng.randint(0, 20))
        while day < date(2026, 3, 1):
            answer_on(sp, card, day, rng.choice((2, 3, 4, 4, 5)))
            day = sp.repo.card(card).state.due + timedelta(days=rng.randint(0, 2))
    sp.close()
    out = subprocess.run(
        [sys.executable, "-m", "studyplan", "--db", str(tmp_path / "sp.db"), "--config",
         str(tmp_path / "c.toml"), "stats", "--models"],
        capture_output=True, text=True, check=True,
        env={"COLUMNS": "100", "PATH": "", "TZ": "Europe/Berlin",
             "STUDYPLAN_DATA_DIR": str(tmp_path / "d")},
    ).stdout  # fmt: skip
    assert "Log loss" in out and "RMSE (bins)" in out
    assert "predicts your memory better" in out
    assert "0%-10%" in out and "90%-100%" in out
    assert "FSRS 85%" in out and "SM-2 (now)" in out


async def test_the_model_comparison_shows_its_verdict_so_far_and_stops_when_the_learner_leaves(
    tmp_path: Path, monkeypatch
) -> None:
    """A long review log: Stats shows the verdict on the answers read so far, and how
    many; leaving the screen stops the comparison where it is. The comparison runs in a
    process of its own, which waits for the screen to take each part before it reads the
    next: the test holds the screen's word after the 16th part."""
    import threading

    from studyplan import memory_process
    from studyplan.core import memory_models

    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        service = app.service
        ids = [row[0] for row in service.conn.execute("SELECT id FROM card ORDER BY id")]
        assert len(ids) == 3
        for days_ago in range(240, 0, -2):  # 120 answers a card, 360 in all
            for card in ids:
                answer_on(service, card, service.today() - timedelta(days=days_ago), 4)
        part = 20
        monkeypatch.setattr(memory_models, "PART", part)  # the child is told it
        held, go, children = threading.Event(), threading.Event(), []
        take = memory_process.take

        def held_take(child) -> None:
            children.append(child)
            if len(children) == 2 + 16:  # the memory today, the cost, then 16 parts
                held.set()
                go.wait(5)
            take(child)

        monkeypatch.setattr(memory_process, "take", held_take)
        await pilot.press("t")
        while not held.is_set():
            await pilot.pause(0.01)
        await pilot.pause()
        assert isinstance(app.screen, StatsScreen)
        models = text_of(app.screen.query_one("#stats-models"))
        judged = 16 * part - len(ids)  # walked so far, less each card's first answer
        assert f"Comparing SM-2 and FSRS on your own answers… {judged:,} so far" in models
        assert "So far, " in models and "predicts your memory better" in models
        assert f"{judged:,} reviews judged" in models and "Log loss" in models
        assert "(now)" in text_of(app.screen.query_one("#stats-cost"))  # the cost came first
        child = children[0]
        assert child.poll() is None  # waiting for the screen to take the 16th part
        await pilot.press("escape")
        go.set()
        for _ in range(300):  # (the screen's worker is no longer the app's to wait for)
            if child.poll() is not None:
                break
            await pilot.pause(0.01)
        assert isinstance(app.screen, HomeScreen)
        # Stopped where it was (killed, not ended): the rest of the log was never read.
        assert child.returncode is not None and child.returncode < 0
        assert len(children) == 18


async def test_memory_figures_that_cannot_be_worked_out_are_one_sentence(
    tmp_path: Path, monkeypatch
) -> None:
    """The memory sections come from a process of their own: one that cannot start, or
    that fails, is said in each section, and the rest of the screen stands."""
    import subprocess
    import sys

    from studyplan import memory_process

    def no_python(service, part=None):
        raise FileNotFoundError(2, "No such file or directory")

    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        monkeypatch.setattr(memory_process, "start", no_python)
        await pilot.press("t")
        await settle(app, pilot)
        said = "Your memory figures could not be worked out: No such file or directory"
        for section in ("#stats-memory", "#stats-models", "#stats-cost"):
            assert said in text_of(app.screen.query_one(section))
        assert "day" in text_of(app.screen.query_one("#stats-streak"))
        await pilot.press("escape")
        await settle(app, pilot)

        # A child that fails as it reads the database: its one sentence, no traceback.
        damaged = tmp_path / "damaged.db"
        damaged.write_bytes(b"not a database, " * 512)

        def broken(service, part=None):
            argv = [sys.executable, "-m", "studyplan.memory_process", str(damaged),
                    str(service.config_path), service.clock().isoformat(), "x", "0"]  # fmt: skip
            return subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE)

        monkeypatch.setattr(memory_process, "start", broken)
        await pilot.press("t")
        await settle(app, pilot)
        memory = text_of(app.screen.query_one("#stats-memory"))
        assert memory.startswith("Your memory figures could not be worked out: ")
        assert "Traceback" not in memory and str(damaged) in memory
