"""studyplan from process spawn to the first card on screen, built as `studyplan review` builds it."""

import os
import sys
import time
from pathlib import Path

SPAWNED = float(sys.argv[1])
DB = Path(sys.argv[2])

import gc  # noqa: E402

gc.disable()  # as `studyplan review` does before its imports (cli._main)

from studyplan import paths  # noqa: E402
from studyplan.service import Studyplan  # noqa: E402
from studyplan.ui.app import StudyplanApp  # noqa: E402
from studyplan.ui.review import ReviewScreen  # noqa: E402


class Timed(StudyplanApp):
    def on_review_screen_card_shown(self, message: ReviewScreen.CardShown) -> None:
        self.call_after_refresh(self.done)

    def done(self) -> None:
        # Printed and gone at once: quitting would wait for the day's backup to finish
        # (a first start of a study day on 5M rows backs up hundreds of MB).
        print(f"{time.time() - SPAWNED:.4f}", flush=True)
        os._exit(0)


service = Studyplan(DB, paths.config_file())
Timed(service, start="review").run(headless=True)
