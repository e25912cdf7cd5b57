"""``studyplan plan`` and its actions as a learner types them, on the learner's own plan file
(imported here, so these tests do not depend on the bundled plans' text)."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest
from icalendar import Calendar

from studyplan.cli import main
from studyplan.service import Studyplan
from tests.helpers import FakeClock

PLAN = """+++
id = "mine"
title = "My roadmap"
hours_per_week = "6-8"
+++

## Foundations {#foundations weeks=2}

- Python basics {#basics hours=6}
  - Resource: The Python tutorial
- NumPy {#numpy hours=4 after=basics}
  - Deliverable: a notebook

## Models {#models weeks=2}

- Linear models {#linear hours=6 after=numpy}
"""


@pytest.fixture(autouse=True)
def wednesday(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every command runs on Wednesday 25 November 2026, 09:00 UTC."""
    original = Studyplan.__post_init__

    def fixed(self: Studyplan) -> None:
        self.clock = FakeClock(datetime(2026, 11, 25, 9, 0, tzinfo=UTC))
        original(self)

    monkeypatch.setattr(Studyplan, "__post_init__", fixed)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def dump(db: Path) -> list:
    conn = sqlite3.connect(db)
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    rows = [(t, conn.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall()) for t in sorted(tables)]
    conn.close()
    return rows


@pytest.fixture
def db(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    path = tmp_path / "sp.db"
    plan = tmp_path / "mine.md"
    plan.write_text(PLAN, encoding="utf-8")
    code, out, err = run(capsys, "--db", str(path), "plan", "import", str(plan))
    assert code == 0 and "Imported My roadmap (mine: 3 topics)" in out, err
    code, out, _ = run(capsys, "--db", str(path), "enrol", "mine", "--start", "2026-11-23")
    assert code == 0 and "asks for 6-8 h a week" in out
    return str(path)


def test_the_week_shows_resources_deliverables_and_the_standing(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "--db", db, "plan", "--week", "2026-11-30")
    assert code == 0
    assert "Resource: The Python tutorial" in out and "Deliverable: a notebook" in out
    assert all(len(line) <= 80 for line in out.splitlines())
    code, out, _ = run(capsys, "--db", db, "plan", "--week", "2026-11-30", "--markdown")
    assert "## This week's topics" in out and "  - Resource: The Python tutorial" in out


def test_time_off_is_added_listed_and_removed(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "--db", db, "plan", "off", "2026-12-21", "2027-01-03", "--note", "holiday"
    )
    assert code == 0 and "Added time off Mon 21 Dec 2026 - Sun 3 Jan 2027 (14 days): holiday" in out
    code, out, _ = run(capsys, "--db", db, "plan", "off")
    assert out == "Mon 21 Dec 2026 - Sun 3 Jan 2027 (14 days): holiday\n"
    code, out, _ = run(capsys, "--db", db, "plan", "off", "--remove", "2026-12-25")
    assert code == 0 and out.startswith("Removed your time off Mon 21 Dec 2026")
    code, out, _ = run(capsys, "--db", db, "plan", "off")
    assert "No time off" in out


def test_time_is_logged_for_yesterday_and_shown_against_the_estimate(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "--db", db, "plan", "log", "basics", "1h30m", "--day", "2026-11-23")
    assert code == 0 and "Logged 90 min of Python basics on Mon 23 Nov 2026 (90 of 360 min" in out


def test_the_overview_fits_80_columns(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--db", db, "plan", "--overview")
    lines = out.splitlines()
    assert code == 0 and lines[0] == "My roadmap"
    assert "▼ today" in out and "Foundations" in out and "Models" in out
    assert all(len(line) <= 80 for line in lines), max(lines, key=len)


def test_every_remaining_week_goes_to_the_calendar(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ics = tmp_path / "all.ics"
    code, out, _ = run(capsys, "--db", db, "plan", "--ics", str(ics), "--all")
    assert code == 0 and out.startswith("wrote ")
    first = ics.read_bytes()
    run(capsys, "--db", db, "plan", "--ics", str(ics), "--all")
    assert ics.read_bytes() == first
    events = Calendar.from_ical(first).walk("VEVENT")
    uids = [str(e["uid"]) for e in events]
    assert len(uids) == len(set(uids)) and any(u.startswith("mine.linear.") for u in uids)


def test_leaving_works_by_either_command(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--db", db, "plan", "leave", "mine")
    assert code == 0 and "You left mine" in out
    code, _, err = run(capsys, "--db", db, "plan")
    assert code == 1 and "not following a plan yet" in err
    run(capsys, "--db", db, "enrol", "mine")
    code, out, _ = run(capsys, "--db", db, "enrol", "--stop", "mine")
    assert code == 0 and "You left mine" in out


def test_a_far_future_start_stored_by_an_older_version_does_not_brick_anything(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "old.db"
    run(capsys, "--db", str(db), "decks")
    conn = sqlite3.connect(db)
    conn.execute(
        "INSERT INTO enrolment (plan_id, start, starting_point, weekly_minutes, enrolled_at) "
        "VALUES ('three-month', '9999-12-31', 'default', '60,60,60,60,60,60,60', '2026-01-01')"
    )
    conn.commit()
    conn.close()
    code, out, err = run(capsys, "--db", str(db), "status", "--ascii")
    assert code == 0 and "due" in out
    code, _, err = run(capsys, "--db", str(db), "plan")
    assert code == 1 and "studyplan plan leave three-month" in err and "Traceback" not in err
    code, out, _ = run(capsys, "--db", str(db), "enrol", "--stop", "three-month")
    assert code == 0
    code, out, err = run(capsys, "--db", str(db), "plan")
    assert "cannot be used" not in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("plan", "off", "2026-12-24", "2026-12-20"),
            "the last day off (2026-12-20) is before the first (2026-12-24)",
        ),
        (("plan", "off", "9999-12-31"), "the first day off 9999-12-31 is out of range"),
        (("plan", "off", "someday"), "the first day off 'someday' is not a date"),
        (("plan", "off", "--remove", "2026-12-24"), "no time off holds 2026-12-24"),
        (("plan", "log", "basics", "45x"), "'45x' is not a duration"),
        (
            ("plan", "log", "kubernetes", "45m"),
            "no topic of the plans you follow is called 'kubernetes'",
        ),
        (("plan", "log", "basics", "45m", "--day", "2200-12-31"), "2200-12-31 has not come yet"),
        (
            ("plan", "log", "basics", "45m", "--day", "2201-01-01"),
            "--day 2201-01-01 is out of range",
        ),
        (("plan", "--week", "9999-12-31"), "--week 9999-12-31 is out of range"),
        (("plan", "--all"), "--all goes with --ics FILE"),
        (
            ("plan", "--ics", "/nonexistent-folder/x.ics", "--all"),
            "x.ics: cannot be written because its folder does not exist",
        ),
        (
            ("plan", "leave", "nope"),
            "you are not following a plan called 'nope' (you follow: mine)",
        ),
        (("plan", "keep"), "My roadmap still ends by its target; there is nothing to catch up"),
        (("plan", "undo"), "there is no choice about a plan's pace to undo"),
        (("plan", "pace", "on"), "your pace is not known yet"),
        (("plan", "spread"), "there is no time off coming or just ended"),
        (("enrol", "mine", "--start", "9999-12-31"), "--start 9999-12-31 is out of range"),
        (("enrol",), "name the plan to follow"),
    ],
)
def test_bad_input_is_one_sentence_exit_1_and_changes_nothing(
    db: str, capsys: pytest.CaptureFixture[str], args: tuple[str, ...], message: str
) -> None:
    run(capsys, "--db", db, "plan", "off", "2027-02-01", "2027-02-02")
    run(capsys, "--db", db, "plan", "off", "--remove", "2027-02-01")  # the off table exists, empty
    before = dump(Path(db))
    code, out, err = run(capsys, "--db", db, *args)
    assert code == 1 and message in err and err.count("\n") == 1, err
    assert out == ""
    assert dump(Path(db)) == before


def test_a_plan_file_with_errors_is_refused_with_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "sp.db"
    run(capsys, "--db", str(db), "decks")
    bad = tmp_path / "bad.md"
    bad.write_text(PLAN.replace("hours=4 after=basics", "hours=4 after=basic"), encoding="utf-8")
    before = dump(db)
    code, _, err = run(capsys, "--db", str(db), "plan", "import", str(bad))
    assert code == 1 and err.startswith(f"studyplan: {bad}:11: ") and "'basic'" in err
    assert err.count("\n") == 1 and dump(db) == before


def test_the_example_plan_in_the_docs_imports_and_can_be_followed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    example = Path(__file__).resolve().parents[2] / "docs" / "example-plan.md"
    db = str(tmp_path / "sp.db")
    code, out, err = run(capsys, "--db", db, "plan", "import", str(example))
    assert (code, err) == (0, "") and "(my-first-model: 5 topics)" in out
    code, out, _ = run(capsys, "--db", db, "enrol", "my-first-model")
    assert code == 0 and "asks for 6-8 h a week (28 h over 6 weeks)" in out
