"""The whole roadmap at a glance: phases on a timeline, where the learner is, the finish."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from studyplan.core.plan.overview import build_overview, overview_lines
from studyplan.planning import PlanInputError, Planner
from studyplan.ui.base import AppScreen
from studyplan.ui.footer import AppFooter


class OverviewScreen(AppScreen[None]):
    """Every followed plan's overview, scrolled with the arrow and page keys."""

    BINDINGS = [
        Binding("p", "pace", "Use my pace", id="overview.pace"),
        Binding("escape,q,v", "app.pop_screen", "Back", id="overview.back"),
    ]

    def __init__(self, planner: Planner) -> None:
        super().__init__()
        self.planner = planner

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="overview"):
            yield Static(id="overview-text")
        yield AppFooter(show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one("#overview").focus()
        self.show()

    def on_resize(self) -> None:
        self.show()

    def show(self) -> None:
        planner = self.planner
        inputs = planner.inputs()
        cards = planner.repo.cards_by_tag()
        standings = {plan.id: st for plan, st in planner.standings(inputs)}
        # The screen's padding (2 a side, 1 when short) and the scroll bar (2) are not the text's.
        padding = 2 if self.app.size.height < 20 else 4
        width = self.app.size.width - padding - 2
        blocks = []
        for course in inputs.courses:
            overview = build_overview(
                course, standings[course.plan.id], inputs.today, inputs.off_days, cards
            )
            blocks.append("\n".join(overview_lines(overview, width)))
        text = "\n\n".join(blocks) or "You are not following a plan."
        self.query_one("#overview-text", Static).update(Text(text))

    def action_pace(self) -> None:
        courses = self.planner.courses()
        if not courses:
            return
        on = not courses[0].enrolment.use_pace
        try:
            for course in courses:
                self.planner.choices.use_pace(on, course.plan.id)
        except PlanInputError as err:
            self.notify(str(err), severity="warning")
            return
        self.notify(
            "What is left is now re-estimated at your pace."
            if on
            else "What is left is estimated as the plan says again.",
            timeout=4,
        )
        self.show()
