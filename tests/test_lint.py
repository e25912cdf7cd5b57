"""studyplan decks check: the findings a deck author sees."""

from __future__ import annotations

from pathlib import Path

from studyplan import paths
from studyplan.lint import check_paths, load_vocabulary


def write(folder: Path, body: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "mine.md"
    path.write_text('+++\nname = "Mine"\n+++\n\n' + body, encoding="utf-8")
    return path


def messages(folder: Path) -> list[str]:
    findings, _ = check_paths([folder], load_vocabulary(paths.bundled_decks()))
    return [f"{f.line}: {f.message}" for f in findings]


def test_duplicate_and_near_duplicate_fronts(tmp_path: Path) -> None:
    write(
        tmp_path,
        "## What is rank? {#a}\nA\n\n## What is rank? {#b}\nB\n\n## Rank: what is it?\nC\n\n"
        "## What is a basis?\nD\n",
    )
    found = messages(tmp_path)
    assert any(m.startswith("8: the same front as") for m in found)
    assert any(m.startswith("11: nearly the same front as") for m in found)


def test_each_near_duplicate_names_the_first_card_with_its_words(tmp_path: Path) -> None:
    write(
        tmp_path,
        "## What is rank?\nA\n\n## Rank: what is it?\nB\n\n## Rank?\nC\n\n"
        "## What is a basis?\nD\n\n## Basis: what?\nE\n",
    )
    found = [m for m in messages(tmp_path) if "nearly" in m]
    assert found == [
        f"8: nearly the same front as {tmp_path / 'mine.md'}:5",
        f"11: nearly the same front as {tmp_path / 'mine.md'}:5",
        f"17: nearly the same front as {tmp_path / 'mine.md'}:14",
    ]
    assert not any(m.startswith("14:") for m in found)


def test_long_answers_unknown_tags_and_unknown_formulas(tmp_path: Path) -> None:
    write(
        tmp_path, "## Q1\ntags: not-a-known-tag\n\n" + "word " * 100 + "\n\n## Q2\n$\\weird{x}$\n"
    )
    found = messages(tmp_path)
    assert any("the answer is 499 characters" in m for m in found)
    assert any("unknown tag 'not-a-known-tag'" in m for m in found)
    assert any("uses \\weird" in m for m in found)


def test_a_broken_file_is_a_finding_with_its_line(tmp_path: Path) -> None:
    write(tmp_path, "## Q\n{{c2::x}}\n")
    assert messages(tmp_path) == ["5: cloze numbers must start at 1 with no gaps; c1 is missing"]


def test_the_bundled_decks_pass_with_no_findings() -> None:
    findings, files = check_paths([paths.bundled_decks()], load_vocabulary(paths.bundled_decks()))
    assert files >= 8
    assert [str(f) for f in findings] == []


def test_a_formula_too_deep_or_too_long_to_show_is_named_with_its_line(tmp_path: Path) -> None:
    deep = "{" * 1000 + "x" + "}" * 1000
    write(tmp_path, f"## Deep\n${deep}$\n\n## Long\n$${'x+' * 3000}x$$\n")
    found = messages(tmp_path)
    assert (
        "5: formula ${{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{…$ is nested too deeply "
        "(more than 32 levels); it is shown as its source"
    ) in found
    assert any(
        m.startswith("8: formula $x+x+") and m.endswith("is 6,001 characters long (at most 4,000); "
                                                       "it is shown as its source")
        for m in found
    )  # fmt: skip
    assert not any("does not render" in m for m in found)


def test_formula_findings_on_both_sides_outside_code_each_once(tmp_path: Path) -> None:
    write(
        tmp_path,
        "## What is $\\foo{x}$?\n\n```\n$\\incode$\n```\n\n---\n\n$$\\baz x + \\foo y$$ and $y$, "
        "again $\\foo{x}$ and $x\\\\$\n\n## Plain\ntags: any-tag\n\nno formula, $5 and 6$\n",
    )
    found, _ = check_paths([tmp_path], None, render=False)
    assert [f"{f.line}: {f.message}" for f in found] == [
        "5: formula $\\baz x + \\foo y$ uses \\baz, which cannot be shown as text",
        "5: formula $\\baz x + \\foo y$ uses \\foo, which cannot be shown as text",
        "5: formula $\\foo{x}$ uses \\foo, which cannot be shown as text",
    ]
