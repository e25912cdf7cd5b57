"""Masking code and math, as the deck and plan parsers rely on it."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from studyplan.core.markup import (
    MASK,
    _closing_backticks,
    _closing_dollar,
    mask_code_and_math,
)


def _closing_dollar_by_character(text: str, i: int) -> int | None:
    """_closing_dollar as it was: a step per character."""
    if text.startswith("$$", i):
        close = text.find("$$", i + 2)
        return None if close < 0 else close + 2
    if i + 1 >= len(text) or text[i + 1].isspace():
        return None
    j = i + 1
    while j < len(text):
        c = text[j]
        if c == "\\":
            j += 2
            continue
        if c == "\n" and text.startswith("\n", j + 1):
            return None
        if c == "$":
            if text[j - 1].isspace() or (j + 1 < len(text) and text[j + 1].isdigit()):
                return None
            return j + 1
        j += 1
    return None


def _mask_by_character(text: str, blank_lines: frozenset[int]) -> str:
    """mask_code_and_math as it was: a step per character."""
    out = list(text)
    pos = 0
    for number, line in enumerate(text.split("\n")):
        if number in blank_lines:
            out[pos : pos + len(line)] = MASK * len(line)
        pos += len(line) + 1
    i, n = 0, len(text)
    while i < n:
        ch = out[i]
        if ch == "\\":
            i += 2
        elif ch == "`":
            end = i
            while end < n and text[end] == "`":
                end += 1
            close = _closing_backticks(text, end, end - i)
            if close is None:
                i = end
                continue
            out[i : close + end - i] = MASK * (close + end - i - i)
            i = close + end - i
        elif ch == "$":
            stop = _closing_dollar_by_character(text, i)
            if stop is None:
                i += 1
                continue
            out[i:stop] = MASK * (stop - i)
            i = stop
        else:
            i += 1
    return "".join(out)


@settings(max_examples=600, deadline=None)
@given(
    st.lists(st.sampled_from([*"`$\\\n a1", "``", "$$", "\\$", "\n\n"])).map("".join),
    st.frozensets(st.integers(0, 6)),
)
def test_masking_jumps_to_what_a_step_per_character_finds(
    text: str, blank_lines: frozenset[int]
) -> None:
    assert mask_code_and_math(text, blank_lines) == _mask_by_character(text, blank_lines)


def test_code_math_and_lines_are_masked_in_place() -> None:
    text = "a `b` \\$c $d$ e\nline two $x\n``` $y$"
    masked = mask_code_and_math(text, frozenset({1}))
    assert len(masked) == len(text)
    assert (
        masked == "a " + MASK * 3 + " \\$c " + MASK * 3 + " e\n" + MASK * 11 + "\n``` " + MASK * 3
    )


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from([*"$\\\n a1", "$$", "\\$", "\n\n"]), min_size=1).map("".join))
def test_inline_math_ends_where_a_step_per_character_ends_it(text: str) -> None:
    for i, ch in enumerate(text):
        if ch == "$":
            assert _closing_dollar(text, i) == _closing_dollar_by_character(text, i)
