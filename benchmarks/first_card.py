"""studyplan from process spawn to the first card on screen, through the command line's own
`studyplan --db DB review` (argument parsing, the terminal's picture check and all).

The app is the real one, headless, with a hook that prints the seconds since ``SPAWNED``
once the first card is painted and leaves at once.
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
from studyplan.ui.review import ReviewScreen  # noqa: E402


class Timed(app_module.StudyplanApp):
    def on_review_screen_card_shown(self, message: ReviewScreen.CardShown) -> None:
        self.call_after_refresh(self.done)

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
