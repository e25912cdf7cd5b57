"""The stats screen: streak, a year of reviews, the coming month, retention per deck, and
memory: predicted against measured retention, which model fits, what switching would cost.

The memory sections walk the whole review log, so they are worked out in a worker
while the rest of the screen is already shown.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.events import Resize
from textual.widgets import DataTable, Static
from textual.worker import Worker, WorkerState, get_current_worker

from studyplan.core.stats import heatmap
from studyplan.progress import Progress, Statistics
from studyplan.ui.base import AppScreen
from studyplan.ui.charts import (
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


class _Left(Exception):
    """The stats screen was closed while its worker still walked the review log."""


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
        with VerticalScroll(id="stats"):
            yield Static(Text("Streak", style="bold"), classes="section-title")
            yield Static(id="stats-streak")
            yield Static(Text("Reviews in the last year", style="bold"), classes="section-title")
            yield Static(id="stats-heatmap")
            yield Static(Text("Due in the next 30 days", style="bold"), classes="section-title")
            yield Static(id="stats-forecast")
            yield Static(id="stats-calendar")
            yield Static(
                Text("Retention (answers graded 3 or more)", style="bold"),
                classes="section-title",
            )
            yield DataTable(id="stats-retention", cursor_type="none", zebra_stripes=True)
            yield Static(Text("Memory", style="bold"), classes="section-title")
            yield Static(Text("Reading your review log…", style="dim"), id="stats-memory")
            yield Static(Text("Which model fits you", style="bold"), classes="section-title")
            yield Static(
                Text("Comparing SM-2 and FSRS on your own answers…", style="dim"),
                id="stats-models",
            )
            yield Static(id="stats-calibration")
            yield Static(Text("What switching would cost", style="bold"), classes="section-title")
            yield Static(
                Text("Simulating the next year under each scheduler…", style="dim"),
                id="stats-cost",
            )
        yield AppFooter()

    def on_mount(self) -> None:
        table = self.query_one("#stats-retention", DataTable)
        table.add_column("Deck", key="deck")
        table.add_column("Last 7 days", key="week")
        table.add_column("Last 30 days", key="month")
        self.query_one("#stats-streak", Static).update(
            Text("Counting your reviews…", style="dim italic")
        )
        self.run_worker(self._compute, thread=True, name="stats", exit_on_error=False)
        self.query_one("#stats-calibration", Static).display = False
        self.run_worker(self._memory, thread=True, name="models", exit_on_error=False)

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
            self.show(event.worker.result)
        elif event.state is WorkerState.ERROR:
            self.query_one("#stats-streak", Static).update(
                Text(f"The statistics could not be read: {event.worker.error}")
            )

    def _memory(self) -> None:
        """In a worker: the three memory sections, each shown as soon as it is ready."""
        other = self.app.service.another()  # a connection of its own, off the UI thread
        try:
            progress = Progress(other)
            self.app.call_from_thread(self._show_memory, progress.memory_today())
            # The cost first: it is quick, and the comparison walks the whole review log.
            self.app.call_from_thread(self._show_cost, progress.switching_cost())
            worker = get_current_worker()

            def on_part(so_far) -> None:
                if worker.is_cancelled:  # the learner left: stop walking the log
                    raise _Left
                self.app.call_from_thread(self._show_comparing, so_far)

            try:
                comparison = progress.model_comparison(on_part=on_part)
            except _Left:
                return
            self.app.call_from_thread(self._show_models, comparison)
        finally:
            other.close()

    def _show_memory(self, memory) -> None:
        if not self.is_attached:  # the learner left before the worker finished
            return
        from studyplan.ui.memory_charts import memory_text

        self.query_one("#stats-memory", Static).update(memory_text(memory))

    def _show_comparing(self, so_far) -> None:
        """The verdict on the answers read so far, while the rest of the log is read."""
        if not self.is_attached:
            return
        from studyplan.core.memory_models import NotEnoughHistory
        from studyplan.ui.memory_charts import model_table

        reading = Text(
            f"Comparing SM-2 and FSRS on your own answers… {so_far.answers:,} so far", style="dim"
        )
        shown = reading if isinstance(so_far, NotEnoughHistory) else model_table(so_far, reading)
        self.query_one("#stats-models", Static).update(shown)

    def _show_models(self, result) -> None:
        if not self.is_attached:  # the learner left before the worker finished
            return
        from studyplan.core.memory_models import NotEnoughHistory
        from studyplan.ui.memory_charts import calibration_table, model_table

        self.query_one("#stats-models", Static).update(model_table(result))
        calibration = self.query_one("#stats-calibration", Static)
        if not isinstance(result, NotEnoughHistory):
            calibration.display = True
            calibration.update(calibration_table(result))

    def _show_cost(self, workloads) -> None:
        if not self.is_attached:  # the learner left before the worker finished
            return
        from rich.console import Group

        from studyplan.ui.memory_charts import scheduler_label, workload_chart, workload_rich_table

        settings = self.app.service.settings
        now = scheduler_label(settings.scheduler, settings.desired_retention)
        self.query_one("#stats-cost", Static).update(
            Group(
                workload_rich_table(workloads, now),
                workload_chart(workloads),
                Text("Switch in Settings (s) or with `studyplan config scheduler`.", style="dim"),
            )
        )

    def show(self, stats: Statistics) -> None:
        """Fill every section from ``stats``."""
        summary = stats.streak.summary
        text = streak_text(summary)
        if summary.bridged_days_in_current:
            text.append(
                "\nBridged days are rest weekdays of your plan or days covered by a freeze;"
                " they keep the streak going without adding to it.",
                style="dim",
            )
        self.query_one("#stats-streak", Static).update(text)
        self._answers = stats.streak.answers_by_day
        self.show_heatmap()
        forecast = forecast_text(stats.forecast)
        if any(day.reviews for day in stats.forecast):
            forecast.append("\n" + forecast_summary(stats.forecast))
            forecast.append(f"\n{seconds_note(stats.seconds_per_card)}", style="dim")
        self.query_one("#stats-forecast", Static).update(forecast)
        calendar = self.query_one("#stats-calendar", Static)
        calendar.display = any(day.reviews for day in stats.forecast)
        calendar.update(forecast_calendar(stats.forecast))
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
        self.call_after_refresh(self.show_heatmap)

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
