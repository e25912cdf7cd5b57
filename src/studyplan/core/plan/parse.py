"""Markdown plans: one phase per ``##`` heading, one topic per list item (docs/plan-format.md).

Pure: takes the file's text, its path for messages and, optionally, the tag
vocabulary; returns a frozen ``Plan`` or raises ``SourceError``. Nothing else
escapes, whatever the text.
"""

from __future__ import annotations

import textwrap
from typing import Any

from studyplan.core.errors import SourceError
from studyplan.core.markup import normalise_text, parse_blocks, split_front_matter
from studyplan.core.plan.attrs import short, split_attributes
from studyplan.core.plan.checks import RawPhase, RawTopic, build_phases
from studyplan.core.plan.meta import PlanHead, read_head
from studyplan.core.plan.model import DEFAULT_POINT, Phase, Plan, Topic

__all__ = ["DEFAULT_POINT", "Phase", "Plan", "Topic", "parse_plan"]

EXAMPLE = 'id = "my-plan" and title = "My plan"'
_LISTS = ("bullet_list_open", "ordered_list_open")


def parse_plan(text: str, path: str, known_tags: frozenset[str] | None = None) -> Plan:
    """Parse one plan file's ``text``; ``path`` names it in error messages.

    With ``known_tags`` (the ``[tags]`` of decks/tags.toml), any other tag is
    reported with its line.
    """
    text = normalise_text(text)
    doc = split_front_matter(text, path, EXAMPLE)
    head = read_head(doc.meta, text.split("\n")[: doc.body_first_line - 1], path)
    lines = doc.body.split("\n")
    intro, raw = _walk(lines, doc.body_first_line, path)
    if not raw:
        raise SourceError(
            path,
            doc.body_first_line,
            "the plan has no phases; "
            'add a heading like "## Month 1: basics {weeks=4}" with topics under it',
        )
    phases = build_phases(raw, head, path, known_tags)
    return _plan(head, intro, phases)


def _plan(head: PlanHead, intro: str, phases: tuple[Phase, ...]) -> Plan:
    return Plan(
        id=head.id,
        title=head.title,
        summary=head.summary,
        starting_points=head.points,
        phases=phases,
        intro=intro,
        hours_per_week=head.hours_per_week,
    )


def _walk(lines: list[str], offset: int, path: str) -> tuple[str, list[RawPhase]]:
    """Group the body's top-level blocks into the introduction and raw phases."""
    tokens = parse_blocks("\n".join(lines), path, offset)
    phases: list[RawPhase] = []
    intro_end = len(lines)
    i, n = 0, len(tokens)
    while i < n:
        token = tokens[i]
        if token.level != 0 or token.map is None or token.nesting == -1:
            i += 1
            continue
        first, last = token.map
        if token.type == "heading_open" and token.tag == "h2":
            if token.markup == "-":
                raise SourceError(
                    path,
                    offset + last - 1,
                    'a "---" directly under a line of text makes that text a phase heading; '
                    'leave a blank line above the --- and write phases as "## Title {weeks=N}"',
                )
            if not phases:
                intro_end = first
            attrs = split_attributes(
                tokens[i + 1].content, offset + first, "phase", ("weeks",), path
            )
            phases.append(RawPhase(attrs, offset + first))
        elif token.type == "heading_open" and token.tag == "h1" and phases:
            raise SourceError(
                path,
                offset + first,
                'a "#" heading cannot follow the first phase; use "##" for a phase',
            )
        elif phases and token.type in _LISTS:
            i = _topics(tokens, i, lines, offset, path, phases[-1])
            continue
        elif phases:
            phase = phases[-1]
            block = _dedent(lines[first:last])
            (phase.topics[-1].notes if phase.topics else phase.intro).append(block)
        i += 1
    return _dedent(lines[:intro_end]), phases


def _topics(
    tokens: list[Any], i: int, lines: list[str], offset: int, path: str, phase: RawPhase
) -> int:
    """Read the items of the top-level list opening at ``tokens[i]``; return the index after it."""
    close = tokens[i].type.replace("_open", "_close")
    i += 1
    while i < len(tokens) and not (tokens[i].level == 0 and tokens[i].type == close):
        item = tokens[i]
        if item.type != "list_item_open" or item.level != 1 or item.map is None:
            i += 1
            continue
        first, last = item.map
        child = tokens[i + 1]
        if child.type != "paragraph_open" or child.map is None:
            raise SourceError(
                path,
                offset + first,
                f'this list item under phase "{short(phase.attrs.title)}" has no title; '
                'write a topic as "- Title {hours=2}"',
            )
        attrs = split_attributes(
            tokens[i + 2].content,
            offset + child.map[0],
            "topic",
            ("hours", "tags", "after", "only"),
            path,
        )
        notes = _dedent(lines[child.map[1] : last])
        phase.topics.append(RawTopic(attrs, offset + first, [notes] if notes else []))
        i += 1
    return i + 1


def _dedent(block: list[str]) -> str:
    return textwrap.dedent("\n".join(block)).strip("\n")
