"""The review screen: one card at a time, reveal, grade 0-5, undo."""

from __future__ import annotations

from dataclasses import dataclass

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Footer, Static

from studyplan.core.sm2 import GRADE_MEANINGS
from studyplan.review import CardChanged, ReviewSession
from studyplan.store.card_repo import StoredCard
from studyplan.store.errors import DatabaseError
from studyplan.ui.base import AppScreen
from studyplan.ui.cardview import CardRenderer, CardView

GRADE_KEYS = [
    Binding(str(g), f"grade({g})", f"{g} {GRADE_MEANINGS[g]}", show=False, id=f"review.grade{g}")
    for g in range(6)
]


class ReviewScreen(AppScreen[None]):
    """Today's cards, answered one by one."""

    BINDINGS = [
        Binding("space,enter", "reveal", "Show answer", id="review.reveal"),
        *GRADE_KEYS,
        Binding("u", "undo", "Undo", id="review.undo"),
        Binding("escape", "finish", "End session", id="review.finish"),
    ]

    @dataclass
    class CardShown(Message):
        """A card's front is on screen (tests and benchmarks wait for this)."""

        card_id: int

    def __init__(self, session: ReviewSession, renderer: CardRenderer, title: str) -> None:
        super().__init__()
        self.session = session
        self.renderer = renderer
        self.deck_title = title
        self.revealed = False

    def compose(self) -> ComposeResult:
        with Horizontal(id="review-status"):
            yield Static(id="review-title")
            yield Static(id="review-left")
        yield CardView(id="card")
        yield Static(id="grade-bar")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#review-title", Static).update(Text(self.deck_title))
        self._show_front()

    # -- drawing -------------------------------------------------------

    def _strips(self, card: StoredCard, revealed: bool):
        view = self.query_one(CardView)
        width = max(20, view.size.width or self.app.size.width) - 1
        return self.renderer.render(
            self.app.console,
            card.front,
            card.back if revealed else None,
            width,
            self.app.current_theme.dark,
            view.rich_style,
        )

    def _show_front(self) -> None:
        card = self.session.current
        if card is None:
            self.app.call_later(self.action_finish)
            return
        self.revealed = False
        self.query_one(CardView).show(self._strips(card, revealed=False))
        self._update_bars()
        self.session.shown()
        self.post_message(self.CardShown(card.id))
        self.set_timer(0.05, self._render_ahead)

    def _render_ahead(self) -> None:
        """While the learner reads: the answer of this card and the front of the next."""
        card = self.session.current
        if card is not None and not self.revealed:
            self._strips(card, revealed=True)
        upcoming = self.session.upcoming
        if upcoming is not None:
            self._strips(upcoming, revealed=False)
            if card is not None:
                # A failed answer can bring this card back next when it is alone.
                self._strips(card, revealed=False)

    def on_resize(self) -> None:
        card = self.session.current
        if card is not None:
            self.query_one(CardView).show(self._strips(card, revealed=self.revealed))
        self._update_bars()

    def _update_bars(self) -> None:
        counts = self.session.counts()
        left = Text.assemble(
            ("due ", "dim"),
            (str(counts["due"]), "bold"),
            ("  new ", "dim"),
            (str(counts["new"]), "bold"),
            ("  again ", "dim"),
            (str(counts["again"]), "bold"),
        )
        self.query_one("#review-left", Static).update(left)
        bar = self.query_one("#grade-bar", Static)
        if self.revealed and (self.size.height or self.app.size.height) < 20:
            # A short terminal: the keys on one line, so the answer keeps the room.
            keys = Text()
            for g in range(5, -1, -1):
                keys.append(f" {g} ", "reverse bold").append(" ")
            keys.append(f"grade: 5 {GRADE_MEANINGS[5]} … 0 {GRADE_MEANINGS[0]}")
            bar.update(keys)
        elif self.revealed:
            width = self.size.width or self.app.size.width
            columns = 3 if width >= 110 else 2 if width >= 72 else 1
            grid = Table.grid(expand=True, padding=(0, 1))
            for _ in range(columns):
                grid.add_column(ratio=1)
            cells = [
                Text.assemble((f" {g} ", "reverse bold"), f" {GRADE_MEANINGS[g]}")
                for g in range(5, -1, -1)
            ]
            for row in range(0, 6, columns):
                grid.add_row(*cells[row : row + columns])
            bar.update(grid)
        else:
            bar.update(Text.assemble((" space ", "reverse bold"), " show the answer"))

    # -- actions -------------------------------------------------------

    def action_reveal(self) -> None:
        card = self.session.current
        if card is None or self.revealed:
            return
        self.revealed = True
        self.query_one(CardView).show(self._strips(card, revealed=True))
        self._update_bars()

    def action_grade(self, grade: int) -> None:
        if not self.revealed:
            self.notify("Show the answer first (space), then grade it 0-5.", timeout=2)
            return
        try:
            self.session.answer(grade)
        except CardChanged:
            self.notify("That card was answered in another studyplan window; it was refreshed.")
        except DatabaseError as err:  # busy past the wait, disk full, read-only: stay on the card
            self.notify(f"{err}. Grade the card again.", severity="error", timeout=8)
            return
        self._show_front()

    def action_undo(self) -> None:
        if not self.session.can_undo:
            self.notify("Nothing to undo in this session.", timeout=2)
            return
        try:
            self.session.undo()
        except DatabaseError as err:
            self.notify(f"{err}.", severity="error", timeout=8)
            return
        self._show_front()
        self.notify("Last answer undone.", timeout=2)

    def action_finish(self) -> None:
        from studyplan.ui.summary import SummaryScreen

        self.app.switch_screen(SummaryScreen(self.session.summary(), self.session.current is None))
