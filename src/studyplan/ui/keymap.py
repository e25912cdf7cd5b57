"""The learner's own keys: every binding id the app has, and a ``[keymap]`` checked
against them before Textual applies it (a typo is one sentence, never a crash)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from textual.binding import Binding
from textual.dom import DOMNode
from textual.keys import Keys

_MODIFIERS = {"ctrl", "shift", "alt", "meta", "super", "hyper"}
_NAMED = {k.value for k in Keys if "+" not in k.value and "-" not in k.value} | {
    "space",
    "enter",
    "tab",
    "escape",
    "backspace",
    "delete",
    "insert",
    "home",
    "end",
    "pageup",
    "pagedown",
    "up",
    "down",
    "left",
    "right",
    *(f"f{n}" for n in range(1, 25)),
    # Textual's names for punctuation (its keys are named, "?" is "question_mark").
    "exclamation_mark",
    "quotation_mark",
    "number_sign",
    "dollar_sign",
    "percent_sign",
    "ampersand",
    "apostrophe",
    "left_parenthesis",
    "right_parenthesis",
    "asterisk",
    "plus",
    "comma",
    "minus",
    "full_stop",
    "slash",
    "colon",
    "semicolon",
    "less_than_sign",
    "equals_sign",
    "greater_than_sign",
    "question_mark",
    "at",
    "left_square_bracket",
    "backslash",
    "right_square_bracket",
    "circumflex_accent",
    "underscore",
    "grave_accent",
    "left_curly_bracket",
    "vertical_line",
    "right_curly_bracket",
    "tilde",
}


@dataclass(frozen=True, slots=True)
class BindingInfo:
    """One rebindable key of the app."""

    id: str
    keys: str
    description: str
    where: str


def _screens() -> list[type[DOMNode]]:
    from studyplan.ui import (
        app,
        browser,
        confirm,
        enrol,
        home,
        overview,
        plan,
        review,
        settings,
        stats,
        summary,
        timeoff,
    )

    return [
        app.StudyplanApp,
        home.HomeScreen,
        review.ReviewScreen,
        summary.SummaryScreen,
        browser.BrowserScreen,
        browser.CardInfoScreen,
        browser.CardTable,
        browser.SavedSearchesScreen,
        browser.NameScreen,
        plan.PlanScreen,
        overview.OverviewScreen,
        enrol.EnrolScreen,
        timeoff.TimeOffScreen,
        stats.StatsScreen,
        settings.SettingsScreen,
        confirm.ConfirmScreen,
    ]


def catalogue() -> list[BindingInfo]:
    """Every binding with an id, screen by screen, in the order the screens declare them."""
    out: list[BindingInfo] = []
    seen: set[str] = set()
    for cls in _screens():
        where = cls.__name__.removesuffix("Screen").removeprefix("Studyplan")
        for klass in cls.__mro__:
            for item in klass.__dict__.get("BINDINGS", []):
                binding = item if isinstance(item, Binding) else Binding(*item)
                if binding.id and binding.id not in seen:
                    seen.add(binding.id)
                    out.append(BindingInfo(binding.id, binding.key, binding.description, where))
    return out


def valid_key(key: str) -> bool:
    """True for a key Textual can bind: ``z``, ``Z``, ``ctrl+z``, ``f5``, ``question_mark``."""
    parts = key.strip().split("+")
    *modifiers, base = parts
    if any(m.lower() not in _MODIFIERS for m in modifiers):
        return False
    if len(base) == 1:
        return base.isprintable() and not base.isspace()
    return base.lower() in _NAMED or bool(re.fullmatch(r"f([1-9]|1[0-9]|2[0-4])", base.lower()))


def check_keymap(keymap: Mapping[str, str]) -> tuple[dict[str, str], list[str]]:
    """The entries of ``keymap`` that can be applied, and one sentence per one that cannot."""
    if not keymap:
        return {}, []  # the catalogue imports every screen: not at start for nothing
    known = {info.id for info in catalogue()}
    valid: dict[str, str] = {}
    problems: list[str] = []
    for binding_id, keys in keymap.items():
        if binding_id not in known:
            problems.append(
                f"there is no key binding {binding_id!r} (studyplan config keys lists them)"
            )
            continue
        wanted = [k.strip() for k in keys.split(",") if k.strip()]
        bad = [k for k in wanted if not valid_key(k)]
        if not wanted or bad:
            problems.append(
                f"{binding_id} = {keys!r}: {bad[0] if bad else 'nothing'!r} is not a key "
                "(examples: z, ctrl+z, f5, question_mark)"
            )
            continue
        valid[binding_id] = ",".join(wanted)
    return valid, problems
