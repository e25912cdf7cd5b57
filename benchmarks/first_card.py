"""studyplan from process spawn to the first card on screen, through the command line's own
`studyplan --db DB review` (argument parsing, the terminal's picture check and all).

The app is the real one, headless, with a hook that prints the seconds since ``SPAWNED``
once the first frame holding the card at the terminal's size is composed
(``App._display``, where a terminal would be written to; headless, nothing is) and
leaves at once. bare_app.py stops at its
own first frame the same way. Work the app does after that frame (the rest of the day's
queue, rendering ahead) is not counted; work before it is, whatever posts messages when.
"""

import os
import sys
import time
from pathlib import Path

SPAWNED = float(sys.argv[1])
DB = Path(sys.argv[2])

import gc  # noqa: E402

gc.disable()  # as `studyplan review` does before its imports (cli._main)

from studyplan.ui import app as app_module  # noqa: E402
from studyplan.ui.cardview import CardView  # noqa: E402
from studyplan.ui.review import ReviewScreen  # noqa: E402


class Timed(app_module.StudyplanApp):
    sized = False

    def on_resize(self) -> None:  # called besides the app's own (Textual walks the MRO)
        self.sized = True

    def _display(self, screen, renderable) -> None:
        super()._display(screen, renderable)
        # The card in a frame of the terminal's size: headless, the first layout can come
        # at Rich's default 80x25 before the driver's size (80x24) arrives; that frame
        # does not count, the next one does.
        if renderable is not None and self.sized and isinstance(screen, ReviewScreen):
            if screen.size == self.size and screen.query_one(CardView).text.strip():
                self.done()

    def done(self) -> None:
        # Printed and gone at once: quitting would wait for the day's backup to finish
        # (a first start of a study day on 5M rows backs up hundreds of MB).
        print(f"{time.time() - SPAWNED:.4f}", flush=True)
        os._exit(0)

    def run(self, *args, **kwargs):  # the benchmark has no terminal to draw on
        return super().run(headless=True)


app_module.StudyplanApp = Timed  # type: ignore[misc]  # what the command line makes

from studyplan.cli import main  # noqa: E402

main(["--db", str(DB), "review"])
