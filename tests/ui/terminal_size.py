"""Helpers for driving screens at 80x24 and 40x12: sizes, settling, what is whole on screen."""

from __future__ import annotations

import io
from pathlib import Path

from rich.console import Console
from textual.widget import Widget
from textual.widgets import Static
from textual.widgets._footer import FooterKey

from studyplan.ui.app import StudyplanApp, build_app
from studyplan.ui.cardview import CardView
from studyplan.ui.home import HomeScreen
from tests.helpers import FakeClock, write_deck

BIG = (80, 24)
SMALL = (40, 12)
CARDS = {
    "What is the capital of France?": "Paris, on the Seine.",
    "What is the capital of Italy?": "Rome, on the Tiber.",
    "What is the capital of Spain?": "Madrid, in the middle.",
}


def make_app(tmp_path: Path, deck: str = "Capitals") -> StudyplanApp:
    folder = tmp_path / "bundled"
    write_deck(folder, deck, CARDS)
    return build_app(
        tmp_path / "sp.db", tmp_path / "c.toml", clock=FakeClock(), bundled_decks=folder
    )


async def settle(app: StudyplanApp, pilot) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()


async def resize(app: StudyplanApp, pilot, size: tuple[int, int]) -> None:
    await pilot.resize_terminal(*size)
    await settle(app, pilot)
    assert app.screen.size == size


def text_of(widget: Widget) -> str:
    content = widget.content if isinstance(widget, Static) else widget
    console = Console(width=200, file=io.StringIO(), color_system=None)
    with console.capture() as capture:
        console.print(content)
    return capture.get()


def widget(app: StudyplanApp, target: str | type[Widget] | Widget) -> Widget:
    return target if isinstance(target, Widget) else app.screen.query_one(target)


def assert_whole(app: StudyplanApp, *targets: str | type[Widget] | Widget) -> None:
    """Each widget is laid out, has a size and is on screen uncut."""
    for target in targets:
        found = widget(app, target)
        geometry = app.screen.find_widget(found)  # NoWidget when it is not laid out
        assert geometry.region.width and geometry.region.height, f"{target} has no size"
        assert geometry.visible_region == geometry.region, (
            f"{target} is cut at {app.size}: {geometry.region} shows {geometry.visible_region}"
        )


def visible_height(app: StudyplanApp, target: str | Widget) -> int:
    return app.screen.find_widget(widget(app, target)).visible_region.height


def assert_focus_in_view(app: StudyplanApp) -> None:
    focused = app.screen.focused
    if focused is not None:
        assert app.screen.find_widget(focused).visible_region.area, f"{focused} is out of view"


def footer_keys(app: StudyplanApp) -> dict[str, bool]:
    """Each footer key, and whether it is whole on screen."""
    keys = {}
    for key in app.screen.query(FooterKey):
        if "-command-palette" in key.classes or not key.display:
            continue
        geometry = app.screen.find_widget(key)
        keys[key.key] = bool(geometry.region.area) and geometry.visible_region == geometry.region
    return keys


def assert_footer(app: StudyplanApp, *essential: str) -> None:
    """The essential keys are whole in the footer (all of them when none are named)."""
    keys = footer_keys(app)
    assert keys, "no footer keys"
    wanted = essential or tuple(keys)
    cut = [key for key in wanted if not keys.get(key)]
    assert not cut, f"footer keys cut or missing at {app.size}: {cut} of {keys}"


def card_in_view(app: StudyplanApp) -> str:
    """The card's lines that are inside the card view right now."""
    view = app.screen.query_one(CardView)
    top = view.scroll_offset.y
    return "\n".join(view.text.splitlines()[top : top + view.size.height])


def check_home(app: StudyplanApp, rows: int) -> None:
    assert isinstance(app.screen, HomeScreen)
    assert_whole(app, "#home-title", "#home-today")
    assert "3 new" in text_of(app.screen.query_one("#home-today"))
    assert app.screen.find_widget(app.screen.query_one("#home-today")).region.width >= 30
    assert visible_height(app, "#decks") >= rows  # the header, All decks and Capitals
    assert_focus_in_view(app)
