"""Moving in from Anki without leaving the app, at 80x24: the palette's "Import an Anki
package or deck file…", a path typed in, the summary, and the decks on home."""

from __future__ import annotations

from pathlib import Path

from studyplan.ui.app import StudyplanApp
from studyplan.ui.browser import NameScreen
from studyplan.ui.home import HomeScreen
from tests.ui.terminal_size import BIG, make_app, settle

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "anki"


async def import_through_the_palette(app: StudyplanApp, pilot, path: str) -> None:
    await pilot.press("ctrl+p")
    await pilot.pause()
    await pilot.press(*list("import an anki"))
    await pilot.pause(0.3)
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(app.screen, NameScreen)
    assert app.screen.find_widget(app.screen.query_one("#name-input")).region.width
    await pilot.press(*list(path))
    await pilot.press("enter")
    await settle(app, pilot)
    await app.workers.wait_for_complete()
    await settle(app, pilot)


def told(app: StudyplanApp) -> list[tuple[str, str, str]]:
    return [(n.title, n.severity, n.message) for n in app._notifications]


async def test_a_package_imports_from_the_palette_with_its_history(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    package = FIXTURES / "collection.colpkg"
    async with app.run_test(size=BIG) as pilot:
        await settle(app, pilot)
        await import_through_the_palette(app, pilot, str(package))
        assert isinstance(app.screen, HomeScreen)
        imported = [m for title, _, m in told(app) if title == "Imported"]
        assert imported and imported[0].startswith(
            f"{package}: 2 decks, 10 notes, 13 cards (13 new or changed), 13 reviews added, "
            "1 media files"
        )
        assert "skipped: 1 sound tag dropped" in imported[0]
        table = app.screen.query_one("#decks")
        decks = {str(table.get_row_at(i)[0]) for i in range(table.row_count)}
        assert {"ML · Basics", "Maths"} <= decks
        reviews = app.service.conn.execute(
            "SELECT count(*) FROM review WHERE imported = 1"
        ).fetchone()[0]
        assert reviews == 13

        await import_through_the_palette(app, pilot, str(package))  # again: nothing changes
        again = [m for title, _, m in told(app) if title == "Imported"][-1]
        assert "13 cards (0 new or changed), 0 reviews added" in again


async def test_a_file_that_cannot_be_imported_is_one_sentence(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    broken = tmp_path / "broken.apkg"
    broken.write_bytes((FIXTURES / "latest.apkg").read_bytes()[:300])  # a cut-short zip
    async with app.run_test(size=BIG) as pilot:
        await settle(app, pilot)
        before = app.service.conn.execute("SELECT count(*) FROM card").fetchone()
        await import_through_the_palette(app, pilot, str(broken))
        errors = [m for title, severity, m in told(app) if severity == "error"]
        assert len(errors) == 1 and errors[0].startswith(f"{broken}: ")
        assert errors[0].count(".") >= 1 and "\n" not in errors[0]
        assert app.service.conn.execute("SELECT count(*) FROM card").fetchone() == before
        await import_through_the_palette(app, pilot, str(tmp_path / "nowhere.apkg"))
        errors = [m for title, severity, m in told(app) if severity == "error"]
        assert errors[-1] == f"{tmp_path / 'nowhere.apkg'}: no such file or folder"
