"""The card browser on a large collection: keystroke -> updated table, and each query alone.

    uv run python benchmarks/browser_bench.py [--cards 100000] [--reviews 1000000] [--repeats 3]
        [--sorts added,answered | --sorts all]

Builds the collection (benchmarks/bench.py's generator), then, in the app under
Pilot at 80x24: opens the browser (timed to the frame with its first screenful of
rows, and to the whole table counted), then, sorted by each of ``--sorts`` in turn,
types each query one character at a time and times every key press to the frame
that paints the new rows. The search box searches on every keystroke, so each key
is one search plus one table redraw. Also: each query's SQL alone (``Browser.search``
and the first screenful of rows), the first search after an upgrade (every card's
text folded once), and each sort's first screenful alone, from the card table and from
the copy of the cards in that sort's order that the browser reads in a worker (the
keys typed under a sort are timed once that copy is held: the first search after the
sort changes waits for every worker). Target: p95 <= 50 ms from
keystroke to updated table (the first screenful of the new result drawn; a long
result's whole list and count follow from a worker, timed separately).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from collection import CONFIG, build_collection, study_today


def _clock():
    from datetime import UTC, datetime

    today = study_today()
    return datetime(today.year, today.month, today.day, 9, tzinfo=UTC)


QUERIES = [
    "card 123",
    "deck:07 is:due",
    "tag:ml-* or lapses:>=3",
    "-is:new ivl:>30",
    '"odd squares"',
    "answered:30 ease:<2.0",
    "due:<7 -deck:03",
    "is:suspended or flag:red",
]


SORTED_QUERIES = ["", "card", "tag:ml-*", "is:suspended"]
"""Each sort's first screenful alone: every card, a common word, a large tag, a few cards."""


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def sql_alone(db: Path, config: Path, repeats: int) -> list[tuple[str, list[float]]]:
    from studyplan.browser import Browser
    from studyplan.service import Studyplan
    from studyplan.ui.browser import FIRST_ROWS, SORT_ORDER

    service = Studyplan(db, config, clock=_clock)
    browser = Browser(service)
    out = []
    start = time.perf_counter()
    service.conn.execute("INSERT INTO card_text (card_text) VALUES ('rebuild')")
    out.append(
        ("the word index rebuilt whole (the upgrade to schema 9)", [time.perf_counter() - start])
    )
    for query in QUERIES:
        heads, wholes = [], []
        for _ in range(repeats):
            start = time.perf_counter()
            browser.rows(browser.search(query, limit=FIRST_ROWS + 1)[:30])
            heads.append(time.perf_counter() - start)
            start = time.perf_counter()
            ids = browser.search(query)
            wholes.append(time.perf_counter() - start)
        out.append((f"{query!r}: first {FIRST_ROWS} + 30 rows", heads))
        out.append((f"{query!r}: all {len(ids):,} ids (worker)", wholes))

    def heads(sort: str, label: str) -> None:
        for query in SORTED_QUERIES:
            times = []
            for _ in range(repeats):
                start = time.perf_counter()
                browser.rows(browser.search(query, sort, limit=FIRST_ROWS + 1)[:30])
                times.append(time.perf_counter() - start)
            out.append((label.format(sort=sort, query=query), times))

    for sort in SORT_ORDER:
        heads(sort, f"sorted by {{sort}}, {{query!r}}: first {FIRST_ROWS} + 30 rows")
        start = time.perf_counter()
        browser.search("", sort)
        out.append((f"sorted by {sort}: all ids (worker)", [time.perf_counter() - start]))
        copied = []
        for _ in range(repeats):
            mark = browser.text_mark()
            start = time.perf_counter()
            worker = Browser(service.another())
            copy = worker.read_sorted_copy(sort)
            worker.service.close()
            copied.append(time.perf_counter() - start)
        if copy is None:
            continue
        out.append((f"sorted by {sort}: the copy in that order read (worker)", copied))
        start = time.perf_counter()
        browser.hold_sorted_copy(sort, copy, mark)
        out.append((f"sorted by {sort}: the copy attached", [time.perf_counter() - start]))
        heads(sort, "from the copy by {sort}, {query!r}: first rows")
        browser.drop_sorted_copy()
    service.close()
    return out


async def typed(
    db: Path, config: Path, repeats: int, sorts: tuple[str, ...] = ("added", "answered")
) -> dict[str, list[float]]:
    """Opens the browser (b), timed to the frame that paints its first screenful of rows
    and to the whole table counted; then, sorted by each of ``sorts`` in turn, types every
    query a key at a time into the browser at 80x24 and times, per key, until the
    table's new rows are painted (a frame composed after the table took the new result)
    and until the whole result is painted with its count (the worker's list, for a
    result longer than the first screenful). The floor, in the same run, is a key that
    moves the search box's cursor: a frame that repaints only the box."""
    from textual.widgets import Input

    from studyplan.ui.app import build_app
    from studyplan.ui.browser import BrowserScreen, CardTable

    app = build_app(db, config, clock=_clock)
    out: dict[str, list[float]] = {
        "open_head": [],
        "open": [],
        "floor": [],
        "refused": [],
        **{f"{kind}:{sort}": [] for sort in sorts for kind in ("head", "whole")},
    }
    paints: list[float] = []
    shown: list[tuple[float, bool]] = []
    display = app._display
    show_ids = CardTable.show_ids

    def recorded(table, ids, keep=None, complete=True) -> None:
        show_ids(table, ids, keep, complete)
        shown.append((time.perf_counter(), complete))

    def painted(screen, renderable) -> None:
        display(screen, renderable)
        if renderable is not None:
            paints.append(time.perf_counter())

    app._display = painted  # type: ignore[method-assign]

    async def frame_after(moment: float, timeout: float = 10.0) -> float:
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            later = [p for p in paints if p >= moment]
            if later:
                return later[0]
            await asyncio.sleep(0.001)
        raise RuntimeError("no frame painted")

    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        CardTable.show_ids = recorded  # type: ignore[method-assign]
        start = time.perf_counter()
        await pilot.press("b")
        deadline = start + 30
        while not shown:
            if time.perf_counter() > deadline:
                raise RuntimeError("the browser showed no rows")
            await asyncio.sleep(0.001)
        out["open_head"].append(await frame_after(shown[0][0]) - start)
        await app.workers.wait_for_complete()
        await pilot.pause()
        out["open"].append(time.perf_counter() - start)
        screen = app.screen
        assert isinstance(screen, BrowserScreen)
        for sort, _ in ((sort, n) for sort in sorts for n in range(repeats)):
            screen.sort = sort
            for query in QUERIES:
                await pilot.press("slash")
                screen.query_one("#browser-query", Input).value = ""
                await app.workers.wait_for_complete()
                await pilot.pause()
                for char in query:
                    key = {" ": "space", '"': "quotation_mark", ":": "colon"}.get(char, char)
                    mark = len(shown)
                    start = time.perf_counter()
                    await pilot.press(key)  # returns once the screen handled the key
                    if len(shown) == mark:  # a query that cannot be read yet ("deck:")
                        out["refused"].append(await frame_after(start) - start)
                        await asyncio.sleep(0.03)
                        continue
                    deadline = start + 30
                    while not (len(shown) > mark and shown[-1][1]):
                        if time.perf_counter() > deadline:
                            raise RuntimeError(f"no whole result after {query!r}")
                        await asyncio.sleep(0.001)
                    head = shown[mark][0]
                    whole = next(moment for moment, complete in shown[mark:] if complete)
                    out[f"head:{sort}"].append(await frame_after(head) - start)
                    out[f"whole:{sort}"].append(await frame_after(whole) - start)
                    await asyncio.sleep(0.03)  # a learner's gap between keys
                for key in ("left", "right") * 3:
                    start = time.perf_counter()
                    await pilot.press(key)
                    out["floor"].append(await frame_after(start) - start)
                    await asyncio.sleep(0.03)
    return out


async def browsing(db: Path, config: Path, held: str) -> None:
    """In a child process: open the browser, type a short and a long word, then go to the
    end (G). ``held``: "none", no copy of the cards read into memory; "copy", the copy in
    the order on screen (as the browser does); "front", that, then sorted by front (a
    second copy read, the first let go)."""
    from studyplan.ui.app import build_app
    from studyplan.ui.browser import BrowserScreen

    if held == "none":
        BrowserScreen._keep_sorted_copy = lambda self: None  # type: ignore[method-assign]
    app = build_app(db, config, clock=_clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("b")
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, BrowserScreen)
        assert screen._browser().holds_sorted_copy("added") == (held != "none")
        if held == "front":
            await pilot.press("o", "o")  # by front
            for _ in range(2):
                await app.workers.wait_for_complete()
                await pilot.pause()
            assert screen._browser().holds_sorted_copy("front")
        for keys in (["slash", "q", "u"], ["backspace", "backspace", "s", "q", "u", "a"]):
            await pilot.press(*keys)
            await app.workers.wait_for_complete()
            await pilot.pause()
        await pilot.press("escape", "G")
        await app.workers.wait_for_complete()
        await pilot.pause()


def memory(db: Path, config: Path, held: str) -> tuple[float, float]:
    """(resident, peak resident) MB of a process that browses, from its own
    /proc/self/status (Linux carries ru_maxrss over fork and exec)."""
    code = (
        f"import asyncio, sys; sys.path.insert(0, {str(Path(__file__).parent)!r});"
        "from browser_bench import browsing; from pathlib import Path;"
        f"asyncio.run(browsing(Path({str(db)!r}), Path({str(config)!r}), {held!r}));"
        "status = dict(l.split(':', 1) for l in open('/proc/self/status'));"
        "print(int(status['VmRSS'].split()[0]) / 1024, int(status['VmHWM'].split()[0]) / 1024)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    rss, peak = out.stdout.split()[-2:]
    return float(rss), float(peak)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cards", type=int, default=100_000)
    parser.add_argument("--reviews", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument(
        "--sorts",
        default="added,answered",
        help="the sorts the queries are typed under, comma-separated, or 'all'",
    )
    args = parser.parse_args()
    from studyplan.ui.browser import SORT_ORDER

    sorts = SORT_ORDER if args.sorts == "all" else tuple(args.sorts.split(","))
    if not set(sorts) <= set(SORT_ORDER):
        parser.error(f"--sorts: each of {', '.join(SORT_ORDER)}, or all")
    with tempfile.TemporaryDirectory() as tmp:
        db, config = Path(tmp) / "bench.db", Path(tmp) / "config.toml"
        config.write_text(CONFIG + "backups_kept = 0\n", encoding="utf-8")
        print(f"building {args.cards:,} cards and {args.reviews:,} reviews...", file=sys.stderr)
        build_collection(db, args.cards, args.reviews)
        rows = sql_alone(db, config, args.repeats)
        timed = asyncio.run(typed(db, config, args.repeats, sorts))
        print("browsing in a process of its own, for its memory...", file=sys.stderr)
        memories = {held: memory(db, config, held) for held in ("none", "copy", "front")}
    print(f"\nCard browser, {args.cards:,} cards, {args.reviews:,} review rows\n")
    print(f"{'measure':<62} {'min':>8} {'median':>8} {'p95':>8} {'max':>8}")
    for name, times in rows:
        ms = [t * 1000 for t in times]
        print(
            f"{name[:62]:<62} {min(ms):8.1f} {statistics.median(ms):8.1f} "
            f"{percentile(ms, 0.95):8.1f} {max(ms):8.1f}"
        )
    for name, label in (
        ("open_head", "open the browser (b) -> first screenful painted"),
        ("open", "open the browser (b) -> whole table counted"),
        ("floor", "floor: a key that repaints only the search box"),
        *(
            row
            for sort in sorts
            for row in (
                (f"head:{sort}", f"by {sort}: keystroke -> new rows painted (80x24)"),
                (f"whole:{sort}", f"by {sort}: keystroke -> whole result counted"),
            )
        ),
        ("refused", "keystroke -> a query not readable yet, said under the box"),
    ):
        ms = [t * 1000 for t in timed[name]] or [float("nan")]
        print(
            f"{f'{label} ({len(ms)})':<62} {min(ms):8.1f} {statistics.median(ms):8.1f} "
            f"{percentile(ms, 0.95):8.1f} {max(ms):8.1f}"
        )
    for held, label in (
        ("none", "with no copy of the cards"),
        ("copy", "with the copy of the cards"),
        ("front", "sorted by front (a second copy)"),
    ):
        rss, peak = memories[held]
        print(f"memory browsing {label}: resident {rss:.0f} MB, peak {peak:.0f} MB")
    print()
    for name in ("open_head", *(f"head:{sort}" for sort in sorts)):
        p95 = percentile([t * 1000 for t in timed[name]], 0.95)
        print(f"target: {name} p95 <= 50 ms: {'met' if p95 <= 50 else 'NOT met'} ({p95:.1f} ms)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
