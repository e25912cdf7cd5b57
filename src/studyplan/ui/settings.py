"""The settings screen: daily limits, rollover hour, zone, theme and scheduler.

Choosing another scheduler (or FSRS retention) shows what it would cost in
reviews a day before it is saved; the simulation runs in a worker.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Literal

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, VerticalScroll
from textual.widgets import Button, Input, Label, Select, Static, Switch

from studyplan.core.errors import SourceError
from studyplan.settings import Settings
from studyplan.ui.base import AppScreen
from studyplan.ui.footer import AppFooter

SCHEDULER_CHOICES = (("SM-2 (the default)", "sm2"), ("FSRS", "fsrs"))

InputKind = Literal["integer", "number", "text"]
FIELDS: tuple[tuple[str, str, InputKind], ...] = (
    ("new_per_day", "New cards per day", "integer"),
    ("reviews_per_day", "Reviews per day", "integer"),
    ("rollover_hour", "New study day starts at hour (0-23)", "integer"),
    ("timezone", "Time zone (empty: the system's)", "text"),
    ("streak_min_reviews", "Streak: reviews that count (0: off)", "integer"),
    ("streak_min_blocks", "Streak: plan blocks that count (0: off)", "integer"),
)


class SettingsScreen(AppScreen[None]):
    """Edit and save the settings file."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="settings.save"),
        Binding("escape", "cancel", "Back", id="settings.cancel"),
    ]

    def compose(self) -> ComposeResult:
        # What the file holds now: `studyplan config` may have changed it since start-up.
        try:
            current: Settings = self.app.service.reload_settings()
        except SourceError:
            current = self.app.service.settings
        self.shown = current
        themes = sorted(self.app.available_themes)
        if current.theme not in themes:
            themes.append(current.theme)
        with VerticalScroll(id="settings"):
            yield Static(Text("Settings", style="bold"), classes="section-title")
            with Grid(id="settings-form"):
                for name, label, kind in FIELDS:
                    yield Label(label, classes="field-label")
                    yield Input(str(getattr(current, name)), type=kind, id=f"set-{name}")
                yield Label("Streak: all due reviewed counts a day", classes="field-label")
                yield Switch(current.streak_all_due, id="set-streak_all_due")
                yield Label("Theme", classes="field-label")
                yield Select(
                    [(t, t) for t in themes], value=current.theme, allow_blank=False, id="set-theme"
                )
                yield Label("Scheduler (who sets due days)", classes="field-label")
                yield Select(
                    SCHEDULER_CHOICES,
                    value=current.scheduler,
                    allow_blank=False,
                    id="set-scheduler",
                )
                yield Label("FSRS desired retention", classes="field-label")
                yield Input(
                    str(current.desired_retention), type="number", id="set-desired_retention"
                )
            yield Static(id="settings-error")
            yield Static(id="settings-cost")
            with Horizontal(id="settings-buttons"):
                yield Button("Save", variant="primary", id="save")
                yield Button("Cancel", id="cancel")
            yield Static(Text(f"Saved to {self.app.service.config_path}", style="dim"))
        yield AppFooter()

    def on_mount(self) -> None:
        self.query_one("#settings-cost", Static).display = False

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "set-scheduler":
            self.show_switching_cost()
        elif isinstance(event.value, str):
            self.app.preview_theme(event.value)

    def show_switching_cost(self) -> None:
        """Before a switch is saved: the reviews a day under each scheduler (in a worker)."""
        cost = self.query_one("#settings-cost", Static)
        if self.query_one("#set-scheduler", Select).value == self.shown.scheduler:
            cost.display = False
            return
        cost.display = True
        cost.update(Text("Simulating your next year under each scheduler…", style="dim"))
        self.run_worker(
            self._switching_cost, thread=True, name="cost", exclusive=True, exit_on_error=False
        )

    def _switching_cost(self) -> None:
        from studyplan.progress import Progress

        workloads = Progress(self.app.service).switching_cost()
        self.app.call_from_thread(self._show_cost, workloads)

    def _show_cost(self, workloads) -> None:
        if not self.is_attached:  # saved or left before the simulation finished
            return
        from rich.console import Group

        from studyplan.ui.memory_charts import scheduler_label, workload_chart, workload_rich_table

        now = scheduler_label(self.shown.scheduler, self.shown.desired_retention)
        head = Text.assemble(
            ("What switching would cost", "bold"),
            (" (SM-2's state is kept: switching back loses nothing)", "dim"),
        )
        cost = self.query_one("#settings-cost", Static)
        cost.update(Group(head, workload_rich_table(workloads, now), workload_chart(workloads)))
        # The learner just chose another scheduler: show what it costs, below the form.
        self.call_after_refresh(cost.scroll_visible, animate=False)

    def on_resize(self) -> None:
        # A smaller terminal can leave the field being typed in out of view.
        if self.focused is not None:
            self.call_after_refresh(self.focused.scroll_visible, animate=False)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        else:
            self.action_cancel()

    def action_save(self) -> None:
        service = self.app.service
        shown = self.shown
        try:
            edited = shown
            for name, _label, _kind in FIELDS:
                edited = edited.with_value(
                    name, self.query_one(f"#set-{name}", Input).value.strip()
                )
            edited = edited.with_value(
                "desired_retention",
                self.query_one("#set-desired_retention", Input).value.strip(),
            )
            theme = self.query_one("#set-theme", Select).value
            scheduler = self.query_one("#set-scheduler", Select).value
            all_due = self.query_one("#set-streak_all_due", Switch).value
            edited = replace(
                edited, theme=str(theme), streak_all_due=all_due, scheduler=str(scheduler)
            ).validated(service.config_path)
            # Only what the learner changed here is written; the rest stays as the file has it.
            changes = {
                name: getattr(edited, name)
                for name in (
                    *(f[0] for f in FIELDS),
                    "theme",
                    "streak_all_due",
                    "scheduler",
                    "desired_retention",
                )
                if getattr(edited, name) != getattr(shown, name)
            }
            service.change_settings(**changes)
        except SourceError as err:
            self.query_one("#settings-error", Static).update(Text(err.message, style="bold red"))
            return
        if "scheduler" in changes:
            name = "FSRS" if edited.scheduler == "fsrs" else "SM-2"
            self.notify(f"Settings saved. {name} now decides when cards are due.")
        else:
            self.notify("Settings saved." if changes else "Nothing was changed.")
        self.app.pop_screen()

    def action_cancel(self) -> None:
        self.app.preview_theme(self.app.service.settings.theme)
        self.app.pop_screen()
