"""The review screen: one card at a time, reveal, grade 0-5, undo."""

from __future__ import annotations

from dataclasses import dataclass

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Static

from studyplan.core.cards.images import image_names
from studyplan.core.sm2 import GRADE_MEANINGS
from studyplan.review import CardChanged, Preview, ReviewSession
from studyplan.store.card_repo import StoredCard
from studyplan.store.errors import DatabaseError
from studyplan.ui.base import AppScreen
from studyplan.ui.cardview import CardRenderer, CardView
from studyplan.ui.footer import AppFooter
from studyplan.ui.images import CardImage, first_image, open_first_image

GRADE_KEYS = [
    Binding(str(g), f"grade({g})", f"{g} {GRADE_MEANINGS[g]}", show=False, id=f"review.grade{g}")
    for g in range(6)
]
SHORT_MEANINGS = {
    5: "perfect recall",
    4: "hesitated",
    3: "hard",
    2: "wrong, easy",
    1: "wrong, familiar",
    0: "blackout",
}
"""Grade meanings for a narrow bar; the full ones are in the keys panel (f1)."""
BAR_ROWS = 3
"""The grade bar's height on a terminal of 20 rows or more, for the question and the answer
alike, so an answer changes the card and nothing else (one frame, no relayout)."""


def interval_words(preview: Preview, short: bool = False) -> str:
    """When the card comes back after this grade: "in 6 days", "6d"; "+ again" today."""
    if preview.drill:
        when = "drill" if short else "no change (drill)"
    else:
        days = preview.days
        if short:
            when = (
                f"{days}d"
                if days < 60
                else f"{days / 30.4:.0f}mo"
                if days < 730
                else f"{days / 365.25:.0f}y"
            )
        elif days == 1:
            when = "tomorrow"
        elif days < 60:
            when = f"in {days} days"
        elif days < 730:
            when = f"in {days / 30.4:.0f} months"
        else:
            when = f"in {days / 365.25:.1f} years"
    if preview.again_today and not preview.drill:
        when += " +again" if short else ", again today"
    return when


class ReviewScreen(AppScreen[None]):
    """Today's cards, answered one by one."""

    BINDINGS = [
        Binding("space,enter", "reveal", "Show answer", id="review.reveal"),
        *GRADE_KEYS,
        Binding("u", "undo", "Undo", id="review.undo"),
        Binding("i", "card_info", "Card", show=False, id="review.card_info"),
        Binding("o", "open_image", "Open image", id="review.open_image"),
        Binding("escape", "finish", "End session", id="review.finish"),
        Binding("down,j", "scroll_card(1)", "Scroll", id="review.scroll_down", key_display="↓↑"),
        Binding("up,k", "scroll_card(-1)", "Scroll up", show=False, id="review.scroll_up"),
        Binding("pagedown", "scroll_page(1)", "Page down", show=False, id="review.page_down"),
        Binding("pageup", "scroll_page(-1)", "Page up", show=False, id="review.page_up"),
        Binding("home,g", "scroll_edge(0)", "Top of card", show=False, id="review.top"),
        Binding("end,G", "scroll_edge(1)", "End of card", show=False, id="review.end"),
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
        self._footer_keys: tuple[bool | None, ...] = (False, False)
        """Whether the footer shows the scroll and the image keys."""
        self._left_width = -1
        self._plain_shown = False
        """The card on screen was drawn with its code plain (``_show_front``)."""

    def compose(self) -> ComposeResult:
        with Horizontal(id="review-status"):
            yield Static(id="review-title")
            yield Static(id="review-left")
        yield CardView(id="card")
        yield CardImage(id="card-image")
        yield Static(id="grade-bar")
        yield AppFooter()

    def on_mount(self) -> None:
        self.query_one("#review-title", Static).update(Text(self.deck_title))
        self._show_front()

    # -- drawing -------------------------------------------------------

    def _strips(self, card: StoredCard, revealed: bool, plain_code: bool = False):
        view = self.query_one(CardView)
        width = max(20, view.size.width or self.app.size.width) - 1
        return self.renderer.render(
            self.app.console,
            card.front,
            card.back if revealed else None,
            width,
            self.app.current_theme.dark,
            view.rich_style,
            plain_code,
        )

    def _show_front(self) -> None:
        card = self.session.current
        if card is None:
            self.app.call_later(self.action_finish)
            return
        self.revealed = False
        # The first card of a process: its code without colours until it is painted
        # (``_render_ahead`` colours it), as Pygments' first use of a language costs
        # about 25 ms; the same lines either way.
        self._plain_shown = not self.renderer.warm
        self.query_one(CardView).show(
            self._strips(card, revealed=False, plain_code=self._plain_shown)
        )
        self._update_image(card)
        self._update_bars()
        self._footer_follows()
        self.session.shown()
        self.post_message(self.CardShown(card.id))
        # Once the card is painted: the first card of a start would otherwise wait for
        # Pygments to compile a lexer (60-90 ms) when the timer fires before its frame.
        self.call_after_refresh(self.set_timer, 0.05, self._render_ahead)

    def _render_ahead(self) -> None:
        """While the learner reads: the rest of today's queue and its counts (the first
        card of a start comes from its head), the answer of this card and the front of
        the next."""
        if self.session.pending:
            self.session.complete()
            self._update_bars()
        card = self.session.current
        if card is not None and self._plain_shown and not self.revealed:
            coloured = self._strips(card, revealed=False)
            if coloured != self._strips(card, revealed=False, plain_code=True):
                self.query_one(CardView).show(coloured)  # the same lines, now in colour
        self._plain_shown = False
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
            self._show(card)
        self._left_width = 0  # laid out anew: the status takes the width it needs now
        self._update_bars()
        self._footer_follows()

    def _footer_follows(self) -> None:
        """Once the card is laid out: the footer again, if its keys changed (only the
        scroll and image keys come and go, see ``check_action``). Textual rebuilds the
        whole footer on every refresh of the bindings, a frame's work, so an answer that
        changes no key does not ask."""

        def check() -> None:
            keys = (
                self.check_action("scroll_card", (1,)),
                self.check_action("open_image", ()),
            )
            if keys != self._footer_keys:
                self._footer_keys = keys
                self.refresh_bindings()

        self.call_after_refresh(check)

    def _show(self, card: StoredCard) -> None:
        """The card as it stands; once revealed, scrolled so the answer is in view."""
        view = self.query_one(CardView)
        plain = self._plain_shown and not self.revealed  # still to be coloured
        strips = self._strips(card, revealed=self.revealed, plain_code=plain)
        answer_at = len(self._strips(card, revealed=False)) if self.revealed else None
        view.show(strips, answer_at=answer_at)
        self._update_image(card)

    def _shown_text(self, card: StoredCard) -> str:
        return f"{card.front}\n\n{card.back}" if self.revealed else card.front

    def _update_image(self, card: StoredCard) -> None:
        """The card's first image under it, where the terminal draws pictures."""
        protocol = getattr(self.app, "graphics", None)
        if protocol is None:
            return  # the card's text names the image: [image: plot.png]
        found = None
        if (self.size.height or self.app.size.height) >= 20:  # a short terminal keeps the text
            source = self.app.service.repo.deck_source(card.deck_id)
            found = first_image(source, self._shown_text(card))
        self.query_one(CardImage).show(found[1] if found else None, protocol)

    def _update_bars(self) -> None:
        left = Text()
        if self.session.pending:
            # The first card of a start, shown from the queue's head: the counts follow
            # once it is painted (``_render_ahead``), the grade bar is drawn now.
            self.query_one("#review-left", Static).update(left, layout=False)
            self._update_grade_bar()
            return
        counts = self.session.counts()
        recall = self.session.recall_now() if self.revealed else None
        if recall is not None and recall.shown is not None:
            model = "SM-2" if recall.active == "sm2" and recall.sm2 is not None else "FSRS"
            left.append("recall now ", "dim")
            left.append(f"{recall.shown:.0%}", "bold")
            left.append(f" ({model})  ", "dim")
        if self.session.practice:
            left.append_text(Text.assemble(("practice ", "dim"), (str(counts["practice"]), "bold")))
        else:
            left.append_text(self._counts_text(counts))
        # Its width follows the text, and only grows (padded on the left): the screen is
        # laid out again only when it does, not on every card.
        width = max(self._left_width, left.cell_len)
        left.pad_left(width - left.cell_len)
        self.query_one("#review-left", Static).update(left, layout=width != self._left_width)
        self._left_width = width
        self._update_grade_bar()

    @staticmethod
    def _counts_text(counts) -> Text:
        return Text.assemble(
            ("due ", "dim"),
            (str(counts["due"]), "bold"),
            ("  new ", "dim"),
            (str(counts["new"]), "bold"),
            ("  again ", "dim"),
            (str(counts["again"]), "bold"),
        )

    def _update_grade_bar(self) -> None:
        bar = self.query_one("#grade-bar", Static)
        short = (self.size.height or self.app.size.height) < 20
        width = self.size.width or self.app.size.width
        # The bar's height is fixed (app.tcss): a new bar is a repaint, not a new layout.
        if short:
            bar.update(self._one_line_bar(), layout=False)
        elif self.revealed:
            bar.update(self._grade_grid(width), layout=False)
        else:
            hint = Text.assemble(
                "then grade it ",
                ("0", "bold"),
                "-",
                ("5", "bold"),
                "; the bar shows when each grade brings the card back",
                style="dim",
            )
            bar.update(
                Text("\n").join(
                    [Text.assemble((" space ", "reverse bold"), " show the answer"), hint]
                ),
                layout=False,
            )

    def _one_line_bar(self) -> Text:
        """A short terminal: the keys on one line, so the card keeps the room."""
        if not self.revealed:
            return Text.assemble((" space ", "reverse bold"), " show the answer")
        previews = self.session.previews()
        keys = Text()
        for g in range(5, -1, -1):
            keys.append(f" {g} ", "reverse bold")
            if g in previews:
                keys.append(f" {interval_words(previews[g], short=True)}", "dim")
            keys.append("  ")
        keys.append(f"5 {GRADE_MEANINGS[5]} … 0 {GRADE_MEANINGS[0]}")
        return keys

    def _grade_grid(self, width: int) -> Table:
        """Every grade with its meaning and when it would bring the card back."""
        previews = self.session.previews()
        columns = 3 if width >= 110 else 2
        cell_width = (width - 2) // columns - 1
        grid = Table.grid(expand=True, padding=(0, 1))
        for _ in range(columns):
            grid.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
        # The longest wording that fits every cell, the same for all six.
        for short_meaning, short_interval in (
            (False, False),
            (False, True),
            (True, False),
            (True, True),
        ):
            cells = [
                self._grade_cell(g, previews.get(g), short_meaning, short_interval)
                for g in range(5, -1, -1)
            ]
            if max(cell.cell_len for cell in cells) <= cell_width:
                break
        for row in range(0, 6, columns):
            grid.add_row(*cells[row : row + columns])
        return grid

    # -- actions -------------------------------------------------------

    def action_reveal(self) -> None:
        card = self.session.current
        if card is None or self.revealed:
            return
        self.revealed = True
        self._show(card)
        self._update_bars()
        self._footer_follows()

    def action_grade(self, grade: int) -> None:
        if not self.revealed:
            self.notify("Show the answer first (space), then grade it 0-5.", timeout=2)
            return
        try:
            self.session.answer(grade)
            if self.session.leech is not None:
                suspended = self.app.service.settings.leech_action == "suspend"
                self.notify(
                    f"This card is a leech: forgotten {self.session.answers[-1].after.lapses} "
                    f"times{', so it is suspended' if suspended else ''}. Rewrite it or set it "
                    "aside: find it in the browser (b on home) with is:leech.",
                    title="Leech",
                    severity="warning",
                    timeout=12,
                )
        except CardChanged:
            self.notify("That card was answered in another studyplan window; it was refreshed.")
        except DatabaseError as err:  # busy past the wait, disk full, read-only: stay on the card
            self.notify(f"{err}. Grade the card again.", severity="error", timeout=8)
            return
        self._show_front()

    def action_card_info(self) -> None:
        """The card on screen in the card view: its story, suspend, flag, edit."""
        from studyplan.ui.browser import CardInfoScreen

        card = self.session.current
        if card is None:
            return

        def back(_: object) -> None:
            if self.session.drop_if_set_aside():
                self._show_front()
            else:
                self._show(self.session.current or card)

        self.app.push_screen(CardInfoScreen(card.id), back)

    def action_open_image(self) -> None:
        """The card's first image in the system's image viewer."""
        card = self.session.current
        if card is None:
            return
        source = self.app.service.repo.deck_source(card.deck_id)
        open_first_image(self, source, self._shown_text(card))

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

    @staticmethod
    def _grade_cell(
        grade: int, preview: Preview | None, short_meaning: bool, short_interval: bool
    ) -> Text:
        meaning = (SHORT_MEANINGS if short_meaning else GRADE_MEANINGS)[grade]
        cell = Text.assemble((f" {grade} ", "reverse bold"), f" {meaning}")
        if preview is not None:
            cell.append(f" · {interval_words(preview, short=short_interval)}", "dim")
        return cell

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "scroll_card" and parameters == (1,):
            # In the footer only while the card is longer than its area.
            return self.query_one(CardView).max_scroll_y > 0
        if action == "open_image":
            # In the footer (and working) only while the card on screen names an image.
            card = self.session.current
            return card is not None and bool(image_names(self._shown_text(card)))
        return True

    def action_scroll_card(self, step: int) -> None:
        self.query_one(CardView).scroll_relative(y=step * 2, animate=False)

    def action_scroll_page(self, step: int) -> None:
        view = self.query_one(CardView)
        view.scroll_relative(y=step * max(1, view.size.height - 2), animate=False)

    def action_scroll_edge(self, end: int) -> None:
        view = self.query_one(CardView)
        view.scroll_to(y=view.max_scroll_y if end else 0, animate=False)

    def action_finish(self) -> None:
        from studyplan.ui.summary import SummaryScreen

        self.app.switch_screen(SummaryScreen(self.session.summary(), self.session.current is None))
