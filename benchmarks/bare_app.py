"""Baseline: a bare Textual app.

python bare_app.py SPAWNED_EPOCH   headless: prints seconds from spawn to its first frame
python bare_app.py --terminal      in a terminal: `x` repaints a card-sized area (the
                                   floor for key -> screen in a pseudo-terminal)
"""

import sys
import time

from textual.app import App
from textual.binding import Binding
from textual.widgets import Footer, Static

CARD = "\n".join(f"line {n}: a card's worth of text, repainted whole by a key" for n in range(12))


class Bare(App[float]):
    BINDINGS = [Binding("x", "flip", "Flip")]

    def __init__(self, spawned: float | None) -> None:
        super().__init__()
        self.spawned = spawned
        self.flips = 0

    def compose(self):
        yield Static(CARD, id="card")
        yield Footer()

    def on_mount(self) -> None:
        if self.spawned is not None:
            self.call_after_refresh(self.done)

    def done(self) -> None:
        self.exit(time.time() - self.spawned)

    def action_flip(self) -> None:
        self.flips += 1
        self.query_one("#card", Static).update(CARD.upper() if self.flips % 2 else CARD)


if __name__ == "__main__":
    if sys.argv[1:] == ["--terminal"]:
        Bare(None).run()
    else:
        print(f"{Bare(float(sys.argv[1])).run(headless=True):.4f}")
