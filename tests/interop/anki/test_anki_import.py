"""Moving in from Anki: packages made by Anki itself (tests/fixtures/anki, see make_fixtures.py),
checked against what Anki said about each card and every review (expected.json)."""

from __future__ import annotations

import json
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from studyplan.anki_import import import_anki
from studyplan.core.studyday import study_day
from studyplan.interop.anki.decks import guid_of, note_id
from studyplan.service import Studyplan
from tests.helpers import last_answered_out_of_step

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "anki"
EXPECTED = json.loads((FIXTURES / "expected.json").read_text())
GRADE = {1: 1, 2: 3, 3: 4, 4: 5}
NOW = datetime.fromtimestamp(EXPECTED["made_at_ms"] / 1000, UTC) + timedelta(hours=1)


def legacy_1(tmp_path: Path) -> Path:
    """The oldest layout: only collection.anki2 (schema 11), no meta (Anki 2.0's packages)."""
    out = tmp_path / "legacy1.apkg"
    with zipfile.ZipFile(FIXTURES / "legacy.apkg") as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            if info.filename in ("meta", "collection.anki2"):
                continue
            name = "collection.anki2" if info.filename == "collection.anki21" else info.filename
            dst.writestr(name, src.read(info))
    return out


@pytest.fixture
def service(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Studyplan:
    monkeypatch.setenv("STUDYPLAN_DECKS_DIR", str(tmp_path / "decks"))
    sp = Studyplan(tmp_path / "sp.db", tmp_path / "config.toml", clock=lambda: NOW)
    yield sp
    sp.close()


def cards(sp: Studyplan) -> dict[str, tuple]:
    return {
        key: rest
        for key, *rest in sp.conn.execute(
            "SELECT card.key, deck.name, card.kind, card.front, card.back, card.tags, "
            "card.repetitions, card.ef_permille, card.interval, card.due, card.lapses, "
            "card.suspended, card.buried_until FROM card JOIN deck ON deck.id = card.deck_id "
            "WHERE card.active = 1 AND deck.key LIKE 'anki-%'"
        )
    }


def our_key(anki: str) -> str:
    guid, ord_ = anki.rsplit("/", 1)
    if guid == "clozeGuid5":
        return f"{note_id(guid)}#c{int(ord_) + 1}"
    return note_id(guid) + (f"-{int(ord_) + 1}" if int(ord_) else "")


def everything(sp: Studyplan) -> tuple:
    return (
        sorted(sp.conn.execute("SELECT * FROM card").fetchall()),
        sorted(sp.conn.execute("SELECT * FROM review").fetchall()),
        sorted(sp.conn.execute("SELECT key, name, content_hash FROM deck").fetchall()),
    )


@pytest.mark.parametrize("package", ["legacy.apkg", "latest.apkg", "collection.colpkg", "legacy1"])
def test_every_package_generation_gives_the_same_cards_state_and_history(
    service: Studyplan, tmp_path: Path, package: str
) -> None:
    path = legacy_1(tmp_path) if package == "legacy1" else FIXTURES / package
    summary = import_anki(service, path)
    assert (summary.notes, summary.cards, summary.reviews, summary.media) == (10, 13, 13, 1)
    assert summary.skipped == ["1 sound tag dropped (studyplan plays no sound)"]
    got = cards(service)
    assert set(got) == {our_key(k) for k in EXPECTED["cards"]}
    assert last_answered_out_of_step(service.conn) == []
    assert service.conn.execute("SELECT COUNT(last_answered) FROM card").fetchone()[0] > 0
    zone, rollover = service.zone, service.settings.rollover_hour
    first_day = study_day(datetime.fromtimestamp(EXPECTED["crt"], UTC), zone, rollover)
    today = service.today()
    for anki_key, anki in EXPECTED["cards"].items():
        deck, _kind, _front, _back, _tags, reps, ef, interval, due, lapses, susp, buried = got[
            our_key(anki_key)
        ]
        assert deck == anki["deck"].replace("::", " · ")
        assert ef == (max(1300, anki["factor"]) if anki["factor"] else 2500)
        if anki["type"] == 0:
            assert (reps, interval, due) == (0, 0, None)
        elif anki["type"] == 2:
            assert due == (first_day + timedelta(days=anki["due"])).isoformat()
            assert interval == anki["ivl"]
        else:
            assert due == today.isoformat()  # learning: due today
        assert susp == (anki["queue"] == -1)
        assert buried == (
            (today + timedelta(days=1)).isoformat() if anki["queue"] in (-2, -3) else None
        )
        # Every review, marked imported, with its grade, moment and study day.
        rows = service.conn.execute(
            "SELECT answered_at, study_day, grade, imported, is_drill FROM review "
            "JOIN card ON card.id = review.card_id WHERE card.key = ? ORDER BY answered_at",
            (our_key(anki_key),),
        ).fetchall()
        assert len(rows) == len(anki["reviews"])
        last_day = None
        passes = fails = 0
        for row, review in zip(rows, anki["reviews"], strict=True):
            moment = datetime.fromtimestamp(review["id"] / 1000, UTC)
            day = study_day(moment, zone, rollover)
            assert row[:4] == (moment.isoformat(), day.isoformat(), GRADE[review["ease"]], 1)
            assert row[4] == (day == last_day)
            if day != last_day:
                passes, fails = (passes + 1, fails) if review["ease"] > 1 else (0, fails + 1)
            last_day = day
        if anki["reviews"]:
            assert (reps, lapses) == (passes, fails)


def test_the_text_is_markdown_with_formulas_code_lists_and_the_image(
    service: Studyplan, tmp_path: Path
) -> None:
    import_anki(service, FIXTURES / "latest.apkg")
    got = cards(service)
    basic = got[note_id("basicGuid1")]
    assert basic[2] == "What is **overfitting**?"
    assert basic[3] == (
        "A model that fits noise:\\\nit *memorises* the training set.\n\n- high variance\n- low bias"
    )
    assert basic[4] == "bias-variance ml"
    assert got[note_id("rev$Guid!2")][3] == r"$\sigma(x) = \frac{1}{1+e^{-x}}$"
    reverse = got[note_id("rev$Guid!2") + "-2"]
    assert (reverse[2], reverse[3]) == (r"$\sigma(x) = \frac{1}{1+e^{-x}}$", "sigmoid")
    assert note_id("optGuid04") + "-2" not in got  # no reverse asked for
    assert tuple(got[note_id("optGuid03") + "-2"][2:4]) == ("max(0, x)", "ReLU")
    image = got[note_id("imageGuid7")]
    assert image[2] == "Which curve is this? ![image: plot.png](media/plot.png)"
    assert image[3] == r"A parabola: $y = x^2$, also $\int_0^1 x\,dx$ and $$\sum_{i=1}^n i$$"
    assert (tmp_path / "decks" / "media" / "plot.png").read_bytes().startswith(b"\x89PNG")
    assert not (tmp_path / "decks" / "media" / "say.mp3").exists()
    code = got[note_id("codeGuid8")]
    assert tuple(code[2:4]) == ("What does this print?\n\n```\nprint(1 < 2)\n```", "`True`")
    cloze1, cloze2 = got[note_id("clozeGuid5") + "#c1"], got[note_id("clozeGuid5") + "#c2"]
    assert cloze1[1] == cloze2[1] == "cloze"
    assert r"is \[...\] and of $\sin x$ is $\cos x$." in cloze1[2]
    assert r"is $e^x$ and of $\sin x$ is \[trig\]." in cloze2[2]
    assert tuple(got[note_id("customGuid6")][2:4]) == (
        "epoch",
        "**Definition:** One pass over the training set.",
    )


@pytest.mark.parametrize("scheduler", ["sm2", "fsrs"])
def test_importing_the_same_package_again_changes_nothing(
    service: Studyplan, tmp_path: Path, scheduler: str
) -> None:
    service.change_settings(scheduler=scheduler)
    import_anki(service, FIXTURES / "latest.apkg")
    assert queue_out_of_step(service) == []
    files = {p: p.stat().st_mtime_ns for p in (tmp_path / "decks").rglob("*")}
    before = everything(service)
    again = import_anki(service, FIXTURES / "collection.colpkg")
    assert (again.reviews, again.cards_changed, again.media) == (0, 0, 0)
    assert everything(service) == before
    assert {p: p.stat().st_mtime_ns for p in (tmp_path / "decks").rglob("*")} == files


def queue_out_of_step(sp: Studyplan) -> list[str]:
    """The cards whose queue due day is not the active scheduler's."""
    column = "sm2_due" if sp.settings.scheduler == "sm2" else "fsrs_due"
    return [key for (key,) in sp.conn.execute(f"SELECT key FROM card WHERE due IS NOT {column}")]


@pytest.mark.parametrize(
    "first, again",
    [
        ("latest.apkg", "latest.apkg"),
        ("legacy.apkg", "legacy.apkg"),
        ("collection.colpkg", "collection.colpkg"),
        ("latest.apkg", "collection.colpkg"),
        ("notes.txt", "notes.txt"),
    ],
)
def test_under_fsrs_importing_again_changes_no_card_and_no_review(
    service: Studyplan, first: str, again: str
) -> None:
    """Issue 15: a second import (nothing new) once put SM-2's due day back into every
    answered card's queue due day while FSRS was the scheduler."""
    service.change_settings(scheduler="fsrs")
    import_anki(service, FIXTURES / first)
    assert queue_out_of_step(service) == []
    if first != "notes.txt":
        # FSRS and SM-2 disagree about these cards: a due day set back to SM-2's shows.
        differ = "SELECT COUNT(*) FROM card WHERE sm2_due IS NOT fsrs_due"
        assert service.conn.execute(differ).fetchone()[0] >= 5
    before = everything(service)
    summary = import_anki(service, FIXTURES / again)
    assert (summary.reviews, summary.cards_changed) == (0, 0)
    assert everything(service) == before
    assert queue_out_of_step(service) == []


def trimmed(tmp_path: Path, sql: str) -> Path:
    """legacy.apkg with ``sql`` run on its collection (Anki's review log made shorter)."""
    import sqlite3

    out = tmp_path / "trimmed.apkg"
    collection = tmp_path / "collection.anki21"
    with zipfile.ZipFile(FIXTURES / "legacy.apkg") as src:
        collection.write_bytes(src.read("collection.anki21"))
        conn = sqlite3.connect(collection)
        with conn:
            conn.executescript(sql)
        conn.close()
        with zipfile.ZipFile(out, "w") as dst:
            for info in src.infolist():
                data = collection.read_bytes() if info.filename == "collection.anki21" else None
                dst.writestr(info.filename, data if data is not None else src.read(info))
    return out


@pytest.mark.parametrize("scheduler", ["sm2", "fsrs"])
def test_importing_again_with_new_reviews_moves_only_the_cards_answered(
    service: Studyplan, tmp_path: Path, scheduler: str
) -> None:
    """A package imported, then the same package with answers more (in Anki since): the
    cards answered get the new reviews and follow the active scheduler, as one import of
    the whole package leaves them; every other card and review stays as it was."""
    service.change_settings(scheduler=scheduler)
    of_note = "SELECT cards.id FROM cards JOIN notes ON notes.id = cards.nid WHERE notes.guid = "
    earlier = trimmed(
        tmp_path,
        # customGuid6's three answers all come later; basicGuid1's last of four does.
        f"DELETE FROM revlog WHERE cid IN ({of_note}'customGuid6');"
        f"DELETE FROM revlog WHERE id = (SELECT MAX(id) FROM revlog WHERE cid IN "
        f"({of_note}'basicGuid1'));",
    )
    assert import_anki(service, earlier).reviews == 9
    assert queue_out_of_step(service) == []
    touched = {note_id("customGuid6"), note_id("basicGuid1")}
    row = (
        "SELECT card.key, card.repetitions, card.ef_permille, card.interval, card.due, "
        "card.sm2_due, card.lapses, card.suspended, card.buried_until, card.last_answered, "
        "card.fsrs_stability, card.fsrs_difficulty, card.fsrs_last_review, card.fsrs_due, "
        "card.fsrs_reviews FROM card"
    )
    review = (
        "SELECT card.key, answered_at, zone, study_day, grade, is_drill, practice, imported, "
        "days_late, took_ms, before_repetitions, before_ef_permille, before_interval, "
        "before_due, before_lapses, after_repetitions, after_ef_permille, after_interval, "
        "after_due, after_lapses FROM review JOIN card ON card.id = review.card_id"
    )
    first_rows = {r[0]: r for r in service.conn.execute(row)}
    first_reviews = sorted(service.conn.execute(review))

    summary = import_anki(service, FIXTURES / "legacy.apkg")
    assert (summary.reviews, summary.cards_changed) == (4, 0)
    assert queue_out_of_step(service) == []
    rows = {r[0]: r for r in service.conn.execute(row)}
    assert {k: v for k, v in rows.items() if k not in touched} == {
        k: v for k, v in first_rows.items() if k not in touched
    }
    reviews = sorted(service.conn.execute(review))
    # Every review of another card is as it was; the cards answered keep every review
    # (their moments and grades), and the answer that was their last no longer leaves
    # them where Anki held them then (below: as one import of the whole package).
    assert [r for r in reviews if r[0] not in touched] == [
        r for r in first_reviews if r[0] not in touched
    ]
    assert {r[:5] for r in first_reviews} < {r[:5] for r in reviews}
    assert all(r[0] in touched for r in set(reviews) - set(first_reviews))
    restated = {r[:5] for r in first_reviews} & {r[:5] for r in set(reviews) - set(first_reviews)}
    # basicGuid1's last answer before and the drill after it on the same day.
    assert sorted(key for key, *_ in restated) == [note_id("basicGuid1")] * 2

    # The cards answered are as one import of the whole package leaves them.
    other = tmp_path / "other"
    whole = Studyplan(other / "sp.db", other / "config.toml", clock=lambda: NOW)
    try:
        whole.change_settings(scheduler=scheduler)
        import_anki(whole, FIXTURES / "legacy.apkg", decks_dir=other / "decks")
        assert {r[0]: r for r in whole.conn.execute(row) if r[0] in touched} == {
            k: v for k, v in rows.items() if k in touched
        }
        assert sorted(whole.conn.execute(review)) == reviews
    finally:
        whole.close()
    assert {k: rows[k][13] for k in touched} != {k: first_rows[k][13] for k in touched}


@pytest.mark.parametrize("scheduler", ["sm2", "fsrs"])
def test_a_sync_merge_then_importing_again_keeps_the_queue_on_the_active_scheduler(
    tmp_path: Path, scheduler: str
) -> None:
    """Two machines import the same package; an answer given on one merges into the other
    (where the card has imported history), and importing the package again there after
    the merge changes nothing."""
    from studyplan.sync import sync_folder

    folder = tmp_path / "Sync"
    folder.mkdir()
    machines = []
    for name in ("a", "b"):
        sp = Studyplan(tmp_path / f"{name}.db", tmp_path / f"{name}.toml", clock=lambda: NOW)
        sp.change_settings(scheduler=scheduler)
        import_anki(sp, FIXTURES / "latest.apkg", decks_dir=tmp_path / name)
        machines.append(sp)
    a, b = machines
    try:
        session = a.start_review(monotonic=lambda: 0.0)
        assert session.current is not None
        session.answer(4)
        # The answer, and the marks each import set (a suspended card, a buried one).
        assert sync_folder(a.db_path, folder).sent == 1 + 2
        assert sync_folder(b.db_path, folder).received == 1 + 2
        assert queue_out_of_step(b) == []
        # SM-2 too: the merge replays the card from the state its imported history
        # left it in, through the answer.
        row = (
            "SELECT key, repetitions, ef_permille, interval, due, sm2_due, lapses, suspended, "
            "buried_until, fsrs_stability, fsrs_difficulty, fsrs_last_review, fsrs_due, "
            "fsrs_reviews, last_answered FROM card ORDER BY key"
        )
        assert b.conn.execute(row).fetchall() == a.conn.execute(row).fetchall()
        before = everything(b)
        import_anki(b, FIXTURES / "latest.apkg", decks_dir=tmp_path / "b")
        assert everything(b) == before
    finally:
        a.close()
        b.close()


def test_the_decks_folder_is_synced_at_every_start(service: Studyplan, tmp_path: Path) -> None:
    import_anki(service, FIXTURES / "legacy.apkg")
    deck = tmp_path / "decks" / "maths.md"
    deck.write_text(deck.read_text().replace("Buried back", "Buried, edited"))
    report = service.sync_decks()
    assert report.cards_updated == 1 and not report.errors
    assert cards(service)[note_id("buryGuid10")][3] == "Buried, edited"


def test_a_text_export_with_headers_gives_the_notes_as_new_cards(service: Studyplan) -> None:
    summary = import_anki(service, FIXTURES / "notes.txt")
    assert (summary.notes, summary.cards, summary.reviews) == (10, 13, 0)
    assert any("text export holds no media" in s for s in summary.skipped)
    got = cards(service)
    assert got[note_id("basicGuid1")][2] == "What is **overfitting**?"
    assert got[note_id("clozeGuid5") + "#c2"][1] == "cloze"
    assert all(tuple(row[5:8]) == (0, 2500, 0) for row in got.values())


@pytest.mark.parametrize("scheduler", ["sm2", "fsrs"])
def test_a_text_export_after_the_package_keeps_the_imported_scheduling(
    service: Studyplan, scheduler: str
) -> None:
    service.change_settings(scheduler=scheduler)
    import_anki(service, FIXTURES / "latest.apkg")
    state = "SELECT key, repetitions, ef_permille, interval, due, lapses, suspended, buried_until FROM card"
    before = (service.conn.execute(state).fetchall(), everything(service)[1])
    import_anki(service, FIXTURES / "notes.txt")
    assert (service.conn.execute(state).fetchall(), everything(service)[1]) == before


def test_export_then_import_gives_back_the_same_cards(service: Studyplan, tmp_path: Path) -> None:
    from studyplan.exports import export_apkg

    import_anki(service, FIXTURES / "latest.apkg")
    original = {k: v[:5] for k, v in cards(service).items()}
    out = tmp_path / "out.apkg"
    export_apkg(service, out, "Maths")
    decks, notes = export_apkg(service, tmp_path / "ml.apkg", "ML · Basics")
    assert (decks, notes) == (1, 5)  # the reversed pair is one note
    other = tmp_path / "other"
    other.mkdir()
    sp = Studyplan(other / "sp.db", other / "config.toml", clock=lambda: NOW)
    try:
        import_anki(sp, out, decks_dir=other / "decks")
        import_anki(sp, tmp_path / "ml.apkg", decks_dir=other / "decks")
        back = {k: v[:5] for k, v in cards(sp).items()}
    finally:
        sp.close()
    assert back == original
    assert (other / "decks" / "media" / "plot.png").is_file()


def test_guids_round_trip_through_card_ids() -> None:
    for guid in ("rev$Guid!2", "a:b/c", "ünï"):
        assert guid_of(note_id(guid)) == guid
        assert guid_of(note_id(guid) + "#c2") == guid
    assert guid_of("h:0123") is None


def test_the_review_log_exports_as_csv(service: Studyplan, tmp_path: Path) -> None:
    import csv

    from studyplan.exports import export_log

    import_anki(service, FIXTURES / "latest.apkg")
    assert export_log(service, tmp_path / "log.csv") == 13
    rows = list(csv.DictReader((tmp_path / "log.csv").open()))
    assert len(rows) == 13 and all(r["imported"] == "1" for r in rows)
    assert datetime.fromisoformat(rows[0]["answered_at"]).tzinfo is not None
