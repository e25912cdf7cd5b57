"""Baseline: a bare Textual app.

python bare_app.py SPAWNED_EPOCH   headless: prints seconds from spawn to its first frame
                                   (composed: ``App._display``, as first_card.py stops)
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
        self.took: float | None = None
        self.sized = False
        self.flips = 0

    def compose(self):
        yield Static(CARD, id="card")
        yield Footer()

    def on_resize(self) -> None:
        self.sized = True

    def _display(self, screen, renderable) -> None:
        super()._display(screen, renderable)
        if renderable is None or not self.sized or screen.size != self.size:
            return  # as first_card.py: a frame of the terminal's size
        if self.spawned is not None and self.took is None:
            self.took = time.time() - self.spawned  # the first frame (as first_card.py)
            self.exit(self.took)

    def action_flip(self) -> None:
        self.flips += 1
        self.query_one("#card", Static).update(CARD.upper() if self.flips % 2 else CARD)


if __name__ == "__main__":
    if sys.argv[1:] == ["--terminal"]:
        Bare(None).run()
    else:
        print(f"{Bare(float(sys.argv[1])).run(headless=True):.4f}")
