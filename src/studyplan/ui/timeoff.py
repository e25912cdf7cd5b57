"""Time off: the ranges of days with no study, adding one and removing one.

Dismisses with the changes made, so the Plan screen's ``u`` can undo them.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, Vertical
from textual.widgets import Button, DataTable, Input, Label, Static

from studyplan.core.plan.dates import parse_day
from studyplan.core.plan.timeoff import TimeOff
from studyplan.planning import PlanInputError, Planner
from studyplan.ui.base import AppModal
from studyplan.ui.lists import VimTable


class TimeOffScreen(AppModal[list[tuple[str, object]]]):
    """A list of time off and a small form to add a range."""

    BINDINGS = [
        Binding("escape", "close", "Close", id="timeoff.close"),
        Binding("ctrl+s", "add", "Add", id="timeoff.add"),
        Binding("delete,ctrl+d", "remove", "Remove", id="timeoff.remove"),
    ]

    def __init__(self, planner: Planner) -> None:
        super().__init__()
        self.planner = planner
        self.changes: list[tuple[str, object]] = []
        self.ranges: list[TimeOff] = []

    def compose(self) -> ComposeResult:
        today = self.planner.studyplan.today().isoformat()
        with Vertical(id="timeoff"):
            yield Static(Text("Time off", style="bold"))
            yield Static(
                Text("No study on these days: the plan carries the work forward.", style="dim"),
                id="timeoff-help",
            )
            yield VimTable(id="timeoff-list", cursor_type="row", show_header=False)
            with Grid(id="timeoff-form"):
                yield Label("First day")
                yield Input(today, id="timeoff-first", compact=True)
                yield Label("Last day")
                yield Input(today, id="timeoff-last", compact=True)
                yield Label("Note")
                yield Input(placeholder="holiday, exams ...", id="timeoff-note", compact=True)
            yield Static(id="timeoff-error")
            with Horizontal(id="timeoff-buttons"):
                yield Button("Add", variant="primary", id="timeoff-add", compact=True)
                yield Button("Remove", id="timeoff-remove", compact=True)
                yield Button("Close", id="timeoff-close", compact=True)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column("Range", key="range")
        self._show()
        self.query_one("#timeoff-first", Input).focus()

    def _show(self) -> None:
        table = self.query_one(DataTable)
        table.clear()
        self.ranges = self.planner.time_off.ranges()
        for n, r in enumerate(self.ranges):
            table.add_row(Text(r.label()), key=str(n))
        if not self.ranges:
            table.add_row(Text("No time off yet.", style="dim"), key="none")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.action_add()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        {"timeoff-add": self.action_add, "timeoff-remove": self.action_remove}.get(
            event.button.id or "", self.action_close
        )()

    def action_add(self) -> None:
        value = {
            name: self.query_one(f"#timeoff-{name}", Input).value
            for name in ("first", "last", "note")
        }
        try:
            first = parse_day(value["first"], "the first day off")
            last = parse_day(value["last"] or value["first"], "the last day off")
            added = self.planner.time_off.add(first, last, value["note"])
        except (ValueError, PlanInputError) as err:
            self._say(str(err), error=True)
            return
        self.changes.append(("off-added", added))
        self._say(f"Added {added.label()}.")
        self._show()

    def action_remove(self) -> None:
        table = self.query_one(DataTable)
        if not self.ranges or not table.row_count:
            self._say("There is no time off to remove.", error=True)
            return
        chosen = self.ranges[min(table.cursor_row, len(self.ranges) - 1)]
        self.planner.time_off.remove(chosen.first)
        self.changes.append(("off-removed", chosen))
        self._say(f"Removed {chosen.label()}.")
        self._show()

    def _say(self, message: str, error: bool = False) -> None:
        widget = self.query_one("#timeoff-error", Static)
        widget.update(Text(message, style="bold red" if error else "green"))
        self.call_after_refresh(widget.scroll_visible, animate=False)

    def action_close(self) -> None:
        self.dismiss(self.changes)
