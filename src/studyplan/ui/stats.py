"""The stats screen: streak, a year of reviews, the coming month, retention per deck, and
memory: predicted against measured retention, which model fits, what switching would cost.

The memory sections walk the whole review log, so they are worked out in a process of
their own (``memory_process``) while the rest of the screen is already shown.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from rich.console import RenderableType
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.events import Resize
from textual.widget import Widget
from textual.widgets import DataTable, Static
from textual.worker import Worker, WorkerState, get_current_worker

from studyplan.core.stats import heatmap
from studyplan.progress import Progress, Statistics
from studyplan.ui.base import AppScreen
from studyplan.ui.charts import (
    as_text,
    forecast_calendar,
    forecast_summary,
    forecast_text,
    heatmap_weeks,
    heatmap_with_caption,
    retention_rows,
    seconds_note,
    streak_text,
)
from studyplan.ui.footer import AppFooter

if TYPE_CHECKING:
    from studyplan.settings import Settings


def _drawn(kind: str, value: Any, settings: Settings) -> dict[str, RenderableType]:
    """What each memory section shows for one message of ``memory_process`` (section id
    after ``stats-`` -> its drawing); pure, so that a worker can draw it."""
    from rich.console import Group

    from studyplan.core.memory_models import NotEnoughHistory
    from studyplan.ui.memory_charts import (
        calibration_table,
        memory_text,
        model_table,
        scheduler_label,
        workload_chart,
        workload_rich_table,
    )

    if kind == "memory":
        return {"memory": memory_text(value)}
    if kind == "part":  # the verdict on the answers read so far, while the rest is read
        reading = Text(
            f"Comparing SM-2 and FSRS on your own answers… {value.answers:,} so far", style="dim"
        )
        return {
            "models": reading
            if isinstance(value, NotEnoughHistory)
            else model_table(value, reading)
        }
    if kind == "models":
        if isinstance(value, NotEnoughHistory):
            return {"models": model_table(value)}
        return {"models": model_table(value), "calibration": calibration_table(value)}
    if kind == "cost":
        now = scheduler_label(settings.scheduler, settings.desired_retention)
        return {
            "cost": Group(
                workload_rich_table(value, now),
                workload_chart(value),
                Text("Switch in Settings (s) or with `studyplan config scheduler`.", style="dim"),
            )
        }
    said = Text(f"Your memory figures could not be worked out: {value}", style="dim")
    return {"memory": said, "models": said, "cost": said}


class StatsScreen(AppScreen[None]):
    """Everything about the learner's progress, read fresh each time it opens.

    The figures grow with the review log, so a worker computes them on a connection
    of its own while the screen says it is loading.
    """

    BINDINGS = [
        Binding("escape,q", "app.pop_screen", "Back", id="stats.back"),
        Binding("r", "review", "Review", id="stats.review"),
    ]

    def compose(self) -> ComposeResult:
        # What the first frame shows; the rest is mounted a group a frame (``_sections``):
        # the whole screen at once held the UI thread 45-60 ms at 100 columns.
        with VerticalScroll(id="stats"):
            yield Static(Text("Streak", style="bold"), classes="section-title")
            yield Static(Text("Counting your reviews…", style="dim italic"), id="stats-streak")
            yield Static(Text("Reviews in the last year", style="bold"), classes="section-title")
            yield Static(id="stats-heatmap")
        yield AppFooter()

    @staticmethod
    def _sections() -> list[list[Widget]]:
        """The sections below the first screenful, in the order they are mounted."""
        table: DataTable[Text] = DataTable(
            id="stats-retention", cursor_type="none", zebra_stripes=True
        )
        table.add_column("Deck", key="deck")
        table.add_column("Last 7 days", key="week")
        table.add_column("Last 30 days", key="month")
        calibration = Static(id="stats-calibration")
        calibration.display = False
        return [
            [
                Static(Text("Due in the next 30 days", style="bold"), classes="section-title"),
                Static(id="stats-forecast"),
                Static(id="stats-calendar"),
            ],
            [
                Static(
                    Text("Retention (answers graded 3 or more)", style="bold"),
                    classes="section-title",
                ),
                table,
            ],
            [
                Static(Text("Memory", style="bold"), classes="section-title"),
                Static(Text("Reading your review log…", style="dim"), id="stats-memory"),
                Static(Text("Which model fits you", style="bold"), classes="section-title"),
                Static(
                    Text("Comparing SM-2 and FSRS on your own answers…", style="dim"),
                    id="stats-models",
                ),
                calibration,
                Static(Text("What switching would cost", style="bold"), classes="section-title"),
                Static(
                    Text("Simulating the next year under each scheduler…", style="dim"),
                    id="stats-cost",
                ),
            ],
        ]

    def on_mount(self) -> None:
        self._built = False
        self._waiting: list[Callable[[], object]] = []
        self._width = 0
        """The sections' width, once laid out (the memory sections' text is drawn at it)."""
        self._kept: dict[str, RenderableType] = {}
        """Each memory section's Rich drawing, shown again when the width changes."""
        self.run_worker(self._compute, thread=True, name="stats", exit_on_error=False)
        self.run_worker(self._memory, thread=True, name="models", exit_on_error=False)
        groups = self._sections()
        scroll = self.query_one("#stats", VerticalScroll)

        async def grow() -> None:
            if not self.is_attached:
                return
            await scroll.mount_all(groups.pop(0))
            self.call_after_refresh(grow if groups else built)

        def built() -> None:
            self._built = True
            self._width = self.query_one("#stats-streak").size.width
            for shown in self._waiting:  # figures that came before their sections
                shown()
            self._waiting.clear()

        self.call_after_refresh(grow)

    def _once_built(self, show: Callable[..., object], *args: object) -> None:
        """``show(*args)`` now, or once every section is mounted."""
        if self._built:
            show(*args)
        else:
            self._waiting.append(lambda: show(*args))

    def _compute(self) -> Statistics:
        other = self.app.service.another()
        try:
            return Progress(other).statistics()
        finally:
            other.close()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.name != "stats":
            return
        if event.state is WorkerState.SUCCESS and event.worker.result is not None:
            self._once_built(self.show, event.worker.result)
        elif event.state is WorkerState.ERROR:
            self.query_one("#stats-streak", Static).update(
                Text(f"The statistics could not be read: {event.worker.error}")
            )

    def _memory(self) -> None:
        """In a worker: the three memory sections, each shown as soon as it is ready.

        They are worked out in a process of their own (``memory_process``): the walk
        of the whole log in a thread of the app stalled the screen 20-65 ms at a time.
        Their tables are drawn here too, as text at the sections' width (``as_text``),
        so that the UI thread only lays the text out."""
        from studyplan import memory_process
        from studyplan.core import memory_models

        settings = self.app.service.settings
        try:
            child = memory_process.start(self.app.service, memory_models.PART)
        except OSError as err:
            drawn = _drawn("error", f"{err.strerror or err}", settings)
            self.app.call_from_thread(self._once_built, self._put, drawn, {}, 0)
            return
        self._child = child
        worker = get_current_worker()
        try:
            for kind, value in memory_process.messages(child):
                if worker.is_cancelled:  # the learner left: the walk stops where it is
                    return
                drawn = _drawn(kind, value, settings)
                width = self._width
                texts = (
                    {key: as_text(shown, width) for key, shown in drawn.items()} if width else {}
                )
                self.app.call_from_thread(self._once_built, self._put, drawn, texts, width)
                memory_process.take(child)
        finally:
            memory_process.stop(child)

    def on_unmount(self) -> None:
        child = getattr(self, "_child", None)
        if child is not None and child.poll() is None:
            child.kill()  # the worker, waiting on it, then stops and closes its pipes

    def _put(self, drawn: dict[str, RenderableType], texts: dict[str, Text], width: int) -> None:
        """Show each section's drawing: the text drawn at ``width`` if the sections are
        still that wide, else Rich's own drawing, which fits any width."""
        if not self.is_attached:  # the learner left before the worker finished
            return
        for key, shown in drawn.items():
            section = self.query_one(f"#stats-{key}", Static)
            if not section.display:  # (set when already shown, the update's new
                section.display = True  # height was never laid out: Textual 8.2)
            section.update(texts[key] if texts and width == self._width else shown)
            self._kept[key] = shown

    def show(self, stats: Statistics) -> None:
        """Fill every section from ``stats``, one section a frame: each one laid out and
        drawn is 15-30 ms of the UI thread at 100 columns, all of them at once 35-60 ms,
        in which a key waited."""
        steps = [
            lambda: self._show_streak(stats),
            lambda: self._show_heatmap_of(stats),
            lambda: self._show_forecast(stats),
            lambda: self._show_calendar(stats),
            lambda: self._show_retention(stats),
        ]

        def step() -> None:
            if not self.is_attached:
                return
            steps.pop(0)()
            if steps:
                self.call_after_refresh(step)

        step()

    def _show_streak(self, stats: Statistics) -> None:
        summary = stats.streak.summary
        text = streak_text(summary)
        if summary.bridged_days_in_current:
            text.append(
                "\nBridged days are rest weekdays of your plan or days covered by a freeze;"
                " they keep the streak going without adding to it.",
                style="dim",
            )
        self.query_one("#stats-streak", Static).update(text)

    def _show_heatmap_of(self, stats: Statistics) -> None:
        self._answers = stats.streak.answers_by_day
        self.show_heatmap()

    def _show_forecast(self, stats: Statistics) -> None:
        forecast = forecast_text(stats.forecast)
        if any(day.reviews for day in stats.forecast):
            forecast.append("\n" + forecast_summary(stats.forecast))
            forecast.append(f"\n{seconds_note(stats.seconds_per_card)}", style="dim")
        self.query_one("#stats-forecast", Static).update(forecast)

    def _show_calendar(self, stats: Statistics) -> None:
        calendar = self.query_one("#stats-calendar", Static)
        calendar.display = any(day.reviews for day in stats.forecast)
        calendar.update(forecast_calendar(stats.forecast))

    def _show_retention(self, stats: Statistics) -> None:
        table = self.query_one("#stats-retention", DataTable)
        table.clear()
        for index, (deck, week, month) in enumerate(
            retention_rows(stats.retention_week, stats.retention_month)
        ):
            style = "bold" if index == 0 else ""
            table.add_row(
                Text(deck, style=style),
                Text(week, justify="right", style=style),
                Text(month, justify="right", style=style),
            )

    def on_resize(self, event: Resize) -> None:
        self.call_after_refresh(self._fit)

    def _fit(self) -> None:
        """After a resize: the heatmap as many weeks as fit, the memory sections' tables
        drawn by Rich at the new width."""
        self.show_heatmap()
        if not self._built:
            return
        width = self.query_one("#stats-streak").size.width
        if width != self._width:
            self._width = width
            for key, shown in self._kept.items():
                self.query_one(f"#stats-{key}", Static).update(shown)

    def show_heatmap(self) -> None:
        """The last year, or as many weeks of it as fit the window (drawn again only when
        that changes: the first resize after opening, at the same width, would draw the
        same map and lay the whole screen out again, 35-40 ms at 5,000,000 answers)."""
        widget = self.query_one("#stats-heatmap", Static)
        answers = getattr(self, "_answers", None)
        if answers is None:
            return
        width = widget.size.width or self.size.width
        weeks, today, shades = (
            heatmap_weeks(width),
            self.app.service.today(),
            self.app.heat_shades(),
        )
        shown = (id(answers), weeks, today, tuple(shades))
        if shown == getattr(self, "_heatmap_shown", None):
            return
        self._heatmap_shown = shown
        widget.update(heatmap_with_caption(heatmap(answers, today, weeks), shades))

    def action_review(self) -> None:
        self.app.pop_screen()
        self.app.start_review(None)
