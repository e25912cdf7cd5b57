"""Enrolling in a plan, or changing an enrolment: which roadmap, from when, from where, and
the time a learner has, with what that time means for the finish.

The form opens on what is enrolled (its start, minutes and share), so
changing the minutes keeps the start and the history. For a plan not yet
followed it starts from the hours a week the plan asks for.
"""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Input, Label, Select, Static

from studyplan.core.plan.availability import format_weekly_minutes, parse_weekly_minutes
from studyplan.core.plan.dates import parse_day
from studyplan.planning import PlanInputError, Planner
from studyplan.ui.base import AppModal


class EnrolScreen(AppModal[str | None]):
    """A form; dismisses with the plan id once enrolled, or None."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="enrol.cancel"),
        Binding("ctrl+s", "enrol", "Enrol", id="enrol.save"),
    ]

    def __init__(self, planner: Planner, plan_id: str | None = None) -> None:
        super().__init__()
        self.planner = planner
        followed = [e.plan_id for e in planner.repo.enrolments() if e.plan_id in planner.plans]
        self.first = plan_id if plan_id in planner.plans else None
        self.first = self.first or (followed[0] if followed else next(iter(planner.plans), None))
        self.filling = False

    def compose(self) -> ComposeResult:
        plans = self.planner.plans
        with Vertical(id="enrol"):
            yield Static(Text("Follow a study plan", style="bold"), id="enrol-title")
            with VerticalScroll(id="enrol-body") as body:
                body.can_focus = False  # scrolls to the focused field; the first field has focus
                with Grid(id="enrol-form"):
                    yield Label("Plan", classes="field-label")
                    yield Select(
                        [(p.title, p.id) for p in plans.values()],
                        value=self.first or Select.BLANK,
                        allow_blank=False,
                        id="enrol-plan",
                        compact=True,
                    )
                    yield Label("Starting point", classes="field-label")
                    yield Select(
                        self._points(self.first) if self.first else [],
                        allow_blank=False,
                        id="enrol-point",
                        compact=True,
                    )
                    yield Label("Start date (YYYY-MM-DD)", classes="field-label")
                    yield Input(id="enrol-start", compact=True)
                    yield Label("Minutes per weekday", classes="field-label")
                    yield Input(id="enrol-minutes", compact=True)
                    yield Label("Share with other plans", classes="field-label")
                    yield Input("1.0", id="enrol-share", compact=True)
                yield Static(id="enrol-info")
                yield Static(
                    Text(
                        "Minutes: mon-fri=60,sat=180,sun=0 or seven numbers, Monday first. "
                        "Share: 0.7 gives this plan 70% of each day you follow two plans.",
                        style="dim",
                    ),
                    id="enrol-help",
                )
                yield Static(id="enrol-error")
            with Horizontal(id="enrol-buttons"):
                yield Button("Enrol", variant="primary", id="enrol-ok", compact=True)
                yield Button("Cancel", id="enrol-cancel", compact=True)

    def on_mount(self) -> None:
        if self.first:
            self._fill(self.first, None)

    def _points(self, plan_id: str) -> list[tuple[str, str]]:
        plan = self.planner.plans[plan_id]
        return [(label if label else point, point) for point, label in plan.starting_points]

    def _fill(self, plan_id: str, point: str | None) -> None:
        """Put the enrolment in ``plan_id`` in the fields, or the plan's defaults."""
        current = self.planner.enrolment(plan_id)
        self.filling = True
        points = self.query_one("#enrol-point", Select)
        options = self._points(plan_id)
        points.set_options(options)
        chosen = point or (current.starting_point if current else options[0][1])
        points.value = chosen
        today = self.planner.studyplan.today()
        self.query_one("#enrol-start", Input).value = (
            current.start if current else today
        ).isoformat()
        self.query_one("#enrol-minutes", Input).value = format_weekly_minutes(
            self.planner.default_week(plan_id, chosen)
        )
        self.query_one("#enrol-share", Input).value = f"{current.share:g}" if current else "1"
        self.query_one("#enrol-title", Static).update(
            Text("Change your enrolment" if current else "Follow a study plan", style="bold")
        )
        self.query_one("#enrol-ok", Button).label = "Save" if current else "Enrol"
        self.filling = False
        self._preview()

    def on_select_changed(self, event: Select.Changed) -> None:
        if self.filling or not isinstance(event.value, str):
            return
        if event.select.id == "enrol-plan":
            self._fill(event.value, None)
        elif self.planner.enrolment(self._plan_id()) is None:
            self._fill(self._plan_id(), event.value)
        else:
            self._preview()

    def on_input_changed(self, event: Input.Changed) -> None:
        if not self.filling:
            self._preview()

    def _plan_id(self) -> str:
        return str(self.query_one("#enrol-plan", Select).value)

    def _read(self) -> tuple[str, date, str, tuple[int, ...], float]:
        """The fields, or ``ValueError`` / ``PlanInputError`` saying what is wrong."""
        start = parse_day(self.query_one("#enrol-start", Input).value, "the start")
        minutes = parse_weekly_minutes(self.query_one("#enrol-minutes", Input).value)
        raw_share = self.query_one("#enrol-share", Input).value.strip()
        try:
            share = float(raw_share)
        except ValueError:
            raise ValueError(f"share must be a number like 0.7, not {raw_share!r}") from None
        point = str(self.query_one("#enrol-point", Select).value)
        return self._plan_id(), start, point, minutes, share

    def _preview(self) -> None:
        """What the chosen minutes mean: the plan's hours a week and the finish date."""
        info = self.query_one("#enrol-info", Static)
        try:
            plan_id, start, point, minutes, share = self._read()
            if sum(minutes) == 0 or not 0 < share <= 1:
                raise ValueError
            preview = self.planner.preview(plan_id, start, point, minutes, share)
        except (ValueError, PlanInputError):
            info.update(Text("Fill in the fields to see when you would finish.", style="dim"))
            return
        info.update(Text(preview.sentence()))

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
        try:
            plan_id, start, point, minutes, share = self._read()
            changed = self.planner.enrolment(plan_id) is not None
            self.planner.enrol(plan_id, start, point, minutes, share)
        except (ValueError, PlanInputError) as err:
            self._refuse(str(err))
            return
        title = self.planner.plans[plan_id].title
        self.notify(f"Changed your enrolment in {title}." if changed else f"Enrolled in {title}.")
        self.dismiss(plan_id)

    def _refuse(self, message: str) -> None:
        """Show why enrolling failed, scrolled into view on a small terminal."""
        error = self.query_one("#enrol-error", Static)
        error.update(Text(message.rstrip(".") + ".", style="bold red"))
        self.call_after_refresh(error.scroll_visible, animate=False)

    def action_cancel(self) -> None:
        self.dismiss(None)
