"""What studyplan's screens share: the app, typed as what it is."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from textual.screen import ModalScreen, Screen

NARROW = 60  # columns: below it screens are -narrow, and tables put what matters first

if TYPE_CHECKING:
    from textual import getters

    from studyplan.ui.app import StudyplanApp

ResultT = TypeVar("ResultT")

# Only the type checker needs to know the app's class (app.py imports the screens, so
# the screens cannot import it at run time); at run time ``app`` is Textual's own.


class AppScreen(Screen[ResultT]):
    """A full screen of studyplan's."""

    if TYPE_CHECKING:
        app = getters.app(StudyplanApp)


class AppModal(ModalScreen[ResultT]):
    """A modal screen of studyplan's that returns a value with ``dismiss``."""

    if TYPE_CHECKING:
        app = getters.app(StudyplanApp)
