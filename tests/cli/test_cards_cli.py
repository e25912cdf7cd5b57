"""``studyplan cards``: find, show and change cards from the shell; one sentence for a
bad query or an unknown id, and nothing changed then."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from studyplan.cli import main


@pytest.fixture
def argv(tmp_path: Path) -> list[str]:
    return ["--db", str(tmp_path / "sp.db"), "--config", str(tmp_path / "c.toml")]


def run(argv: list[str], capsys, *args: str) -> tuple[int, str, str]:
    code = main([*argv, *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_list_as_a_table_and_as_json(argv, capsys) -> None:
    code, out, _ = run(argv, capsys, "cards", "deck:linear", "eigenvalue", "--limit", "2")
    assert code == 0
    assert out.splitlines()[0].split() == ["id", "state", "due", "ivl", "ease", "lap", "front"]
    assert "2 shown" in out.splitlines()[-1]
    code, out, _ = run(argv, capsys, "cards", "deck:linear", "--json", "--limit", "0")
    rows = json.loads(out)
    assert code == 0 and len(rows) > 20
    assert {"id", "deck", "front", "state", "due", "lapses", "flag"} <= set(rows[0])
    assert all("Linear algebra" in r["deck"] for r in rows)


def test_suspend_flag_show_and_undo(argv, capsys) -> None:
    _, out, _ = run(argv, capsys, "cards", "tag:heaps", "--json", "--limit", "0")
    ids = [str(r["id"]) for r in json.loads(out)]
    code, out, _ = run(argv, capsys, "cards", "suspend", *ids[:2])
    assert code == 0 and out.startswith("2 cards suspended")
    code, out, _ = run(argv, capsys, "cards", "flag", "green", "--query", "tag:heaps")
    assert code == 0 and out.startswith(f"{len(ids)} cards flagged green")
    _, out, _ = run(argv, capsys, "cards", "is:suspended", "--json")
    assert [str(r["id"]) for r in json.loads(out)] == ids[:2]
    code, out, _ = run(argv, capsys, "cards", "show", ids[0], "--json")
    shown = json.loads(out)
    assert code == 0 and shown["suspended"] and shown["flag"] == "green"
    code, out, _ = run(argv, capsys, "cards", "undo")
    assert out.startswith(f"Undone: {len(ids)} cards flagged")
    _, out, _ = run(argv, capsys, "cards", "flag:green")
    assert out.strip() == "No cards match."


@pytest.mark.parametrize(
    ("args", "sentence"),
    [
        (("cards", "is:sleeping"), "the query cannot be read: is:sleeping is not a state"),
        (("cards", "suspend", "999999"), "there is no card with id 999999; nothing was changed"),
        (("cards", "suspend", "abc"), "'abc' is not a card id"),
        (("cards", "flag", "pink", "1"), "'pink' is not a flag"),
        (("cards", "show", "999999"), "there is no card with id 999999"),
        (("cards", "--sort", "colour"), "cannot sort by 'colour'"),
        (("review", "--query", "(unclosed"), 'a bracket "(" is never closed'),
    ],
)
def test_bad_input_is_one_sentence_and_exit_1(argv, capsys, args, sentence) -> None:
    code, _, err = run(argv, capsys, *args)
    assert code == 1
    assert err.startswith("studyplan: ") and sentence in err
    assert err.count("\n") == 1


def test_a_failed_action_changes_nothing(argv, capsys, tmp_path: Path) -> None:
    run(argv, capsys, "cards")  # sync the decks
    code, _, _ = run(argv, capsys, "cards", "suspend", "1", "999999")
    assert code == 1
    _, out, _ = run(argv, capsys, "cards", "is:suspended")
    assert out.strip() == "No cards match."


def test_a_bad_query_writes_nothing_even_to_a_database_never_synced(argv, capsys) -> None:
    from tests.robustness.cli_run import dump_file

    assert main([*argv, "config"]) == 0
    assert main([*argv, "status"]) == 0  # the database exists; no deck read into it yet
    db = Path(argv[1])
    before = dump_file(db)
    assert main([*argv, "cards", "is:nothing"]) == 1
    assert main([*argv, "cards", "suspend", "--query", "(open"]) == 1
    assert main([*argv, "cards", "flag", "red", "12"]) == 1
    assert dump_file(db) == before
    capsys.readouterr()
