"""Anki's "Notes in Plain Text" export (.txt/.tsv), with its ``#key:value`` header lines.

The header names the separator, whether fields hold HTML, and which columns hold
the guid, note type, deck and tags; the other columns are the note's fields. A
note type is known by its name: Anki's Basic ones, Cloze, or any other (custom).
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

from studyplan.core.errors import SourceError
from studyplan.interop.anki.collection import (
    BASIC_NAMES,
    Card,
    Collection,
    Note,
    NoteType,
    Template,
)

HEADER_KEYS = {
    "separator",
    "html",
    "tags column",
    "deck column",
    "notetype column",
    "guid column",
    "deck",
    "notetype",
    "columns",
    "tags",
    "if matches",
}
SEPARATORS = {
    "tab": "\t",
    "comma": ",",
    "semicolon": ";",
    "space": " ",
    "pipe": "|",
    "colon": ":",
}
MAX_TEXT_BYTES = 64 * 2**20
_CLOZE = re.compile(r"\{\{c(\d+)::")


def looks_like_text_export(head: str) -> bool:
    """True when the file's first line is one of Anki's export headers."""
    first = head.lstrip("\ufeff").split("\n", 1)[0].strip().lower()
    return first.startswith("#") and first[1:].split(":", 1)[0] in HEADER_KEYS and ":" in first


def read_text_export(path: Path) -> Collection:
    """The notes of a text export as a collection of new cards (a text export has no
    scheduling); ``SourceError`` with the line for what cannot be read."""
    try:
        if path.stat().st_size > MAX_TEXT_BYTES:
            raise SourceError(path, None, f"is larger than {MAX_TEXT_BYTES // 2**20} MB")
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as err:
        raise SourceError(path, None, f"is not UTF-8 text ({err.reason})") from None
    except OSError as err:
        raise SourceError(path, None, f"cannot be read ({err.strerror or err})") from None
    lines = text.split("\n")
    header: dict[str, str] = {}
    start = 0
    for number, header_line in enumerate(lines, start=1):
        if not header_line.startswith("#") or ":" not in header_line:
            break
        key, _, value = header_line[1:].partition(":")
        if key.strip().lower() not in HEADER_KEYS:
            raise SourceError(
                path, number, f"unknown header {key.strip()!r} in an Anki text export"
            )
        header[key.strip().lower()] = value.strip()
        start = number
    separator = header.get("separator", "tab")
    delimiter = SEPARATORS.get(separator.lower(), separator)
    if len(delimiter) != 1:
        raise SourceError(path, 1, f"separator {separator!r} is not one character")
    is_html = header.get("html", "false").lower() == "true"
    columns: dict[str, int] = {}
    for name in ("guid", "notetype", "deck", "tags"):
        column = header.get(f"{name} column")
        if column is not None:
            if not column.isdigit() or int(column) < 1:
                raise SourceError(path, None, f"'{name} column' must be a column number")
            columns[name] = int(column) - 1
    default_deck = header.get("deck") or path.stem
    default_type = header.get("notetype") or "Basic"

    col = Collection(scheduled=False)
    deck_ids: dict[str, int] = {}
    types: dict[str, NoteType] = {}
    reader = csv.reader(lines[start:], delimiter=delimiter, quotechar='"', strict=True)
    try:
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            line = start + reader.line_num

            def get(name: str, row: list[str] = row) -> str:
                at = columns.get(name)
                return row[at] if at is not None and at < len(row) else ""

            fields = [cell for i, cell in enumerate(row) if i not in columns.values()]
            while fields and not fields[-1] and len(fields) > 2:
                fields.pop()
            if not fields:
                raise SourceError(path, line, "this note has no fields")
            type_name = get("notetype") or default_type
            notetype = types.get(type_name) or _notetype(type_name, len(types) + 1)
            types[type_name] = notetype
            deck = get("deck") or default_deck
            deck_id = deck_ids.setdefault(deck, len(deck_ids) + 1)
            note_id = len(col.notes) + 1
            guid = get("guid") or f"txt-{path.stem}-{line}"
            if not is_html:
                from studyplan.interop.anki.convert import plain_to_html

                fields = [plain_to_html(f) for f in fields]
            col.notes.append(
                Note(note_id, guid, notetype.id, tuple(fields), tuple(get("tags").split()), deck)
            )
            for ord_ in _card_ords(notetype, fields):
                col.cards.append(
                    Card(note_id * 1000 + ord_, note_id, ord_, deck_id, 0, 0, 0, 0, 0, 0, 0)
                )
    except csv.Error as err:
        raise SourceError(
            path, start + reader.line_num, f"cannot be read as {separator}-separated text ({err})"
        ) from None
    col.decks = {i: name for name, i in deck_ids.items()}
    col.notetypes = {t.id: t for t in types.values()}
    return col


def _notetype(name: str, number: int) -> NoteType:
    stock = {n: i for i, n in enumerate(BASIC_NAMES, start=1)}.get(name, 0)
    cloze = name.lower().startswith("cloze")
    if name.startswith("Image Occlusion"):
        stock = 6
    count = 2 if stock in (2, 3) else 1
    templates = tuple(Template(f"Card {n}", "", "") for n in range(1, count + 1))
    return NoteType(number, name, cloze, (), templates, stock)


def _card_ords(notetype: NoteType, fields: list[str]) -> list[int]:
    if notetype.cloze:
        numbers = sorted({int(n) for n in _CLOZE.findall(fields[0])})
        return [n - 1 for n in numbers] or [0]
    if notetype.stock_kind == 2:
        return [0, 1]
    if notetype.stock_kind == 3:
        return [0, 1] if len(fields) > 2 and fields[2].strip() else [0]
    return [0]
