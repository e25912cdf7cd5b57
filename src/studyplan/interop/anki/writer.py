"""Writing decks as an Anki package (.apkg) with genanki.

Basic cards become Anki's Basic notes (a card with its reverse, ``x`` and ``x-2``,
one "Basic (and reversed card)" note), cloze cards one Cloze note per note,
tags are kept, formulas become MathJax ``\\(...\\)`` / ``\\[...\\]`` and code
``<pre><code>``. Cards imported from Anki keep their note's guid, so Anki updates
those notes instead of adding copies. Scheduling is not carried: Anki starts the
cards as new.
"""

from __future__ import annotations

import hashlib
import html
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from studyplan.interop.anki.convert import MEDIA_FOLDER
from studyplan.interop.anki.decks import guid_of

_IMG = re.compile(r'<img src="([^"]+)"')
_MATH_WRAPPER = re.compile(r'<(span|div) class="math [^"]*">(.*?)</\1>', re.DOTALL)
CSS = ".card { font-family: sans-serif; font-size: 20px; text-align: left; }"


@dataclass
class ExportDeck:
    """A deck as written: its name, its folder (for images) and its parsed cards."""

    key: str
    name: str
    folder: Path
    cards: list[Any] = field(default_factory=list)
    """``core.cards.deck.Card`` objects."""


def _stable_id(text: str) -> int:
    return int(hashlib.sha1(text.encode()).hexdigest()[:12], 16) % (1 << 40) + (1 << 30)


def markdown_to_html(text: str) -> str:
    """Card markdown as Anki field HTML, with MathJax delimiters."""
    from markdown_it import MarkdownIt
    from mdit_py_plugins.dollarmath import dollarmath_plugin

    def math(content: str, options: dict[str, Any]) -> str:
        body = html.escape(content.strip(), quote=False)
        return f"\\[{body}\\]" if options.get("display_mode") else f"\\({body}\\)"

    md = MarkdownIt("commonmark", {"breaks": False, "html": False}).use(
        dollarmath_plugin, double_inline=True, renderer=math
    )
    out = _MATH_WRAPPER.sub(r"\2", md.render(text)).strip()
    if out.startswith("<p>") and out.endswith("</p>") and out.count("<p>") == 1:
        out = out[3:-4]
    return out


def write_apkg(decks: list[ExportDeck], out: Path) -> int:
    """Write ``decks`` to the package ``out``; returns the number of notes written."""
    import genanki  # type: ignore[import-untyped]

    basic = genanki.Model(
        1607392319,
        "Basic",
        fields=[{"name": "Front"}, {"name": "Back"}],
        templates=[
            {
                "name": "Card 1",
                "qfmt": "{{Front}}",
                "afmt": "{{FrontSide}}<hr id=answer>{{Back}}",
            }
        ],
        css=CSS,
    )
    reversed_ = genanki.Model(
        1607392320,
        "Basic (and reversed card)",
        fields=[{"name": "Front"}, {"name": "Back"}],
        templates=[
            {"name": "Card 1", "qfmt": "{{Front}}", "afmt": "{{FrontSide}}<hr id=answer>{{Back}}"},
            {"name": "Card 2", "qfmt": "{{Back}}", "afmt": "{{FrontSide}}<hr id=answer>{{Front}}"},
        ],
        css=CSS,
    )
    cloze = genanki.Model(
        1607392321,
        "Cloze",
        fields=[{"name": "Text"}, {"name": "Back Extra"}],
        templates=[
            {
                "name": "Cloze",
                "qfmt": "{{cloze:Text}}",
                "afmt": "{{cloze:Text}}<br>{{Back Extra}}",
            }
        ],
        css=CSS,
        model_type=genanki.Model.CLOZE,
    )
    media: dict[str, Path] = {}
    written = 0
    packaged = []
    for deck in decks:
        anki_deck = genanki.Deck(_stable_id(deck.key), deck.name.replace(" · ", "::"))
        by_key = {card.key: card for card in deck.cards}
        done: set[str] = set()
        for card in deck.cards:
            note_key = card.key.split("#", 1)[0]
            if note_key in done:
                continue
            done.add(note_key)
            guid = guid_of(card.key) if card.key.startswith("anki-") else None
            tags = list(card.tags)
            if card.kind == "cloze":
                title = card.front.split("\n\n", 1)[0]
                text = card.cloze_text
                if title != "Fill in the blank":
                    text = f"{title}\n\n{text}"
                fields = [_html(text, deck, media), ""]
                model = cloze
            else:
                reverse_key = card.key[:-2] if re.fullmatch(r"anki-[0-9a-f]+-2", card.key) else None
                if reverse_key and reverse_key in by_key:
                    continue  # the reverse of a card written with it
                pair = by_key.get(f"{card.key}-2")
                model = reversed_ if pair is not None else basic
                fields = [_html(card.front, deck, media), _html(card.back, deck, media)]
                if guid and re.fullmatch(r"anki-[0-9a-f]+-\d+", card.key):
                    guid = None  # one card of a note with several: a note of its own now
            note = genanki.Note(
                model=model,
                fields=fields,
                tags=tags,
                guid=guid or genanki.guid_for(deck.key, note_key),
            )
            anki_deck.add_note(note)
            written += 1
        packaged.append(anki_deck)
    genanki.Package(packaged, media_files=[str(p) for p in media.values()]).write_to_file(str(out))
    return written


def _html(text: str, deck: ExportDeck, media: dict[str, Path]) -> str:
    out = markdown_to_html(text)

    def image(found: re.Match[str]) -> str:
        src = html.unescape(found.group(1)).replace("%20", " ")
        path = (deck.folder / src).resolve()
        if path.is_file():
            media.setdefault(path.name, path)
            return f'<img src="{html.escape(path.name)}"'
        return found.group(0)

    return _IMG.sub(image, out)


__all__ = ["MEDIA_FOLDER", "ExportDeck", "markdown_to_html", "write_apkg"]
