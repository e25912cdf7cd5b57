"""Anki field HTML to studyplan's card markdown.

Formulas are taken out before the HTML is converted (so no ``\\`` or ``_`` in them
is escaped) and put back as ``$...$`` (inline) or ``$$...$$`` (display). Sound is
dropped, as studyplan plays none; images point into the deck's ``media`` folder.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

MEDIA_FOLDER = "media"

_SOUND = re.compile(r"\[sound:([^\]]*)\]")
_MATH = re.compile(
    r"\\\((?P<i1>.+?)\\\)|\\\[(?P<d1>.+?)\\\]|\[\$\](?P<i2>.+?)\[/\$\]"
    r"|\[\$\$\](?P<d2>.+?)\[/\$\$\]|\[latex\](?P<i3>.+?)\[/latex\]",
    re.DOTALL,
)
_TAGS_IN_MATH = re.compile(r"<br\s*/?>|<[^>]+>", re.IGNORECASE)
_HEADING = re.compile(r"<(/?)h[1-6][^>]*>", re.IGNORECASE)
_HR = re.compile(r"<hr[^>]*>", re.IGNORECASE)
_IMAGE = re.compile(r"!\[[^\]]*\]\(<?([^)>\s]+)>?(?:\s+\"[^\"]*\")?\)")
_PLACEHOLDER = re.compile(r"MATHXX(\d+)XX")
_RULE_LINE = re.compile(r"^\s*([-*_])(\s*\1){2,}\s*$")
# The HTML most fields hold: text, line breaks and unnested bold, italics and code.
_SIMPLE_PIECE = re.compile(r"<br\s?/?>|<(b|strong|i|em|code)>([^<]*)</\1>")
_INLINE_MARK = {"b": "**", "strong": "**", "i": "*", "em": "*", "code": "`"}
_SPACES = re.compile(r"[\t ]+")
_ENTITIES = {"&nbsp;": "\xa0", "&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"', "&#39;": "'"}
_ENTITY = re.compile("|".join(_ENTITIES))
_TRAILING_BREAK = re.compile(r"\\\n*$")
_BLANK_LINES = re.compile(r"\n{3,}")


@dataclass
class Converted:
    """A field as markdown, with what it referred to."""

    text: str
    images: set[str] = field(default_factory=set)
    sounds: int = 0


def field_to_markdown(value: str, *, is_html: bool = True) -> Converted:
    """One Anki field (HTML, or plain text from a text export) as card markdown."""
    # Each pattern is tried only where its first characters occur: most fields hold none
    # of them, and 17,500 fields made every call count (the same result either way).
    sounds = 0
    if "[sound:" in value:
        sounds = len(_SOUND.findall(value))
        value = _SOUND.sub("", value)
    formulas: list[tuple[str, bool]] = []

    def keep(found: re.Match[str]) -> str:
        display = found.group("d1") is not None or found.group("d2") is not None
        body = next(g for g in found.groups() if g is not None)
        body = html.unescape(_TAGS_IN_MATH.sub(" ", body)).strip()
        formulas.append((body, display))
        return f"MATHXX{len(formulas) - 1}XX"

    if "\\" in value or "[" in value:
        value = _MATH.sub(keep, value)
    if not is_html:
        value = html.escape(value).replace("\n", "<br>")
    if "<h" in value or "<H" in value or "</h" in value or "</H" in value:  # <h1>-<h6>, <hr>
        value = _HEADING.sub(lambda m: "</b></p>" if m.group(1) else "<p><b>", value)
        value = _HR.sub("<br>", value)
    if "<" in value or "&" in value:
        simple = _simple_html(value)
        text = _markdownify(value) if simple is None else simple
    else:
        text = _escape_plain(value)
    images: set[str] = set()

    def image(found: re.Match[str]) -> str:
        name = html.unescape(found.group(1))
        if "/" in name or "\\" in name or name.startswith("."):
            return f"[image: {name}]"
        images.add(name)
        return f"![image: {name}]({MEDIA_FOLDER}/{name.replace(' ', '%20')})"

    if "![" in text:
        text = _IMAGE.sub(image, text)
    if formulas:
        text = _PLACEHOLDER.sub(lambda m: _formula(*formulas[int(m.group(1))]), text)
    return Converted(_tidy(text), images, sounds)


def _formula(body: str, display: bool) -> str:
    body = body.replace("$", r"\$")
    return f"$${body}$$" if display else f"${body}$"


def _markdownify(value: str) -> str:
    return _converter().convert(value)


@cache
def _converter() -> Any:
    from markdownify import MarkdownConverter

    # One converter for every field: making one costs as much as converting a field.
    return MarkdownConverter(
        heading_style="ATX", bullets="-", newline_style="backslash", escape_misc=False
    )


def _simple_html(value: str) -> str | None:
    """What ``_markdownify`` makes of ``value``, without parsing HTML, when ``value`` is
    only text, ``<br>`` and unnested ``<b>``, ``<strong>``, ``<i>``, ``<em>`` and
    ``<code>``, with the entities Anki's editor writes (``&nbsp;``, ``&amp;``, ``&lt;``,
    ``&gt;``, ``&quot;``, ``&#39;``); None for anything else (a test holds it to the
    library's output)."""
    if "\n" in value or "\r" in value:
        return None
    out: list[str] = []
    # One split gives every piece: the text before each mark, the mark's tag (None for a
    # <br>) and what it holds, ..., the text after the last mark.
    pieces = _SIMPLE_PIECE.split(value)
    for at in range(0, len(pieces), 3):
        between = pieces[at]
        if between:
            if "<" in between or ">" in between:
                return None
            text = _entities(between)
            if text is None:
                return None
            out.append(_simple_text(text))
        if at + 1 == len(pieces):
            break
        tag, inner = pieces[at + 1], pieces[at + 2]
        if tag is None:
            out.append("\\\n")
            continue
        if ">" in inner or (tag == "code" and "`" in inner):
            return None
        decoded = _entities(inner)
        if decoded is None:
            return None
        inner = _SPACES.sub(" ", decoded) if "  " in decoded or "\t" in decoded else decoded
        if tag != "code":
            inner = _simple_escape(inner)
        # markdownify's chomp: spaces at the ends move outside the marks
        prefix = " " if inner[:1] == " " else ""
        suffix = " " if inner[-1:] == " " else ""
        inner = inner.strip()
        if inner:
            mark = _INLINE_MARK[tag]
            out.append(f"{prefix}{mark}{inner}{mark}{suffix}")
    return "".join(out).strip("\n")


def _entities(text: str) -> str | None:
    """``text`` with the entities of ``_ENTITIES`` decoded, in one pass (``&amp;nbsp;``
    is ``&nbsp;``); None when it holds any other ``&``, left to the library."""
    if "&" not in text:
        return text
    if "&" in _ENTITY.sub("", text):
        return None
    return _ENTITY.sub(lambda m: _ENTITIES[m.group()], text)


def _simple_text(text: str) -> str:
    if "  " in text or "\t" in text:  # else no run of spaces to make one
        text = _SPACES.sub(" ", text)
    return _simple_escape(text)


def _simple_escape(text: str) -> str:
    return text.replace("*", r"\*").replace("_", r"\_")


def _escape_plain(value: str) -> str:
    return value.replace("\\", "\\\\").replace("*", r"\*").replace("_", r"\_")


def _tidy(text: str) -> str:
    """No line that would end or split a card (a ``#`` heading, a ``---`` rule, ``tags:``)."""
    lines = []
    for line in text.replace("\r\n", "\n").replace("\xa0", " ").split("\n"):
        stripped = line.lstrip()
        first = stripped[:1]
        if first == "#":
            line = line.replace("#", r"\#", 1)
        elif first in "-*_" and _RULE_LINE.match(line):  # ("" is in any string: a blank line)
            continue
        elif first in "tT" and stripped.lower().startswith("tags:"):
            line = line.replace(":", r"\:", 1)
        lines.append(line.rstrip())
    text = "\n".join(lines).strip()
    if text.endswith("\\") or text.endswith("\n"):
        text = _TRAILING_BREAK.sub("", text)  # a <br> at the very end
    if "\n\n\n" in text:
        text = _BLANK_LINES.sub("\n\n", text)
    return text.strip()


def plain_to_html(text: str) -> str:
    """Plain text (a text export without HTML) as HTML that says the same."""
    return html.escape(text, quote=False).replace("\n", "<br>")
