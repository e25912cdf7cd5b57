"""The images a card's text names: ``![alt](media/name.png)`` (as the Anki import writes
them) and the ``[image: name.png]`` text form. Pure: names only, no files.

Outside code and math only: an image written inside a code span is code.
"""

from __future__ import annotations

import re
from urllib.parse import unquote

from studyplan.core.markup import mask_code_and_math

MEDIA_PREFIX = "media/"
_LINK = re.compile(r"!\[([^\]\n]*)\]\(\s*<?([^()<>\s]+)>?(?:\s+\"[^\"\n]*\")?\s*\)")
_TEXT = re.compile(r"\[image: ([^\]\n]+)\]")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]])")


def _found(text: str) -> list[re.Match[str]]:
    masked = mask_code_and_math(text) if ("`" in text or "$" in text) else text
    links = list(_LINK.finditer(masked))
    inside = [(m.start(), m.end()) for m in links]  # a link's alt text is no second image
    texts = [m for m in _TEXT.finditer(masked) if not any(a <= m.start() < b for a, b in inside)]
    return sorted([*links, *texts], key=lambda m: m.start())


def _name(found: re.Match[str], text: str) -> str:
    target = text[found.start(found.lastindex or 1) : found.end(found.lastindex or 1)]
    if found.re is _LINK:
        target = unquote(target)
        target = target.removeprefix(MEDIA_PREFIX)
    return target


def image_names(text: str) -> list[str]:
    """The images ``text`` names, each once, in order; a name is as written after
    ``media/`` (URL escapes such as ``%20`` decoded): it may still be hostile."""
    names = [_name(found, text) for found in _found(text)]
    return list(dict.fromkeys(names))


def images_as_text(text: str) -> str:
    """``text`` with each image link written as ``[image: name]``, escaped so that
    markdown shows it as typed (how a card shows an image a terminal cannot draw)."""
    found = [m for m in _found(text) if m.re is _LINK]
    if not found:
        return text
    out, at = [], 0
    for match in found:
        out.append(text[at : match.start()])
        out.append(r"\[image: " + _MARKDOWN_SPECIAL.sub(r"\\\1", _name(match, text)) + r"\]")
        at = match.end()
    out.append(text[at:])
    return "".join(out)
