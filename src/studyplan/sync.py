"""Sync between machines through a folder the learner already keeps in step (Syncthing,
Dropbox, iCloud Drive, a git repository): no server of ours.

Each machine appends its events to ``studyplan-<machine>.jsonl`` in the folder and
reads the other machines' files from where it last stopped. The format and the replay
rule are in ``core/sync.py``; the SQL in ``store/sync_repo.py``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from studyplan.core.sync import SyncFileError, header, parse_lines
from studyplan.core.text import visible
from studyplan.store.db import connect
from studyplan.store.errors import DatabaseError
from studyplan.store.sync_repo import SyncRepository

PREFIX = "studyplan-"
SUFFIX = ".jsonl"


class SyncError(Exception):
    """Sync could not run at all; ``str()`` is one sentence."""


@dataclass
class SyncReport:
    """What one sync did."""

    machine: str = ""
    sent: int = 0
    received: int = 0
    pending: int = 0
    cards: int = 0
    machines: int = 0
    problems: list[str] = field(default_factory=list)

    def sentence(self) -> str:
        """One line for the learner."""
        parts = [
            f"sent {self.sent} event{'s' if self.sent != 1 else ''}",
            f"received {self.received} from {self.machines} other machine"
            + ("s" if self.machines != 1 else ""),
        ]
        if self.cards:
            parts.append(f"{self.cards} card{'s' if self.cards != 1 else ''} brought up to date")
        if self.pending:
            parts.append(f"{self.pending} waiting for decks not here yet")
        return "Synced: " + ", ".join(parts) + "."


def sync_folder(db_path: Path, folder: Path) -> SyncReport:
    """Sync the database at ``db_path`` through ``folder`` on a connection of its own (the
    app may be answering cards meanwhile). Raises ``SyncError``; a bad file from another
    machine is a problem in the report, skipped, and nothing stored here is lost."""
    folder = folder.expanduser()
    if not folder.is_dir():
        raise SyncError(
            f"{folder} is not a folder; make it, or name the folder your sync tool keeps"
        )
    try:
        conn = connect(db_path)
    except DatabaseError as err:
        raise SyncError(str(err)) from None
    try:
        repo = SyncRepository(conn)
        repo.room_for_a_large_merge()
        return _sync(repo, folder)
    finally:
        conn.close()


def _sync(repo: SyncRepository, folder: Path) -> SyncReport:
    me = repo.machine()
    report = SyncReport(machine=me)
    own = folder / f"{PREFIX}{me}{SUFFIX}"
    # Each merge replays the cards it touches; these are the others to replay at the end.
    mine: set[int] = set()
    # This machine's own file first: after a restore from backup it holds events the
    # database no longer knows, and their numbers must not be used again.
    touched = _read(repo, own, me, report, own_file=True)
    repo.record_local()
    lines, through = repo.unwritten()
    if lines:
        try:
            before, after, added = _append(own, me, lines)
        except OSError as err:
            raise SyncError(f"{own} could not be written ({err.strerror or err})") from None
        mine = repo.cards_of_unwritten()
        # The file was read to its end just before: it is now read to its new end too,
        # so the next sync does not read back what this machine has just written.
        _, next_line = repo.peer_position(own.name)
        repo.mark_written(through, (own.name, before, after, next_line + added))
        report.sent = len(lines)
    replayed: set[int] = set()
    for path in sorted(folder.glob(f"{PREFIX}*{SUFFIX}")):
        if path == own:
            continue
        report.machines += 1
        origin = path.name[len(PREFIX) : -len(SUFFIX)]
        replayed |= _read(repo, path, origin, report)
    repo.replay_cards(mine - replayed)
    touched |= mine | replayed
    report.cards = len(touched)
    return report


def _read(
    repo: SyncRepository, path: Path, origin: str, report: SyncReport, own_file: bool = False
) -> set[int]:
    if not path.exists():
        return set()
    offset, line = repo.peer_position(path.name)
    try:
        size = path.stat().st_size
        if size < offset:  # replaced or cut: read it all again (known events are skipped)
            offset, line = 0, 1
        with path.open("rb") as handle:
            handle.seek(offset)
            data = handle.read()
    except OSError as err:
        report.problems.append(visible(f"{path}: cannot be read ({err.strerror or err})"))
        return set()
    complete = data[: data.rfind(b"\n") + 1]
    try:
        text = complete.decode("utf-8")
        events, used = parse_lines(str(path), text, line)
    except UnicodeDecodeError:
        report.problems.append(visible(f"{path}: is not UTF-8 text; it was skipped"))
        return set()
    except SyncFileError as err:
        report.problems.append(visible(f"{err}; the file was skipped"))
        return set()
    lines = text[:used].count("\n")
    if own_file:
        seqs = [int(e.body["seq"]) for e in events if isinstance(e.body.get("seq"), int)]
        if seqs:
            repo.raise_seq(max(seqs))
    merged = repo.merge(origin, events, (path.name, offset + len(complete), line + lines))
    report.received += 0 if own_file else merged.received
    report.pending = merged.pending
    return merged.cards


def _append(path: Path, machine: str, lines: list[str]) -> tuple[int, int, int]:
    """Add ``lines`` to this machine's file, whole lines only, on disk before returning:
    (the file's size before them, its size after them, how many lines were added)."""
    with path.open("ab+") as handle:
        handle.seek(0, os.SEEK_END)
        size = handle.tell()
        if size:
            handle.seek(size - 1)
            if handle.read(1) != b"\n":
                # A line torn by a crash during the last write is cut off: its events are
                # still marked unwritten here and are written again below.
                handle.seek(0)
                keep = handle.read().rfind(b"\n") + 1
                handle.truncate(keep)
                size = keep
        handle.seek(0, os.SEEK_END)
        added = len(lines)
        if size == 0:
            handle.write(header(machine).encode())
            added += 1
        handle.write("".join(lines).encode())
        handle.flush()
        os.fsync(handle.fileno())
        return size, handle.tell(), added
