"""Anki's own library, timed on the same machine in the same run as studyplan.

    uv run --no-project --with anki python benchmarks/anki_peer.py [--cards 10000] [--answers 300]

Prints JSON: milliseconds per answer (fetch the queued card, build the answer,
``answer_card``, which the Rust backend commits) and seconds to add ``--cards``
notes in one batch (``add_notes``). Anki is AGPL: it is never a dependency of
studyplan, only a peer here.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cards", type=int, default=10_000)
    parser.add_argument("--answers", type=int, default=300)
    args = parser.parse_args()
    import importlib

    from anki.collection import AddNoteRequest, Collection
    from anki.scheduler.v3 import CardAnswer

    # Only after anki.collection: imported first, anki.cards is a circular import.
    Card = importlib.import_module("anki.cards").Card

    with tempfile.TemporaryDirectory() as tmp:
        col = Collection(str(Path(tmp) / "bench.anki2"))
        model = col.models.by_name("Basic")
        deck_id = col.decks.id("Bench")
        requests = []
        for i in range(args.cards):
            note = col.new_note(model)
            note["Front"] = f"Question number {i} about *topic* {i % 31}?"
            note["Back"] = f"Answer {i}, with `code` and $\\alpha_{{{i}}}$."
            requests.append(AddNoteRequest(note=note, deck_id=deck_id))
        t0 = time.perf_counter()
        col.add_notes(requests)
        add_s = time.perf_counter() - t0
        conf = col.decks.config_dict_for_deck_id(deck_id)
        conf["new"]["perDay"] = 9999
        conf["rev"]["perDay"] = 9999  # new cards count against it in the v3 scheduler
        col.decks.update_config(conf)
        col.decks.select(deck_id)
        times = []
        for n in range(args.answers):
            t0 = time.perf_counter()
            queued = col.sched.get_queued_cards(fetch_limit=1)
            top = queued.cards[0]
            card = Card(col)
            card._load_from_backend_card(top.card)
            card.start_timer()
            rating = CardAnswer.EASY if n % 5 else CardAnswer.GOOD
            col.sched.answer_card(
                col.sched.build_answer(card=card, states=top.states, rating=rating)
            )
            times.append((time.perf_counter() - t0) * 1000)
        col.close()
    print(json.dumps({"answer_ms": statistics.median(times), "add_s": add_s}))


if __name__ == "__main__":
    main()
