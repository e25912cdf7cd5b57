"""Enrolling in a plan: which roadmap, from when, from where, and the time a learner has."""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, VerticalScroll
from textual.widgets import Button, Input, Label, Select, Static

from studyplan.core.plan.availability import format_weekly_minutes, parse_weekly_minutes
from studyplan.core.plan.schedule import DEFAULT_WEEK
from studyplan.planning import PlanInputError, Planner
from studyplan.ui.base import AppModal


class EnrolScreen(AppModal[str | None]):
    """A form; dismisses with the plan id once enrolled, or None."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="enrol.cancel"),
        Binding("ctrl+s", "enrol", "Enrol", id="enrol.save"),
    ]

    def __init__(self, planner: Planner) -> None:
        super().__init__()
        self.planner = planner

    def compose(self) -> ComposeResult:
        plans = self.planner.plans
        first = next(iter(plans.values()), None)
        form = VerticalScroll(id="enrol")
        form.can_focus = False  # scrolls to the focused field; the first field has focus
        with form:
            yield Static(Text("Follow a study plan", style="bold"))
            with Grid(id="enrol-form"):
                yield Label("Plan", classes="field-label")
                yield Select(
                    [(p.title, p.id) for p in plans.values()],
                    value=first.id if first else Select.BLANK,
                    allow_blank=False,
                    id="enrol-plan",
                )
                yield Label("Starting point", classes="field-label")
                yield Select(
                    self._points(first.id) if first else [], allow_blank=False, id="enrol-point"
                )
                yield Label("Start date (YYYY-MM-DD)", classes="field-label")
                yield Input(self.planner.studyplan.today().isoformat(), id="enrol-start")
                yield Label("Minutes per weekday", classes="field-label")
                yield Input(format_weekly_minutes(DEFAULT_WEEK), id="enrol-minutes")
                yield Label("Share when following two plans", classes="field-label")
                yield Input("1.0", id="enrol-share")
            yield Static(
                Text(
                    "Minutes: mon-fri=60,sat=180,sun=0 or seven numbers, Monday first. "
                    "Share: 0.7 gives this plan 70% of each day.",
                    style="dim",
                )
            )
            yield Static(id="enrol-error")
            with Horizontal(id="enrol-buttons"):
                yield Button("Enrol", variant="primary", id="enrol-ok")
                yield Button("Cancel", id="enrol-cancel")

    def _points(self, plan_id: str) -> list[tuple[str, str]]:
        plan = self.planner.plans[plan_id]
        return [(label if label else point, point) for point, label in plan.starting_points]

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "enrol-plan" and isinstance(event.value, str):
            points = self.query_one("#enrol-point", Select)
            options = self._points(event.value)
            points.set_options(options)
            points.value = options[0][1]

    def on_resize(self) -> None:
        # A smaller terminal can leave the field being typed in out of view.
        if self.focused is not None:
            self.call_after_refresh(self.focused.scroll_visible, animate=False)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "enrol-ok":
            self.action_enrol()
        else:
            self.action_cancel()

    def action_enrol(self) -> None:
        raw_start = self.query_one("#enrol-start", Input).value.strip()
        try:
            start = date.fromisoformat(raw_start)
        except ValueError:
            self._refuse(f"{raw_start!r} is not a date; write it like 2026-11-30.")
            return
        try:
            minutes = parse_weekly_minutes(self.query_one("#enrol-minutes", Input).value)
            share = float(self.query_one("#enrol-share", Input).value)
            plan_id = str(self.query_one("#enrol-plan", Select).value)
            point = str(self.query_one("#enrol-point", Select).value)
            self.planner.enrol(plan_id, start, point, minutes, share)
        except (ValueError, PlanInputError) as err:
            self._refuse(
                str(err).replace("could not convert string to float", "share must be a number")
            )
            return
        self.notify(f"Enrolled in {self.planner.plans[plan_id].title}.")
        self.dismiss(plan_id)

    def _refuse(self, message: str) -> None:
        """Show why enrolling failed, scrolled into view on a small terminal."""
        error = self.query_one("#enrol-error", Static)
        error.update(Text(message, style="bold red"))
        self.call_after_refresh(error.scroll_visible, animate=False)

    def action_cancel(self) -> None:
        self.dismiss(None)
