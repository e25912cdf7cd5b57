"""Every file location studyplan uses, each with an environment override."""

from __future__ import annotations

import os
from pathlib import Path

APP = "studyplan"


def data_directory() -> Path:
    """Where the database and backups live (``STUDYPLAN_DATA_DIR`` overrides)."""
    if override := os.environ.get("STUDYPLAN_DATA_DIR"):
        return Path(override).expanduser()
    from platformdirs import user_data_path

    return user_data_path(APP, appauthor=False)


def database_file(cli_value: str | os.PathLike[str] | None = None) -> Path:
    """The SQLite file: ``--db``, then ``STUDYPLAN_DB``, then the data directory."""
    if cli_value:
        return Path(cli_value).expanduser()
    if override := os.environ.get("STUDYPLAN_DB"):
        return Path(override).expanduser()
    return data_directory() / "studyplan.db"


def config_file() -> Path:
    """The settings file (``STUDYPLAN_CONFIG`` overrides)."""
    if override := os.environ.get("STUDYPLAN_CONFIG"):
        return Path(override).expanduser()
    from platformdirs import user_config_path

    return user_config_path(APP, appauthor=False) / "config.toml"


def cache_directory() -> Path:
    """Where results that can be recomputed are kept (``STUDYPLAN_CACHE_DIR`` overrides)."""
    if override := os.environ.get("STUDYPLAN_CACHE_DIR"):
        return Path(override).expanduser()
    from platformdirs import user_cache_path

    return user_cache_path(APP, appauthor=False)


def _bundled(name: str) -> Path:
    installed = Path(__file__).parent / "_bundled" / name
    if installed.is_dir():
        return installed
    return Path(__file__).resolve().parents[2] / name  # a source checkout


def bundled_decks() -> Path:
    """The decks that ship with studyplan."""
    return _bundled("decks")


def bundled_plans() -> Path:
    """The plans that ship with studyplan."""
    return _bundled("plans")


def decks_directory() -> Path:
    """The learner's own deck files that studyplan writes (Anki imports):
    ``STUDYPLAN_DECKS_DIR``, else ``decks`` in the data directory."""
    if override := os.environ.get("STUDYPLAN_DECKS_DIR"):
        return Path(override).expanduser()
    return data_directory() / "decks"
