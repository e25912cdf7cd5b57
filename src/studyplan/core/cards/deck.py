"""Markdown decks: one card per ``##`` section (see docs/deck-format.md).

Pure: takes the file's text and its path for messages, returns frozen
objects or raises ``SourceError``; nothing else escapes.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Any, Literal

from studyplan.core.errors import SourceError
from studyplan.core.markup import (
    MASK,
    mask_code_and_math,
    normalise_text,
    parse_blocks,
    split_front_matter,
)
from studyplan.core.text import has_controls

EXAMPLE = 'name = "My deck"'
META_KEYS = {"id", "name", "description", "tags", "reverse"}
TAG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
ID = re.compile(r"[A-Za-z0-9_-]+")
_HEADING_ID = re.compile(r"\s*\{([#.][^{}]*)\}\s*$")
_TAGS_LINE = re.compile(r"^tags:(.*)$", re.IGNORECASE)
_CLOZE_OPEN = re.compile(r"\{\{c(\d+)::")
_WS = re.compile(r"\s+")

CardKind = Literal["basic", "cloze", "reverse"]


@dataclass(frozen=True, slots=True)
class Card:
    """One reviewable card, as written in its deck file."""

    key: str
    front: str
    back: str
    tags: tuple[str, ...]
    line: int
    kind: CardKind = "basic"
    cloze_text: str = ""
    """A cloze card's text as written, ``{{c1::...}}`` and all (for export)."""


@dataclass(frozen=True, slots=True)
class Deck:
    """A parsed deck file."""

    key: str
    name: str
    description: str
    tags: tuple[str, ...]
    cards: tuple[Card, ...]


@dataclass(slots=True)
class _Cloze:  # not frozen, like _Block: made twice a cloze card, and read only here
    number: int
    start: int
    end: int
    answer: str
    hint: str | None


def parse_deck(text: str, path: str, default_key: str | None = None) -> Deck:
    """Parse one deck file's ``text``; ``path`` names it in error messages."""
    doc = split_front_matter(normalise_text(text), path, EXAMPLE)
    meta = _deck_meta(doc.meta, path, default_key or path)
    tokens: list[Any] | None = _plain_blocks(doc.body)
    if tokens is None:
        tokens = parse_blocks(doc.body, path, doc.body_first_line)
    lines = doc.body.split("\n")
    offset = doc.body_first_line

    sections: list[tuple[int, int, int]] = []  # (token index, first line, end line)
    for index, token in enumerate(tokens):
        if token.type != "heading_open" or token.level != 0 or token.map is None:
            continue
        line = token.map[0]
        if token.tag == "h2" and token.markup == "-":
            raise SourceError(
                path,
                offset + token.map[1] - 1,
                'a "---" directly under a line of text makes that text a heading; '
                "leave a blank line above the ---",
            )
        if token.tag == "h2":
            sections.append((index, line, len(lines)))
        elif token.tag == "h1" and sections:
            raise SourceError(
                path,
                offset + line,
                'a "#" heading cannot follow the first card; use "##" for a card',
            )
    bounded = [
        (
            idx,
            start,
            sections[i + 1][1] if i + 1 < len(sections) else len(lines),
            sections[i + 1][0] if i + 1 < len(sections) else len(tokens),
        )
        for i, (idx, start, _) in enumerate(sections)
    ]

    cards: list[Card] = []
    seen: dict[str, int] = {}
    for idx, start, end, stop in bounded:
        section = tokens[idx:stop]
        made = _section_cards(
            section, start, end, lines, offset, path, meta["tags"], meta["reverse"]
        )
        for card in made:
            if card.key in seen:
                raise SourceError(
                    path,
                    card.line,
                    f"this card has the same id or front as the card at line {seen[card.key]}; "
                    "give one of them its own {#id} or change its front",
                )
            seen[card.key] = card.line
            cards.append(card)
    return Deck(
        key=meta["id"],
        name=meta["name"],
        description=meta["description"],
        tags=meta["tags"],
        cards=tuple(cards),
    )


@dataclass(slots=True)
class _Block:
    """The part of a markdown-it block token that ``parse_deck`` reads.

    Not frozen, as markdown-it's tokens are not: a frozen dataclass sets each field
    through ``object.__setattr__``, four times the cost of making one, and a
    10,000-card deck makes 37,000 of these (20 ms)."""

    type: str
    tag: str = ""
    markup: str = ""
    map: list[int] | None = None
    content: str = ""
    level: int = 0


# A line that may start a block other than a paragraph (or continue one oddly): an
# indent, a heading, fence, math, list, quote, rule, setext line, HTML or table.
_BLOCK_START = re.compile(r"[ \t#`~$\-*_+>=<|]|\d{1,9}[.)]")
# A fence opened at the margin (CommonMark: a backtick fence's info string holds no
# backtick); and lines that open with a mark but are a paragraph's: a code span (one or
# two backticks), emphasis (stars then no space: not a list item, not a rule) or an
# inline formula (one dollar: two open a math block). Anki fields converted to markdown
# open with these often ("**Back:** ...", a formula).
_FENCE_OPEN = re.compile(r"(`{3,})[^`]*|(~{3,}).*")
_PARAGRAPH_START = re.compile(r"`{1,2}[^`]|\*+[^\s*]|\$[^$]")


def _plain_blocks(body: str) -> list[_Block] | None:
    """The tokens markdown-it gives ``parse_deck`` for a body of only paragraphs of plain
    lines (or lines opening with a code span), ``## `` headings, ``---`` rules after a
    blank line and fenced code at the margin (as imported and most written decks are),
    without running it; None for any other body (a test holds the two to the same)."""
    if "\x00" in body:
        return None  # markdown-it reads a NUL as U+FFFD
    blocks: list[_Block] = []
    blank_before = True
    lines = body.split("\n")
    fence: re.Pattern[str] | None = None  # the closing line of the open fence
    opened = 0
    for number, line in enumerate(lines):
        if fence is not None:
            if fence.fullmatch(line):
                blocks.append(_Block("fence", map=[opened, number + 1]))
                fence, blank_before = None, True
            continue
        if not line:
            blank_before = True
            continue
        if line[0].isalpha():
            blank_before = False  # a paragraph's line: no block opens with a letter
            continue
        if line[0] in "`~" and (opening := _FENCE_OPEN.fullmatch(line)):
            # A fence interrupts a paragraph; it ends at a line of at least as many of its
            # marks (indented at most three spaces), or at the end of the deck.
            marks = opening.group(1) or opening.group(2)
            fence = re.compile(f" {{0,3}}{re.escape(marks[0])}{{{len(marks)},}}[ \t]*")
            opened = number
            continue
        if not line.strip():
            blank_before = True
            continue
        if line.startswith("## "):
            title = line[3:]
            if not title or title != title.strip() or title.endswith("#"):
                return None
            where = [number, number + 1]
            blocks += [
                _Block("heading_open", "h2", "##", where),
                _Block("inline", map=where, content=title, level=1),
                _Block("heading_close", "h2", "##"),
            ]
        elif line == "---":
            if not blank_before:
                return None
            blocks.append(_Block("hr", "hr", "---", [number, number + 1]))
        elif _opens_block(line):
            return None
        blank_before = False
    if fence is not None:
        end = len(lines) - (lines[-1] == "")  # markdown-it counts no line after a last \n
        blocks.append(_Block("fence", map=[opened, max(end, opened + 1)]))
    return blocks


def _opens_block(line: str) -> bool:
    """True when a non-blank ``line`` that is no ``## `` heading, ``---`` rule or fence
    may open a block other than a paragraph (``_plain_blocks`` gives up on it)."""
    return bool(_BLOCK_START.match(line) and not _PARAGRAPH_START.match(line)) or (
        line[0] == "[" and ("]:" in line or "]" not in line)
    )


def paragraph_lines(text: str) -> bool:
    """True when every line of ``text`` is blank or continues a paragraph as
    ``parse_deck`` reads it: no heading, rule, fence, list, quote, table, indented or
    HTML line, no card syntax (``tags:``), nothing made visible (a control character).
    A section of such lines is read without splitting the file into blocks."""
    if has_controls(text):
        return False
    for line in text.split("\n"):
        stripped = line.strip()
        if not stripped:
            continue
        if _TAGS_LINE.match(stripped):
            return False
        if line[0].isalpha():
            continue
        if (
            line.startswith("## ")
            or line == "---"
            or (line[0] in "`~" and _FENCE_OPEN.fullmatch(line))
            or _opens_block(line)
        ):
            return False
    return True


def cloze_cards(
    key: str, title: str, text: str, tags: tuple[str, ...], line: int, body_line: int, path: str
) -> list[Card] | None:
    """The cloze cards of a section with heading ``title`` (at ``line``) and body
    ``text`` of ``paragraph_lines`` (from ``body_line``), as ``parse_deck`` makes them;
    None when no cloze is outside code and math. Raises ``SourceError`` as it does."""
    masked = mask_code_and_math(text) if "{{c" in text else ""
    if "{{c" not in masked:
        return None
    return _cloze_cards(key, title, text, masked, tags, line, body_line, path)


def _deck_meta(meta: dict[str, Any], path: str, default_key: str) -> dict[str, Any]:
    unknown = sorted(set(meta) - META_KEYS)
    if unknown:
        raise SourceError(
            path,
            2,
            f"unknown front-matter key {unknown[0]!r} (known: id, name, description, tags, reverse)",
        )
    reverse = meta.get("reverse", False)
    if not isinstance(reverse, bool):
        raise SourceError(path, 2, "reverse must be true or false, like reverse = true")
    name = meta.get("name")
    if not isinstance(name, str) or not name.strip():
        raise SourceError(path, 2, f"the front matter needs a deck name ({EXAMPLE})")
    key = meta.get("id", default_key)
    if not isinstance(key, str) or not key.strip():
        raise SourceError(path, 2, "the deck id must be a non-empty string")
    description = meta.get("description", "")
    if not isinstance(description, str):
        raise SourceError(path, 2, "the deck description must be a string")
    tags = meta.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise SourceError(path, 2, 'deck tags must be a list of strings, like tags = ["algebra"]')
    return {
        "id": key.strip(),
        "name": name.strip(),
        "description": description.strip(),
        "tags": _check_tags(tags, path, 2),
        "reverse": reverse,
    }


def _check_tags(tags: list[str], path: str, line: int) -> tuple[str, ...]:
    for tag in tags:
        if not TAG.fullmatch(tag):
            raise SourceError(
                path,
                line,
                f"tag {tag!r} must be lower-case words joined by hyphens, like 'linear-algebra'",
            )
    return tuple(dict.fromkeys(tags))


def _section_cards(
    tokens: list[Any],
    start: int,
    end: int,
    lines: list[str],
    offset: int,
    path: str,
    deck_tags: tuple[str, ...],
    deck_reverse: bool = False,
) -> list[Card]:
    heading_line = offset + start
    heading_end = tokens[0].map[1]
    title = tokens[1].content.strip()
    card_id = None
    reverse = deck_reverse
    if "{#" in title or "{." in title:
        masked = mask_code_and_math(title)
        found = _HEADING_ID.search(masked)
        if found:
            marks = title[found.start(1) : found.end(1)].split()
            reverse = reverse or ".reverse" in marks
            rest = " ".join(m for m in marks if m != ".reverse")
            if rest and not rest.startswith("#"):
                raise SourceError(
                    path,
                    heading_line,
                    f"{rest!r} in the heading's braces is neither an id (#name) nor .reverse",
                )
            if rest:
                card_id = rest[1:]
                if not ID.fullmatch(card_id):
                    raise SourceError(
                        path,
                        heading_line,
                        f"card id {card_id!r} may only hold letters, digits, - and _",
                    )
            title = title[: found.start()].rstrip()
    if not title:
        raise SourceError(path, heading_line, "this card's heading (its front) is empty")
    if "{{c" in title and _CLOZE_OPEN.search(mask_code_and_math(title)):
        raise SourceError(
            path,
            heading_line,
            "put cloze deletions in the text under the heading, not in the heading",
        )

    body_start = heading_end
    while body_start < end and not lines[body_start].strip():
        body_start += 1
    all_tags = deck_tags  # checked with the front matter
    if body_start < end and (found_tags := _TAGS_LINE.match(lines[body_start].strip())):
        tags = [*deck_tags, *(t for t in re.split(r"[,\s]+", found_tags.group(1).strip()) if t)]
        body_start += 1
        all_tags = _check_tags(tags, path, offset + body_start - 1)

    # Block-level tokens inside this section, to find code blocks and the front/back break.
    code_lines: set[int] = set()
    split_at: int | None = None
    for token in tokens[3:]:
        if token.map is None:
            continue
        first, last = token.map
        if token.type in ("fence", "code_block", "math_block", "math_block_label"):
            code_lines.update(range(first - body_start, last - body_start))
        elif token.type == "hr" and token.level == 0 and split_at is None and first >= body_start:
            split_at = first

    front_extra = ""
    back_start = body_start
    if split_at is not None:
        front_extra = "\n".join(lines[body_start:split_at]).strip()
        back_start = split_at + 1
    # The back's first line is its first non-blank one, so that a cloze's line counts from it.
    while back_start < end and not lines[back_start].strip():
        back_start += 1
    code_lines = {n - (back_start - body_start) for n in code_lines}
    back = "\n".join(lines[back_start:end]).rstrip("\n")
    front = title if not front_extra else f"{title}\n\n{front_extra}"
    key = card_id or "h:" + hashlib.sha1(_WS.sub(" ", front).strip().encode()).hexdigest()[:16]

    masked_back = mask_code_and_math(back, frozenset(code_lines)) if "{{c" in back else ""
    if "{{c" in masked_back:
        return _cloze_cards(
            key, front, back, masked_back, all_tags, heading_line, offset + back_start, path
        )
    if not back.strip():
        raise SourceError(path, heading_line, "this card has no answer under its heading")
    card = Card(key=key, front=front, back=back.strip(), tags=all_tags, line=heading_line)
    if not reverse:
        return [card]
    # The back-to-front twin: its own schedule, the same note (siblings bury each other).
    twin = Card(
        key=f"{key}#r",
        front=back.strip(),
        back=front,
        tags=all_tags,
        line=heading_line,
        kind="reverse",
    )
    return [card, twin]


def _cloze_cards(
    key: str,
    title: str,
    text: str,
    masked: str,
    tags: tuple[str, ...],
    line: int,
    body_line: int,
    path: str,
) -> list[Card]:
    clozes: list[_Cloze] = []
    pos = 0
    while (found := _CLOZE_OPEN.search(masked, pos)) is not None:
        at_line = body_line + masked.count("\n", 0, found.start())
        close = masked.find("}}", found.end())
        nested = _CLOZE_OPEN.search(masked, found.end())
        if close < 0 or (nested is not None and nested.start() < close):
            raise SourceError(path, at_line, "a cloze deletion {{c1::...}} is not closed with }}")
        inner, inner_masked = text[found.end() : close], masked[found.end() : close]
        split = inner_masked.find("::")
        answer, hint = (inner, None) if split < 0 else (inner[:split], inner[split + 2 :].strip())
        if not answer.strip():
            raise SourceError(path, at_line, "a cloze deletion has an empty answer")
        number = found.group(1)
        if len(number) > 3 or int(number) < 1:
            raise SourceError(path, at_line, f"cloze number c{number[:8]} must be from c1 to c999")
        clozes.append(_Cloze(int(number), found.start(), close + 2, answer, hint or None))
        pos = close + 2
    numbers = sorted({c.number for c in clozes})
    if numbers != list(range(1, len(numbers) + 1)):
        missing = next(n for n in range(1, numbers[-1] + 1) if n not in numbers)
        raise SourceError(
            path, line, f"cloze numbers must start at 1 with no gaps; c{missing} is missing"
        )
    if MASK in text:
        raise SourceError(path, line, "the card holds a NUL character")
    return [
        Card(
            key=f"{key}#c{number}",
            front=f"{title}\n\n{_fill(text, clozes, number, reveal=False)}",
            back=_fill(text, clozes, number, reveal=True),
            tags=tags,
            line=line,
            kind="cloze",
            cloze_text=text.strip(),
        )
        for number in numbers
    ]


def _fill(text: str, clozes: list[_Cloze], number: int, *, reveal: bool) -> str:
    parts, pos = [], 0
    for cloze in clozes:
        parts.append(text[pos : cloze.start])
        if cloze.number != number:
            parts.append(cloze.answer)
        elif reveal:
            parts.append(f"**{cloze.answer}**")
        else:
            parts.append(f"\\[{cloze.hint or '...'}\\]")
        pos = cloze.end
    parts.append(text[pos:])
    return "".join(parts).strip()
