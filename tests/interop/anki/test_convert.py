"""Field HTML to markdown: the quick path for simple fields says what the library says."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from studyplan.interop.anki.convert import _markdownify, _simple_html, field_to_markdown

PIECES = [
    "a",
    "Word",
    "é",
    "1.",
    " ",
    "  ",
    "\t",
    "\xa0",
    "\n",
    "*",
    "_",
    "`",
    "\\",
    "#",
    "-",
    "[",
    "]",
    "<",
    ">",
    "&",
    "&amp;",
    "&nbsp;",
    "&lt;",
    "&gt;",
    "&quot;",
    "&#39;",
    "&amp;nbsp;",
    "&nbsp",
    "&AMP;",
    "&#42;",
    "&#95;",
    "&foo;",
    "&lt;b&gt;",
    "MATHXX0XX",
    "<b>",
    "</b>",
    "<strong>",
    "</strong>",
    "<i>",
    "</i>",
    "<em>",
    "</em>",
    "<code>",
    "</code>",
    "<br>",
    "<br/>",
    "<br />",
    "<BR>",
    "<b >",
    "<u>",
    "</u>",
    "<div>",
    "</div>",
]


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=14).map("".join))
def test_the_quick_path_gives_what_markdownify_gives(html: str) -> None:
    quick = _simple_html(html)
    if quick is not None:
        assert quick == _markdownify(html)


def test_the_fields_most_notes_hold_take_the_quick_path() -> None:
    assert _simple_html("Question <b>7</b>?") == "Question **7**?"
    assert _simple_html("x<br>with <code>a_b</code> and <i>y_z</i>") == (
        "x\\\nwith `a_b` and *y\\_z*"
    )
    assert _simple_html("<div>block</div>") is None
    # The entities Anki's editor writes: decoded as the library decodes them.
    assert _simple_html("a&nbsp;<b>b &amp; c</b> &lt;d&gt;") == "a\xa0**b & c** <d>"
    assert _simple_html("&amp;nbsp;") == "&nbsp;"
    assert _simple_html("a &copy; b") is None
    assert _simple_html("<b><i>nested</i></b>") is None


def test_a_field_reads_the_same_either_way() -> None:
    field = "Answer <b>7</b><br>with \\(e^{7}\\) and <code>code</code>"
    assert field_to_markdown(field).text == "Answer **7**\\\nwith $e^{7}$ and `code`"
