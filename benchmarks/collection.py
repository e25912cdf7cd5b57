"""Synthetic collections for the benchmarks: cards in 20 decks and a review history that
ends today (the study day of the moment the benchmark runs) and spreads over years.

Every day of the history has answers, so the current streak spans all of it: the
worst case for anything that grows with the log (streak, heatmap, day totals).
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

CODE_CARD = (
    "What does this print?\n\n```python\nxs = [n * n for n in range({n}) if n % 2]\nprint(sum(xs))\n```",
    "The sum of the odd squares below {n}: `{s}`.\n\n```python\n>>> sum(n * n for n in range({n}) if n % 2)\n{s}\n```",
)
# Today already holds its share of the history's answers: a high review limit keeps a
# queue of cards left to time.
CONFIG = 'new_per_day = 20\nreviews_per_day = 5000\ntimezone = "UTC"\nrollover_hour = 4\n'


def study_today() -> date:
    """Today's study day under CONFIG (UTC, rollover at 04:00), as the app will see it."""
    return (datetime.now(UTC) - timedelta(hours=4)).date()


def history_days(reviews: int) -> int:
    """Years of history: 10k rows over 2 years, 1M and more over 5."""
    return 2 * 365 if reviews <= 100_000 else 5 * 365


def build_collection(path: Path, cards: int, reviews: int, today: date | None = None) -> None:
    """``cards`` cards in 20 decks (a tenth new, the rest due around today) and ``reviews``
    log rows spread evenly over ``history_days`` up to and including ``today``."""
    from studyplan.core.cards.query import search_text
    from studyplan.store.db import connect

    today = today or study_today()
    conn = connect(path)
    rng = random.Random(7)
    conn.execute("BEGIN")
    for d in range(20):
        conn.execute(
            "INSERT INTO deck (key, name, source_path, bundled) VALUES (?, ?, ?, 0)",
            (f"bench-{d}", f"Bench deck {d:02d}", f"/nonexistent/bench-{d}.md"),
        )
    rows = []
    for i in range(cards):
        if i % 3 == 0:
            n = i % 50 + 5
            s = sum(k * k for k in range(n) if k % 2)
            front, back = CODE_CARD[0].format(n=n), CODE_CARD[1].format(n=n, s=s)
        else:
            front = f"Card {i}: what is the **{i % 97}th** term of $a_n = n^2 + {i % 13}$?"
            back = f"$a_{{{i % 97}}} = {(i % 97) ** 2 + i % 13}$; see *sequence* number {i}."
        new = i % 10 == 0
        due = None if new else (today + timedelta(days=rng.randint(-40, 200))).isoformat()
        # Schedules as a collection of years has them: intervals from a day to a year,
        # eases from the floor up, a few lapses, the odd flag, suspension and leech.
        interval = 0 if new else rng.choice((1, 3, 6, 10, 15, 24, 40, 70, 120, 200, 365))
        ease = 2500 if new else rng.randint(1300, 3000)
        lapses = 0 if new else min(8, int(rng.expovariate(1.5)))
        rows.append(
            (
                i % 20 + 1,
                f"c{i}",
                front,
                back,
                i,
                0 if new else 3,
                interval,
                ease,
                lapses,
                due,
                due,
                1 if i % 97 == 5 else 0,
                rng.choice((1, 2, 3)) if i % 53 == 0 else 0,
                1 if lapses >= 8 else 0,
                search_text(front, back),  # as the deck sync stores it
            )
        )
    conn.executemany(
        "INSERT INTO card (deck_id, key, front, back, position, repetitions, interval, "
        "ef_permille, lapses, due, sm2_due, suspended, flag, leech, search) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    topics = ("maths", "linear-algebra", "python", "ml-trees", "ml-nets")
    conn.executemany(
        "INSERT INTO card_tag (card_id, tag) VALUES (?, ?)",
        [(i + 1, topics[i % 5]) for i in range(cards) if i % 4 != 3],
    )
    days = history_days(reviews)
    first = today - timedelta(days=days - 1)
    # Generated inside SQLite: 5M rows in seconds, not minutes. Row i falls on day
    # i * days // reviews, so every day has its share; one in seven is a drill, one in
    # nine was graded below 3.
    conn.execute(
        """
        WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < :reviews),
        r AS (SELECT i, date(:first, '+' || (i * :days / :reviews) || ' days') AS day FROM n)
        INSERT INTO review (card_id, answered_at, zone, study_day, grade, is_drill, days_late,
            took_ms, before_repetitions, before_ef_permille, before_interval, before_due,
            before_lapses, after_repetitions, after_ef_permille, after_interval, after_due,
            after_lapses)
        SELECT i % :cards + 1, day || 'T09:00:00+00:00', 'UTC', day,
               CASE WHEN i % 9 = 0 THEN 2 ELSE 4 END, i % 7 = 0, 0, 8000,
               2, 2500, 6, day, 0, 3, 2500, 15, date(day, '+15 days'), 0
        FROM r
        """,
        {"reviews": reviews, "first": first.isoformat(), "days": days, "cards": cards},
    )
    conn.execute("COMMIT")
    conn.close()
