"""A card that names an image, at 80x24: the image named as text where the terminal draws
no pictures, drawn where it does, and opened in the system viewer with o (review and the
card view); a missing file or a hostile name is one sentence, and nothing outside the
deck's media folder is ever opened."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from studyplan import media
from studyplan.ui.app import StudyplanApp, build_app
from studyplan.ui.browser import CardInfoScreen
from studyplan.ui.cardview import CardView
from studyplan.ui.images import CardImage
from studyplan.ui.review import ReviewScreen
from tests.helpers import FakeClock
from tests.ui.terminal_size import BIG, SMALL, assert_footer, footer_keys, resize, settle

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGP4z8DwHwAFAAH/iZk9HQAAAABJRU5ErkJggg=="
)
DECK = """+++
name = "Pictures"
+++

## Which curve is this? ![image: plot.png](media/plot.png) {#plot}

---

A sigmoid.

## Where does this point? {#hostile}

---

![image: secret](media/..%2Fsecret.png) and [image: ../../etc/passwd]

## What is missing? {#missing}

---

![image: gone.png](media/gone.png)

## No picture here {#plain}

---

Words only.
"""


class Recorder:
    """Stands in for subprocess.Popen: what would have been run, and how."""

    calls: list[tuple[list[str], dict]] = []

    def __init__(self, args: list[str], **kwargs) -> None:
        Recorder.calls.append((list(args), kwargs))


@pytest.fixture
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> StudyplanApp:
    folder = tmp_path / "bundled"
    (folder / "media").mkdir(parents=True)
    (folder / "media" / "plot.png").write_bytes(PNG)
    (tmp_path / "secret.png").write_bytes(PNG)  # beside the folder: must never be opened
    (folder / "pictures.md").write_text(DECK, encoding="utf-8")
    Recorder.calls = []
    monkeypatch.setattr(media.subprocess, "Popen", Recorder)
    monkeypatch.setattr(media, "viewer_command", lambda: ["/usr/bin/xdg-open"])
    (tmp_path / "c.toml").write_text('new_card_order = "deck"\n')
    return build_app(
        tmp_path / "sp.db", tmp_path / "c.toml", clock=FakeClock(), bundled_decks=folder
    )


def notes(app: StudyplanApp) -> list[str]:
    return [n.message for n in app._notifications]


async def to_card(app: StudyplanApp, pilot, key: str) -> None:
    """Answer cards (grade 4) until the card with id ``key`` is on screen."""
    for _ in range(4):
        current = app.screen.session.current
        if current.key == key:
            return
        await pilot.press("space", "4")
        await pilot.pause()
    raise AssertionError(f"card {key} never came")


async def test_review_names_the_image_and_o_opens_it_in_the_viewer(app: StudyplanApp) -> None:
    async with app.run_test(size=BIG) as pilot:
        await settle(app, pilot)
        await pilot.press("r")
        await settle(app, pilot)
        assert isinstance(app.screen, ReviewScreen)
        await to_card(app, pilot, "plot")
        shown = app.screen.query_one(CardView).text
        assert "Which curve is this? [image: plot.png]" in shown
        assert not app.screen.query_one(CardImage).display  # no pictures in this terminal
        assert_footer(app, "space", "o", "escape")

        await pilot.press("o")
        await pilot.pause()
        folder = Path(app.service.repo.deck_source(app.screen.session.current.deck_id)).parent
        (args, how) = Recorder.calls[-1]
        assert args == ["/usr/bin/xdg-open", str(folder / "media" / "plot.png")]
        assert how["start_new_session"] and how["stdin"] is media.subprocess.DEVNULL
        assert "Opening plot.png in the image viewer." in notes(app)

        await pilot.press("i")  # the card view has the key too
        await settle(app, pilot)
        assert isinstance(app.screen, CardInfoScreen)
        assert footer_keys(app).get("o")
        await pilot.press("o")
        await pilot.pause()
        assert len(Recorder.calls) == 2 and Recorder.calls[-1][0] == args
        await pilot.press("escape")
        await settle(app, pilot)

        await pilot.press("space", "4")  # on to the card whose image points out of the folder
        await settle(app, pilot)
        await to_card(app, pilot, "hostile")
        assert "o" not in footer_keys(app)  # the question names no image
        await pilot.press("space")
        await pilot.pause()
        assert "[image: ../secret.png]" in app.screen.query_one(CardView).text
        await pilot.press("o")
        await pilot.pause()
        assert len(Recorder.calls) == 2  # nothing was opened
        assert "The image '../secret.png' is not a plain file name, so it is not opened." in (
            notes(app)
        )

        await pilot.press("4")
        await settle(app, pilot)
        await to_card(app, pilot, "missing")
        await pilot.press("space", "o")
        await pilot.pause()
        assert len(Recorder.calls) == 2
        assert f"The image gone.png is not in {folder / 'media'}." in notes(app)


async def test_without_a_viewer_o_says_so_in_one_sentence(
    app: StudyplanApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.undo()  # the real viewer_command, with no xdg-open or open to find
    monkeypatch.setattr(media.subprocess, "Popen", Recorder)
    monkeypatch.setattr(media.shutil, "which", lambda name: None)
    async with app.run_test(size=BIG) as pilot:
        await settle(app, pilot)
        await pilot.press("r")
        await settle(app, pilot)
        await to_card(app, pilot, "plot")
        await pilot.press("o")
        await pilot.pause()
        assert Recorder.calls == []
        assert (
            "No image viewer to open it with: studyplan uses xdg-open (open on macOS), "
            "and neither is installed."
        ) in notes(app)


async def test_a_terminal_that_draws_pictures_shows_the_image_under_the_card(
    app: StudyplanApp,
) -> None:
    from textual_image.widget import TGPImage

    app.graphics = "tgp"
    async with app.run_test(size=BIG) as pilot:
        await settle(app, pilot)
        await pilot.press("r")
        await settle(app, pilot)
        await to_card(app, pilot, "plot")
        await pilot.pause()
        image = app.screen.query_one(CardImage)
        assert image.display and image.path is not None and image.path.name == "plot.png"
        assert isinstance(image.children[0], TGPImage)
        assert app.screen.find_widget(app.screen.query_one("#grade-bar")).region.height
        await resize(app, pilot, SMALL)  # 12 rows: the card's text keeps the room
        assert not image.display
        await resize(app, pilot, BIG)
        assert image.display
        await pilot.press("space", "4")
        await settle(app, pilot)
        await to_card(app, pilot, "hostile")
        assert not image.display  # no picture of a file outside the media folder
