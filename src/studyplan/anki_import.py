"""Moving in from Anki: a package or text export becomes deck files, cards, state and history.

Everything is read and checked first (collection, notes, media, deck files parsed);
then the files are put in place and the database written in one transaction. A
failure at any step leaves the database and the decks folder as they were.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from studyplan import paths
from studyplan.core.errors import SourceError
from studyplan.store.db import transaction


@dataclass
class AnkiImportSummary:
    """What an import brought in."""

    source: Path
    decks: list[str] = field(default_factory=list)
    notes: int = 0
    cards: int = 0
    cards_changed: int = 0
    reviews: int = 0
    media: int = 0
    skipped: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        """The summary as the command line prints it."""
        out = [
            f"{self.source}: {len(self.decks)} deck{'s' * (len(self.decks) != 1)}, "
            f"{self.notes} notes, {self.cards} cards ({self.cards_changed} new or changed), "
            f"{self.reviews} reviews added, {self.media} media files"
        ]
        out += [f"  deck file {name}" for name in self.decks]
        out += [f"  skipped: {reason}" for reason in self.skipped]
        return out


def is_anki_file(path: Path) -> bool:
    """True for an Anki package (a zip) or an Anki text export, judged by content.

    A markdown deck is told apart from its first bytes alone, without loading the
    package and export readers (a tenth of a deck import's start)."""
    if not path.is_file():
        return False
    try:
        with path.open("rb") as f:
            head = f.read(512)
    except OSError:
        return False
    if head[:4] in (b"PK\x03\x04", b"PK\x05\x06"):  # a zip, as package.is_zip reads it
        return True
    text = head.decode("utf-8", "replace")
    if not text.lstrip("\ufeff").lstrip().startswith("#"):
        return False  # every export header line opens with #
    from studyplan.interop.anki.text_export import looks_like_text_export

    return looks_like_text_export(text)


def import_anki(service, path: Path, decks_dir: Path | None = None) -> AnkiImportSummary:
    """Import ``path`` into the learner's decks folder and the database.

    Raises ``SourceError`` (one sentence naming the file) and changes nothing when the
    file cannot be imported.
    """
    import tempfile  # here, not with the module: a deck import never needs it

    from studyplan.interop.anki.collection import read_collection
    from studyplan.interop.anki.decks import draft_decks
    from studyplan.interop.anki.package import is_zip, open_package
    from studyplan.interop.anki.text_export import read_text_export

    decks_dir = (decks_dir or paths.decks_directory()).expanduser().resolve()
    summary = AnkiImportSummary(path)
    with tempfile.TemporaryDirectory(prefix="studyplan-anki-") as tmp:
        staging = Path(tmp)
        package = None
        try:
            if is_zip(path):
                package = open_package(path)
                package.extract_collection(staging / "collection")
                col = read_collection(staging / "collection", path)
            else:
                col = read_text_export(path)
            drafts = draft_decks(col)
            media = _stage_media(package, drafts.images, staging, summary)
        finally:
            if package is not None:
                package.close()
        if drafts.sounds:
            summary.skipped.append(
                f"{drafts.sounds} sound tag{'s' * (drafts.sounds != 1)} dropped "
                "(studyplan plays no sound)"
            )
        summary.skipped += drafts.skipped
        decks = _parse_drafts(drafts, path, decks_dir, summary)
        summary.notes = drafts.notes
        _write(service, col, drafts, decks, media, decks_dir, staging, summary)
    return summary


def _stage_media(package, wanted: set[str], staging: Path, summary) -> dict[str, Path]:
    """Unpack the images the notes show (sound is not), into the staging folder."""
    folder = staging / "media"
    folder.mkdir()
    staged = {}
    for name in sorted(wanted):
        if package is None:
            summary.skipped.append(
                f"image {name!r}: a text export holds no media; copy it into the media "
                "folder beside the deck"
            )
            continue
        if name not in package.media:
            summary.skipped.append(f"image {name!r}: not in the package")
            continue
        target = folder / name
        package.extract_media(name, target)
        staged[name] = target
    return staged


def _parse_drafts(drafts, source: Path, decks_dir: Path, summary) -> list:
    """Each deck's text parsed as ``decks check`` would; a note studyplan cannot read is
    left out (with its reason) rather than failing the whole deck."""
    from studyplan.core.cards.deck import parse_deck

    parsed = []
    for draft in drafts.decks.values():
        target = decks_dir / draft.file_name
        text = draft.text()
        # Most imported decks are plain paragraphs: their cards are made from the notes
        # directly, as the parse would make them; any other deck is parsed.
        deck = draft.deck(str(target))
        while deck is None:
            try:
                deck = parse_deck(text, str(target))
            except SourceError as err:
                bad = _section_at(draft, text, err.line)
                if bad is None:
                    raise
                summary.skipped.append(f"note {bad[0]!r}: {err.message}")
                draft.sections.remove(bad)
                text = draft.text()
        if deck.cards:
            parsed.append((draft, text, deck, target))
    return parsed


def _section_at(draft, text: str, line: int | None):
    if not line:
        return None
    start = text.count("\n", 0, text.index("\n+++\n") + 5) + 1
    for section in draft.sections:
        start += 1
        end = start + section[1].count("\n") + 1
        if start <= line < end + 1:
            return section
        start = end
    return None


def _write(service, col, drafts, decks, media, decks_dir, staging, summary) -> None:
    import shutil

    from studyplan.store import import_repo
    from studyplan.store.deck_sync import DeckSync, SyncReport

    zone, rollover, today = service.zone, service.settings.rollover_hour, service.today()
    zone_name = service.zone_name
    reviews_of: dict[int, list] = {}
    for review in col.reviews:
        reviews_of.setdefault(review.card_id, []).append(review)
    cards_by_deck: dict[str, list] = {}
    for card in col.cards:
        if card.id in drafts.cards:
            cards_by_deck.setdefault(drafts.cards[card.id][0], []).append(card)

    # Stage every file beside its place: what is moved in is only renamed.
    moves: list[tuple[Path, Path]] = []
    try:
        decks_dir.mkdir(parents=True, exist_ok=True)
        for _draft, text, _deck, target in decks:
            if not (target.is_file() and target.read_text(encoding="utf-8") == text):
                part = target.with_name(f".{target.name}.{os.getpid()}.partial")
                part.write_text(text, encoding="utf-8")
                moves.append((part, target))
        for name, staged in media.items():
            target = decks_dir / "media" / name
            if target.is_file() and _same_file(target, staged):
                continue
            target.parent.mkdir(exist_ok=True)
            part = target.with_name(f".{name}.{os.getpid()}.partial")
            shutil.copyfile(staged, part)
            moves.append((part, target))
            summary.media += 1
    except OSError as err:
        _discard(moves)
        raise SourceError(
            decks_dir, None, f"cannot be written ({err.strerror or err}); nothing was imported"
        ) from None

    conn = service.conn
    placed: list[tuple[Path, Path | None]] = []
    answered: list[int] = []
    replay: list[int] = []  # cards with answers from before: FSRS replays their whole log
    try:
        with transaction(conn):
            from studyplan.store.scheduler_repo import SchedulerRepository

            schedulers = SchedulerRepository(conn)
            _active, fsrs_settings = schedulers.active()
            sync = DeckSync(conn)
            report = SyncReport()
            earliest = None
            for draft, text, deck, target in decks:
                staged_part = next((p for p, t in moves if t == target), None)
                stat = (staged_part or target).stat()
                digest = hashlib.sha256(text.encode()).hexdigest()
                deck_id = sync.store_deck(
                    target, deck, str(target), stat.st_mtime_ns, stat.st_size, digest, False, report
                )
                summary.decks.append(str(target))
                summary.cards += len(deck.cards)
                logged = _deck_history(
                    cards_by_deck.get(draft.key, []),
                    drafts,
                    col,
                    reviews_of,
                    import_repo.deck_cards(conn, deck_id),
                    own=import_repo.answered_here(conn, deck_id) if col.scheduled else set(),
                    have=import_repo.imported_moments(conn, deck_id),
                    clock=(zone, zone_name, rollover, today),
                    fsrs_settings=fsrs_settings,
                )
                answered += logged.answered
                replay += logged.replay
                if logged.earliest is not None and (earliest is None or logged.earliest < earliest):
                    earliest = logged.earliest
                # The cards first: the log's triggers then find each card's last answered
                # day already written, and write nothing.
                import_repo.update_cards(conn, logged.changes)
                import_repo.log_marks(conn, logged.marks, service.clock(), today)
                import_repo.restate_imported_answers(conn, logged.restated)
                import_repo.add_imported_answers(conn, logged.rows)
                summary.reviews += len(logged.rows)
            if earliest is not None:
                import_repo.forget_day_totals_from(conn, earliest)
            if answered:
                # FSRS's state follows the imported history too (and card.due the active
                # scheduler), in the same transaction: the import lands whole or not at all.
                schedulers.replay_fsrs_within(replay)
            import_repo.keep_source(conn, str(decks_dir), service.clock())
            summary.cards_changed = report.cards_added + report.cards_updated
            # Last, the files: renamed into place, each old one kept until the commit.
            for part, target in moves:
                backup = None
                if target.exists():
                    backup = target.with_name(f".{target.name}.{os.getpid()}.old")
                    os.replace(target, backup)
                os.replace(part, target)
                placed.append((target, backup))
    except BaseException as err:
        for target, backup in reversed(placed):
            if backup is not None:
                os.replace(backup, target)
            else:
                target.unlink(missing_ok=True)
        _discard(moves)
        if isinstance(err, OSError):
            raise SourceError(
                decks_dir, None, f"cannot be written ({err.strerror or err}); nothing was imported"
            ) from None
        raise
    for _target, backup in placed:
        if backup is not None:
            backup.unlink(missing_ok=True)


@dataclass
class _DeckHistory:
    """What one deck's imported log writes."""

    rows: list[tuple] = field(default_factory=list)
    """New review rows, for ``import_repo.add_imported_answers``."""
    changes: dict[int, dict[str, object]] = field(default_factory=dict)
    """Card row id -> the columns that change, for ``import_repo.update_cards``."""
    answered: list[int] = field(default_factory=list)
    """The cards given answers."""
    replay: list[int] = field(default_factory=list)
    """Of those, the cards whose FSRS state is replayed from the database's whole log
    (they had answers before this import)."""
    earliest: date | None = None
    restated: list[tuple] = field(default_factory=list)
    """Stored imported answers worked out again, for
    ``import_repo.restate_imported_answers``."""
    marks: list[tuple[int, tuple, tuple]] = field(default_factory=list)
    """(card row id, marks before, marks after) where the import changes them, for
    ``import_repo.log_marks``."""


def _deck_history(
    cards, drafts, col, reviews_of, cards_here, *, own, have, clock, fsrs_settings
) -> _DeckHistory:
    """Each Anki card's state and answers as the changes to its studyplan card."""
    from studyplan.core.fsrs_scheduler import replay_days
    from studyplan.interop.anki.history import NEW_CARD, card_history
    from studyplan.store import import_repo
    from studyplan.store.card_repo import fsrs_values

    zone, zone_name, rollover, today = clock
    new_values = import_repo.card_state_values(NEW_CARD.state, suspended=False, buried_until=None)
    out = _DeckHistory()
    for card in cards:
        key = drafts.cards[card.id][1]
        found = cards_here.get(key)
        if found is None:
            continue
        card_id, current = found
        history = card_history(
            card,
            reviews_of.get(card.id, []),
            created=col.created,
            zone=zone,
            rollover_hour=rollover,
            today=today,
        )
        change: dict[str, object] = {}
        if col.scheduled and card_id not in own:
            values = (
                new_values  # most cards of a package: worked out once
                if history is NEW_CARD
                else import_repo.card_state_values(
                    history.state, suspended=history.suspended, buried_until=history.buried_until
                )
            )
            if values != current:
                change.update(zip(import_repo.STATE_NAMES, values, strict=True))
                if values[-2:] != current[-2:]:  # import_repo.MARK_NAMES
                    out.marks.append((card_id, current[-2:], values[-2:]))
        if history.answers:  # most cards of a package are new, with none
            before = have.setdefault(card_id, set())
            fresh = not before and card_id not in own
            known = set(before)
            added, first = import_repo.imported_answer_rows(
                card_id, history.answers, zone_name, before
            )
            if added:
                out.rows += added
                if known:
                    # Answers Anki has had since: the ones stored are worked out again
                    # with them (the last of them left the card where Anki held it then).
                    anew, _ = import_repo.imported_answer_rows(
                        card_id, history.answers, zone_name, set()
                    )
                    out.restated += [row for row in anew if row[1] in known]
                out.answered.append(card_id)
                if fresh and len(added) == len(history.answers):
                    # Its whole log is these answers: what the log's trigger and FSRS's
                    # replay would write is written here, with its state, in one go.
                    change["last_answered"] = max(a.study_day for a in history.answers).isoformat()
                    scheduling = ((a.study_day, a.grade) for a in history.answers if not a.is_drill)
                    fsrs = fsrs_values(replay_days(scheduling, key, fsrs_settings))
                    change.update(zip(import_repo.FSRS_NAMES, fsrs, strict=True))
                else:
                    out.replay.append(card_id)
            if first is not None and (out.earliest is None or first < out.earliest):
                out.earliest = first
        if change:
            out.changes[card_id] = change
    return out


def _discard(moves: list[tuple[Path, Path]]) -> None:
    for part, _ in moves:
        try:
            part.unlink(missing_ok=True)
        except OSError:
            pass


def _same_file(a: Path, b: Path) -> bool:
    if a.stat().st_size != b.stat().st_size:
        return False
    with a.open("rb") as fa, b.open("rb") as fb:
        while chunk := fa.read(1 << 16):
            if chunk != fb.read(1 << 16):
                return False
    return True


def import_file(service, path: Path) -> tuple[list[str], list[str]]:
    """Import an Anki package or text export, or a markdown deck file or folder, as
    ``studyplan import`` does; returns (what came in, problems), each a list of sentences.
    Raises ``SourceError`` when an Anki file cannot be imported (nothing changed then)."""
    path = path.expanduser()
    if is_anki_file(path):
        summary = import_anki(service, path)
        return summary.lines(), []
    report = service.import_path(path)
    files = len(report.imported) + report.unchanged
    said = (
        f"{path}: {files} deck file{'s' * (files != 1)}, {report.cards_added} card"
        f"{'s' * (report.cards_added != 1)} added, {report.cards_updated} updated, "
        f"{report.cards_retired} retired"
    )
    return ([] if report.errors else [said]), list(report.errors)
