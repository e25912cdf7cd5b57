"""Baseline: a bare Textual app, from process spawn to its first frame (headless)."""

import sys
import time

SPAWNED = float(sys.argv[1])

from textual.app import App  # noqa: E402
from textual.widgets import Footer, Static  # noqa: E402


class Bare(App[float]):
    def compose(self):
        yield Static("hello")
        yield Footer()

    def on_mount(self) -> None:
        self.call_after_refresh(self.done)

    def done(self) -> None:
        self.exit(time.time() - SPAWNED)


print(f"{Bare().run(headless=True):.4f}")
