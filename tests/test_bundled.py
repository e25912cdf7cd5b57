"""The decks that ship with studyplan: they parse, are tagged, and cover their subjects."""

from __future__ import annotations

import tomllib
from collections import Counter
from pathlib import Path

import pytest

from studyplan import paths
from studyplan.core.decks import parse_deck
from studyplan.store.sync import deck_files

DECKS = paths.bundled_decks()
VOCABULARY = tomllib.loads((DECKS / "tags.toml").read_text(encoding="utf-8"))["tags"]
FILES = sorted(deck_files(DECKS))

# Issue 2 asks for at least 40 cards a subject; the bundled-decks issue raises it to these.
MINIMUM = {"mathematics": 180, "algorithms": 150, "ml": 220}


def parsed(path: Path):
    return parse_deck(path.read_text(encoding="utf-8"), str(path))


@pytest.mark.parametrize("path", FILES, ids=[f.relative_to(DECKS).as_posix() for f in FILES])
def test_every_bundled_deck_parses_with_an_id_and_tagged_cards(path: Path) -> None:
    deck = parsed(path)
    assert not deck.key.startswith("/"), "bundled decks need a stable id in their front matter"
    assert deck.cards
    for card in deck.cards:
        assert not card.key.startswith("h:"), (
            f"{path}:{card.line}: bundled cards need an explicit {{#id}}"
        )
        assert card.tags, f"{path}:{card.line}: card has no tag"
        unknown = set(card.tags) - set(VOCABULARY)
        assert not unknown, f"{path}:{card.line}: unknown tags {unknown}"


def test_each_subject_has_its_minimum_number_of_cards() -> None:
    counts = Counter(path.relative_to(DECKS).parts[0] for path in FILES for _ in parsed(path).cards)
    for subject, minimum in MINIMUM.items():
        assert counts[subject] >= minimum, f"{subject}: {counts[subject]} cards, want {minimum}"


def test_every_tag_meant_for_cards_has_cards_behind_it() -> None:
    used = {tag for path in FILES for card in parsed(path).cards for tag in card.tags}
    wanted = {tag for tag, info in VOCABULARY.items() if info.get("cards", True)}
    assert wanted - used == set()
    assert used - wanted == set(), "a plan-only tag (cards = false) is used by a card"


def test_deck_ids_are_unique() -> None:
    keys = [parsed(path).key for path in FILES]
    assert len(keys) == len(set(keys))
