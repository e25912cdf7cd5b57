"""``studyplan status`` and ``studyplan stats``: progress printed in the terminal."""

from __future__ import annotations

from pathlib import Path

from studyplan import paths
from studyplan.core.status import status_line
from studyplan.progress import Progress
from studyplan.service import Studyplan

BACKGROUND_FILL = 50_000
"""Uncounted answers above which ``status`` leaves the day-totals cache to a background
process (after an upgrade, a restore or an import of a long history): a prompt never
waits for millions of rows."""


def status(service: Studyplan, *, ascii_only: bool, plan: bool = True) -> int:
    """Print one line for a shell prompt or a tmux status bar."""
    progress = Progress(service)
    done, due_now = progress.note_today()
    today = service.today()
    current: int | None
    if (
        progress.repo.writable
        and progress.repo.uncounted_answers(today, BACKGROUND_FILL) >= BACKGROUND_FILL
        and _fill_in_background(service)
    ):
        current = None  # "streak counting": the next prompt has it
    else:
        current = progress.current_streak().current
    left = max(0, service.settings.reviews_per_day - done)
    due = min(due_now, left)
    minutes = _plan_minutes(service) if plan else None
    print(status_line(current, due, minutes, ascii_only=ascii_only))
    return 0


def _fill_in_background(service: Studyplan) -> bool:
    """Count the day totals in a detached child process; False where there is no fork."""
    import os

    if not hasattr(os, "fork"):
        return False
    pid = os.fork()
    if pid:
        return True
    try:  # the child: its own session and connection, no terminal, nothing printed
        os.setsid()
        devnull = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(devnull, fd)
        other = service.another()
        Progress(other).fill_day_totals()
        other.close()
    finally:
        os._exit(0)


def _mtime(path: str) -> int:
    try:
        return Path(path).stat().st_mtime_ns
    except OSError:
        return 0


def _plan_minutes(service: Studyplan) -> float | None:
    """Today's planned minutes; cached, since parsing the plans costs more than the rest."""
    conn = service.conn
    enrolments = conn.execute("SELECT * FROM enrolment WHERE active = 1 ORDER BY id").fetchall()
    if not enrolments:
        return None
    import json

    today = service.today()
    plans = paths.bundled_plans()
    key = json.dumps(
        [
            str(service.db_path.resolve()),
            today.isoformat(),
            enrolments,
            conn.execute("SELECT MAX(id), COUNT(*) FROM study_block").fetchone(),
            conn.execute("SELECT COUNT(*) FROM topic_done").fetchone(),
            service.repo.done_today(today),
            [(p.name, p.stat().st_mtime_ns) for p in sorted(plans.glob("*.md"))],
            conn.execute("SELECT * FROM time_off ORDER BY id").fetchall(),
            [
                (path, _mtime(path))
                for (path,) in conn.execute("SELECT path FROM plan_source ORDER BY id")
            ],
            service.settings.new_per_day,
        ]
    )
    cache = paths.cache_directory() / "status.json"
    try:
        stored = json.loads(cache.read_text(encoding="utf-8"))
        if stored.get("key") == key:
            return stored["minutes"]
    except (OSError, ValueError, AttributeError):
        pass
    from studyplan.planning import Planner

    week = Planner(service, plans_dir=plans).week()
    minutes = next((d.study for d in week.days if d.day == today), 0) if week else None
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        cache.write_text(json.dumps({"key": key, "minutes": minutes}), encoding="utf-8")
    except OSError:
        pass  # a cache that cannot be written only costs time
    return minutes


def stats(service: Studyplan, *, models: bool = False) -> int:
    """Print the streak, the year's heatmap, the forecast and retention; with ``models``,
    the model comparison and the switching cost."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from studyplan.ui.charts import (
        forecast_calendar,
        forecast_summary,
        forecast_text,
        heatmap_with_caption,
        retention_rows,
        seconds_note,
        streak_text,
    )

    progress = Progress(service)
    progress.note_today()
    data = progress.statistics()
    console = Console(highlight=False, soft_wrap=False)
    console.print(Text("Streak", style="bold"))
    console.print(streak_text(data.streak.summary))
    console.print()
    console.print(Text("Reviews in the last year", style="bold"))
    console.print(heatmap_with_caption(data.streak.heatmap))
    console.print()
    console.print(Text("Due in the next 30 days", style="bold"))
    console.print(forecast_text(data.forecast))
    if any(day.reviews for day in data.forecast):
        console.print(forecast_summary(data.forecast))
        console.print(Text(seconds_note(data.seconds_per_card), style="dim"))
        console.print()
        console.print(forecast_calendar(data.forecast))
    console.print()
    table = Table(title="Retention (answers graded 3 or more)", title_justify="left")
    table.add_column("Deck")
    table.add_column("Last 7 days", justify="right")
    table.add_column("Last 30 days", justify="right")
    for deck, week, month in retention_rows(data.retention_week, data.retention_month):
        table.add_row(deck, week, month)
    console.print(table)
    from studyplan.ui.memory_charts import memory_text

    console.print()
    console.print(Text("Memory", style="bold"))
    console.print(memory_text(progress.memory_today()))
    if models:
        print_models(console, progress)
    return 0


def print_models(console, progress: Progress) -> None:
    """The model comparison, its calibration table and the switching cost."""
    from rich.text import Text

    from studyplan.core.memory_models import NotEnoughHistory
    from studyplan.ui.memory_charts import (
        calibration_table,
        model_table,
        scheduler_label,
        workload_chart,
        workload_rich_table,
    )

    settings = progress.studyplan.settings
    # A long log takes seconds a million answers: a terminal is told how far it has come.
    with console.status("Comparing SM-2 and FSRS on your own answers…") as status:
        result = progress.model_comparison(
            on_part=lambda so_far: status.update(
                f"Comparing SM-2 and FSRS on your own answers… {so_far.answers:,} so far"
            )
        )
    console.print()
    console.print(Text("Which model fits you", style="bold"))
    console.print(model_table(result))
    if not isinstance(result, NotEnoughHistory):
        console.print(calibration_table(result))
    workloads = progress.switching_cost()
    console.print()
    console.print(Text("What switching would cost", style="bold"))
    current = scheduler_label(settings.scheduler, settings.desired_retention)
    console.print(workload_rich_table(workloads, current))
    console.print(workload_chart(workloads))
    console.print(
        Text(
            "Switch with `studyplan config scheduler fsrs` (or sm2), or in Settings (s); "
            "nothing is lost either way.",
            style="dim",
        )
    )
