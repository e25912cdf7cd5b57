"""``studyplan config``: show or change one setting."""

from __future__ import annotations

from pathlib import Path


def config(config_path: Path, key: str | None, value: str | None) -> int:
    from studyplan.settings import SETTING_NAMES, Settings, load_settings, save_settings

    settings = load_settings(config_path)
    if key is None:
        print(f"# {config_path}")
        for name in SETTING_NAMES:
            print(f"{name} = {getattr(settings, name)!r}")
        return 0
    if value is None:
        if key not in SETTING_NAMES:
            settings.with_value(key, "")  # raises the unknown-setting error
        print(getattr(settings, key))
        return 0
    updated: Settings = settings.with_value(key, value)
    save_settings(config_path, updated)
    print(f"{key} = {getattr(updated, key)!r}  (saved to {config_path})")
    return 0
