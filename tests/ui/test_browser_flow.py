"""The card browser driven by key presses at 80x24: search as you type, the cursor always
on screen, every card action and its undo, the card view, editing, practice, leeches."""

from __future__ import annotations

import stat
import sys
from pathlib import Path

from textual.widgets import Input, Static

from studyplan.browser import Browser
from studyplan.ui.app import StudyplanApp, build_app
from studyplan.ui.browser import BrowserScreen, CardInfoScreen, CardTable
from studyplan.ui.confirm import ConfirmScreen
from studyplan.ui.home import HomeScreen
from studyplan.ui.review import ReviewScreen
from tests.helpers import FakeClock
from tests.ui.terminal_size import BIG, settle, text_of


def bundled_app(tmp_path: Path, **kwargs) -> StudyplanApp:
    return build_app(tmp_path / "sp.db", tmp_path / "c.toml", clock=FakeClock(), **kwargs)


async def open_browser(app: StudyplanApp, pilot) -> BrowserScreen:
    await settle(app, pilot)
    assert isinstance(app.screen, HomeScreen)
    await pilot.press("b")
    await settle(app, pilot)  # the whole list of a long result comes from a worker
    assert isinstance(app.screen, BrowserScreen)
    return app.screen


def cursor_on_screen(table: CardTable) -> bool:
    top = table.scroll_offset.y
    return top <= table.cursor < top + table.scrollable_content_region.height


async def type_query(pilot, screen: BrowserScreen, text: str) -> None:
    await pilot.press("slash")
    box = screen.query_one("#browser-query", Input)
    assert box.has_focus
    box.value = ""
    await pilot.press(*list(text))
    await settle(screen.app, pilot)


async def test_the_browser_lists_every_card_and_the_cursor_stays_on_screen(tmp_path: Path) -> None:
    app = bundled_app(tmp_path)
    async with app.run_test(size=BIG) as pilot:
        screen = await open_browser(app, pilot)
        table = screen.table
        total = app.service.conn.execute("SELECT COUNT(*) FROM card WHERE active = 1").fetchone()[0]
        assert len(table.ids) == total > 500
        assert f"{total:,} cards" in text_of(screen.query_one("#browser-title", Static))
        assert table.has_focus
        for n in range(40):
            await pilot.press("down")
            assert cursor_on_screen(table), f"after {n + 1} downs"
        assert table.cursor == 40
        await pilot.press("end")
        assert table.cursor == total - 1 and cursor_on_screen(table)
        await pilot.press("pageup")
        assert cursor_on_screen(table) and table.cursor < total - 1
        # The row under the cursor is drawn: its front is on screen.
        row = table.row(table.cursor)
        assert row is not None
        line = table.render_line(table.cursor - table.scroll_offset.y).text
        assert row.front[:10] in line


async def test_search_as_you_type_and_a_bad_query_keeps_the_last_result(tmp_path: Path) -> None:
    app = bundled_app(tmp_path)
    async with app.run_test(size=BIG) as pilot:
        screen = await open_browser(app, pilot)
        await type_query(pilot, screen, "deck:linear eigen")
        found = list(screen.table.ids)
        assert 0 < len(found) < 40
        assert all("Linear algebra" in r.deck for r in Browser(app.service).rows(found))
        await pilot.press("space", "i", "s", ":", "x")  # "... is:x" cannot be read
        await pilot.pause()
        message = text_of(screen.query_one("#browser-message", Static))
        assert "is:x is not a state" in message and "column" in message
        # The table keeps its last good result: the query as it stood at "... is".
        assert screen.table.ids == Browser(app.service).search("deck:linear eigen is")
        assert screen.last_good == "deck:linear eigen is"
        await pilot.press("backspace", "backspace", "backspace", "backspace", "backspace")
        assert text_of(screen.query_one("#browser-message", Static)).strip() == ""
        await pilot.press("enter")  # from the box to the table
        assert screen.table.has_focus


async def test_select_suspend_flag_bury_and_undo_with_keys(tmp_path: Path) -> None:
    app = bundled_app(tmp_path)
    async with app.run_test(size=BIG) as pilot:
        screen = await open_browser(app, pilot)
        browser = Browser(app.service)
        first, second, third = screen.table.ids[:3]
        await pilot.press("space", "space")  # select two, moving down
        assert screen.table.selected == {first, second}
        await pilot.press("s")
        await pilot.pause()
        assert browser.search("is:suspended") == [first, second]
        await pilot.press("s")  # all selected are suspended: s lifts it
        assert browser.search("is:suspended") == []
        await pilot.press("u")  # undo the unsuspend
        assert browser.search("is:suspended") == [first, second]
        await pilot.press("escape")  # clears the selection, stays in the browser
        assert screen.table.selected == set() and isinstance(app.screen, BrowserScreen)
        assert screen.table.current == third
        await pilot.press("1")
        assert browser.search("flag:red") == [third]
        await pilot.press("1")  # the same flag again takes it off
        assert browser.search("is:flagged") == []
        await pilot.press("minus")
        assert browser.search("is:buried") == [third]
        await pilot.press("R")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, BrowserScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_a_suspended_card_never_comes_up_in_review(tmp_path: Path) -> None:
    app = bundled_app(
        tmp_path,
    )
    async with app.run_test(size=BIG) as pilot:
        await settle(app, pilot)
        session = app.service.start_review()
        first = session.current
        assert first is not None
        await pilot.press("b")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, BrowserScreen)
        screen.table.move_to(screen.table.ids.index(first.id))
        await pilot.press("s", "escape")
        await pilot.pause()
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        assert first.id not in [q.card.id for q in app.screen.session.queue]


async def test_the_card_view_shows_the_card_its_source_and_every_answer(tmp_path: Path) -> None:
    app = bundled_app(tmp_path)
    async with app.run_test(size=BIG) as pilot:
        await settle(app, pilot)
        await pilot.press("r")
        await pilot.pause()
        review = app.screen
        assert isinstance(review, ReviewScreen)
        card = review.session.current
        assert card is not None
        await pilot.press("space", "2")  # wrong: drilled again later in the session
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("escape")  # the summary, back home
        await pilot.pause()
        await pilot.press("b")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, BrowserScreen)
        await type_query(pilot, screen, "answered:1")
        assert screen.table.ids == [card.id]
        await pilot.press("enter", "enter")
        await pilot.pause()
        view = app.screen
        assert isinstance(view, CardInfoScreen)
        facts = text_of(view.query_one("#card-info-facts", Static))
        assert "(bundled)" in facts and ".md:" in facts
        assert "0 of 1 recalled" in facts
        assert "predicted" in facts and "on its due day (SM-2" in facts
        history = text_of(view.query_one("#card-info-history", Static))
        assert "2026-03-02" in history and "0→1 d" in history
        await pilot.press("s")
        assert Browser(app.service).search("is:suspended") == [card.id]
        await pilot.press("e")  # a bundled card: one sentence, nothing opened
        await pilot.pause()
        assert any("Bundled decks are replaced" in n.message for n in app._notifications)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, BrowserScreen)
        assert app.screen.table.row(app.screen.table.cursor).state == "suspended"  # type: ignore[union-attr]


async def test_edit_opens_the_editor_and_the_card_keeps_its_history(
    tmp_path: Path, monkeypatch
) -> None:
    own = tmp_path / "mine.md"
    own.write_text(
        '+++\nname = "Mine"\nid = "mine"\n+++\n\n## Old front? {#q}\n\nOld back\n', encoding="utf-8"
    )
    editor = tmp_path / "editor.py"
    editor.write_text(
        "import sys, pathlib\n"
        "line, path = sys.argv[1], pathlib.Path(sys.argv[2])\n"
        "assert line == '+6', line\n"
        "path.write_text(path.read_text().replace('Old back', 'New back'))\n",
        encoding="utf-8",
    )
    script = tmp_path / "vim"  # named like an editor that takes +LINE
    script.write_text(f'#!/bin/sh\nexec {sys.executable} {editor} "$@"\n', encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("VISUAL", str(script))
    app = bundled_app(tmp_path)
    assert app.service.import_path(own).errors == []
    async with app.run_test(size=BIG) as pilot:
        screen = await open_browser(app, pilot)
        await type_query(pilot, screen, "deck:mine")
        assert len(screen.table.ids) == 1
        card = screen.table.ids[0]
        await pilot.press("enter", "e")
        await pilot.pause()
        await pilot.pause()
        assert "New back" in own.read_text()
        detail = Browser(app.service).detail(card)
        assert detail.back == "New back" and detail.id == card


async def test_practise_a_search_changes_no_schedule(tmp_path: Path) -> None:
    app = bundled_app(tmp_path)
    async with app.run_test(size=BIG) as pilot:
        screen = await open_browser(app, pilot)
        await type_query(pilot, screen, "deck:information")
        ids = list(screen.table.ids)
        await pilot.press("enter", "p")
        await pilot.pause()
        review = app.screen
        assert isinstance(review, ReviewScreen) and review.session.practice
        assert "practice" in text_of(review.query_one("#review-left", Static))
        for _ in range(3):
            await pilot.press("space", "5")
            await pilot.pause()
        states = Browser(app.service).rows(ids)
        assert all(r.state == "new" for r in states)  # practised, still new
        practised = app.service.conn.execute(
            "SELECT COUNT(*) FROM review WHERE practice = 1"
        ).fetchone()[0]
        assert practised == 3


async def test_the_current_review_card_opens_in_the_card_view_and_can_be_set_aside(
    tmp_path: Path,
) -> None:
    app = bundled_app(tmp_path)
    async with app.run_test(size=BIG) as pilot:
        await settle(app, pilot)
        await pilot.press("r")
        await pilot.pause()
        review = app.screen
        assert isinstance(review, ReviewScreen)
        card = review.session.current
        assert card is not None
        await pilot.press("i")
        await pilot.pause()
        assert isinstance(app.screen, CardInfoScreen) and app.screen.card_id == card.id
        await pilot.press("s", "escape")
        await pilot.pause()
        assert app.screen is review
        assert review.session.current is not None and review.session.current.id != card.id


async def test_a_leech_is_named_in_review(tmp_path: Path) -> None:
    clock = FakeClock()
    app = build_app(tmp_path / "sp.db", tmp_path / "c.toml", clock=clock)
    app.service.change_settings(leech_lapses=1, bury_siblings=False)
    assert app.service.sync_decks().errors == []
    session = app.service.start_review()
    target = session.current
    assert target is not None
    session.answer(5)  # learnt: due tomorrow
    clock.advance(days=1)
    async with app.run_test(size=BIG) as pilot:
        await settle(app, pilot)
        await pilot.press("r")
        await pilot.pause()
        review = app.screen
        assert isinstance(review, ReviewScreen)
        assert review.session.current is not None and review.session.current.id == target.id
        await pilot.press("space", "1")
        await pilot.pause()
        notes = [n.message for n in app._notifications]
        assert any("leech" in n and "is:leech" in n for n in notes), notes
        assert target.id not in [q.card.id for q in review.session.queue]  # suspended
        assert Browser(app.service).search("is:leech") == [target.id]


async def test_save_a_search_and_run_it_again(tmp_path: Path) -> None:
    app = bundled_app(tmp_path)
    async with app.run_test(size=BIG) as pilot:
        screen = await open_browser(app, pilot)
        await type_query(pilot, screen, "tag:graphs")
        found = list(screen.table.ids)
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press(*list("graph work"), "enter")
        await pilot.pause()
        assert Browser(app.service).saved() == [("graph work", "tag:graphs")]
        await type_query(pilot, screen, "")
        await pilot.press("enter")  # to the table
        assert len(screen.table.ids) > len(found)
        await pilot.press("l")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, BrowserScreen)
        assert app.screen.table.ids == found


async def test_nothing_due_offers_more_new_cards_and_practice(tmp_path: Path) -> None:
    app = bundled_app(tmp_path)
    app.service.change_settings(new_per_day=0)
    async with app.run_test(size=BIG) as pilot:
        await settle(app, pilot)
        await pilot.press("r")
        await pilot.pause()
        await pilot.pause()
        assert "n adds new cards" in text_of(app.screen.query_one("#summary-headline", Static))
        await pilot.press("n")
        await pilot.pause()
        review = app.screen
        assert isinstance(review, ReviewScreen)
        assert review.session.counts()["new"] == 5
        assert app.service.settings.new_per_day == 0


async def test_a_long_result_shows_its_head_at_once_and_the_rest_when_needed(
    tmp_path: Path, monkeypatch
) -> None:
    """The first rows of a search are drawn before the whole list is read; going past
    them, selecting all or practising all reads the whole list at once, and a whole list
    that arrives for an older search is dropped."""
    from studyplan.ui import browser as ui_browser

    arrived: list[tuple[list[int], int]] = []

    def held(screen: BrowserScreen, text: str, sort: str, descending: bool, generation: int):
        arrived.append((Browser(screen.app.service).search(text, sort, descending), generation))

    monkeypatch.setattr(BrowserScreen, "_search_whole", held)  # the worker never delivers
    app = bundled_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_browser(app, pilot)
        table = screen.table
        total = app.service.conn.execute("SELECT COUNT(*) FROM card WHERE active = 1").fetchone()[0]
        head = ui_browser.FIRST_ROWS
        assert total > head and len(table.ids) == head and not table.complete
        assert f"{head}+ cards, counting" in text_of(screen.query_one("#browser-title", Static))
        whole, generation = arrived[-1]
        assert whole[:head] == table.ids and len(whole) == total
        # The last column ends before the scrollbar, which would hide its last characters.
        titles = text_of(screen.query_one("#browser-header", Static)).rstrip()
        assert titles.endswith("Lap") and len(titles) <= table.scrollable_content_region.width

        await pilot.press("G")  # past the head: the whole list now, the cursor on the last
        assert table.complete and table.cursor == total - 1 and cursor_on_screen(table)
        assert f"{total:,} cards" in text_of(screen.query_one("#browser-title", Static))
        assert table.current == whole[-1]

        await type_query(pilot, screen, "the")
        assert not table.complete
        screen._whole_arrived(whole, generation)  # the first search's list, come late
        await pilot.pause()
        assert not table.complete and len(table.ids) == head
        narrower, latest = arrived[-1]
        await pilot.press("escape")  # to the table
        await pilot.press("a")  # select all: every card that matches, not the head
        assert table.complete and len(table.selected) == len(narrower) > head
        screen._whole_arrived(narrower, latest - 1)
        assert len(table.ids) == len(narrower)


async def test_short_words_are_found_in_the_copy_read_into_memory(
    tmp_path: Path, monkeypatch
) -> None:
    """Opening the browser copies every card, in the order on screen, into memory in a
    worker; each word typed, short or long, is then looked for there, with the cards a
    search of the card table finds; a card action writes, so the copy is read again
    before being trusted."""
    reads: list[str] = []
    read = Browser.read_sorted_copy

    def counted(browser: Browser, sort: str):
        reads.append(sort)
        return read(browser, sort)

    monkeypatch.setattr(Browser, "read_sorted_copy", counted)
    app = bundled_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_browser(app, pilot)
        browser = screen._browser()
        assert browser.holds_sorted_copy("added") and reads == ["added"]
        table = Browser(app.service)  # holds nothing: every search through the card table
        for query in ("qu", "-e", "é", "deck:linear -ab", "x or zz", "matrix"):
            await type_query(pilot, screen, query)
            assert screen.table.ids == table.search(query), query
        assert browser.holds_sorted_copy("added") and reads == ["added"]
        await type_query(pilot, screen, "ma")
        await pilot.press("escape", "s")  # suspend the first card: a write
        await settle(app, pilot)
        assert browser.holds_sorted_copy("added") and reads == ["added", "added"]
        assert screen.table.ids == table.search("ma")


async def test_sorting_by_the_last_answer_orders_as_the_log_does(tmp_path: Path) -> None:
    """`o` until the title says "answered": the cards in the order of their last answered
    day (ties by when they were added, never answered first), `O` the other way, and a
    search typed meanwhile keeps that order."""
    from datetime import date, timedelta

    from studyplan.service import Studyplan
    from tests.helpers import answer_on, write_deck

    folder = tmp_path / "bundled"
    write_deck(folder, "Small", {f"Question {n} about sets?": f"Answer {n}." for n in range(9)})
    setup = Studyplan(
        tmp_path / "sp.db", tmp_path / "c.toml", clock=FakeClock(), bundled_decks=folder
    )
    assert setup.sync_decks().errors == []
    ids = [r[0] for r in setup.conn.execute("SELECT id FROM card ORDER BY id")]
    day = date(2026, 3, 2)
    for card, days in ((4, 0), (1, 0), (6, 1), (0, 0), (0, 5), (2, 1), (7, -20), (1, -3)):
        answer_on(setup, ids[card], day + timedelta(days=days))
    answer_on(setup, ids[6], day + timedelta(days=1), drill=True)
    setup.close()
    by_the_log = """
        SELECT id FROM card WHERE active = 1 {where}
        ORDER BY (SELECT MAX(study_day) FROM review WHERE card_id = card.id) {way}, id {way}
    """
    app = build_app(
        tmp_path / "sp.db", tmp_path / "c.toml", clock=FakeClock(), bundled_decks=folder
    )
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_browser(app, pilot)
        conn = app.service.conn

        def expected(where: str = "", way: str = "") -> list[int]:
            return [r[0] for r in conn.execute(by_the_log.format(where=where, way=way))]

        header = screen.query_one("#browser-header", Static)
        assert screen.table.ids == ids  # by when they were added
        assert "Answered" not in text_of(header) and "Lap" in text_of(header)  # 80 columns
        for _ in range(7):
            await pilot.press("o")
        await settle(app, pilot)
        assert "sorted by answered" in text_of(screen.query_one("#browser-title", Static))
        # The column sorted by takes the place of ease and lapses at 80 columns.
        assert "Answered" in text_of(header) and "Lap" not in text_of(header)
        assert "2026-03-07" in screen.table.render_line(len(ids) - 1).text
        assert screen.table.ids == expected() != ids
        assert screen.table.ids[:2] == [ids[3], ids[5]]  # never answered, by id
        assert screen.table.ids[-2:] == [ids[6], ids[0]]  # the last answers
        await pilot.press("O")
        await settle(app, pilot)
        assert "sorted by answered ↓" in text_of(screen.query_one("#browser-title", Static))
        assert screen.table.ids == expected(way="DESC")
        await type_query(pilot, screen, "question 1 or answer 7 or answered:2")
        where = "AND (id IN (?, ?) OR id IN (SELECT card_id FROM review WHERE study_day >= '2026-03-01'))"
        found = [
            r[0] for r in conn.execute(by_the_log.format(where=where, way="DESC"), (ids[1], ids[7]))
        ]
        assert screen.table.ids == found and len(found) == 6
        first = screen.table.render_line(0).text
        assert screen.table.row(0) is not None and screen.table.row(0).front[:10] in first


async def test_opening_draws_the_first_rows_while_the_count_is_still_coming(
    tmp_path: Path, monkeypatch
) -> None:
    """The browser opens on its first screenful, saying it is still counting; the keys
    work meanwhile, and a search typed before the count arrives shows its own cards (the
    count of the opening, come late, is dropped)."""
    import threading

    from studyplan.ui.browser import FIRST_ROWS

    gate = threading.Event()
    whole = BrowserScreen._search_whole

    def held_back(screen: BrowserScreen, *args) -> None:
        gate.wait(30)  # the whole list is still being read
        whole(screen, *args)

    monkeypatch.setattr(BrowserScreen, "_search_whole", held_back)
    app = bundled_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("b")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, BrowserScreen)
        table = screen.table
        browser = Browser(app.service)
        every = browser.search("")
        assert len(every) > FIRST_ROWS and table.ids == every[:FIRST_ROWS] and not table.complete
        title = screen.query_one("#browser-title", Static)
        assert f"{FIRST_ROWS}+ cards, counting…" in text_of(title)
        row = table.row(0)
        assert row is not None and row.front[:12] in table.render_line(0).text
        await pilot.press("down", "down", "down")
        assert table.cursor == 3 and table.current == every[3]
        await pilot.press("slash", *"the")
        await pilot.pause()
        found = browser.search("the")
        assert len(found) > FIRST_ROWS and table.ids == found[:FIRST_ROWS]
        assert "counting…" in text_of(title)
        gate.set()  # both whole lists arrive: the opening's, then the search's
        await settle(app, pilot)
        assert table.complete and table.ids == found
        assert f"{len(found):,} cards" in text_of(title) and "counting" not in text_of(title)


async def test_sorted_by_a_column_the_first_rows_come_from_a_copy_in_that_order(
    tmp_path: Path,
) -> None:
    """`o` to sort by deck: the cards are copied in that order into memory by a worker,
    and each key typed shows the first rows from the copy, the rows the card table gives,
    both ways (`O`); a card action lets the copy go and a fresh one is read; `o` again
    copies the next sort; leaving the browser lets the copy go."""
    from studyplan.ui.browser import FIRST_ROWS

    app = bundled_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_browser(app, pilot)
        browser = screen._browser()
        table = Browser(app.service)  # holds no copy: every search sorts the card table
        conn = app.service.conn
        read: list[str] = []
        conn.set_trace_callback(read.append)
        assert not browser.holds_sorted_copy("deck")
        await pilot.press("o")
        await settle(app, pilot)
        assert "sorted by deck" in text_of(screen.query_one("#browser-title", Static))
        assert browser.holds_sorted_copy("deck")
        for descending in (False, True):
            if descending:
                await pilot.press("escape", "O")
                await settle(app, pilot)
            for query in ("ma", "-e", "tag:linear* or de", "is:new", "x"):
                read.clear()
                await pilot.press("slash")
                screen.query_one("#browser-query", Input).value = ""
                await pilot.press(*list(query))
                head = screen.table.ids[:FIRST_ROWS]
                assert head == table.search(query, "deck", descending)[:FIRST_ROWS], query
                assert any(".sorted AS card" in sql for sql in read), query
                await settle(app, pilot)
        assert "sorted by deck ↓" in text_of(screen.query_one("#browser-title", Static))
        await pilot.press("escape")
        first = screen.table.ids[screen.table.cursor]
        await pilot.press("s")  # suspend the card under the cursor: a write
        await settle(app, pilot)
        assert table.detail(first).suspended
        assert browser.holds_sorted_copy("deck")  # read again, after the write
        await type_query(pilot, screen, "is:suspended")
        assert screen.table.ids == table.search("is:suspended", "deck", True) == [first]
        await pilot.press("escape", "o")  # by front
        await settle(app, pilot)
        assert browser.holds_sorted_copy("front") and not browser.holds_sorted_copy("deck")
        screen._copy_reading = True  # as while another sort is still being copied
        await pilot.press("o")  # by due: waits for that copy
        await settle(app, pilot)
        assert screen.sort == "due" and not browser.holds_sorted_copy("due")
        screen._sorted_copy_read("front", None, browser.text_mark())  # that copy comes
        for _ in range(2):
            await settle(app, pilot)
        assert browser.holds_sorted_copy("due")
        conn.set_trace_callback(None)
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, HomeScreen)
        attached = [row[1] for row in conn.execute("PRAGMA database_list")]
        assert attached == ["main"]
