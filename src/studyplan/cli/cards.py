"""``studyplan cards``: the browser on the command line, for a quick look and for scripts.

studyplan cards [QUERY] [--json] [--sort COLUMN] [--desc] [--limit N]
studyplan cards show ID
studyplan cards suspend|unsuspend|bury|unbury|reset ID... [--query QUERY]
studyplan cards flag COLOUR ID... [--query QUERY]
studyplan cards undo
"""

from __future__ import annotations

import json
import sys
from datetime import date

from studyplan.browser import ACTION_WORDS, Browser, flag_number
from studyplan.core.cards.query import FLAGS, QueryError
from studyplan.core.text import visible
from studyplan.service import Studyplan
from studyplan.store.browse_repo import SORTS, CardDetail

ACTIONS = ("suspend", "unsuspend", "bury", "unbury", "reset", "flag")


def _fail(message: str) -> int:
    print(visible(f"studyplan: {message}"), file=sys.stderr)
    return 1


def cards_command(service: Studyplan, args) -> int:
    """Run ``studyplan cards ...``; the exit code. Everything the learner typed is
    checked before anything is written (the deck files are read in only then)."""
    browser = Browser(service)
    words: list[str] = list(args.words)
    if args.sort not in SORTS:
        return _fail(f"cannot sort by {args.sort!r} (known: {', '.join(SORTS)})")

    def sync() -> None:
        if not service.read_only:
            service.sync_decks()  # cards from deck files added or changed since the app last ran

    try:
        if words and words[0] == "show":
            if len(words) != 2:
                return _fail("cards show takes one card id, like: studyplan cards show 42")
            return _show(browser, words[1], args.json)
        if words and words[0] == "undo":
            said = browser.undo()
            print(said or "No card change to undo.")
            return 0
        if words and words[0] in ACTIONS:
            return _act(browser, words[0], words[1:], args, sync)
        query = " ".join(words) if words else (args.query or "")
        browser.parse(query)
        sync()
        ids = browser.search(query, args.sort, args.desc)
    except QueryError as err:
        return _fail(f"the query cannot be read: {err}")
    return _list(browser, ids, args.json, args.limit, service.today())


def _ids(words: list[str]) -> list[int]:
    out = []
    for word in words:
        if not word.isdigit():
            raise ValueError(f"{word!r} is not a card id (a number, as `studyplan cards` shows)")
        out.append(int(word))
    return out


def _act(browser: Browser, action: str, words: list[str], args, sync) -> int:
    flag = 0
    if action == "flag":
        if not words:
            return _fail(f"cards flag needs a colour first ({', '.join(FLAGS)} or none)")
        try:
            flag = flag_number(words[0])
        except ValueError as err:
            return _fail(str(err))
        words = words[1:]
    if words and args.query:
        return _fail("give card ids or --query, not both")
    if args.query is not None:
        browser.parse(args.query)
        sync()
        ids = browser.search(args.query)
    else:
        try:
            ids = _ids(words)
        except ValueError as err:
            return _fail(str(err))
        if not ids:
            return _fail(f"cards {action} needs card ids or --query QUERY")
        known = browser.repo.known_ids(ids)
        unknown = [i for i in ids if i not in known]
        if unknown:
            return _fail(f"there is no card with id {unknown[0]}; nothing was changed")
    changed = browser.act(ids, action, flag)
    what = ACTION_WORDS[action] if action != "flag" or flag else "unflagged"
    if action == "flag" and flag:
        what = f"flagged {FLAGS[flag - 1]}"
    print(
        f"{changed} card{'s' if changed != 1 else ''} {what} (studyplan cards undo takes it back)."
    )
    return 0


def _list(browser: Browser, ids: list[int], as_json: bool, limit: int, today: date) -> int:
    shown = ids[:limit] if limit else ids
    rows = browser.rows(shown)
    if as_json:
        out = [
            {
                "id": r.id,
                "deck": r.deck,
                "key": r.key,
                "front": r.front,
                "state": r.state,
                "due": r.due.isoformat() if r.due else None,
                "interval": r.interval,
                "ease": r.ef_permille / 1000,
                "lapses": r.lapses,
                "answered": r.answered.isoformat() if r.answered else None,
                "flag": FLAGS[r.flag - 1] if r.flag else None,
            }
            for r in rows
        ]
        print(json.dumps(out, ensure_ascii=False, indent=1))
        return 0
    if not rows:
        print("No cards match.")
        return 0
    print(f"{'id':>6}  {'state':<9} {'due':<10} {'ivl':>5} {'ease':>4} {'lap':>3}  front")
    for r in rows:
        due = r.due.isoformat() if r.due else "new"
        front = r.front if len(r.front) <= 60 else r.front[:59] + "…"
        print(
            f"{r.id:>6}  {r.state:<9} {due:<10} {r.interval:>5} {r.ef_permille / 1000:>4.2f} "
            f"{r.lapses:>3}  {front}"
        )
    more = len(ids) - len(shown)
    tail = f", {len(shown)} shown (--limit 0 shows all)" if more > 0 else ""
    print(f"{len(ids)} card{'s' if len(ids) != 1 else ''}{tail}")
    return 0


def _show(browser: Browser, word: str, as_json: bool) -> int:
    try:
        (card_id,) = _ids([word])
        detail = browser.detail(card_id)
    except ValueError as err:
        return _fail(str(err))
    except KeyError:
        return _fail(f"there is no card with id {word}")
    if as_json:
        print(json.dumps(_detail_json(detail), ensure_ascii=False, indent=1))
        return 0
    s = detail.state
    print(f"card {detail.id} · {detail.deck} · {detail.source}:{detail.line}")
    print(f"tags: {', '.join(detail.tags) or 'none'}")
    marks = [m for m, on in (("suspended", detail.suspended), ("leech", detail.leech)) if on]
    if detail.flag:
        marks.append(f"flag {FLAGS[detail.flag - 1]}")
    state = "new" if s.due is None else f"due {s.due}, interval {s.interval} d, ease "
    if s.due is not None:
        state += f"{s.ef_permille / 1000:.2f}, {s.repetitions} in a row, {s.lapses} lapses"
    print(f"state: {state}{' · ' + ', '.join(marks) if marks else ''}")
    print()
    print(detail.front)
    print("---")
    print(detail.back)
    if detail.history:
        print()
        print("day         grade  interval  ease  kind")
        for e in detail.history:
            kind = (
                "practice"
                if e.practice
                else "drill"
                if e.drill
                else "imported"
                if e.imported
                else ""
            )
            print(
                f"{e.study_day}  {e.grade:>5}  {e.interval_before:>3}→{e.interval_after:<4} "
                f"{e.ef_after / 1000:.2f}  {kind}"
            )
    return 0


def _detail_json(d: CardDetail) -> dict:
    return {
        "id": d.id,
        "key": d.key,
        "deck": d.deck,
        "source": d.source,
        "line": d.line,
        "front": d.front,
        "back": d.back,
        "tags": list(d.tags),
        "suspended": d.suspended,
        "buried_until": d.buried_until.isoformat() if d.buried_until else None,
        "flag": FLAGS[d.flag - 1] if d.flag else None,
        "leech": d.leech,
        "due": d.state.due.isoformat() if d.state.due else None,
        "interval": d.state.interval,
        "ease": d.state.ef_permille / 1000,
        "repetitions": d.state.repetitions,
        "lapses": d.state.lapses,
        "history": [
            {
                "study_day": e.study_day.isoformat(),
                "answered_at": e.answered_at,
                "grade": e.grade,
                "interval_before": e.interval_before,
                "interval_after": e.interval_after,
                "ease_after": e.ef_after / 1000,
                "took_ms": e.took_ms,
                "days_late": e.days_late,
                "drill": e.drill,
                "practice": e.practice,
                "imported": e.imported,
            }
            for e in d.history
        ],
    }
