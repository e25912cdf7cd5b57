"""The home dashboard: today's cards and plan, the streak and heatmap, the decks.

Every number is a way in: click (or press its key) to review, plan or see stats.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.events import Click, Resize
from textual.widgets import DataTable, Static
from textual.widgets._footer import FooterKey

from studyplan.core.stats import heatmap
from studyplan.core.text import visible
from studyplan.store.card_repo import DeckSummary
from studyplan.ui.base import NARROW, AppScreen
from studyplan.ui.charts import heatmap_weeks, heatmap_with_caption, streak_text
from studyplan.ui.footer import AppFooter
from studyplan.ui.lists import VimTable

ALL_DECKS = "all"


class WayIn(Static):
    """A panel that runs an action when clicked (the same one its key runs)."""

    def __init__(self, action: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.action_name = action

    async def on_click(self, event: Click) -> None:
        event.stop()
        # The screen is the default namespace (Widget.run_action would take it as a mapping).
        await self.app.run_action(self.action_name, self.screen)


class HeatmapPanel(WayIn):
    """The heatmap: redrawn to as many weeks as fit whenever its own width changes."""

    def on_resize(self, event: Resize) -> None:
        screen = self.screen
        if isinstance(screen, HomeScreen):
            screen.call_after_refresh(screen.show_heatmap)


class KeyedFooter(AppFooter):
    """The footer, each key marked with its action (``-app-settings``) so CSS can drop
    the ones a narrow terminal has no room for; the keys themselves still work."""

    def compose(self) -> ComposeResult:
        for widget in super().compose():
            if isinstance(widget, FooterKey):
                widget.add_class("-" + widget.action.replace(".", "-"))
            yield widget


class HomeScreen(AppScreen[None]):
    """Today at a glance: due cards, the plan, the streak, the decks."""

    _ready = False
    narrow = False

    BINDINGS = [
        Binding("r", "review_all", "Review", id="home.review_all"),
        Binding("enter", "review_selected", "Review deck", show=False, id="home.review"),
        Binding("b", "app.browse", "Browse", id="home.browse"),
        Binding("n", "more_new", "More new", show=False, id="home.more_new"),
        Binding("p", "app.plan", "Plan", id="home.plan"),
        Binding("t", "app.stats", "Stats", id="home.stats"),
        Binding("s", "app.settings", "Settings", id="home.settings"),
        Binding("l", "app.last_session", "Last session", show=False, id="home.last_session"),
        Binding("q", "app.quit", "Quit", id="home.quit"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="home"):
            yield Static(id="home-title")
            with Horizontal(id="home-panels"):
                with Vertical(id="home-left"):
                    yield WayIn("review_all", id="home-today")
                    yield WayIn("app.plan", id="home-plan")
                yield WayIn("app.stats", id="home-streak")
            yield HeatmapPanel("app.stats", id="home-heatmap")
            # Above the decks: a broken deck of the learner's is seen, not scrolled past.
            yield Static(id="home-problems")
            yield VimTable(id="decks", cursor_type="row", zebra_stripes=True)
            yield Static(id="home-empty")
        yield KeyedFooter()

    def on_mount(self) -> None:
        self._add_columns()
        self._ready = True
        # No refresh here: the ScreenResume that follows the push fills the panels,
        # and a home pushed under a review waits for the review to end.
        self.query_one("#decks", DataTable).focus()

    def _add_columns(self) -> None:
        """Deck, due, new, cards; a narrow terminal puts the counts first and cuts the name."""
        table = self.query_one("#decks", DataTable)
        table.clear(columns=True)
        self.narrow = self.app.size.width < NARROW
        # "Unseen": every card never answered; "new" is today's share of them (the panel).
        if self.narrow:
            table.add_column("Due", key="due")
            table.add_column("Unseen", key="new")
            table.add_column("Deck", key="deck")
        else:
            table.add_column("Deck", key="deck")
            table.add_column("Due", key="due")
            table.add_column("Unseen", key="new")
            table.add_column("Cards", key="cards")

    def on_resize(self) -> None:
        if self._ready and (self.app.size.width < NARROW) != self.narrow:
            self._add_columns()
            self.refresh_decks()

    def on_screen_resume(self) -> None:
        self.refresh_decks()

    @property
    def covered(self) -> bool:
        """True under another full screen (a modal leaves home in view)."""
        top = self.app.screen
        return top is not self and not top.is_modal

    def refresh_decks(self) -> None:
        """Read the counts again (after a review, an import, a new day)."""
        service = self.app.service
        if service is None or not self._ready or self.covered:
            return  # a review opened at start covers it: its ScreenResume refreshes it
        decks = service.deck_summaries()
        today_date = service.today()
        title = f"studyplan · {today_date:%A} {today_date.day} {today_date:%B %Y}"
        if service.clock().astimezone(service.zone).date() != today_date:
            title += f" (this study day runs until {service.settings.rollover_hour:02d}:00)"
        self.query_one("#home-title", Static).update(
            Text(title if self.app.synced else f"{title} · syncing decks…")
        )
        done_reviews, done_new = service.repo.done_today(today_date)
        settings = service.settings
        new_left = max(0, settings.new_per_day - done_new)
        reviews_left = max(0, settings.reviews_per_day - done_reviews)
        table = self.query_one("#decks", DataTable)
        cursor = table.cursor_row
        table.clear()
        empty = self.query_one("#home-empty", Static)
        if not decks:
            table.display = False
            empty.display = True
            empty.update(
                Text.from_markup(
                    "[b]No decks yet.[/b]\n\nAdd your own with [b]studyplan import PATH[/b] "
                    "(a markdown deck file or a folder of them); the format is in the README."
                )
            )
        else:
            table.display = True
            empty.display = False
            due = sum(d.due for d in decks)
            new = sum(d.new for d in decks)
            total = sum(d.total for d in decks)
            table.add_row(
                *self._row(Text("All decks", style="bold"), due, new, total), key=ALL_DECKS
            )
            for deck in decks:
                table.add_row(
                    *self._row(Text(deck.name), deck.due, deck.new, deck.total), key=str(deck.id)
                )
            table.move_cursor(row=min(cursor, table.row_count - 1))
        due_now = min(sum(d.due for d in decks), reviews_left)
        new_now = min(sum(d.new for d in decks), new_left)
        message = Text()
        if due_now or new_now:
            message = Text.assemble(
                "Today: ",
                (f"{due_now} due", "bold"),
                " and ",
                (f"{new_now} new", "bold"),
                " cards. Press ",
                ("r", "reverse bold"),
                " to review all decks, or ",
                ("enter", "reverse bold"),
                " on a deck.",
            )
        elif decks:
            message = Text("Nothing due today: you are all caught up.", style="bold")
        if decks and self.app.last_summary is not None:
            message.append_text(
                Text.assemble("\nPress ", ("l", "reverse bold"), " to see your last session again.")
            )
        self.query_one("#home-today", Static).update(message)
        self._show_plan()
        self._show_streak()
        self._show_problems()

    def _show_streak(self) -> None:
        if not self.app.synced:
            return  # the start-up worker is writing on the same connection
        progress = self.app.progress
        progress.note_today()
        streak = progress.streak()
        self._counts_by_day = streak.answers_by_day
        self.query_one("#home-streak", Static).update(streak_text(streak.summary, dim_today=True))
        self.show_heatmap()

    def show_heatmap(self) -> None:
        """Draw the heatmap at the panel's current width."""
        counts = getattr(self, "_counts_by_day", None)
        widget = self.query_one("#home-heatmap", Static)
        if counts is None or not widget.size.width:
            return
        today = self.app.service.today()
        map_ = heatmap(counts, today, heatmap_weeks(widget.size.width))
        widget.update(heatmap_with_caption(map_, self.app.heat_shades(), caption_below=False))

    def _show_plan(self) -> None:
        widget = self.query_one("#home-plan", Static)
        if not self.app.synced:
            return
        # Enrolled in no plan: say so without importing the plan modules.
        week = self.app.planner.week() if self.app.follows_a_plan() else None
        if week is None:
            widget.update(
                Text.assemble(
                    "No study plan yet: press ", ("p", "reverse bold"), " to choose a roadmap."
                )
            )
            return
        today = next(d for d in week.days if d.day == self.app.service.today())
        if not today.blocks:
            widget.update(Text("Plan: nothing left to study today.", style="dim"))
            return
        text = Text.assemble("Plan today: ", (f"{today.study} min", "bold"), " · ")
        text.append(" · ".join(f"{b.topic.title} ({b.minutes} min)" for b in today.blocks))
        text.append_text(Text.assemble("  — press ", ("p", "reverse bold"), " for the week"))
        widget.update(text)

    def _show_problems(self) -> None:
        problems = self.app.sync_errors
        widget = self.query_one("#home-problems", Static)
        widget.display = bool(problems)
        if problems:
            text = Text("Some deck files were not imported:\n", style="bold")
            for line in problems[:8]:
                text.append(f"  {visible(line)}\n", style="")
            if len(problems) > 8:
                text.append(f"  ... and {len(problems) - 8} more (run: studyplan decks check)\n")
            widget.update(text)

    def _row(self, name: Text, due: int, new: int, total: int) -> tuple[Text, ...]:
        """One table row in the order of the current columns."""
        counts = (
            Text(str(due), style="bold" if due else "dim", justify="right"),
            Text(str(new), style="" if new else "dim", justify="right"),
        )
        if self.narrow:
            return (*counts, name)
        return (name, *counts, Text(str(total), style="dim", justify="right"))

    def _selected_deck(self) -> DeckSummary | None:
        table = self.query_one("#decks", DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        if key == ALL_DECKS:
            return None
        return next((d for d in self.app.service.deck_summaries() if str(d.id) == key), None)

    def action_review_all(self) -> None:
        self.app.start_review(None)

    def action_more_new(self) -> None:
        """Raise today's new-card limit for the selected deck (or all), once."""
        self.app.more_new_cards(self._selected_deck())
        self.refresh_decks()

    def action_review_selected(self) -> None:
        self.app.start_review(self._selected_deck())

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_review_selected()
