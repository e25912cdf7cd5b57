"""The settings screen: daily limits, rollover hour, zone and theme."""

from __future__ import annotations

from dataclasses import replace
from typing import Literal

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, VerticalScroll
from textual.widgets import Button, Footer, Input, Label, Select, Static, Switch

from studyplan.core.errors import SourceError
from studyplan.settings import Settings
from studyplan.ui.base import AppScreen

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
            yield Static(id="settings-error")
            with Horizontal(id="settings-buttons"):
                yield Button("Save", variant="primary", id="save")
                yield Button("Cancel", id="cancel")
            yield Static(Text(f"Saved to {self.app.service.config_path}", style="dim"))
        yield Footer()

    def on_select_changed(self, event: Select.Changed) -> None:
        if isinstance(event.value, str):
            self.app.preview_theme(event.value)

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
            theme = self.query_one("#set-theme", Select).value
            all_due = self.query_one("#set-streak_all_due", Switch).value
            edited = replace(edited, theme=str(theme), streak_all_due=all_due).validated(
                service.config_path
            )
            # Only what the learner changed here is written; the rest stays as the file has it.
            changes = {
                name: getattr(edited, name)
                for name in (*(f[0] for f in FIELDS), "theme", "streak_all_due")
                if getattr(edited, name) != getattr(shown, name)
            }
            service.change_settings(**changes)
        except SourceError as err:
            self.query_one("#settings-error", Static).update(Text(err.message, style="bold red"))
            return
        self.notify("Settings saved." if changes else "Nothing was changed.")
        self.app.pop_screen()

    def action_cancel(self) -> None:
        self.app.preview_theme(self.app.service.settings.theme)
        self.app.pop_screen()
