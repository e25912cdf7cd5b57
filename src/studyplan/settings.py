"""The learner's settings: one typed object, stored as TOML in the config directory."""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from studyplan.core.cards.order import NEW_CARD_ORDERS
from studyplan.core.errors import SourceError
from studyplan.core.fsrs_state import MAX_RETENTION, MIN_RETENTION

DEFAULT_THEME = "textual-dark"
SCHEDULERS = ("sm2", "fsrs")
RETENTION_RANGE = (MIN_RETENTION, MAX_RETENTION)
_THEME_NAME = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")


@dataclass(frozen=True)
class Settings:
    """What the learner can change, each with its default."""

    new_per_day: int = 20
    """New cards introduced per study day, over all decks."""
    reviews_per_day: int = 200
    """Review answers per study day at most, over all decks."""
    rollover_hour: int = 4
    """Local hour at which a new study day starts (0-23)."""
    theme: str = DEFAULT_THEME
    """The colour theme: any theme Textual offers (the app checks the name when it starts)."""
    timezone: str = ""
    """IANA zone name such as Europe/Berlin; empty means the system's zone."""
    backups_kept: int = 7
    """Automatic daily backups kept next to the database (0 turns them off)."""
    streak_all_due: bool = True
    """A study day counts for the streak once every card due that day is reviewed."""
    streak_min_reviews: int = 20
    """A study day counts once this many cards are reviewed (0 turns this off)."""
    streak_min_blocks: int = 1
    """A study day counts once this many plan blocks are done (0 turns this off)."""
    new_card_order: str = "mixed"
    """How new cards are drawn: "mixed" (a card from each deck in turn), "random"
    (shuffled, a new order each day) or "deck" (deck after deck)."""
    bury_siblings: bool = True
    """Once one card of a note (a cloze, a reverse pair) is answered, its siblings wait
    for the next study day, so one does not give the other away."""
    calendar_file: str = ""
    """An .ics file rewritten with the whole plan whenever it changes (empty: none)."""
    leech_lapses: int = 8
    """A card forgotten this many times is a leech (again every half as many more; 0: never)."""
    leech_action: str = "suspend"
    """What happens to a leech: "suspend" it (find it with is:leech) or only "tag" it."""
    sync_folder: str = ""
    """A folder your own sync tool keeps in step between machines (Syncthing, Dropbox, a
    git repository); studyplan syncs through it at start and after each session (empty: off)."""
    keymap: Mapping[str, str] = field(default_factory=dict)
    """Your own keys: binding id = "keys" (``studyplan config keys`` lists the ids)."""
    scheduler: str = "sm2"
    """Who decides when a card is due: "sm2" (SuperMemo-2, the default) or "fsrs" (FSRS-6).
    Both follow every answer, so switching either way loses nothing."""
    desired_retention: float = 0.9
    """FSRS only: the chance of recalling a card on its due day it aims for (0.70-0.99)."""

    def validated(self, path: str | Path = "settings") -> Settings:
        """Return self, or raise ``SourceError`` naming the first value that is out of range."""
        checks: list[tuple[str, bool, str]] = [
            ("new_per_day", 0 <= self.new_per_day <= 9999, "a whole number from 0 to 9999"),
            (
                "reviews_per_day",
                0 <= self.reviews_per_day <= 99999,
                "a whole number from 0 to 99999",
            ),
            ("rollover_hour", 0 <= self.rollover_hour <= 23, "an hour from 0 to 23"),
            (
                "theme",
                bool(_THEME_NAME.fullmatch(self.theme)),
                "a theme name such as textual-dark or nord",
            ),
            (
                "timezone",
                self.timezone == "" or _is_zone(self.timezone),
                "an IANA zone like Europe/Berlin",
            ),
            ("backups_kept", 0 <= self.backups_kept <= 365, "a whole number from 0 to 365"),
            (
                "streak_min_reviews",
                0 <= self.streak_min_reviews <= 9999,
                "a whole number from 0 (off) to 9999",
            ),
            (
                "streak_min_blocks",
                0 <= self.streak_min_blocks <= 99,
                "a whole number from 0 (off) to 99",
            ),
            (
                "new_card_order",
                self.new_card_order in NEW_CARD_ORDERS,
                "one of " + ", ".join(NEW_CARD_ORDERS),
            ),
            ("leech_lapses", 0 <= self.leech_lapses <= 99, "a whole number from 0 (off) to 99"),
            ("leech_action", self.leech_action in ("suspend", "tag"), "suspend or tag"),
            (
                "calendar_file",
                _is_calendar_file(self.calendar_file),
                'empty, or the path of an .ics file, like "~/plan.ics"',
            ),
            ("scheduler", self.scheduler in SCHEDULERS, '"sm2" or "fsrs"'),
            (
                "desired_retention",
                _is_retention(self.desired_retention),
                "a number from 0.70 to 0.99, like 0.9",
            ),
        ]
        for name, ok, expected in checks:
            if not ok:
                raise SourceError(
                    path, None, f"{name} = {getattr(self, name)!r} must be {expected}"
                )
        return self

    def with_value(self, name: str, raw: str) -> Settings:
        """A copy with ``name`` set from the text ``raw``, validated."""
        if name == "keymap":
            raise SourceError(
                "config",
                None,
                "keys are set in config.toml's [keymap] table (see studyplan config keys)",
            )
        field = {f.name: f for f in fields(self)}.get(name)
        if field is None:
            raise SourceError(
                "config", None, f"unknown setting {name!r} (known: {', '.join(SETTING_NAMES)})"
            )
        value: Any = raw
        if field.type in (bool, "bool"):
            words = {"true": True, "yes": True, "on": True, "1": True}
            words |= {"false": False, "no": False, "off": False, "0": False}
            if raw.strip().lower() not in words:
                raise SourceError("config", None, f"{name} must be true or false, got {raw!r}")
            value = words[raw.strip().lower()]
        elif field.type in (float, "float"):
            try:
                value = float(raw)
            except ValueError:
                raise SourceError(
                    "config", None, f"{name} must be a number like 0.9, got {raw!r}"
                ) from None
        elif field.type in (int, "int"):
            try:
                value = int(raw)
            except ValueError:
                raise SourceError(
                    "config", None, f"{name} must be a whole number, got {raw!r}"
                ) from None
        return replace(self, **{name: value}).validated("config")


SETTING_NAMES = tuple(f.name for f in fields(Settings) if f.name != "keymap")
"""The settings with one value each (the ``[keymap]`` table is listed by ``config keys``)."""


def _is_retention(value: object) -> bool:
    low, high = RETENTION_RANGE
    return isinstance(value, float) and low <= value <= high


def _is_calendar_file(value: str) -> bool:
    if value == "":
        return True
    # A folder that goes missing later is reported when the file is written, not here:
    # settings that cannot load would keep the whole app from starting.
    return "\n" not in value and "\x00" not in value and value.lower().endswith(".ics")


def _is_zone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a folder such as "Europe"
        return False
    return True


def load_settings(path: Path) -> Settings:
    """Read the settings file; a missing file gives the defaults."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Settings()
    except (OSError, UnicodeDecodeError) as err:
        raise SourceError(path, None, f"cannot be read ({err})") from None
    except tomllib.TOMLDecodeError as err:
        raise SourceError(path, None, f"is not valid TOML: {err}") from None
    except RecursionError:  # tomllib recurses once per nested [ or {
        raise SourceError(
            path, None, "is not valid TOML: arrays or tables nest too deeply"
        ) from None
    known = {f.name: f for f in fields(Settings)}
    values: dict[str, Any] = {}
    for name, value in data.items():
        if name == "keymap":
            values["keymap"] = _keymap_table(path, value)
            continue
        field = known.get(name)
        if field is None:
            raise SourceError(
                path, None, f"unknown setting {name!r} (known: {', '.join(SETTING_NAMES)})"
            )
        expected = {"int": int, "bool": bool, "float": float}.get(str(field.type), str)
        if type(value) is not expected:
            raise SourceError(path, None, f"{name} must be a {expected.__name__}, got {value!r}")
        values[name] = value
    return Settings(**values).validated(path)


def _keymap_table(path: Path, value: object) -> dict[str, str]:
    """The ``[keymap]`` table: binding ids to keys (which exist is checked by the app)."""
    example = '[keymap]\n"review.undo" = "z"'
    if not isinstance(value, dict):
        raise SourceError(path, None, f"keymap must be a table, like {example!r}")
    for binding_id, keys in value.items():
        if not isinstance(keys, str):
            raise SourceError(
                path, None, f'keymap {binding_id!r} must be keys in quotes, like "z" or "ctrl+z"'
            )
    return dict(value)


def save_settings(path: Path, settings: Settings) -> None:
    """Write every setting that differs from its default (a new file, or a restore)."""
    defaults = asdict(Settings())
    _write(path, {k: v for k, v in asdict(settings).items() if v != defaults[k]})


def change_settings(path: Path, changes: Mapping[str, Any]) -> Settings:
    """Apply ``changes`` to the file as it is now and return the settings it then holds.

    The file is read again first, so a value another program (``studyplan config``,
    another window) wrote since this one read it is kept; only the names in
    ``changes`` are written. Raises ``SourceError`` for a bad value, naming it; the
    file is then left as it was.
    """
    current = load_settings(path)  # refuses a broken file before anything is written
    raw = _read_raw(path)
    merged = replace(current, **dict(changes)).validated(path)
    for name in changes:
        raw[name] = getattr(merged, name)
    _write(path, raw)
    return merged


def _read_raw(path: Path) -> dict[str, Any]:
    try:
        return dict(tomllib.loads(path.read_text(encoding="utf-8")))
    except FileNotFoundError:
        return {}


def _write(path: Path, values: Mapping[str, Any]) -> None:
    import tomli_w

    from studyplan.files import write_file

    write_file(path, tomli_w.dumps(dict(values)), make_folder=True)


def local_zone_name(settings: Settings) -> str:
    """The IANA name of the zone study days are counted in."""
    if settings.timezone:
        return settings.timezone
    env = os.environ.get("TZ", "").lstrip(":")
    if env and _is_zone(env):
        return env
    try:
        target = os.path.realpath("/etc/localtime")
        marker = "zoneinfo/"
        if marker in target:
            name = target.split(marker, 1)[1]
            if _is_zone(name):
                return name
    except OSError:
        pass
    return "UTC"
