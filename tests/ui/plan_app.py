"""An app on a small plan written here (not the bundled ones), for the Plan screen's tests."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

from rich.console import Console
from textual.widgets import DataTable, Input, Static

from studyplan.planning import Planner
from studyplan.service import Studyplan
from studyplan.ui.app import StudyplanApp
from tests.helpers import FakeClock, write_deck

PLAN = """+++
id = "small"
title = "A small plan: Python to pandas"
hours_per_week = "7"
+++

## Start {#start weeks=1}

- Python essentials: types, control flow, functions and comprehensions {#py hours=3 tags=python}
  - Resource: [The Python tutorial](https://docs.python.org/3/tutorial/)
  - Deliverable: a notebook repository on GitHub
- NumPy arrays {#numpy hours=2 after=py}

## Next {#next weeks=1}

- pandas DataFrames {#pandas hours=4 after=numpy}
"""
OTHER = """+++
id = "papers"
title = "Reading papers"
+++

## Only {weeks=4}

- Attention is all you need {#attention hours=10}
"""


def make_app(tmp_path: Path, day: int = 2, other: bool = False) -> StudyplanApp:
    """An app on Monday 2 March 2026 (or ``day`` March) at 09:00 UTC, with one small deck."""
    decks = tmp_path / "bundled"
    write_deck(decks, "Deck", {f"Q{n}?": f"A{n}" for n in range(3)})
    plans = tmp_path / "plans"
    plans.mkdir(exist_ok=True)
    (plans / "small.md").write_text(PLAN, encoding="utf-8")
    if other:
        (plans / "papers.md").write_text(OTHER, encoding="utf-8")
    clock = FakeClock(datetime(2026, 3, day, 9, 0, tzinfo=UTC))
    sp = Studyplan(tmp_path / "sp.db", tmp_path / "c.toml", clock=clock, bundled_decks=decks)
    app = StudyplanApp(sp)
    app._planner = Planner(sp, plans_dir=plans)
    return app


def text(widget) -> str:
    console = Console(width=200, file=io.StringIO(), color_system=None)
    with console.capture() as capture:
        console.print(widget.content if isinstance(widget, Static) else widget)
    return capture.get()


def rows(table: DataTable) -> list[list[str]]:
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


async def settle(app: StudyplanApp, pilot) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()


async def enrol(
    app: StudyplanApp, pilot, minutes: str = "mon-fri=90,sat=120,sun=0", plan: str = "small"
) -> None:
    """From home: the Plan screen, the enrol form, the plan and minutes, saved."""
    await settle(app, pilot)
    await pilot.press("p")
    await pilot.pause()
    await pilot.press("e")
    await pilot.pause()
    app.screen.query_one("#enrol-plan").value = plan
    await pilot.pause()
    app.screen.query_one("#enrol-minutes", Input).value = minutes
    await pilot.press("ctrl+s")
    await pilot.pause()
