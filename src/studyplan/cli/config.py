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
