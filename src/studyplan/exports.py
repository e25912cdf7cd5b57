"""``studyplan export``: decks as an Anki package or as markdown files, the review log as CSV."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

from studyplan.core.errors import SourceError
from studyplan.files import write_file


def _decks(service, wanted: str | None) -> list[tuple[str, str, Path]]:
    from studyplan.store.import_repo import deck_sources

    service.sync_decks()
    decks = [(key, name, Path(source)) for key, name, source in deck_sources(service.conn)]
    if wanted is not None:
        try:
            chosen = service.find_deck(wanted).key
        except LookupError as err:
            raise SourceError("--deck", None, str(err)) from None
        decks = [d for d in decks if d[0] == chosen]
    return [d for d in decks if d[2].is_file()]


def export_apkg(
    service, out: Path, deck: str | None = None, query: str | None = None
) -> tuple[int, int]:
    """Write the decks (or one), or the cards ``query`` finds (the card browser's search
    language), as an Anki package; returns (decks, notes). A query that cannot be read
    raises ``QueryError`` before anything is read or written."""
    from studyplan.core.cards.deck import parse_deck
    from studyplan.interop.anki.writer import ExportDeck, write_apkg
    from studyplan.store.deck_sync import read_text

    wanted: set[tuple[str, str]] | None = None
    if query is not None:
        from studyplan.browser import Browser
        from studyplan.store.import_repo import card_keys

        browser = Browser(service)
        browser.parse(query)
    decks = _decks(service, deck)
    if query is not None:
        wanted = card_keys(service.conn, browser.search(query))
    chosen = []
    for key, name, source in decks:
        parsed = parse_deck(read_text(source), str(source), default_key=str(source.resolve()))
        cards = [c for c in parsed.cards if wanted is None or (key, c.key) in wanted]
        if cards:
            chosen.append(ExportDeck(key, name, source.parent, cards))
    if not chosen:
        what = "no cards match the query" if query is not None else "there are no decks to export"
        raise SourceError(out, None, f"{what}; nothing was written")
    partial = out.with_name(f".{out.name}.partial")
    try:
        notes = write_apkg(chosen, partial)
        write_file(out, partial.read_bytes())
    except OSError as err:
        raise SourceError(out, None, f"cannot be written ({err.strerror or err})") from None
    finally:
        partial.unlink(missing_ok=True)
    return len(chosen), notes


def export_markdown(service, folder: Path, deck: str | None = None) -> int:
    """Copy each deck file (bundled ones too) into ``folder``; returns how many."""
    decks = _decks(service, deck)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise SourceError(folder, None, f"cannot be made ({err.strerror or err})") from None
    names: set[str] = set()
    for key, _name, source in decks:
        name = source.name
        if name in names:
            name = f"{key.replace('/', '-')}-{source.name}"
        names.add(name)
        write_file(folder / name, source.read_bytes())
        media = source.parent / "media"
        if media.is_dir() and key.startswith("anki-"):
            shutil.copytree(media, folder / "media", dirs_exist_ok=True)
    return len(decks)


def export_log(service, out: Path) -> int:
    """Write every answer as a CSV row (``LOG_COLUMNS``); returns the number of rows."""
    from studyplan.store.import_repo import LOG_COLUMNS, review_log

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(LOG_COLUMNS)
    rows = 0
    for row in review_log(service.conn):
        writer.writerow(row)
        rows += 1
    write_file(out, buffer.getvalue())
    return rows
