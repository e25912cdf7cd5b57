"""The decks that ship with studyplan: they parse, are tagged, and cover their subjects."""

from __future__ import annotations

import tomllib
from collections import Counter
from pathlib import Path

import pytest

from studyplan import paths
from studyplan.core.cards.deck import parse_deck
from studyplan.store.deck_sync import deck_files

DECKS = paths.bundled_decks()
VOCABULARY = tomllib.loads((DECKS / "tags.toml").read_text(encoding="utf-8"))["tags"]
FILES = sorted(deck_files(DECKS))

FIRST_SET = 40  # cards a subject, the first bundled set
MINIMUM = {"mathematics": 180, "algorithms": 150, "ml": 220}  # the bundled-decks issue


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


def counts() -> Counter[str]:
    return Counter(path.relative_to(DECKS).parts[0] for path in FILES for _ in parsed(path).cards)


def test_each_subject_has_a_first_set_of_cards() -> None:
    for subject in MINIMUM:
        assert counts()[subject] >= FIRST_SET, f"{subject}: {counts()[subject]} cards"


@pytest.mark.parametrize("subject", list(MINIMUM))
def test_each_subject_has_its_full_number_of_cards(subject: str) -> None:
    assert counts()[subject] >= MINIMUM[subject], f"{subject}: {counts()[subject]} cards"


def test_every_tag_meant_for_cards_has_cards_behind_it() -> None:
    used = {tag for path in FILES for card in parsed(path).cards for tag in card.tags}
    wanted = {tag for tag, info in VOCABULARY.items() if info.get("cards", True)}
    assert wanted - used == set()
    assert used - wanted == set(), "a plan-only tag (cards = false) is used by a card"


def test_deck_ids_are_unique() -> None:
    keys = [parsed(path).key for path in FILES]
    assert len(keys) == len(set(keys))


def test_plans_and_decks_point_at_each_other() -> None:
    from studyplan.core.plan.parse import parse_plan

    plan_tags: set[str] = set()
    for path in sorted(paths.bundled_plans().glob("*.md")):
        plan = parse_plan(path.read_text(encoding="utf-8"), str(path), frozenset(VOCABULARY))
        plan_tags |= {tag for topic in plan.topics for tag in topic.tags}
    card_tags = {tag for path in FILES for card in parsed(path).cards for tag in card.tags}
    assert card_tags - plan_tags == set(), "deck topics no plan introduces"
    meant_for_cards = {t for t in plan_tags if VOCABULARY[t].get("cards", True)}
    assert meant_for_cards - card_tags == set(), "plan tags with no cards behind them"
