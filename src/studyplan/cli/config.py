"""``studyplan config``: show or change one setting."""

from __future__ import annotations

from pathlib import Path


def config(
    config_path: Path, key: str | None, value: str | None, db_path: Path | None = None
) -> int:
    """Print the settings as TOML, one setting, or change one (only that one is written).

    Changing ``scheduler`` or ``desired_retention`` also sets every card's due day
    from it in the database at ``db_path``, in one transaction.
    """
    import tomli_w

    from studyplan.settings import SETTING_NAMES, Settings, change_settings, load_settings

    settings = load_settings(config_path)
    if key == "keys" and value is None:
        return _keys(settings.keymap)
    if key is None:
        print(f"# {config_path}")
        print(tomli_w.dumps({name: getattr(settings, name) for name in SETTING_NAMES}), end="")
        return 0
    if value is None:
        if key not in SETTING_NAMES:
            settings.with_value(key, "")  # raises the unknown-setting error
        # The value alone, as TOML writes it (35, true, "nord"), for scripts.
        print(tomli_w.dumps({key: getattr(settings, key)}).split(" = ", 1)[1], end="")
        return 0
    wanted: Settings = settings.with_value(key, value)
    updated = change_settings(config_path, {key: getattr(wanted, key)})
    print(tomli_w.dumps({key: getattr(updated, key)}).rstrip() + f"  # saved to {config_path}")
    if key in ("scheduler", "desired_retention") and db_path is not None and db_path.exists():
        from studyplan.service import Studyplan

        service = Studyplan(db_path, config_path)
        try:
            due = service.repo.deck_summaries(service.today())
            name = "SM-2" if updated.scheduler == "sm2" else "FSRS"
            print(f"# {name} now decides when cards are due: {sum(d.due for d in due)} due today")
        finally:
            service.close()
    return 0


def _keys(keymap) -> int:
    """Every binding id with its key (yours where ``[keymap]`` sets one) and what it does."""
    from studyplan.ui.keymap import catalogue, check_keymap

    valid, problems = check_keymap(keymap)
    rows = catalogue()
    width = max(len(r.id) for r in rows)
    print(f"{'binding id':<{width}}  {'keys':<22} what it does")
    for row in rows:
        keys = valid.get(row.id, row.keys)
        mark = " *" if row.id in valid else ""
        print(f"{row.id:<{width}}  {keys + mark:<22} {row.description or '-'} ({row.where})")
    print('\n* yours. Change one in config.toml:  [keymap]  then  "review.undo" = "z"')
    for problem in problems:
        print(f"not applied: {problem}")
    return 0
