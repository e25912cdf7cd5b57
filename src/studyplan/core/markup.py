"""Shared markdown plumbing for the deck and plan parsers.

Card and plan syntax (``{#id}``, ``tags:``, ``{{c1::...}}``) is recognised
only outside code and math, so both parsers need the same two things: front
matter split off with its line numbers kept, and a copy of the text with
code and math blanked out.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from studyplan.core.errors import SourceError
from studyplan.core.text import visible

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

FENCE = "+++"
_TOML_LINE = re.compile(r"at line (\d+)")
MASK = "\x00"


@dataclass(frozen=True)
class Document:
    """A markdown file split into its front matter and its body."""

    meta: dict[str, Any]
    body: str
    body_first_line: int  # 1-based line number of the body's first line


def normalise_text(text: str) -> str:
    """Unify line ends, drop a byte-order mark, and make control characters visible
    (a NUL is kept: the parsers refuse it with its line)."""
    text = text.removeprefix("\ufeff")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" not in text:
        return visible(text)
    return "\x00".join(visible(part) for part in text.split("\x00"))


def split_front_matter(text: str, path: str, example: str) -> Document:
    """Split ``+++``-fenced TOML front matter from the body, or raise ``SourceError``."""
    lines = text.split("\n")
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None:
        raise SourceError(path, 1, "the file is empty")
    if lines[first].strip() != FENCE:
        raise SourceError(
            path,
            first + 1,
            f'the file must start with front matter between "+++" lines ({example})',
        )
    try:
        close = next(i for i in range(first + 1, len(lines)) if lines[i].strip() == FENCE)
    except StopIteration:
        raise SourceError(
            path, first + 1, 'the front matter is never closed by a "+++" line'
        ) from None
    source = "\n".join(lines[first + 1 : close])
    try:
        meta = tomllib.loads(source)
    except tomllib.TOMLDecodeError as err:
        found = _TOML_LINE.search(str(err))
        line = first + 1 + int(found.group(1)) if found else first + 2
        reason = _TOML_LINE.split(str(err))[0].rstrip(" (")
        raise SourceError(path, line, f"the front matter is not valid TOML: {reason}") from None
    except RecursionError:  # tomllib recurses once per nested [ or {
        raise SourceError(
            path, first + 2, "the front matter nests arrays or tables too deeply"
        ) from None
    return Document(meta=meta, body="\n".join(lines[close + 1 :]), body_first_line=close + 2)


@cache
def block_parser() -> MarkdownIt:
    """A CommonMark parser for block structure only, with ``$$`` math blocks."""
    # Loaded here, not with the module: a deck on the plain path (imported and most
    # written decks) never needs it, and it is a fifth of an import's start (20 ms).
    from markdown_it import MarkdownIt
    from mdit_py_plugins.dollarmath import dollarmath_plugin

    md = MarkdownIt("commonmark").use(dollarmath_plugin, double_inline=True)
    md.disable(["inline", "text_join"], ignoreInvalid=True)
    return md


def parse_blocks(text: str, path: str, first_line: int) -> list[Any]:
    """The block tokens of ``text`` (which starts at line ``first_line`` of ``path``).

    markdown-it stops reading at its nesting limit and silently drops the rest of the
    document: cards after a list nested a few thousand deep would vanish. Text that
    reaches the limit is refused instead, at the line where it does.
    """
    parser = block_parser()
    tokens = parser.parse(text)
    limit = parser.options["maxNesting"] - 1
    deep = next((t for t in tokens if t.level >= limit), None)
    if deep is not None:
        line = next((t.map[0] for t in reversed(tokens[: tokens.index(deep) + 1]) if t.map), 0)
        raise SourceError(
            path,
            first_line + line,
            f"lists or quotes nest too deeply here (markdown reads about {limit // 2} levels "
            "of lists); flatten them",
        )
    return tokens


_BACKTICKS = re.compile(r"`+")
_SPECIAL = re.compile(r"[\\`$]")
_IN_MATH = re.compile(r"[\\\n$]")  # what may end inline math, or escape its end


def mask_code_and_math(text: str, blank_lines: set[int] | frozenset[int] = frozenset()) -> str:
    """Return ``text`` with code spans, math and the given lines replaced by ``MASK``.

    The result has the same length and line breaks as ``text``, so an offset
    found in it points at the same place in the original.
    """
    if not blank_lines and "`" not in text and "$" not in text:
        return text  # nothing to mask (a backslash only escapes a ` or $)
    out = list(text)
    if blank_lines:
        pos = 0
        for number, line in enumerate(text.split("\n")):
            if number in blank_lines:
                out[pos : pos + len(line)] = MASK * len(line)
            pos += len(line) + 1
    # Only a backslash, backtick or dollar starts anything: the scan jumps from one to
    # the next (past a masked line's), not a character at a time. What it masks lies
    # behind where it goes on, so the text it searches never needs to change.
    scan = "".join(out) if blank_lines else text
    i = 0
    while (special := _SPECIAL.search(scan, i)) is not None:
        i = special.start()
        ch = scan[i]
        if ch == "\\":
            i += 2
        elif ch == "`":
            run = _BACKTICKS.match(text, i)
            assert run is not None
            width = run.end() - i
            close = _closing_backticks(text, run.end(), width)
            if close is None:
                i = run.end()
                continue
            out[i : close + width] = MASK * (close + width - i)
            i = close + width
        elif ch == "$":
            end = _closing_dollar(text, i)
            if end is None:
                i += 1
                continue
            out[i:end] = MASK * (end - i)
            i = end
    return "".join(out)


def _closing_backticks(text: str, start: int, width: int) -> int | None:
    for run in _BACKTICKS.finditer(text, start):
        if run.end() - run.start() == width:
            return run.start()
    return None


def _closing_dollar(text: str, i: int) -> int | None:
    """End offset of the math span opening at ``text[i] == '$'``, if it closes."""
    if text.startswith("$$", i):
        close = text.find("$$", i + 2)
        return None if close < 0 else close + 2
    if i + 1 >= len(text) or text[i + 1].isspace():
        return None
    j = i + 1
    while (found := _IN_MATH.search(text, j)) is not None:
        j = found.start()
        c = text[j]
        if c == "\\":
            j += 2
            continue
        if c == "\n":
            if text.startswith("\n", j + 1):
                return None  # math never crosses a blank line
            j += 1
            continue
        if text[j - 1].isspace() or (j + 1 < len(text) and text[j + 1].isdigit()):
            return None
        return j + 1
    return None
