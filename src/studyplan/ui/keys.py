"""The keys panel (f1): this screen's own keys and what each does, beside the screen."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.dom import DOMNode
from textual.widgets import Static


def own_bindings(node: DOMNode) -> list[Binding]:
    """The bindings ``node``'s classes declare (subclass first), each once, in order."""
    seen: set[str] = set()
    out: list[Binding] = []
    for cls in type(node).__mro__:
        for item in cls.__dict__.get("BINDINGS", []):
            binding = item if isinstance(item, Binding) else Binding(*item)
            if binding.action not in seen:
                seen.add(binding.action)
                out.append(binding)
    return out


class KeysPanel(VerticalScroll, can_focus=False):
    """Lists the screen's keys; the screen keeps focus, so every key still works."""

    DEFAULT_CSS = """
    KeysPanel {
        dock: right;
        width: 33%;
        min-width: 30;
        max-width: 60;
        height: 1fr;
        padding: 0 1;
        border-left: vkey $foreground 30%;
        background: $surface;
    }
    """

    def compose(self) -> ComposeResult:
        yield Static(id="keys-table")

    def on_mount(self) -> None:
        self.refresh_keys()

    def refresh_keys(self) -> None:
        """Read the keys of the screen the panel sits on (after a keymap change, say)."""
        screen, app = self.screen, self.app
        table = Table.grid(padding=(0, 1))
        table.add_column(style="bold", no_wrap=True)
        table.add_column()
        remapped: dict[str, str] = getattr(app, "keymap_applied", {})
        for binding in [*own_bindings(screen), *own_bindings(app)]:
            if not binding.description:
                continue
            key = remapped.get(binding.id or "", binding.key)
            keys = [k.strip() for k in key.split(",")]
            if binding.id in remapped:
                binding = Binding(key, binding.action, binding.description)
            shown = binding.key_display or " ".join(
                app.get_key_display(Binding(key, binding.action)) for key in keys
            )
            table.add_row(Text(shown), Text(binding.description))
        title = type(screen).__name__.removesuffix("Screen")
        self.query_one("#keys-table", Static).update(_stack(title, table))


def _stack(title: str, table: Table) -> Table:
    outer = Table.grid()
    outer.add_row(Text(f"Keys · {title}", style="bold"))
    outer.add_row(Text("f1 closes this panel", style="dim"))
    outer.add_row("")
    outer.add_row(table)
    return outer
