"""The card browser: every card in a table that draws only what is on screen, a search
box, the card view, and what a learner does to cards (suspend, bury, flag, reset, edit,
practise), each undoable."""

from __future__ import annotations

import sqlite3
import subprocess
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache, partial
from typing import TYPE_CHECKING

from rich.segment import Segment
from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from studyplan.browser import Browser, EditRefused
from studyplan.core.cards.images import image_names
from studyplan.core.cards.query import FLAGS, QueryError
from studyplan.store.browse_repo import BrowseRow, CardDetail
from studyplan.ui.base import AppModal, AppScreen
from studyplan.ui.confirm import ConfirmScreen
from studyplan.ui.footer import AppFooter
from studyplan.ui.lists import VimOptionList

if TYPE_CHECKING:
    from studyplan.ui.app import StudyplanApp

FIRST_ROWS = 200
"""Rows a search reads before the table is drawn; the rest of a long result follows."""
FLAG_COLOURS = ("red", "dark_orange", "green", "dodger_blue2", "medium_purple")
SORT_ORDER = ("added", "deck", "front", "due", "interval", "ease", "lapses", "answered")
STATE_WORDS = {
    "new": "new",
    "learning": "learn",
    "review": "review",
    "suspended": "susp",
    "buried": "buried",
    "retired": "gone",
}


def due_words(due: date | None, today: date) -> str:
    """When a card is due, relative to today: "new", "today", "3d", "-2d" (overdue), "4mo"."""
    if due is None:
        return "new"
    days = (due - today).days
    if days == 0:
        return "today"
    if abs(days) < 60:
        return f"{days}d"
    if abs(days) < 730:
        return f"{days / 30.4:.0f}mo"
    return f"{days / 365.25:.0f}y"


@dataclass(frozen=True)
class _Column:
    title: str
    width: int
    justify: str = "left"


@lru_cache(maxsize=16)
def _columns(width: int, sort: str = "added") -> list[_Column]:
    """The browser's columns at ``width`` (see ``CardTable.columns``); sorted by the last
    answer, its column stays in place of others that a narrow table leaves out."""
    cols = [_Column("", 2), _Column("Deck", 14 if width >= 98 else 10)]
    rest = [
        _Column("State", 6),
        _Column("Due", 5, "right"),
        _Column("Ivl", 5, "right"),
        _Column("Ease", 4, "right"),
        _Column("Lap", 3, "right"),
        _Column("Answered", 10),
    ]
    answered = sort == "answered"
    if width < 74:
        rest = [c for c in rest if c.title in ("State", "Answered" if answered else "Due")]
        cols = [_Column("", 2)]
    elif width < 94:
        rest = [c for c in rest if c.title not in (("Ease", "Lap") if answered else ("Answered",))]
    used = sum(c.width + 1 for c in cols + rest)  # each column and the space after it
    return [*cols, _Column("Front", max(8, width - used - 1)), *rest]


@lru_cache(maxsize=64)
def _style(text: str) -> Style:
    """A parsed Rich style, parsed once."""
    return Style.parse(text) if text else Style()


class CardTable(ScrollView, can_focus=True):
    """The browser's table: a list of card ids, rows read from the store only when they
    come into view, so 100,000 cards cost no more to show than 20."""

    DEFAULT_CSS = """
    CardTable { height: 1fr; overflow-x: hidden; }
    """

    BINDINGS = [
        Binding("down,j", "move(1)", "Down", show=False),
        Binding("up,k", "move(-1)", "Up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("home,g", "edge(0)", "First", show=False),
        Binding("end,G", "edge(1)", "Last", show=False),
    ]

    @dataclass
    class Moved(Message):
        """The cursor moved (the screen updates its status line)."""

        table: CardTable

    def __init__(self, browser: Browser, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.browser = browser
        self.ids: list[int] = []
        self.cursor = 0
        self.selected: set[int] = set()
        self._rows: dict[int, BrowseRow] = {}
        self.today = browser.service.today()
        self.complete = True
        """False while ``ids`` holds only the head of a search whose whole list is coming."""
        self.whole: Callable[[], None] | None = None
        """Called when the cursor must go past the head before the whole list came."""
        self.sort = "added"
        """The order the ids are in (the last answer's column is kept in view by it)."""

    # -- contents ------------------------------------------------------

    def show_ids(self, ids: list[int], keep: int | None = None, complete: bool = True) -> None:
        """Show ``ids`` (only the head of the result when not ``complete``); the cursor
        stays on card ``keep`` when it is still there."""
        self.ids = ids
        self.complete = complete
        self._rows.clear()
        self.today = self.browser.service.today()
        if complete:
            self.selected &= set(ids)
        try:
            self.cursor = ids.index(keep) if keep is not None else 0
        except ValueError:
            self.cursor = 0
        self.cursor = min(self.cursor, max(0, len(ids) - 1))
        self.virtual_size = Size(self.size.width, len(ids))
        self._keep_cursor_visible()
        self.refresh()
        self.post_message(self.Moved(self))

    def forget_rows(self) -> None:
        """Read every row again (cards changed)."""
        self._rows.clear()
        self.refresh()

    @property
    def current(self) -> int | None:
        """The id of the card under the cursor."""
        return self.ids[self.cursor] if self.ids else None

    def chosen(self) -> list[int]:
        """The selected cards, else the one under the cursor."""
        if self.selected:
            return [i for i in self.ids if i in self.selected]
        return [self.current] if self.current is not None else []

    def row(self, index: int) -> BrowseRow | None:
        """The row at ``index`` (read with the rest of the screenful when missing)."""
        if not 0 <= index < len(self.ids):
            return None
        card_id = self.ids[index]
        if card_id not in self._rows:
            start = max(0, index - 10)
            window = self.ids[start : index + max(self.size.height, 24) + 10]
            for row in self.browser.rows(window):
                self._rows[row.id] = row
            if len(self._rows) > 5000:
                self._rows = {i: self._rows[i] for i in window if i in self._rows}
        return self._rows.get(card_id)

    # -- drawing -------------------------------------------------------

    def columns(self, width: int) -> list[_Column]:
        """The columns that fit ``width``; the front takes what is left."""
        return _columns(width, self.sort)

    @property
    def fit_width(self) -> int:
        """The width the columns are laid out in: the table's, less its scrollbar's (kept
        free whether it shows or not, so that the rows never move under the titles)."""
        return max(0, self.size.width - self.styles.scrollbar_size_vertical)

    def header(self, width: int) -> Text:
        """The column titles, for the line above the table."""
        text = Text(no_wrap=True, overflow="crop")
        for col in self.columns(width):
            title = col.title[: col.width]
            text.append((title.rjust if col.justify == "right" else title.ljust)(col.width) + " ")
        return text

    def render_line(self, y: int) -> Strip:
        _, scroll_y = self.scroll_offset
        index = scroll_y + y
        width = self.size.width
        base = self.rich_style
        row = self.row(index)
        if row is None:
            return Strip.blank(width, base)
        fit = self.fit_width
        cells = self._cells(row, fit)
        style = base
        if index == self.cursor:
            colour = self.app.current_theme.primary if self.has_focus else "grey39"
            style = base + _style(f"bold on {colour}")
        elif row.id in self.selected:
            style = base + _style("on grey23")
        # Segments straight from the cells: no Rich Text to lay out for each line.
        segments = []
        for col, (value, cell_style) in zip(self.columns(fit), cells, strict=True):
            value = value if len(value) <= col.width else value[: max(0, col.width - 1)] + "…"
            padded = value.rjust(col.width) if col.justify == "right" else value.ljust(col.width)
            segments.append(Segment(padded + " ", style + _style(cell_style)))
        return Strip(segments).crop_extend(0, width, style).simplify()

    def _cells(self, row: BrowseRow, width: int) -> list[tuple[str, Style | str]]:
        mark = ("●" if row.id in self.selected else " ") + ("⚑" if row.flag else " ")
        flag_style = FLAG_COLOURS[row.flag - 1] if row.flag else ""
        state = STATE_WORDS.get(row.state, row.state)
        cells: dict[str, tuple[str, Style | str]] = {
            "": (mark, flag_style),
            "Deck": (row.deck.split(" · ")[-1], "dim"),
            "Front": (row.front, ""),
            "State": (state, "yellow" if row.state in ("suspended", "buried") else "dim"),
            "Due": (due_words(row.due, self.today), ""),
            "Ivl": (f"{row.interval}d" if row.due else "", ""),
            "Ease": (f"{row.ef_permille / 1000:.2f}"[:4] if row.due else "", ""),
            "Lap": (str(row.lapses) if row.lapses else "", "red" if row.lapses >= 3 else ""),
            "Answered": (row.answered.isoformat() if row.answered else "", "dim"),
        }
        return [cells[c.title] for c in self.columns(width)]

    def on_resize(self, event: events.Resize) -> None:
        self.virtual_size = Size(event.size.width, len(self.ids))
        self._keep_cursor_visible()

    # -- moving --------------------------------------------------------

    def _keep_cursor_visible(self) -> None:
        self.scroll_to_region(
            Region(0, self.cursor, 1, 1), animate=False, immediate=True, force=True
        )

    def move_to(self, index: int) -> None:
        """Put the cursor on row ``index`` (clamped) and scroll it into view."""
        if not self.ids:
            return
        if not self.complete and index >= len(self.ids) - 1 and self.whole is not None:
            self.whole()  # past the head: the whole list, now
        old = self.cursor
        self.cursor = max(0, min(len(self.ids) - 1, index))
        self._keep_cursor_visible()
        if old != self.cursor:
            self.refresh()
            self.post_message(self.Moved(self))

    def action_move(self, step: int) -> None:
        self.move_to(self.cursor + step)

    def action_page(self, step: int) -> None:
        self.move_to(self.cursor + step * max(1, self.size.height - 1))

    def action_edge(self, end: int) -> None:
        if end and not self.complete and self.whole is not None:
            self.whole()
        self.move_to(len(self.ids) - 1 if end else 0)

    def on_click(self, event: events.Click) -> None:
        self.focus()
        self.move_to(self.scroll_offset.y + event.y)

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()


class BrowserScreen(AppScreen[None]):
    """Every card, found as you type."""

    BINDINGS = [
        Binding("escape", "back", "Back", id="browser.back"),
        Binding("slash", "focus_search", "Search", id="browser.search", key_display="/"),
        Binding("enter", "open", "Open", id="browser.open"),
        Binding("space", "select", "Select", id="browser.select"),
        Binding("a", "select_all", "Select all", show=False, id="browser.select_all"),
        Binding("s", "suspend", "Suspend", id="browser.suspend"),
        Binding("minus", "bury", "Bury", show=False, id="browser.bury", key_display="-"),
        *[
            Binding(str(n), f"flag({n})", f"Flag {FLAGS[n - 1]}", show=False, id=f"browser.flag{n}")
            for n in range(1, len(FLAGS) + 1)
        ],
        Binding("0", "flag(0)", "No flag", show=False, id="browser.flag0"),
        Binding("R", "reset", "Reset to new", show=False, id="browser.reset"),
        Binding("e", "edit", "Edit", id="browser.edit"),
        Binding("p", "practise", "Practise", id="browser.practise"),
        Binding("u", "undo", "Undo", id="browser.undo"),
        Binding("o", "sort", "Sort", id="browser.sort"),
        Binding("O", "reverse", "Reverse order", show=False, id="browser.reverse"),
        Binding("ctrl+s", "save_search", "Save search", show=False, id="browser.save"),
        Binding("l", "saved", "Saved searches", show=False, id="browser.saved"),
    ]

    def __init__(self, query: str = "", card_id: int | None = None) -> None:
        super().__init__()
        self.initial = query
        self.initial_card = card_id
        self.browser: Browser | None = None
        self.sort = "added"
        self.descending = False
        self.last_good = query
        self._generation = 0
        """Counts searches: a whole list that arrives for an older one is dropped."""
        self._worker_lock = threading.Lock()
        self._worker_browser: Browser | None = None
        self._said = ""
        """The whole lists' own connection, used by one worker thread at a time."""
        self._header_for: tuple[int, str] = (0, "")
        """The width and sort the column titles were last drawn for."""
        self._copy_tried: tuple[str, tuple[int, int]] | None = None
        """The sort and mark a copy of the cards in that order was last read for."""
        self._copy_reading = False

    def compose(self) -> ComposeResult:
        with Vertical(id="browser"):
            yield Static(id="browser-title")
            yield Input(
                value=self.initial,
                placeholder="search: words, deck:, tag:, is:due, flag:red, lapses:>=3 … (f1 keys)",
                id="browser-query",
                compact=True,
            )
            yield Static(id="browser-message")
            yield Static(id="browser-header")
            yield CardTable(self._browser(), id="browser-table")
        yield AppFooter()

    def _browser(self) -> Browser:
        if self.browser is None:
            self.browser = Browser(self.app.service)
        return self.browser

    @property
    def table(self) -> CardTable:
        return self.query_one(CardTable)

    def on_mount(self) -> None:
        self.table.whole = self.show_whole
        # Searched as the box's value changes, not on its Changed message: the box with
        # the new letter and the table with the new rows are drawn in one frame (after
        # the message, the rows waited for the frame after the box's, up to 17 ms).
        self.watch(self.query_one("#browser-query", Input), "value", self._typed, init=False)
        self.run_search(self.initial, keep=self.initial_card, exact=True)
        self.table.focus()

    def on_unmount(self) -> None:
        self._stop_whole()
        if self.browser is not None:
            self.browser.drop_sorted_copy()
        with self._worker_lock:
            if self._worker_browser is not None:
                self._worker_browser.service.close()
                self._worker_browser = None

    # -- searching -----------------------------------------------------

    def run_search(self, text: str, keep: int | None = None, exact: bool = False) -> bool:
        """Search for ``text``; a bad query leaves the table on its last good result.

        The first ``FIRST_ROWS`` cards are read at once and drawn; when there are more,
        the whole list follows from a worker on a connection of its own, and typing on
        meanwhile drops it. ``exact``: card ``keep`` must stay under the cursor even when
        it is past the head (after a card action), so the whole list is read at once."""
        try:
            self._browser().parse(text)
        except QueryError as err:
            self._say(f"{err}.")
            return False
        # Before the head is read: the whole list of the search before, still being
        # read in a worker, would hold the interpreter in turns with it.
        self._stop_whole()
        ids = self._browser().search(text, self.sort, self.descending, limit=FIRST_ROWS + 1)
        self.last_good = text
        self._say("")
        keep = keep if keep is not None else self.table.current
        self.table.sort = self.sort
        if len(ids) <= FIRST_ROWS:
            self.table.show_ids(ids, keep=keep)
        elif exact and keep is not None and keep not in ids[:FIRST_ROWS]:
            self.table.show_ids(self._browser().search(text, self.sort, self.descending), keep)
        else:
            self.table.show_ids(ids[:FIRST_ROWS], keep=keep, complete=False)
            # After the head is painted: a worker started now would hold the interpreter
            # while the frame that shows the new rows waits.
            self.call_after_refresh(
                self._start_whole, text, self.sort, self.descending, self._generation
            )
        self._title()
        self.call_after_refresh(self._keep_sorted_copy)
        return True

    def _keep_sorted_copy(self) -> None:
        """Copy the cards, in the order of the sort on screen, into memory, in a worker,
        when no fresh copy is held: the first screenful is then read in that order and
        stops there, testing each card's few columns and folded text (searches meanwhile
        read the card table)."""
        browser, sort = self._browser(), self.sort
        if self._copy_reading:
            return
        mark = browser.text_mark()
        if mark is None or (sort, mark) == self._copy_tried or browser.holds_sorted_copy(sort):
            return
        self._copy_tried = (sort, mark)
        self._copy_reading = True
        # A copy in another order serves no search now; let go before the new one is
        # made, so that two are never held at once (the peak of a sort change).
        browser.drop_sorted_copy()
        self.run_worker(
            partial(self._read_sorted_copy, sort, mark),
            thread=True,
            name="browser-sorted",
            group="browser-sorted",
            exit_on_error=False,
        )

    def _read_sorted_copy(self, sort: str, mark: tuple[int, int]) -> None:
        """In a worker, on a connection of its own: the cards in ``sort``'s order."""
        copy = None
        try:
            service = self.app.service.another()
            try:
                copy = Browser(service).read_sorted_copy(sort)
            finally:
                service.close()
        finally:
            try:
                self.app.call_from_thread(self._sorted_copy_read, sort, copy, mark)
            except RuntimeError:
                pass  # the app has stopped

    def _sorted_copy_read(self, sort: str, copy: bytes | None, mark: tuple[int, int]) -> None:
        self._copy_reading = False
        if not self.is_attached:
            return
        if sort == self.sort:
            self._browser().hold_sorted_copy(sort, copy, mark)
        self._keep_sorted_copy()  # the sort changed while this one was read

    def _start_whole(self, text: str, sort: str, descending: bool, generation: int) -> None:
        if generation != self._generation:
            return  # typed over before the frame was painted
        self.run_worker(
            partial(self._search_whole, text, sort, descending, generation),
            thread=True,
            name="browser-search",
            group="browser-search",
            exclusive=True,
            exit_on_error=False,
        )

    def _say(self, sentence: str) -> None:
        """The line under the search box (a bad query's sentence, or nothing); only a
        change is drawn, and only a change of height lays the screen out again."""
        if sentence == self._said:
            return
        self.query_one("#browser-message", Static).update(
            Text(sentence, style="bold red"), layout=not sentence or not self._said
        )
        self._said = sentence

    def _stop_whole(self) -> None:
        """Drop the whole list a worker is reading for the search before this one."""
        self._generation += 1
        other = self._worker_browser
        if other is not None and self._worker_lock.locked():
            other.service.conn.interrupt()

    def _search_whole(self, text: str, sort: str, descending: bool, generation: int) -> None:
        """In a worker: the whole list of a search whose head is on screen."""
        with self._worker_lock:
            for _attempt in range(2):
                if generation != self._generation:
                    return
                if self._worker_browser is None:
                    self._worker_browser = Browser(self.app.service.another())
                try:
                    ids = self._worker_browser.search(text, sort, descending)
                    break
                except sqlite3.OperationalError:
                    continue  # interrupted: by a newer search, or by chance (once more)
            else:
                return
        try:
            self.app.call_from_thread(self._whole_arrived, ids, generation)
        except RuntimeError:
            pass  # the app has stopped

    def _whole_arrived(self, ids: list[int], generation: int) -> None:
        if generation != self._generation or not self.is_attached:
            return
        self.table.show_ids(ids, keep=self.table.current)
        self._title()

    def show_whole(self) -> None:
        """The whole list of the current search, now (the cursor went past the head, or
        every matching card is wanted)."""
        if self.table.complete:
            return
        self._stop_whole()
        ids = self._browser().search(self.last_good, self.sort, self.descending)
        self.table.show_ids(ids, keep=self.table.current)
        self._title()

    def _typed(self, value: str) -> None:
        self.run_search(value)

    @on(Input.Submitted, "#browser-query")
    def _submitted(self) -> None:
        self.table.focus()

    def refresh_table(self) -> None:
        """Search again (cards changed); the cursor stays on its card."""
        self.table.forget_rows()
        self.run_search(self.last_good, keep=self.table.current, exact=True)

    def _title(self) -> None:
        table = self.table
        count = len(table.ids)
        order = f"{self.sort}{' ↓' if self.descending else ''}"
        picked = f" · {len(table.selected)} selected" if table.selected else ""
        found = (
            f"{count:,} card{'s' if count != 1 else ''}"
            if table.complete
            else f"{count:,}+ cards, counting…"
        )
        # One line each (app.tcss): drawn again without laying the screen out.
        self.query_one("#browser-title", Static).update(
            Text.assemble(("Browse", "bold"), f" · {found}{picked} · sorted by {order}"),
            layout=False,
        )
        width = table.fit_width if table.size.width else self.app.size.width - 5
        if self._header_for != (width, table.sort):
            self._header_for = (width, table.sort)
            self.query_one("#browser-header", Static).update(table.header(width), layout=False)

    def on_card_table_moved(self, _: CardTable.Moved) -> None:
        self._title()

    def on_resize(self) -> None:
        self.call_after_refresh(self._title)

    # -- keys ----------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # While typing in the search box, letters are text, not commands.
        typing = isinstance(self.focused, Input)
        if typing and action not in ("back", "focus_search", "save_search", "open"):
            return False
        return True

    def action_back(self) -> None:
        if isinstance(self.focused, Input):
            self.table.focus()
        elif self.table.selected:
            self.table.selected.clear()
            self.table.refresh()
            self._title()
        else:
            self.dismiss()

    def action_focus_search(self) -> None:
        self.query_one("#browser-query", Input).focus()

    def action_open(self) -> None:
        if isinstance(self.focused, Input):
            self.table.focus()
            return
        card = self.table.current
        if card is not None:
            self.app.push_screen(CardInfoScreen(card), lambda _: self.refresh_table())

    def action_select(self) -> None:
        table = self.table
        card = table.current
        if card is None:
            return
        table.selected ^= {card}
        table.move_to(table.cursor + 1)
        table.refresh()
        self._title()

    def action_select_all(self) -> None:
        self.show_whole()
        table = self.table
        table.selected = set() if len(table.selected) == len(table.ids) else set(table.ids)
        table.refresh()
        self._title()

    def _act(self, action: str, flag: int = 0) -> None:
        ids = self.table.chosen()
        if not ids:
            return
        changed = self._browser().act(ids, action, flag)
        self.refresh_table()
        what = {
            "suspend": "suspended (never shown until unsuspended; u undoes)",
            "unsuspend": "unsuspended",
            "bury": "buried until tomorrow",
            "flag": f"flagged {FLAGS[flag - 1]}" if flag else "unflagged",
            "reset": "reset to new (their history stays in the log)",
        }[action]
        self.notify(f"{changed} card{'s' if changed != 1 else ''} {what}.", timeout=3)

    def action_suspend(self) -> None:
        rows = self._browser().rows(self.table.chosen())
        everyone_suspended = bool(rows) and all(r.state == "suspended" for r in rows)
        self._act("unsuspend" if everyone_suspended else "suspend")

    def action_bury(self) -> None:
        self._act("bury")

    def action_flag(self, flag: int) -> None:
        rows = self._browser().rows(self.table.chosen())
        if flag and rows and all(r.flag == flag for r in rows):
            flag = 0  # the same flag again takes it off
        self._act("flag", flag)

    def action_reset(self) -> None:
        ids = self.table.chosen()
        if not ids:
            return

        def done(yes: bool | None) -> None:
            if yes:
                self._act("reset")

        count = len(ids)
        self.app.push_screen(
            ConfirmScreen(
                f"Reset {count} card{'s' if count != 1 else ''} to new?",
                "They start again as new cards; their answers stay in the log (u undoes).",
                "Reset",
            ),
            done,
        )

    def action_undo(self) -> None:
        said = self._browser().undo()
        self.refresh_table()
        self.notify(said or "No card change to undo.", timeout=3)

    def action_edit(self) -> None:
        card = self.table.current
        if card is not None:
            edit_card(self, self._browser(), card, self.refresh_table)

    def action_practise(self) -> None:
        if not self.table.selected:
            self.show_whole()
        ids = self.table.chosen() if self.table.selected else list(self.table.ids)
        start_practice(self.app, ids, self.last_good or "all cards")

    def action_sort(self) -> None:
        self.sort = SORT_ORDER[(SORT_ORDER.index(self.sort) + 1) % len(SORT_ORDER)]
        self.run_search(self.last_good)

    def action_reverse(self) -> None:
        self.descending = not self.descending
        self.run_search(self.last_good)

    def action_save_search(self) -> None:
        query = self.last_good

        def save(name: str | None) -> None:
            if name:
                self._browser().save(name, query)
                self.notify(f"Saved {name!r}; l lists saved searches.", timeout=3)

        self.app.push_screen(NameScreen(f"Save the search {query!r} as:"), save)

    def action_saved(self) -> None:
        saved = self._browser().saved()
        if not saved:
            self.notify("No saved searches yet: search, then ctrl+s saves it.", timeout=4)
            return

        def chosen(query: str | None) -> None:
            if query is not None:
                box = self.query_one("#browser-query", Input)
                box.value = query  # searches (BrowserScreen._typed)
                self.table.focus()

        self.app.push_screen(SavedSearchesScreen(saved), chosen)


def edit_card(screen: AppScreen | AppModal, browser: Browser, card_id: int, after) -> None:
    """Open the learner's editor at the card's line, then read the file again."""
    app = screen.app
    try:
        target = browser.edit_target(browser.detail(card_id))
    except EditRefused as err:
        app.notify(f"{err}.", severity="warning", timeout=8)
        return
    try:
        with app.suspend():
            subprocess.run(target.command, check=False)
    except Exception as err:
        if type(err).__name__ != "SuspendNotSupported":
            app.notify(f"The editor could not be started: {err}", severity="error")
            return
        subprocess.run(target.command, check=False, stdin=subprocess.DEVNULL)
    report = app.service.sync_decks()
    if report.errors:
        app.notify(
            f"{report.errors[0]}. The cards from before your edit are kept.",
            severity="error",
            timeout=12,
        )
    else:
        app.notify(f"{target.path.name} read again.", timeout=3)
    after()


def start_practice(app: StudyplanApp, ids: list[int], what: str) -> None:
    """Study ``ids`` now as practice, which changes no schedule."""
    from studyplan.ui.review import ReviewScreen

    if not ids:
        app.notify("No cards to practise.", timeout=3)
        return
    session = app.service.start_review(practice=ids)
    app.push_screen(ReviewScreen(session, app.renderer, f"Practice: {what}"))


class StripsBlock(Widget):
    """Pre-rendered card strips, as tall as they are (inside a scrolling column)."""

    DEFAULT_CSS = "StripsBlock { height: auto; }"

    def __init__(self, strips: list[Strip], **kwargs) -> None:
        super().__init__(**kwargs)
        self.strips = strips

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self.strips)

    def render_line(self, y: int) -> Strip:
        if y < len(self.strips):
            return self.strips[y].crop_extend(0, self.size.width, self.rich_style)
        return Strip.blank(self.size.width, self.rich_style)


def recall_line(detail: CardDetail) -> Text:
    """Each scheduling answer as a bar as tall as its grade: green recalled, red not."""
    text = Text()
    bars = " ▁▂▄▆█"
    for entry in detail.history:
        if entry.drill and not entry.imported:
            continue
        text.append(
            bars[entry.grade] if entry.grade else "▁", "green" if entry.grade >= 3 else "red"
        )
    return text


class CardInfoScreen(AppModal[None]):
    """One card: as in review, its state, its source, its tags and every answer."""

    BINDINGS = [
        Binding("escape,q", "close", "Close", id="card.close"),
        Binding("s", "suspend", "Suspend", id="card.suspend"),
        Binding("minus", "bury", "Bury", id="card.bury", key_display="-"),
        *[
            Binding(str(n), f"flag({n})", f"Flag {FLAGS[n - 1]}", show=False, id=f"card.flag{n}")
            for n in range(1, len(FLAGS) + 1)
        ],
        Binding("0", "flag(0)", "No flag", show=False, id="card.flag0"),
        Binding("R", "reset", "Reset", show=False, id="card.reset"),
        Binding("e", "edit", "Edit", id="card.edit"),
        Binding("u", "undo", "Undo", id="card.undo"),
        Binding("o", "open_image", "Open image", id="card.open_image"),
        Binding("j,down", "scroll(2)", "Scroll", show=False, id="card.down"),
        Binding("k,up", "scroll(-2)", "Scroll up", show=False, id="card.up"),
        Binding("g,home", "scroll_edge(0)", "Top", show=False, id="card.top"),
        Binding("G,end", "scroll_edge(1)", "End", show=False, id="card.end"),
    ]

    def action_scroll(self, step: int) -> None:
        self.query_one("#card-info-body", VerticalScroll).scroll_relative(y=step, animate=False)

    def action_scroll_edge(self, end: int) -> None:
        body = self.query_one("#card-info-body", VerticalScroll)
        body.scroll_to(y=body.max_scroll_y if end else 0, animate=False)

    def __init__(self, card_id: int) -> None:
        super().__init__()
        self.card_id = card_id
        self.has_image = False

    def compose(self) -> ComposeResult:
        with Vertical(id="card-info"):
            with VerticalScroll(id="card-info-body"):
                yield StripsBlock([], id="card-info-card")
                yield Static(id="card-info-facts")
                yield Static(id="card-info-history")
            yield AppFooter()

    def on_mount(self) -> None:
        self.show()
        self.call_after_refresh(self.show)  # again at the laid-out width

    def show(self) -> None:
        browser = Browser(self.app.service)
        try:
            detail = browser.detail(self.card_id)
        except KeyError:
            self.dismiss()
            return
        body = self.query_one("#card-info-body", VerticalScroll)
        width = max(20, (body.size.width or self.app.size.width - 4) - 2)
        block = self.query_one(StripsBlock)
        block.strips = self.app.renderer.render(
            self.app.console,
            detail.front,
            detail.back,
            width,
            self.app.current_theme.dark,
            block.rich_style,
        )
        block.refresh(layout=True)
        has_image = bool(image_names(f"{detail.front}\n\n{detail.back}"))
        if has_image != self.has_image:
            self.has_image = has_image
            self.refresh_bindings()
        facts = _facts(detail, self.app.service.today())
        recall = _recall(self.app.service, self.card_id)
        if recall is not None:
            facts.add_row("Memory", recall)
        self.query_one("#card-info-facts", Static).update(facts)
        self.query_one("#card-info-history", Static).update(_history(detail))

    def _act(self, action: str, flag: int = 0) -> None:
        Browser(self.app.service).act([self.card_id], action, flag)
        self.show()

    def action_close(self) -> None:
        self.dismiss()

    def action_suspend(self) -> None:
        detail = Browser(self.app.service).detail(self.card_id)
        self._act("unsuspend" if detail.suspended else "suspend")
        self.notify("Suspended." if not detail.suspended else "Unsuspended.", timeout=2)

    def action_bury(self) -> None:
        self._act("bury")
        self.notify("Buried until tomorrow.", timeout=2)

    def action_flag(self, flag: int) -> None:
        detail = Browser(self.app.service).detail(self.card_id)
        self._act("flag", 0 if detail.flag == flag else flag)

    def action_reset(self) -> None:
        def done(yes: bool | None) -> None:
            if yes:
                self._act("reset")

        self.app.push_screen(
            ConfirmScreen(
                "Reset this card to new?",
                "It starts again as a new card; its answers stay in the log (u undoes).",
                "Reset",
            ),
            done,
        )

    def action_undo(self) -> None:
        said = Browser(self.app.service).undo()
        self.show()
        self.notify(said or "No card change to undo.", timeout=3)

    def action_edit(self) -> None:
        edit_card(self, Browser(self.app.service), self.card_id, self.show)

    def action_open_image(self) -> None:
        """The card's first image in the system's image viewer."""
        from studyplan.ui.images import open_first_image

        detail = Browser(self.app.service).detail(self.card_id)
        open_first_image(self, detail.source, f"{detail.front}\n\n{detail.back}")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "open_image":
            return self.has_image  # in the footer only for a card that names an image
        return True


def _facts(detail: CardDetail, today: date) -> Table:
    grid = Table.grid(padding=(0, 1))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold")
    state = detail.state
    marks = [
        word
        for word, on_ in (
            ("suspended", detail.suspended),
            (
                f"buried until {detail.buried_until}",
                bool(detail.buried_until and detail.buried_until > today),
            ),
            ("leech", detail.leech),
            (f"flag {FLAGS[detail.flag - 1]}" if detail.flag else "", bool(detail.flag)),
            ("no longer in its file", not detail.active),
        )
        if on_
    ]
    grid.add_row("Deck", Text(detail.deck))
    source = f"{detail.source}:{detail.line}" + (" (bundled)" if detail.bundled else "")
    grid.add_row("From", Text(source))
    grid.add_row("Id", Text(f"{detail.id} · {detail.key}"))
    grid.add_row("Tags", Text(", ".join(detail.tags) or "none"))
    if state.due is None:
        grid.add_row("State", Text("new: never answered"))
    else:
        grid.add_row(
            "State",
            Text(
                f"due {state.due} ({due_words(state.due, today)}) · interval {state.interval} d · "
                f"ease {state.ef_permille / 1000:.2f} · {state.repetitions} in a row · "
                f"{state.lapses} lapse{'s' if state.lapses != 1 else ''}"
            ),
        )
    if marks:
        grid.add_row("Marks", Text(", ".join(marks), style="yellow"))
    answered = [e for e in detail.history if not e.drill or e.imported]
    if answered:
        passed = sum(e.grade >= 3 for e in answered)
        line = recall_line(detail)
        line.append(f"  {passed} of {len(answered)} recalled", "dim")
        grid.add_row("Recall", line)
    return grid


def _recall(service, card_id: int) -> Text | None:
    """Predicted recall today and on the card's due day, by the active scheduler's model
    (FSRS's; SM-2's read as 0.9^(t/I), as srs-benchmark's baseline does)."""
    from studyplan.core.fsrs_scheduler import recall_probability
    from studyplan.review import sm2_recall

    try:
        card = service.repo.card(card_id)
    except KeyError:
        return None
    state = card.state
    if state.due is None:
        return None
    today = service.today()
    due = card.due or state.due
    if service.settings.scheduler == "fsrs":
        now, then, model = (
            recall_probability(card.fsrs, today),
            recall_probability(card.fsrs, due),
            "FSRS",
        )
    else:
        last = state.due - timedelta(days=state.interval)
        interval = max(1, state.interval)
        now = sm2_recall(max(0, (today - last).days), interval)
        then = sm2_recall(max(0, (due - last).days), interval)
        model = "SM-2, as 0.9^(t/I)"
    if now is None or then is None:
        return None
    return Text.assemble(
        ("predicted ", "dim"),
        (f"{now:.0%}", "bold"),
        (" today, ", "dim"),
        (f"{then:.0%}", "bold"),
        (f" on its due day ({model})", "dim"),
    )


def _history(detail: CardDetail) -> Table | Text:
    if not detail.history:
        return Text("No answers yet.", style="dim")
    table = Table(
        title="Answers",
        title_justify="left",
        expand=False,
        box=None,
        padding=(0, 1),
        show_edge=False,
    )
    for name, justify in (
        ("Day", "left"),
        ("Grade", "right"),
        ("Interval", "right"),
        ("Ease", "right"),
        ("Took", "right"),
        ("Late", "right"),
        ("", "left"),
    ):
        table.add_column(name, justify=justify, no_wrap=True)  # type: ignore[arg-type]
    for e in detail.history:
        kind = (
            "practice" if e.practice else "drill" if e.drill else "imported" if e.imported else ""
        )
        table.add_row(
            e.study_day.isoformat(),
            Text(str(e.grade), style="green" if e.grade >= 3 else "red"),
            f"{e.interval_before}→{e.interval_after} d",
            f"{e.ef_after / 1000:.2f}",
            f"{e.took_ms / 1000:.0f} s" if e.took_ms else "",
            f"{e.days_late} d" if e.days_late else "",
            Text(kind, style="dim"),
        )
    return table


class NameScreen(AppModal[str | None]):
    """Asks for a short name; enter keeps it, escape cancels."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="name.cancel")]

    def __init__(
        self, question: str, placeholder: str = "a name, like 'failing this week'"
    ) -> None:
        super().__init__()
        self.question = question
        self.placeholder = placeholder

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm"):
            yield Static(Text(self.question, style="bold"))
            yield Input(placeholder=self.placeholder, id="name-input")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _done(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip() or None)

    def action_cancel(self) -> None:
        self.dismiss(None)


class SavedSearchesScreen(AppModal[str | None]):
    """The saved searches; enter runs one, d deletes it, escape closes."""

    BINDINGS = [
        Binding("escape", "cancel", "Close", id="saved.cancel"),
        Binding("d", "delete", "Delete", id="saved.delete"),
    ]

    def __init__(self, saved: list[tuple[str, str]]) -> None:
        super().__init__()
        self.saved = saved

    def compose(self) -> ComposeResult:
        with Vertical(id="saved-searches"):
            yield Static(Text("Saved searches", style="bold"))
            yield VimOptionList(
                *[
                    Option(Text.assemble((name, "bold"), "  ", (query, "dim")), id=str(n))
                    for n, (name, query) in enumerate(self.saved)
                ],
                id="saved-list",
            )
            yield AppFooter()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.saved[int(event.option.id or 0)][1])

    def action_delete(self) -> None:
        options = self.query_one(OptionList)
        index = options.highlighted
        if index is None:
            return
        name = self.saved[index][0]
        Browser(self.app.service).forget(name)
        self.saved.pop(index)
        options.remove_option_at_index(index)
        self.notify(f"Deleted {name!r}.", timeout=2)

    def action_cancel(self) -> None:
        self.dismiss(None)
