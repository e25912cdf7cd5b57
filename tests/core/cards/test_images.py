"""The images a card's text names, and how a card names one it cannot draw."""

from __future__ import annotations

from studyplan.core.cards.images import image_names, images_as_text


def test_links_and_the_text_form_are_found_in_order_once_each() -> None:
    text = (
        "Curve ![image: plot.png](media/plot%20one.png) then [image: ../x.png], "
        "![b](media/b.png) and ![image: plot.png](media/plot%20one.png) again"
    )
    assert image_names(text) == ["plot one.png", "../x.png", "b.png"]


def test_an_image_in_code_or_math_is_not_an_image() -> None:
    assert image_names("`![a](media/a.png)` and $[image: b.png]$") == []


def test_a_url_escape_cannot_hide_a_path() -> None:
    assert image_names("![x](media/..%2F..%2Fetc%2Fpasswd)") == ["../../etc/passwd"]


def test_a_link_is_shown_as_its_name_in_brackets_escaped_for_markdown() -> None:
    assert images_as_text("See ![alt](media/a_b*.png).") == r"See \[image: a\_b\*.png\]."
    assert images_as_text("`![a](media/a.png)`") == "`![a](media/a.png)`"
