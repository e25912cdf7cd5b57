"""A card's image in review and the card view: drawn where the terminal can (Kitty's
graphics protocol or Sixel, through ``textual-image``), otherwise named as text
(``[image: plot.png]``), and opened in the system viewer with a key."""

from __future__ import annotations

import sys
from pathlib import Path

from textual.app import ComposeResult
from textual.containers import Container
from textual.screen import Screen

from studyplan.core.text import visible
from studyplan.media import ImageProblem, card_images, image_file, open_image


def detect_graphics(service) -> str | None:
    """ "sixel" or "tgp" when the terminal draws pictures and a deck has a media folder;
    None otherwise. Asks the terminal, so it must run before the app starts (Textual
    then reads every reply itself); a terminal that does not answer costs a short wait,
    which is why it is asked only when there are images to draw."""
    if not (sys.stdout.isatty() and sys.stdin.isatty()):
        return None
    from studyplan.store.import_repo import deck_sources

    folders = {Path(source).parent / "media" for _, _, source in deck_sources(service.conn)}
    if not any(folder.is_dir() for folder in folders):
        return None
    try:
        import textual_image.widget  # noqa: F401  (measures the cell size while it still can)
        from textual_image.renderable import Image, SixelImage, TGPImage
    except Exception:  # a terminal that answers oddly must not keep the app from starting
        return None
    if Image is SixelImage:
        return "sixel"
    if Image is TGPImage:
        return "tgp"
    return None  # half-cell blocks are no picture: the card names the image instead


def first_image(deck_source: str | None, text: str) -> tuple[str, Path | None] | None:
    """The first image ``text`` names and its file (None when it cannot be opened)."""
    names = card_images(deck_source, text)
    if not names or deck_source is None:
        return None
    try:
        return names[0], image_file(deck_source, names[0])
    except ImageProblem:
        return names[0], None


def open_first_image(screen: Screen, deck_source: str | None, text: str) -> None:
    """Open the first image ``text`` names in the system viewer, or say in one sentence
    why not."""
    names = card_images(deck_source, text)
    if not names or deck_source is None:
        screen.notify("This card shows no image.", timeout=3)
        return
    try:
        open_image(image_file(deck_source, names[0]))
    except ImageProblem as err:
        screen.notify(str(err), severity="warning", timeout=6, markup=False)
        return
    more = f" (the first of {len(names)})" if len(names) > 1 else ""
    screen.notify(
        f"Opening {visible(names[0])}{more} in the image viewer.", timeout=3, markup=False
    )


class CardImage(Container):
    """The card's first image, drawn; hidden when there is none or the terminal cannot."""

    DEFAULT_CSS = """
    CardImage { height: 10; display: none; align-horizontal: center; }
    CardImage > * { width: auto; height: 10; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.path: Path | None = None

    def compose(self) -> ComposeResult:
        return iter(())

    def show(self, path: Path | None, protocol: str | None) -> None:
        """Draw ``path`` with ``protocol`` ("sixel", "tgp"), or hide."""
        if path == self.path and self.display == (path is not None and protocol is not None):
            return
        self.path = path
        self.remove_children()
        if path is None or protocol is None:
            self.display = False
            return
        from textual_image.widget import SixelImage, TGPImage

        widget = SixelImage(path) if protocol == "sixel" else TGPImage(path)
        self.mount(widget)
        self.display = True
