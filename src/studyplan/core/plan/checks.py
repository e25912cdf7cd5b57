"""Turn raw phases and topics into checked, frozen ones: every rule of docs/plan-format.md."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from studyplan.core.cards.deck import TAG
from studyplan.core.errors import SourceError
from studyplan.core.plan.attrs import (
    Attributes,
    default_id,
    hours_to_minutes,
    id_list,
    short,
    weeks_value,
)
from studyplan.core.plan.meta import PlanHead
from studyplan.core.plan.model import Phase, Topic
from studyplan.core.plan.notes import labelled_items

TAG_EXAMPLE = "linear-algebra"


@dataclass
class RawTopic:
    """A topic as written, before its attributes are checked."""

    attrs: Attributes
    first_line: int
    notes: list[str] = field(default_factory=list)


@dataclass
class RawPhase:
    """A phase as written, before its attributes are checked."""

    attrs: Attributes
    first_line: int
    intro: list[str] = field(default_factory=list)
    topics: list[RawTopic] = field(default_factory=list)


def build_phases(
    raw: list[RawPhase], head: PlanHead, path: str, known_tags: frozenset[str] | None
) -> tuple[Phase, ...]:
    """Check every phase and topic, then the links between topics."""
    points = tuple(point for point, _ in head.points)
    phases: list[Phase] = []
    phase_lines: dict[str, int] = {}
    topic_lines: dict[str, int] = {}
    for rp in raw:
        phase_id = _ident(rp.attrs, "phase", phase_lines, path)
        weeks = _weeks(rp.attrs, points, path)
        if not rp.topics:
            raise SourceError(
                path,
                rp.first_line,
                f'phase "{short(rp.attrs.title)}" has no topics; '
                'list them under it as "- Title {hours=2}", not indented',
            )
        topics = []
        for rt in rp.topics:
            topic = _topic(rt, phase_id, points, path, known_tags, topic_lines)
            skipped = [p for p in topic.only if dict(weeks)[p] == 0]
            if skipped:
                raise SourceError(
                    path,
                    topic.line,
                    f'topic "{short(topic.title)}" is only for {skipped[0]!r}, '
                    f"but its phase lasts 0 weeks for {skipped[0]!r}",
                )
            topics.append(topic)
        phases.append(
            Phase(
                id=phase_id,
                title=rp.attrs.title,
                weeks=weeks,
                topics=tuple(topics),
                line=rp.first_line,
                intro="\n\n".join(rp.intro),
            )
        )
    every = [t for phase in phases for t in phase.topics]
    _check_prerequisites(every, path)
    _check_cycles(every, path)
    for point in points:
        if not any(
            p.weeks_for(point) > 0 and any(not t.only or point in t.only for t in p.topics)
            for p in phases
        ):
            raise SourceError(
                path, head.points_line, f"starting point {point!r} has no topics to study"
            )
    return tuple(phases)


def _ident(attrs: Attributes, what: str, seen: dict[str, int], path: str) -> str:
    ident = default_id(attrs)
    if not ident:
        raise SourceError(
            path,
            attrs.line,
            f"this {what} needs an id made of letters or digits; add one like {{#my-{what}}}",
        )
    if ident in seen:
        raise SourceError(
            path,
            attrs.line,
            f"{what} id {ident!r} is already used at line {seen[ident]}; "
            "give one of them its own {#id}",
        )
    seen[ident] = attrs.line
    return ident


def _weeks(attrs: Attributes, points: tuple[str, ...], path: str) -> tuple[tuple[str, float], ...]:
    value = attrs.values.get("weeks")
    if value is None:
        raise SourceError(
            path, attrs.line, f'phase "{short(attrs.title)}" has no weeks= (add e.g. weeks=4)'
        )
    if ":" not in value:
        weeks = weeks_value(value, path, attrs.line, attrs.title, None)
        return tuple((point, weeks) for point in points)
    given: dict[str, float] = {}
    for pair in value.split(","):
        point, colon, number = pair.partition(":")
        if not colon:
            raise SourceError(
                path,
                attrs.line,
                f"{pair!r} in weeks= is not point:number; "
                "write e.g. weeks=scratch:26,experienced:2",
            )
        if point not in points:
            raise SourceError(
                path,
                attrs.line,
                f"unknown starting point {point!r}{_did_you_mean(point, points)} "
                f"(the plan has: {', '.join(points)})",
            )
        if point in given:
            raise SourceError(path, attrs.line, f"weeks= gives {point!r} twice")
        given[point] = weeks_value(number, path, attrs.line, attrs.title, point)
    missing = [p for p in points if p not in given]
    if missing:
        raise SourceError(
            path,
            attrs.line,
            f'phase "{short(attrs.title)}" gives no weeks for {missing[0]!r} '
            f"(add {missing[0]}:N, 0 to skip)",
        )
    return tuple((point, given[point]) for point in points)


def _topic(
    rt: RawTopic,
    phase_id: str,
    points: tuple[str, ...],
    path: str,
    known_tags: frozenset[str] | None,
    seen: dict[str, int],
) -> Topic:
    attrs = rt.attrs
    if not attrs.title:
        raise SourceError(path, attrs.line, "this topic has no title before its {...}")
    if "hours" not in attrs.values:
        raise SourceError(
            path, attrs.line, f'topic "{short(attrs.title)}" has no hours= (add e.g. hours=6)'
        )
    minutes = hours_to_minutes(attrs.values["hours"], path, attrs.line, attrs.title)
    topic_id = _ident(attrs, "topic", seen, path)
    tags = _tags(attrs, path, known_tags)
    after = (
        id_list(attrs.values["after"], path, attrs.line, "after") if "after" in attrs.values else ()
    )
    only = id_list(attrs.values["only"], path, attrs.line, "only") if "only" in attrs.values else ()
    for point in only:
        if point not in points:
            raise SourceError(
                path,
                attrs.line,
                f"unknown starting point {point!r}{_did_you_mean(point, points)} "
                f"(the plan has: {', '.join(points)})",
            )
    notes = "\n\n".join(rt.notes)
    resources, deliverables = labelled_items(notes)
    return Topic(
        id=topic_id,
        title=attrs.title,
        minutes=minutes,
        phase_id=phase_id,
        line=attrs.line,
        tags=tags,
        after=after,
        only=only,
        notes=notes,
        resources=resources,
        deliverables=deliverables,
    )


def _tags(attrs: Attributes, path: str, known: frozenset[str] | None) -> tuple[str, ...]:
    if "tags" not in attrs.values:
        return ()
    tags = id_list(attrs.values["tags"], path, attrs.line, "tags")
    for tag in tags:
        if not TAG.fullmatch(tag):
            raise SourceError(
                path,
                attrs.line,
                f"tag {tag!r} must be lower-case words joined by hyphens, like {TAG_EXAMPLE!r}",
            )
        if known is not None and tag not in known:
            raise SourceError(
                path,
                attrs.line,
                f"tag {tag!r} is not in decks/tags.toml nor on your own decks' cards"
                f"{_did_you_mean(tag, known)}",
            )
    return tags


def _check_prerequisites(topics: list[Topic], path: str) -> None:
    ids = [t.id for t in topics]
    known = set(ids)
    for topic in topics:
        for needed in topic.after:
            if needed == topic.id:
                raise SourceError(path, topic.line, f"topic {topic.id!r} lists itself in after=")
            if needed not in known:
                raise SourceError(
                    path,
                    topic.line,
                    f"after= names {needed!r}, which is no topic id of this plan"
                    + _did_you_mean(needed, ids),
                )


def _check_cycles(topics: list[Topic], path: str) -> None:
    """Report the first cycle in after= links, found by an iterative depth-first search."""
    after = {t.id: t.after for t in topics}
    lines = {t.id: t.line for t in topics}
    state: dict[str, int] = {}  # 1: on the current path, 2: finished
    for root in after:
        if root in state:
            continue
        stack: list[tuple[str, int]] = [(root, 0)]
        state[root] = 1
        while stack:
            node, index = stack[-1]
            if index == len(after[node]):
                state[node] = 2
                stack.pop()
                continue
            stack[-1] = (node, index + 1)
            child = after[node][index]
            if state.get(child) == 1:
                ring = [n for n, _ in stack]
                ring = ring[ring.index(child) :]
                at = min(range(len(ring)), key=lambda k: lines[ring[k]])
                ring = ring[at:] + ring[:at]
                raise SourceError(path, lines[ring[0]], _cycle_message(ring))
            if child not in state:
                state[child] = 1
                stack.append((child, 0))


def _cycle_message(ring: list[str]) -> str:
    """``ring`` = [a, b, c] reads: a needs b, b needs c, c needs a."""
    names = [repr(n) for n in ring + ring[:1]]
    return f"prerequisites form a cycle: {names[0]} needs " + ", which needs ".join(names[1:])


def _did_you_mean(name: str, choices: tuple[str, ...] | list[str] | frozenset[str]) -> str:
    close = difflib.get_close_matches(name, sorted(choices), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""
