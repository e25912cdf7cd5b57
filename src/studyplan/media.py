"""A card's images on disk: found only in its deck's ``media`` folder, opened in the
system's image viewer (``xdg-open``, or ``open`` on macOS), detached from studyplan."""

from __future__ import annotations

import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

from studyplan.core.cards.images import image_names
from studyplan.core.text import visible

MEDIA_FOLDER = "media"


class ImageProblem(Exception):
    """An image that cannot be shown or opened; ``str()`` is one sentence."""


def card_images(deck_source: str | Path | None, text: str) -> list[str]:
    """The images ``text`` names (see ``core.cards.images``), for a card of the deck read
    from ``deck_source``; empty for a card with none."""
    return image_names(text) if deck_source else []


def image_file(deck_source: str | Path, name: str) -> Path:
    """The file of image ``name`` in the media folder beside the deck file.

    Raises ``ImageProblem`` for a name that is not a plain file name (a path, ``..``,
    control characters), a file that resolves outside the folder, or a missing file.
    """
    shown = visible(name)
    if (
        not name
        or name.startswith(".")
        or any(c in name for c in "/\\")
        or any(unicodedata.category(c) in ("Cc", "Cf") for c in name)
    ):
        raise ImageProblem(f"The image {shown!r} is not a plain file name, so it is not opened.")
    folder = Path(deck_source).parent / MEDIA_FOLDER
    path = folder / name
    try:
        inside = path.resolve(strict=True).parent == folder.resolve(strict=True)
    except (OSError, RuntimeError):  # missing, or a link loop
        raise ImageProblem(f"The image {shown} is not in {visible(str(folder))}.") from None
    if not inside:  # a link out of the folder
        raise ImageProblem(
            f"The image {shown} leads out of {visible(str(folder))}, so it is not opened."
        )
    if not path.is_file():
        raise ImageProblem(f"The image {shown} is not a file in {visible(str(folder))}.")
    return path


def viewer_command() -> list[str] | None:
    """The system's command that opens a file in its viewer, or None when there is none."""
    for name in ("open", "xdg-open") if sys.platform == "darwin" else ("xdg-open",):
        found = shutil.which(name)
        if found:
            return [found]
    return None


def open_image(path: Path) -> None:
    """Open ``path`` in the system viewer, detached (studyplan does not wait for it)."""
    command = viewer_command()
    if command is None:
        raise ImageProblem(
            "No image viewer to open it with: studyplan uses xdg-open (open on macOS), "
            "and neither is installed."
        )
    try:
        subprocess.Popen(
            [*command, str(path)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
            close_fds=True,
        )
    except OSError as err:
        raise ImageProblem(f"The image viewer could not start ({err.strerror or err}).") from None
