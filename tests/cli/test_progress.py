"""``studyplan status`` and ``studyplan stats`` as a learner sees them."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from studyplan.cli import main
from studyplan.cli import progress as cli_progress
from studyplan.planning import Planner
from studyplan.service import Studyplan
from tests.helpers import FakeClock, write_deck


@pytest.fixture
def service(tmp_path: Path):
    decks = tmp_path / "decks"
    write_deck(decks, "Maths", {f"Q{n}": f"A{n}" for n in range(30)})
    sp = Studyplan(
        tmp_path / "sp.db",
        tmp_path / "config.toml",
        clock=FakeClock(datetime(2026, 3, 2, 9, 0, tzinfo=UTC)),
        bundled_decks=decks,
    )
    sp.sync_decks()
    yield sp
    sp.close()


def review(sp: Studyplan, answers: int, grade: int = 4) -> None:
    session = sp.start_review()
    for _ in range(answers):
        session.answer(grade)


def test_status_counts_the_streak_and_what_is_due_day_by_day(
    service: Studyplan, capsys: pytest.CaptureFixture[str]
) -> None:
    cli_progress.status(service, ascii_only=True)
    assert capsys.readouterr().out == "0d streak | 0 due\n"
    review(service, 5)
    cli_progress.status(service, ascii_only=False)
    assert capsys.readouterr().out == "🔥 1d · 0 due\n"
    service.clock.advance(days=1)  # the 5 cards answered 4 are due again after 1 day
    cli_progress.status(service, ascii_only=True)
    assert capsys.readouterr().out == "1d streak | 5 due\n"
    review(service, 5)
    cli_progress.status(service, ascii_only=True)
    assert capsys.readouterr().out == "2d streak | 0 due\n"
    service.clock.advance(days=2)  # a day missed, no freeze held
    cli_progress.status(service, ascii_only=True)
    assert capsys.readouterr().out.startswith("0d streak | ")


def test_status_adds_todays_plan_minutes_and_caches_them(
    service: Studyplan, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    Planner(service).enrol("three-month", service.today(), None, (90, 90, 90, 90, 90, 0, 0))
    cli_progress.status(service, ascii_only=True)
    first = capsys.readouterr().out
    # 90 minutes, less 10 for flashcards: 20 new cards at 3 answers of 10 seconds each.
    assert first.endswith(" plan\n") and "1h20m plan" in first
    assert (tmp_path / "cache" / "status.json").exists()
    cli_progress.status(service, ascii_only=True)
    assert capsys.readouterr().out == first
    cli_progress.status(service, ascii_only=True, plan=False)
    assert capsys.readouterr().out == "0d streak | 0 due\n"


def test_stats_prints_streak_heatmap_forecast_and_retention(
    service: Studyplan, capsys: pytest.CaptureFixture[str]
) -> None:
    review(service, 4, grade=5)
    review(service, 2, grade=2)
    capsys.readouterr()
    assert cli_progress.stats(service) == 0
    out = capsys.readouterr().out
    assert "1-day streak" in out and "Longest: 1 day" in out
    assert "Mon" in out and "less" in out and "answers on 1 day" in out
    assert "Next 7 days: 6 reviews" in out
    assert "Week of" in out and "6 · 1m" in out  # the calendar: all six due tomorrow
    retention = next(line for line in out.splitlines() if "All decks" in line)
    assert "67% of 6" in retention  # 4 of the 6 scheduling answers were 3 or more


def test_status_and_stats_run_from_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "fresh.db")
    assert main(["--db", db, "status", "--ascii", "--no-plan"]) == 0
    assert capsys.readouterr().out == "0d streak | 0 due\n"
    assert main(["--db", db, "stats"]) == 0
    out = capsys.readouterr().out
    assert "No streak yet" in out and "Nothing is due in the next 30 days." in out
    assert "Week of" not in out  # no empty calendar under it


def test_status_leaves_a_cold_day_totals_cache_to_a_background_process(
    service: Studyplan, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """After a restore or an import of a long history the prompt does not count millions of
    answers: it says the streak is being counted, and the next prompt shows it."""
    for _ in range(20):  # twenty study days with an answer: closed days nobody counted yet
        review(service, 1)
        service.clock.advance(days=1)
    service.conn.execute("DELETE FROM day_total")
    monkeypatch.setattr(cli_progress, "BACKGROUND_FILL", 10)
    cli_progress.status(service, ascii_only=True)
    assert capsys.readouterr().out.startswith("streak counting | ")
    import time

    for _ in range(400):  # the child process fills the cache on its own connection
        if service.conn.execute("SELECT COUNT(*) FROM day_total").fetchone()[0] >= 18:
            break
        time.sleep(0.05)
    cli_progress.status(service, ascii_only=True)
    assert capsys.readouterr().out.startswith("20d streak | ")


@pytest.mark.parametrize(
    "argv",
    [
        ["status"],
        ["status", "--ascii", "--no-plan"],
        ["--db", "a.db", "status", "--no-plan", "--ascii"],
        ["--config=c.toml", "--db=a b.db", "status"],
        ["--db", "status", "status"],
        ["--db", "a.db", "--db", "b.db", "--config", "", "status", "--ascii", "--ascii"],
    ],
)
def test_the_prompts_status_line_is_read_as_argparse_reads_it(argv: list[str]) -> None:
    from studyplan.cli import _prompt_args
    from studyplan.cli.arguments import build_parser

    fast = _prompt_args(argv)
    assert fast is not None
    parsed = build_parser().parse_args(argv)
    assert vars(fast) == {k: vars(parsed)[k] for k in ("command", "db", "config", "ascii", "plan")}


@pytest.mark.parametrize(
    "argv",
    [
        ["import", "deck.md"],
        ["import", "a.apkg", "my decks", "status"],
        ["--db", "a.db", "--config=c.toml", "import", "deck.md"],
        ["--db", "import", "import", ""],
    ],
)
def test_an_import_line_is_read_as_argparse_reads_it(argv: list[str]) -> None:
    from studyplan.cli import _prompt_args
    from studyplan.cli.arguments import build_parser

    fast = _prompt_args(argv)
    assert fast is not None
    parsed = build_parser().parse_args(argv)
    assert vars(fast) == {k: vars(parsed)[k] for k in ("command", "db", "config", "path")}


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["review"],
        ["--db", "a.db"],
        ["--db=a.db", "--config", "c.toml", "review"],
        ["--db", "review", "review"],
        ["--config", "", "--db", "a.db", "--db", "b.db"],
        ["--db", "status"],  # a database file named status, at home
    ],
)
def test_the_apps_own_starts_are_read_as_argparse_reads_them(argv: list[str]) -> None:
    """``studyplan`` and ``studyplan review`` (the first card's start) skip argparse."""
    from studyplan.cli import _prompt_args
    from studyplan.cli.arguments import build_parser

    fast = _prompt_args(argv)
    assert fast is not None
    parsed = vars(build_parser().parse_args(argv))
    assert parsed.pop("version") is None  # --version's own (it prints and leaves)
    assert vars(fast) == parsed


@pytest.mark.parametrize(
    "argv",
    [
        ["stats"],
        ["review", "--deck", "Maths"],
        ["review", "--query=tag:ml"],
        ["review", "-h"],
        ["review", "extra"],
        ["rev"],
        ["--version"],
        ["--db"],
        ["--db", "-", "status"],
        ["--da", "a.db", "status"],  # an abbreviation: argparse's to accept
        ["status", "--asc"],
        ["status", "-h"],
        ["status", "--db", "a.db"],  # argparse's to refuse, in its own words
        ["--version", "status"],
        ["--", "status"],
        ["import"],
        ["import", "-h"],
        ["import", "deck.md", "--db", "a.db"],
        ["import", "--", "-odd.md"],
        ["imp", "deck.md"],
    ],
)
def test_anything_else_on_the_command_line_is_left_to_argparse(argv: list[str]) -> None:
    from studyplan.cli import _prompt_args

    assert _prompt_args(argv) is None


def test_a_status_process_loads_no_app_review_statistics_or_argparse(tmp_path: Path) -> None:
    """``status`` runs on every shell prompt: what it loads is its start-up time (issue 13)."""
    import subprocess
    import sys

    code = (
        "import sys; from studyplan.cli import main; "
        f"main(['--db', {str(tmp_path / 'sp.db')!r}, '--config', "
        f"{str(tmp_path / 'config.toml')!r}, 'status']); "
        "print(' '.join(sorted(sys.modules)))"
    )
    env = {"PATH": "", "STUDYPLAN_CACHE_DIR": str(tmp_path / "cache"), "HOME": str(tmp_path)}
    # The first run creates the database (and sets the scheduler up once); the second is
    # what every later prompt loads.
    for _ in range(2):
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
        ).stdout.splitlines()
    assert out[0] == "no streak · 0 due"
    loaded = set(out[1].split())
    heavy = {
        "argparse",
        "textual",
        "rich",
        "sqlmodel",
        "sqlalchemy",
        "markdown_it",
        "fsrs",
        "platformdirs",
        "studyplan.review",
        "studyplan.store.deck_sync",
        "studyplan.core.stats",
        "studyplan.planning",
        "studyplan.cli.plan",
    }
    assert loaded & heavy == set()
