"""What a topic's notes name: ``- Resource: ...`` and ``- Deliverable: ...`` items."""

from __future__ import annotations

import re

from studyplan.core.markup import block_parser

_LABELLED = re.compile(r"(resource|deliverable)s?\s*:\s*(\S.*)", re.IGNORECASE | re.DOTALL)
_LINK = re.compile(r"\[([^\]\n]+)\]\((\S+?)\)")
_WS = re.compile(r"\s+")


_ITEM = re.compile(r"( {0,3}|\s*)([-*+]|\d{1,9}[.)])( +|$)(.*)")
_PLAIN = re.compile(r"```|~~~|<|\t|^ {4}", re.MULTILINE)


def labelled_items(notes: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The resources and the deliverables listed in ``notes``, each as one line of text.

    Only list items whose first paragraph starts with ``Resource:`` or
    ``Deliverable:`` count, at any depth; other notes stay notes.
    """
    if not notes or ":" not in notes:
        return (), ()
    if not _PLAIN.search(notes):
        # Plain lists (no code, no HTML, no indented blocks), as plan notes almost always
        # are: read line by line, which gives markdown's answer at a tenth of the cost.
        return _plain_items(notes)
    return _markdown_items(notes)


def _plain_items(notes: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    found: dict[str, list[str]] = {"resource": [], "deliverable": []}
    items: list[str] = []
    current: list[str] | None = None
    for line in notes.split("\n"):
        item = _ITEM.fullmatch(line)
        if item:
            current = [item.group(4)]
            items.append("")
        elif not line.strip() or line.lstrip().startswith(("#", "---", "***", "___", "=", ">")):
            current = None  # a blank line (or a heading, rule, quote) ends the paragraph
        elif current is not None:
            current.append(line.strip())
        if current is not None and items:
            items[-1] = " ".join(current)
    for text in items:
        labelled = _LABELLED.fullmatch(text.strip())
        if labelled:
            found[labelled.group(1).lower()].append(_WS.sub(" ", labelled.group(2)).strip())
    return tuple(found["resource"]), tuple(found["deliverable"])


def _markdown_items(notes: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    found: dict[str, list[str]] = {"resource": [], "deliverable": []}
    tokens = block_parser().parse(notes)
    for i, token in enumerate(tokens[:-2]):
        if token.type != "list_item_open" or tokens[i + 1].type != "paragraph_open":
            continue
        labelled = _LABELLED.fullmatch(tokens[i + 2].content.strip())
        if labelled:
            found[labelled.group(1).lower()].append(_WS.sub(" ", labelled.group(2)).strip())
    return tuple(found["resource"]), tuple(found["deliverable"])


def plain_links(text: str) -> str:
    """Markdown links as ``title <url>``, for places that show plain text."""
    return _LINK.sub(lambda m: f"{m.group(1)} <{m.group(2)}>", text)
