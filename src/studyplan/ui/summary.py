"""The end of a review session: what was done, in numbers."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from studyplan.core.sm2 import GRADE_MEANINGS
from studyplan.review import Summary
from studyplan.ui.base import AppScreen
from studyplan.ui.footer import AppFooter


def _duration(seconds: float) -> str:
    minutes, secs = divmod(round(seconds), 60)
    return f"{minutes} min {secs:02d} s" if minutes else f"{secs} s"


class SummaryScreen(AppScreen[None]):
    """Cards, time and the spread of grades for the session just ended."""

    BINDINGS = [
        # Not space: it is the key that shows answers, and the last card's space would
        # close this screen before it was read.
        Binding("enter,escape", "home", "Back to decks", id="summary.home"),
        # Named in the headline when nothing was due, and in the keys panel (f1).
        Binding("n", "more_new", "More new cards", show=False, id="summary.more_new"),
        Binding("a", "ahead", "Practise ahead", show=False, id="summary.ahead"),
        Binding("b", "browse", "Browse", show=False, id="summary.browse"),
        Binding("q", "app.quit", "Quit", id="summary.quit"),
    ]

    def __init__(self, summary: Summary, finished: bool) -> None:
        super().__init__()
        self.summary = summary
        self.finished = finished

    def on_mount(self) -> None:
        self.app.last_summary = (self.summary, self.finished)
        if self.summary.answers:
            self.app.sync_now(quiet=True)  # the session's answers reach the other machines

    def compose(self) -> ComposeResult:
        s = self.summary
        if s.answers == 0:
            headline = (
                "Nothing was due. Come back tomorrow, or study more now: n adds new cards for "
                "today, a practises the cards due this week (no schedule changes), b browses."
            )
            if not self.finished:
                headline = "Session ended before any answer."
        elif self.finished:
            headline = "All done for today."
        else:
            headline = "Session ended; the cards left stay due."
        table = Table.grid(padding=(0, 2))
        table.add_column(justify="right", style="bold")
        table.add_column()
        table.add_row(str(s.cards), "cards reviewed")
        table.add_row(
            str(s.answers), f"answers ({s.drills} of them drills of cards graded below 4)"
        )
        table.add_row(_duration(s.seconds), "spent")
        scheduling = sum(s.grades.values())
        if scheduling:
            table.add_row(f"{100 * s.passed // scheduling}%", "recalled (graded 3 or more)")
        # One line a grade, cut at the right on a narrow terminal (a table would drop
        # the grade column first).
        top = max(s.grades.values(), default=0) or 1
        bars = {g: f"{'█' * round(20 * n / top)} {n}" for g, n in s.grades.items()}
        width = max(map(len, bars.values()), default=0)
        spread = Text(no_wrap=True, overflow="ellipsis")
        for grade, bar in bars.items():
            spread.append(f"{grade}  {bar:<{width}}  ").append(GRADE_MEANINGS[grade], "dim")
            spread.append("\n")
        spread.rstrip()
        with VerticalScroll(id="summary"):
            yield Static(Text(headline, style="bold"), id="summary-headline")
            yield Static(table, id="summary-figures")
            if scheduling:
                yield Static(Text("Grades", style="bold"), classes="section-title")
                yield Static(spread, id="summary-grades")
        yield AppFooter()

    def action_home(self) -> None:
        self.app.show_home()

    def action_more_new(self) -> None:
        self.app.more_new_cards(None)
        self.app.show_home()
        self.app.start_review(None)

    def action_ahead(self) -> None:
        from studyplan.browser import Browser
        from studyplan.ui.browser import start_practice

        ids = Browser(self.app.service).search("due:<8 -is:new -is:suspended")
        self.app.show_home()
        start_practice(self.app, ids, "due this week")

    def action_browse(self) -> None:
        self.app.show_home()
        self.app.action_browse()
