"""A card's image is only ever a plain file in its deck's media folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from studyplan.media import ImageProblem, image_file


@pytest.fixture
def deck(tmp_path: Path) -> Path:
    (tmp_path / "decks" / "media").mkdir(parents=True)
    (tmp_path / "decks" / "media" / "plot.png").write_bytes(b"png")
    (tmp_path / "secret.png").write_bytes(b"secret")
    (tmp_path / "decks" / "media" / "out.png").symlink_to(tmp_path / "secret.png")
    (tmp_path / "decks" / "media" / "folder.png").mkdir()
    return tmp_path / "decks" / "d.md"


def test_a_plain_name_in_the_folder_is_its_file(deck: Path) -> None:
    assert image_file(deck, "plot.png") == deck.parent / "media" / "plot.png"


@pytest.mark.parametrize(
    ("name", "said"),
    [
        ("../secret.png", "The image '../secret.png' is not a plain file name"),
        ("..", "The image '..' is not a plain file name"),
        ("a\\b.png", "is not a plain file name"),
        ("bell\x07.png", "The image 'bell\u2407.png' is not a plain file name"),
        ("\u202egnp.exe", "is not a plain file name"),
        ("", "is not a plain file name"),
        ("gone.png", "The image gone.png is not in "),
        ("out.png", "The image out.png leads out of "),
        ("folder.png", "The image folder.png is not a file in "),
    ],
)
def test_anything_else_is_one_sentence(deck: Path, name: str, said: str) -> None:
    with pytest.raises(ImageProblem) as err:
        image_file(deck, name)
    assert said in str(err.value) and str(err.value).endswith(".")
