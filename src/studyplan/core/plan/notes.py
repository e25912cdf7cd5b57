"""What a topic's notes name: ``- Resource: ...`` and ``- Deliverable: ...`` items."""

from __future__ import annotations

import re

from studyplan.core.markup import block_parser

_LABELLED = re.compile(r"(resource|deliverable)s?\s*:\s*(\S.*)", re.IGNORECASE | re.DOTALL)
_LINK = re.compile(r"\[([^\]\n]+)\]\((\S+?)\)")
_WS = re.compile(r"\s+")


def labelled_items(notes: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The resources and the deliverables listed in ``notes``, each as one line of text.

    Only list items whose first paragraph starts with ``Resource:`` or
    ``Deliverable:`` count, at any depth; other notes stay notes.
    """
    if not notes or ":" not in notes:
        return (), ()
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
