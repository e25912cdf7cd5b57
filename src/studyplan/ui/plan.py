"""The plan screen: this week (or any week) day by day, marking study done."""

from __future__ import annotations

from datetime import date, timedelta

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Footer, Static

from studyplan.core.plan.describe import short_title, standing_line
from studyplan.core.plan.schedule import Block, DayPlan, WeekPlan
from studyplan.planning import Planner
from studyplan.store.plan_repo import BlockRecord
from studyplan.ui.base import AppScreen
from studyplan.ui.home import NARROW  # below this the week leaves out the plan column


class PlanScreen(AppScreen[None]):
    """A week of study blocks, today marked."""

    WEEKS = Binding.Group("Weeks", compact=True)  # one short footer entry for 80 columns
    BINDINGS = [
        Binding("left,[", "week(-1)", "Previous week", id="plan.previous", group=WEEKS),
        Binding("right,]", "week(1)", "Next week", id="plan.next", group=WEEKS),
        Binding("full_stop,t", "this_week", "This week", id="plan.this_week", group=WEEKS),
        Binding("d,space", "done", "Block done", id="plan.done"),
        Binding("f", "finish_topic", "Topic finished", id="plan.finish_topic"),
        Binding("u", "undo", "Undo", id="plan.undo"),
        Binding("e", "enrol", "Enrol", id="plan.enrol"),
        Binding("escape,q", "app.pop_screen", "Back", id="plan.back"),
    ]

    def __init__(self, planner: Planner) -> None:
        super().__init__()
        self.planner = planner
        self.monday: date | None = None
        self.week: WeekPlan | None = None
        self.rows: dict[str, tuple[date, Block]] = {}
        self.undo_stack: list[tuple[str, BlockRecord | tuple[str, str]]] = []
        self.narrow = False
        self.shown_monday: date | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="plan"):
            yield Static(id="plan-title")
            yield Static(id="plan-standing")
            yield DataTable(id="plan-week", cursor_type="row", zebra_stripes=False)
            yield Static(id="plan-empty")
        yield Footer(show_command_palette=False)  # ctrl+p still opens it; the keys need the room

    def on_mount(self) -> None:
        self._add_columns()
        self.show_week()

    def _add_columns(self) -> None:
        """The week's columns; a narrow terminal drops the plan's name to keep the topic."""
        table = self.query_one(DataTable)
        table.clear(columns=True)
        self.narrow = self.app.size.width < NARROW
        table.add_column("Day", key="day", width=6 if self.narrow else 11)
        table.add_column("Min", key="min", width=4)
        if not self.narrow:
            table.add_column("Plan", key="plan", width=14)
        table.add_column("Topic", key="topic")

    def on_resize(self) -> None:
        if (self.app.size.width < NARROW) != self.narrow:
            self._add_columns()
            self.show_week()

    def on_screen_resume(self) -> None:
        self.show_week()

    def show_week(self) -> None:
        """Rebuild the week from the database (after a change, or another week)."""
        today = self.planner.studyplan.today()
        self.week = self.planner.week(self.monday or today)
        table = self.query_one(DataTable)
        empty = self.query_one("#plan-empty", Static)
        cursor = table.cursor_row
        table.clear()
        self.rows.clear()
        if self.week is None:
            table.display = False
            empty.display = True
            empty.update(
                Text.assemble(
                    ("You are not following a study plan yet.\n\n", "bold"),
                    "Press ",
                    (" e ", "reverse bold"),
                    " to choose the 3-month or the multi-year roadmap, "
                    "say when you can study, and get this week's plan.",
                )
            )
            self.query_one("#plan-title", Static).update(Text("Study plan", style="bold"))
            self.query_one("#plan-standing", Static).update("")
            return
        table.display = True
        empty.display = False
        self.monday = self.week.monday
        sunday = self.week.monday + timedelta(days=6)
        when = "this week" if self.week.monday <= today <= sunday else ""
        self.query_one("#plan-title", Static).update(
            Text.assemble(
                ("Week of ", "bold"), (f"{self.week.monday:%a %d %b %Y}", "bold"), f"  {when}"
            )
        )
        self.query_one("#plan-standing", Static).update(self._standing_text())
        for day_plan in self.week.days:
            label = Text(
                f"{day_plan.day:%a %d}" if self.narrow else f"{day_plan.day:%a %d %b}",
                style="bold reverse" if day_plan.day == today else "bold",
            )
            for n, (plan, topic, minutes, key) in enumerate(self._day_rows(day_plan)):
                cells = [label if n == 0 else "", Text(minutes, justify="right"), plan, topic]
                if self.narrow:
                    del cells[2]
                table.add_row(*cells, key=key)
        if self.week.monday != self.shown_monday:  # a new week: start on its next block
            self.shown_monday = self.week.monday
            ahead = [key for key, (day, _) in self.rows.items() if day >= today]
            first = ahead or list(self.rows)
            cursor = table.get_row_index(first[0]) if first else 0
        table.move_cursor(row=min(cursor, table.row_count - 1))

    def _day_rows(self, day_plan: DayPlan) -> list[tuple[str, Text, str, str | None]]:
        """(plan, topic, minutes, row key) for each row of one day."""
        if day_plan.available == 0:
            return [("", Text("rest day", style="dim"), "", None)]
        if day_plan.past and not day_plan.blocks:
            return [("", Text("past", style="dim"), "", None)]
        rows: list[tuple[str, Text, str, str | None]] = []
        if day_plan.review:
            rows.append(("", Text("Flashcard review", style="italic"), str(day_plan.review), None))
        for index, block in enumerate(day_plan.blocks):
            topic = Text(block.topic.title)
            if not block.finishes:
                topic.append("  (continues)", style="dim")
            if block.carried:
                topic.append("  (carried)", style="yellow")
            key = f"{day_plan.day.isoformat()}/{index}"
            self.rows[key] = (day_plan.day, block)
            rows.append(
                (
                    short_title(self.planner.plans[block.plan_id].title),
                    topic,
                    str(block.minutes),
                    key,
                )
            )
        if not day_plan.blocks and not day_plan.review:
            rows.append(("", Text("nothing left", style="dim"), "", None))
        return rows

    def _standing_text(self) -> Text:
        return Text("\n".join(standing_line(plan, st) for plan, st in self.planner.standings()))

    def _selected(self) -> tuple[date, Block] | None:
        table = self.query_one(DataTable)
        if not table.row_count or not table.display:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return self.rows.get(key or "")

    def action_week(self, step: int) -> None:
        if self.monday is not None:
            self.monday += timedelta(weeks=step)
            self.show_week()

    def action_this_week(self) -> None:
        self.monday = None
        self.show_week()

    def action_done(self) -> None:
        selected = self._selected()
        if selected is None:
            self.notify("Move to a study block first.", timeout=2)
            return
        day, block = selected
        if day != self.planner.studyplan.today():
            self.notify(
                "Only today's blocks can be marked done; press f to mark a whole topic finished."
            )
            return
        record = self.planner.record_block(block)
        self.undo_stack.append(("block", record))
        self.notify(f"Done: {block.minutes} min of {block.topic.title}.", timeout=3)
        self.show_week()

    def action_finish_topic(self) -> None:
        selected = self._selected()
        if selected is None:
            self.notify("Move to a study block first.", timeout=2)
            return
        _, block = selected
        self.planner.set_topic_done(block.plan_id, block.topic.id, True)
        self.undo_stack.append(("topic", (block.plan_id, block.topic.id)))
        self.notify(f"Finished: {block.topic.title}.", timeout=3)
        self.show_week()

    def action_undo(self) -> None:
        if not self.undo_stack:
            self.notify("Nothing to undo here.", timeout=2)
            return
        kind, what = self.undo_stack.pop()
        if kind == "block":
            assert isinstance(what, BlockRecord)
            self.planner.undo_block(what)
        else:
            plan_id, topic_id = what  # type: ignore[misc]
            self.planner.set_topic_done(plan_id, topic_id, False)
        self.notify("Undone.", timeout=2)
        self.show_week()

    def action_enrol(self) -> None:
        from studyplan.ui.enrol import EnrolScreen

        def enrolled(result: str | None) -> None:
            if result:
                self.monday = None
                self.show_week()

        self.app.push_screen(EnrolScreen(self.planner), enrolled)
