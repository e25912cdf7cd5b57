"""Lists that move the way a terminal user's hands expect: arrows, and j/k/g/G as in vim."""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import DataTable, OptionList


class VimTable(DataTable):
    """A DataTable that also moves with j/k and jumps with g/G."""

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
        Binding("g", "scroll_top", "First", show=False),
        Binding("G", "scroll_bottom", "Last", show=False),
    ]


class VimOptionList(OptionList):
    """An OptionList that also moves with j/k and jumps with g/G."""

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
        Binding("g", "first", "First", show=False),
        Binding("G", "last", "Last", show=False),
    ]
