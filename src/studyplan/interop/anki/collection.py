"""Reading an Anki collection file (SQLite): note types, decks, notes, cards, the review log.

Schema 11 (``collection.anki2``/``.anki21``) keeps note types and decks as JSON in
the ``col`` row; schema 15 and later (``collection.anki21b`` is 18) keep them in
tables of their own, with protobuf settings. Notes, cards and the review log
have the same columns in both. This reads Anki's file, never studyplan's: SQL
about studyplan's own database stays in ``store``.
"""

from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import NamedTuple

from studyplan.core.errors import SourceError
from studyplan.interop.anki import protobuf

OLDEST_SCHEMA, NEWEST_SCHEMA = 11, 18
IMAGE_OCCLUSION_STOCK_KIND = 6
BASIC_STOCK_KINDS = (1, 2, 3, 4)  # Basic, and reversed, optional reversed, type in the answer
BASIC_NAMES = (
    "Basic",
    "Basic (and reversed card)",
    "Basic (optional reversed card)",
    "Basic (type in the answer)",
)


@dataclass(frozen=True, slots=True)
class Template:
    """One card type of a note type: its question and answer formats."""

    name: str
    front: str
    back: str


@dataclass(frozen=True, slots=True)
class NoteType:
    """A note type (Anki's "model")."""

    id: int
    name: str
    cloze: bool
    fields: tuple[str, ...]
    templates: tuple[Template, ...]
    stock_kind: int = 0
    """Anki's OriginalStockKind: 0 unknown or custom, 1-4 basic kinds, 5 cloze, 6 image occlusion."""

    @property
    def is_image_occlusion(self) -> bool:
        return self.stock_kind == IMAGE_OCCLUSION_STOCK_KIND or self.name.startswith(
            "Image Occlusion"
        )

    @property
    def is_basic(self) -> bool:
        """One of Anki's Basic note types (front and back, maybe reversed), or one made from it."""
        # By name: Anki marks a note type made with "Add" from Basic as Basic too, so
        # its stock kind does not tell a custom type apart. Copies are "Basic-1a2b3".
        return _is_basic_name(self.name)


@cache
def _is_basic_name(name: str) -> bool:  # asked for every card of a package
    return re.sub(r"-[0-9a-f]{5}$", "", name) in BASIC_NAMES


# Notes, cards and review rows are named tuples, not dataclasses: a package holds tens
# of thousands of each, and a tuple is made from its row in one step.
class Note(NamedTuple):
    id: int
    guid: str
    notetype_id: int
    fields: tuple[str, ...]
    tags: tuple[str, ...]
    deck: str = ""
    """The deck a text export names for it (packages give each card its deck)."""


class Card(NamedTuple):
    id: int
    note_id: int
    ord: int
    deck_id: int
    type: int
    """0 new, 1 learning, 2 review, 3 relearning."""
    queue: int
    """As ``type``, plus -1 suspended, -2 and -3 buried, 3 day-learning."""
    due: int
    interval: int
    factor: int
    reps: int
    lapses: int


class Review(NamedTuple):
    """One row of Anki's review log."""

    id: int
    """The moment of the answer, in milliseconds since 1970 (UTC)."""
    card_id: int
    ease: int
    """1 Again, 2 Hard, 3 Good, 4 Easy; 0 for a manual reschedule."""
    interval: int
    """Days when positive; seconds (negative) for a learning step."""
    factor: int
    time_ms: int
    type: int
    """0 learn, 1 review, 2 relearn, 3 filtered, 4 manual, 5 rescheduled."""


@dataclass
class Collection:
    """What studyplan imports from one Anki collection."""

    created: int = 0
    """``col.crt``: seconds since 1970 at the start of the collection's first day."""
    decks: dict[int, str] = field(default_factory=dict)
    notetypes: dict[int, NoteType] = field(default_factory=dict)
    notes: list[Note] = field(default_factory=list)
    cards: list[Card] = field(default_factory=list)
    reviews: list[Review] = field(default_factory=list)
    scheduled: bool = True
    """False for a text export: it says nothing of the cards' scheduling."""


def read_collection(db_file: Path, package: Path) -> Collection:
    """Read the collection unpacked to ``db_file``; errors name ``package``."""
    uri = f"file:{db_file}?mode=ro"
    try:
        conn = sqlite3.connect(uri, uri=True)
    except sqlite3.Error as err:
        raise SourceError(package, None, f"its collection cannot be opened ({err})") from None
    try:
        return _read(conn, package)
    except sqlite3.DatabaseError as err:
        raise SourceError(
            package, None, f"its collection is damaged or not an Anki collection ({err})"
        ) from None
    finally:
        conn.close()


def _read(conn: sqlite3.Connection, package: Path) -> Collection:
    row = conn.execute("SELECT ver, crt FROM col").fetchone()
    if row is None:
        raise SourceError(package, None, "its collection is empty (no col row)")
    version, created = row
    if not OLDEST_SCHEMA <= version <= NEWEST_SCHEMA:
        newer = version > NEWEST_SCHEMA
        raise SourceError(
            package,
            None,
            f"its collection has schema {version}, which studyplan does not read "
            f"(it reads {OLDEST_SCHEMA} to {NEWEST_SCHEMA})"
            + ("; in Anki, export with 'Support older Anki versions' ticked" if newer else ""),
        )
    col = Collection(created=int(created))
    if version >= 15:
        col.decks = {
            i: n.replace("\x1f", "::") for i, n in conn.execute("SELECT id, name FROM decks")
        }
        col.notetypes = _notetypes_from_tables(conn)
    else:
        models, decks = conn.execute("SELECT models, decks FROM col").fetchone()
        try:
            col.decks = {int(k): str(v["name"]) for k, v in json.loads(decks).items()}
            col.notetypes = _notetypes_from_json(json.loads(models))
        except (ValueError, KeyError, TypeError, AttributeError) as err:
            raise SourceError(
                package, None, f"its collection's note types or decks are damaged ({err})"
            ) from None
    col.notes = [
        Note(id, guid, mid, tuple(flds.split("\x1f")), tuple(tags.split()))
        for id, guid, mid, flds, tags in conn.execute(
            "SELECT id, guid, mid, flds, tags FROM notes ORDER BY id"
        )
    ]
    col.cards = [
        Card._make(row)
        for row in conn.execute(
            "SELECT id, nid, ord, CASE WHEN odid THEN odid ELSE did END, type, queue, "
            "CASE WHEN odid THEN odue ELSE due END, ivl, factor, reps, lapses "
            "FROM cards ORDER BY nid, ord"
        )
    ]
    col.reviews = [
        Review._make(row)
        for row in conn.execute(
            "SELECT id, cid, ease, ivl, factor, time, type FROM revlog ORDER BY cid, id"
        )
    ]
    return col


def _notetypes_from_json(models: dict) -> dict[int, NoteType]:
    found = {}
    for key, model in models.items():
        fields = tuple(f["name"] for f in sorted(model["flds"], key=lambda f: f["ord"]))
        templates = tuple(
            Template(t["name"], t.get("qfmt", ""), t.get("afmt", ""))
            for t in sorted(model["tmpls"], key=lambda t: t["ord"])
        )
        stock = int(model.get("originalStockKind", 0) or 0)
        found[int(key)] = NoteType(
            int(key), model["name"], model.get("type") == 1, fields, templates, stock
        )
    return found


def _notetypes_from_tables(conn: sqlite3.Connection) -> dict[int, NoteType]:
    fields: dict[int, list[str]] = {}
    for ntid, name in conn.execute("SELECT ntid, name FROM fields ORDER BY ntid, ord"):
        fields.setdefault(ntid, []).append(name)
    templates: dict[int, list[Template]] = {}
    for ntid, name, config in conn.execute(
        "SELECT ntid, name, config FROM templates ORDER BY ntid, ord"
    ):
        front, back = (_text(protobuf.first(config, n, b"")) for n in (1, 2))
        templates.setdefault(ntid, []).append(Template(name, front, back))
    found = {}
    for ntid, name, config in conn.execute("SELECT id, name, config FROM notetypes"):
        kind = protobuf.first(config, 1, 0)
        stock = protobuf.first(config, 9, 0)
        found[ntid] = NoteType(
            ntid,
            name,
            kind == 1,
            tuple(fields.get(ntid, ())),
            tuple(templates.get(ntid, ())),
            int(stock) if isinstance(stock, int) else 0,
        )
    return found


def _text(value: int | bytes) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else ""
