"""The plan screen: a week day by day, what was done next to what was planned, and the
ways to act on it: mark done, time a block, take time off, catch up, leave.

Thin: every figure and every change comes from ``Planner``.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Static
from textual.widgets._footer import FooterKey

from studyplan.core.plan.catchup import CatchUp
from studyplan.core.plan.describe import (
    catch_up_line,
    minutes_cell,
    row_text,
    short_title,
    standing_line,
    topic_notes,
)
from studyplan.core.plan.weekview import Row
from studyplan.plan_time_off import ReturnLoad
from studyplan.planning import PlanInputError, Planner
from studyplan.store.plan_repo import BlockRecord
from studyplan.ui.base import NARROW, AppScreen  # narrower: the week leaves out the plan column
from studyplan.ui.footer import AppFooter
from studyplan.ui.lists import VimTable

UndoItem = tuple[str, object]
FULL_FOOTER = 80
"""Below this many columns the footer keeps only the keys a learner needs most."""


class PlanFooter(AppFooter):
    """The footer, each key marked with its action (``-stop_timer``) so CSS can drop the
    ones a smaller terminal has no room for; every key still works and f1 lists them."""

    def compose(self) -> ComposeResult:
        for widget in super().compose():
            if isinstance(widget, FooterKey):
                widget.add_class("-" + re.sub(r"[^a-z_]", "", widget.action))
            yield widget


class PlanScreen(AppScreen[None]):
    """A week of study blocks, today marked."""

    BINDINGS = [
        Binding("left,[", "week(-1)", "Weeks", id="plan.previous", key_display="[ ]"),
        Binding("right,]", "week(1)", "Next week", id="plan.next", show=False),
        Binding("full_stop,t", "this_week", "This week", id="plan.this_week", show=False),
        Binding("d", "done", "Done", id="plan.done", tooltip="Mark today's block done"),
        Binding("s", "timer", "Timer", id="plan.timer", tooltip="Start or pause a study timer"),
        Binding("x", "stop_timer", "Stop timer", id="plan.timer_stop", show=False),
        Binding("f", "finish_topic", "Topic finished", id="plan.finish_topic", show=False),
        Binding("u", "undo", "Undo", id="plan.undo", show=False),
        Binding("o", "time_off", "Time off", id="plan.time_off"),
        Binding("v", "overview", "Overview", id="plan.overview"),
        Binding("K", "keep", "Keep target date", id="plan.keep", show=False),
        Binding("M", "move", "Move target date", id="plan.move", show=False),
        Binding("w", "spread", "Spread reviews after time off", id="plan.spread", show=False),
        Binding("e", "enrol", "Enrol", id="plan.enrol"),
        Binding("l", "leave", "Leave plan", id="plan.leave", show=False),
        Binding("escape,q", "app.pop_screen", "Back", id="plan.back"),
    ]

    def __init__(self, planner: Planner) -> None:
        super().__init__()
        self.planner = planner
        self.monday: date | None = None
        self.rows: dict[str, tuple[date, Row]] = {}
        self.undo_stack: list[UndoItem] = []
        self.narrow = False
        self.several = False
        self.shown_monday: date | None = None
        self.catching_up: list[CatchUp] = []
        self.returning: ReturnLoad | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="plan"):
            yield Static(id="plan-title")
            yield Static(id="plan-standing")
            yield Static(id="plan-timer")
            yield VimTable(id="plan-week", cursor_type="row", zebra_stripes=False)
            yield Static(id="plan-detail")
            yield Static(id="plan-empty")
        yield PlanFooter(show_command_palette=False)  # ctrl+p still opens it; keys need the room

    def on_mount(self) -> None:
        self.set_class(self.app.size.width < FULL_FOOTER, "-compact-footer")
        self._add_columns()
        self.show_week()
        self.set_interval(1, self._show_timer)
        # Days that passed move the plan too: bring the calendar file up to date once a
        # session, after the week is on screen.
        if self.planner.studyplan.settings.calendar_file and not self.planner.calendar_fresh:
            self.call_after_refresh(self._refresh_calendar)

    def _refresh_calendar(self) -> None:
        self.planner.calendar_fresh = True
        self.planner.changed()
        self._show_notices()

    def _add_columns(self) -> None:
        """The week's columns; the topic gets whatever room is left, and wraps."""
        table = self.query_one(DataTable)
        table.clear(columns=True)
        self.narrow = self.app.size.width < NARROW
        day_width = 6 if self.narrow else 10
        min_width = 6 if self.narrow else 7
        plan_width = 0 if self.narrow or not self.several else 12
        widths = day_width + min_width + plan_width
        columns = 3 + (1 if plan_width else 0)
        padding = 2 if self.app.size.height < 20 else 4  # the screen's own, see app.tcss
        # Each column has one cell of padding either side; the scroll bar takes two more.
        topic = max(12, self.app.size.width - padding - widths - 2 * columns - 2)
        table.add_column("Day", key="day", width=day_width)
        table.add_column("Min", key="min", width=min_width)
        if plan_width:
            table.add_column("Plan", key="plan", width=plan_width)
        table.add_column("Topic", key="topic", width=topic)

    def on_resize(self) -> None:
        self.set_class(self.app.size.width < FULL_FOOTER, "-compact-footer")
        self._add_columns()
        self.shown_monday = None
        self.show_week()

    def on_screen_resume(self) -> None:
        self.show_week()

    # -- showing --------------------------------------------------------------------

    def show_week(self) -> None:
        """Rebuild the week from the database (after a change, or another week)."""
        planner = self.planner
        inputs = planner.inputs()
        today = inputs.today
        table = self.query_one(DataTable)
        empty = self.query_one("#plan-empty", Static)
        self._show_notices()
        week = planner.week(self.monday or today, inputs)
        if (len(inputs.courses) > 1) != self.several:
            self.several = len(inputs.courses) > 1
            self._add_columns()
        cursor = table.cursor_row
        table.clear()
        self.rows.clear()
        self._show_timer()
        if week is None:
            self._show_empty()
            return
        table.display = True
        empty.display = False
        self.monday = week.monday
        sunday = week.monday + timedelta(days=6)
        when = "this week" if week.monday <= today <= sunday else ""
        self.query_one("#plan-title", Static).update(
            Text.assemble(("Week of ", "bold"), (f"{week.monday:%a %d %b %Y}", "bold"), f"  {when}")
        )
        self.catching_up = planner.choices.catch_ups(inputs)
        self.returning = planner.time_off.on_return(today)
        self.query_one("#plan-standing", Static).update(self._standing_text(inputs))
        for day, day_rows in planner.week_rows(week, inputs):
            label = Text(
                f"{day:%a %d}" if self.narrow else f"{day:%a %d %b}",
                style="bold reverse" if day == today else "bold",
            )
            for n, row in enumerate(day_rows):
                key = f"{day.isoformat()}/{n}"
                self.rows[key] = (day, row)
                table.add_row(
                    *self._cells(label if n == 0 else "", day, row, today), key=key, height=None
                )
        if week.monday != self.shown_monday:  # a new week: start on today's first block
            self.shown_monday = week.monday
            keys = list(self.rows)
            ahead = [k for k in keys if self.rows[k][0] >= today and self.rows[k][1].block]
            first = ahead or [k for k in keys if self.rows[k][0] >= today] or keys
            cursor = table.get_row_index(first[0]) if first else 0
        table.move_cursor(row=min(cursor, table.row_count - 1))
        self._show_detail()
        self.refresh_bindings()

    def _cells(self, label: Text | str, day: date, row: Row, today: date) -> list[Text | str]:
        past = day < today
        topic = Text(row_text(row))
        if row.kind in ("rest", "off", "empty"):
            topic.stylize("dim")
        elif row.kind == "review":
            topic.stylize("italic")
        elif row.done is not None:
            topic = Text.assemble(("✓ ", "green"), topic)
        elif past:
            topic.stylize("dim")
        if row.block is not None and row.block.carried and row.done is None:
            topic.highlight_words(["(carried)"], "yellow")
        minutes = Text(minutes_cell(row, past), justify="right")
        if row.done is not None:
            minutes.stylize("green")
        elif past:
            minutes.stylize("dim")
        plan = ""
        if row.plan_id:
            plan = self.planner.plans[row.plan_id].id
        cells: list[Text | str] = [label, minutes, plan, topic]
        if self.narrow or not self.several:
            del cells[2]
        return cells

    def _show_empty(self) -> None:
        table = self.query_one(DataTable)
        empty = self.query_one("#plan-empty", Static)
        table.display = False
        empty.display = True
        text = Text.assemble(
            ("You are not following a study plan yet.\n\n", "bold"),
            "Press ",
            (" e ", "reverse bold"),
            " to choose a roadmap, say when you can study, and get this week's plan.",
        )
        for unusable in self.planner.unusable():
            text.append(
                f"\n\nYour enrolment in {unusable.plan_id!r} cannot be used ({unusable.reason}): "
                "press "
            )
            text.append(" l ", "reverse bold")
            text.append(" to leave it.")
        empty.update(text)
        self.query_one("#plan-title", Static).update(Text("Study plan", style="bold"))
        self.query_one("#plan-standing", Static).update("")
        self.query_one("#plan-detail", Static).update("")
        self.catching_up, self.returning = [], None
        self.refresh_bindings()

    def _standing_text(self, inputs) -> Text:
        planner = self.planner
        lines = [standing_line(plan, st) for plan, st in planner.standings(inputs)]
        text = Text("\n".join(lines))
        for cu in self.catching_up:
            text.append("\n")
            text.append(catch_up_line(planner.plans[cu.plan_id], cu, keys=True), "bold yellow")
        if self.returning is not None:
            from studyplan.plan_time_off import return_sentence

            text.append("\n")
            text.append(return_sentence(self.returning, keys=bool(self.returning.due)), "cyan")
        return text

    def _show_timer(self) -> None:
        widget = self.query_one("#plan-timer", Static)
        timer = self.planner.timer()
        widget.display = timer is not None
        if timer is None:
            return
        topic = self.planner.timer_topic(timer)
        name = topic.title if topic else timer.topic_id
        state = "running" if timer.running else "paused"
        widget.update(
            Text.assemble(
                ("⏱ ", "bold"),
                (timer.clock(self.planner.studyplan.clock()), "bold"),
                f" {name} ({state}: s {'pauses' if timer.running else 'goes on'}, x stops and logs)",
            )
        )

    def _show_notices(self) -> None:
        for notice in self.planner.take_notices():
            self.notify(notice, severity="warning", timeout=10)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_detail()

    def _show_detail(self) -> None:
        """The highlighted topic: its estimate, time so far, deliverables and resources."""
        widget = self.query_one("#plan-detail", Static)
        selected = self._selected_row()
        if selected is None or selected[1].topic is None:
            widget.update("")
            return
        _, row = selected
        topic = row.topic
        assert topic is not None
        spent = self.planner.repo.progress(row.plan_id, self.planner.studyplan.today()).spent(
            topic.id
        )
        plan = self.planner.plans[row.plan_id]
        head = (
            f"{topic.title} · {short_title(plan.title)} · {spent / 60:.1f} of {topic.hours:.1f} h"
        )
        if topic.tags:
            head += " · cards: " + ", ".join(topic.tags)
        widget.update(Text("\n".join([head, *topic_notes(topic)]), style="dim"))

    # -- what is selected ---------------------------------------------------------

    def _selected_row(self) -> tuple[date, Row] | None:
        table = self.query_one(DataTable)
        if not table.row_count or not table.display:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return self.rows.get(key or "")

    def _selected_topic(self) -> tuple[date, Row] | None:
        selected = self._selected_row()
        if selected is None or selected[1].topic is None:
            self.notify("Move to a study block first.", timeout=2)
            return None
        return selected

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("keep", "move"):
            return bool(self.catching_up) or None
        if action == "spread":
            return bool(self.returning and self.returning.due) or None
        if action == "stop_timer":
            return self.planner.timer() is not None or None
        return True

    # -- actions ------------------------------------------------------------------

    def action_week(self, step: int) -> None:
        if self.monday is not None:
            target = self.monday + timedelta(weeks=step)
            from studyplan.core.plan.dates import in_range

            if not in_range(target) or not in_range(target + timedelta(days=6)):
                self.notify("That week is out of the range plans can show.", timeout=3)
                return
            self.monday = target
            self.show_week()

    def action_this_week(self) -> None:
        self.monday = None
        self.show_week()

    def action_done(self) -> None:
        selected = self._selected_topic()
        if selected is None:
            return
        day, row = selected
        if row.block is None:
            self.notify("That is already recorded; u undoes it.", timeout=3)
            return
        if day != self.planner.studyplan.today():
            self.notify(
                "Only today's blocks can be marked done; log another day's time with "
                "studyplan plan log, or press f to mark a whole topic finished."
            )
            return
        record = self.planner.record_block(row.block)
        self.undo_stack.append(("block", record))
        self.notify(f"Done: {row.block.minutes} min of {row.block.topic.title}.", timeout=3)
        self.show_week()

    def action_finish_topic(self) -> None:
        selected = self._selected_topic()
        if selected is None:
            return
        _, row = selected
        assert row.topic is not None
        self.planner.set_topic_done(row.plan_id, row.topic.id, True)
        self.undo_stack.append(("topic", (row.plan_id, row.topic.id)))
        self.notify(f"Finished: {row.topic.title}.", timeout=3)
        self.show_week()

    def action_timer(self) -> None:
        timer = self.planner.timer()
        if timer is not None:
            plan_id, topic_id = timer.plan_id, timer.topic_id
        else:
            selected = self._selected_topic()
            if selected is None:
                return
            _, row = selected
            assert row.topic is not None
            plan_id, topic_id = row.plan_id, row.topic.id
        try:
            timer = self.planner.start_timer(plan_id, topic_id)
        except PlanInputError as err:
            self.notify(str(err), severity="warning")
            return
        self._show_timer()
        self.refresh_bindings()

    def action_stop_timer(self) -> None:
        stopped = self.planner.stop_timer()
        if stopped is None:
            self.notify("No timer is running.", timeout=2)
            return
        timer, record = stopped
        if record is None:
            self.notify("Under half a minute: nothing logged.", timeout=3)
        else:
            self.undo_stack.append(("block", record))
            topic = self.planner.timer_topic(timer)
            name = topic.title if topic else timer.topic_id
            message = f"Logged {record.minutes} min of {name}."
            if topic is not None:
                spent = self.planner.repo.progress(
                    record.plan_id, self.planner.studyplan.today()
                ).spent(topic.id)
                if spent >= topic.minutes:
                    message += " It is past its estimate: press f when it is finished."
            self.notify(message, timeout=5)
        self.show_week()

    def action_keep(self) -> None:
        self._choose("keep")

    def action_move(self) -> None:
        self._choose("move")

    def _choose(self, kind: str) -> None:
        if not self.catching_up:
            return
        plan_id = self._plan_for_choice()
        try:
            if kind == "keep":
                found, week = self.planner.choices.keep(plan_id)
                message = f"Kept the target {found.target:%d %b %Y}: {sum(week)} min a week."
            else:
                _, moved = self.planner.choices.move(plan_id)
                message = f"Moved the target to {moved:%d %b %Y}."
        except PlanInputError as err:
            self.notify(str(err), severity="warning")
            return
        self.undo_stack.append(("choice", plan_id))
        self.notify(message + " u undoes it.", timeout=5)
        self.show_week()

    def _plan_for_choice(self) -> str:
        ids = [cu.plan_id for cu in self.catching_up]
        selected = self._selected_row()
        if selected is not None and selected[1].plan_id in ids:
            return selected[1].plan_id
        return ids[0]

    def action_spread(self) -> None:
        try:
            batch, moved, waiting = self.planner.time_off.spread(5)
        except PlanInputError as err:
            self.notify(str(err), severity="warning")
            return
        self.undo_stack.append(("spread", batch))
        self.notify(
            f"Spread {waiting.due} cards over 5 days from {waiting.back:%a %d %b} "
            f"({moved} moved); u undoes it.",
            timeout=5,
        )
        self.show_week()

    def action_undo(self) -> None:
        if not self.undo_stack:
            self.notify("Nothing to undo here.", timeout=2)
            return
        kind, what = self.undo_stack.pop()
        planner = self.planner
        if kind == "block":
            assert isinstance(what, BlockRecord)
            planner.undo_block(what)
        elif kind == "topic":
            assert isinstance(what, tuple)
            planner.set_topic_done(str(what[0]), str(what[1]), False)
        elif kind == "choice":
            planner.choices.undo(what)  # type: ignore[arg-type]
        elif kind == "spread":
            planner.time_off.unspread(what)  # type: ignore[arg-type]
        elif kind == "off-added":
            planner.time_off.remove(what.first)  # type: ignore[attr-defined]
        elif kind == "off-removed":
            planner.time_off.restore(what)  # type: ignore[arg-type]
        self.notify("Undone.", timeout=2)
        self.show_week()

    def action_enrol(self) -> None:
        from studyplan.ui.enrol import EnrolScreen

        selected = self._selected_row()
        plan_id = selected[1].plan_id if selected and selected[1].plan_id else None

        def enrolled(result: str | None) -> None:
            if result:
                self.monday = None
                self.shown_monday = None
                self.show_week()

        self.app.push_screen(EnrolScreen(self.planner, plan_id), enrolled)

    def action_time_off(self) -> None:
        from studyplan.ui.timeoff import TimeOffScreen

        def closed(changes: list[UndoItem] | None) -> None:
            self.undo_stack.extend(changes or [])
            self.show_week()

        self.app.push_screen(TimeOffScreen(self.planner), closed)

    def action_overview(self) -> None:
        if not self.planner.courses():
            self.notify("Enrol in a plan first (e).", timeout=3)
            return
        from studyplan.ui.overview import OverviewScreen

        self.app.push_screen(OverviewScreen(self.planner))

    def action_leave(self) -> None:
        from studyplan.ui.confirm import ConfirmScreen

        selected = self._selected_row()
        followed = self.planner.repo.followed()
        if not followed:
            self.notify("You are not following a plan.", timeout=3)
            return
        plan_id = selected[1].plan_id if selected and selected[1].plan_id else followed[0]
        if len(followed) > 1 and not (selected and selected[1].plan_id):
            self.notify("Move to a block of the plan you want to leave.", timeout=3)
            return
        plan = self.planner.plans.get(plan_id)
        title = plan.title if plan else plan_id

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            try:
                self.planner.leave(plan_id)
            except PlanInputError as err:
                self.notify(str(err), severity="warning")
                return
            self.notify(f"You left {title}; enrolling again brings your progress back.")
            self.monday = None
            self.shown_monday = None
            self.show_week()

        self.app.push_screen(
            ConfirmScreen(
                f"Leave {title}?",
                "Your progress is kept: enrolling again brings it back.",
                "Leave",
            ),
            answered,
        )
