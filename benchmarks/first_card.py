"""studyplan from process spawn to the first card on screen, built as `studyplan review` builds it."""

import sys
import time
from pathlib import Path

SPAWNED = float(sys.argv[1])
DB = Path(sys.argv[2])

from studyplan import paths  # noqa: E402
from studyplan.service import Studyplan  # noqa: E402
from studyplan.ui.app import StudyplanApp  # noqa: E402
from studyplan.ui.review import ReviewScreen  # noqa: E402


class Timed(StudyplanApp):
    def on_review_screen_card_shown(self, message: ReviewScreen.CardShown) -> None:
        self.call_after_refresh(self.done)

    def done(self) -> None:
        self.exit(time.time() - SPAWNED)


service = Studyplan(DB, paths.config_file())
print(f"{Timed(service, start='review').run(headless=True):.4f}")
