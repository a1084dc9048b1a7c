"""Where the data is: DIK_HOME, the database, PUBLISH_DIR; said at start, checked first.

A SQLite file in a folder that does not exist is a wrong setting (a typo in DATABASE_URL, a
command run with another DIK_HOME), never a reason to create a new, empty database there. The
one folder that is created is the default `<DIK_HOME>/data` on a fresh checkout.
"""

from __future__ import annotations

import os
from pathlib import Path

from bot.config import HOME_ENV, ConfigError, Settings


def prepare_database_folder(settings: Settings) -> None:
    """Raise ConfigError when the SQLite file's folder is missing (the default one is made)."""
    path = settings.sqlite_file
    if path is None or path.parent.is_dir():
        return
    if path.parent == settings.data_dir:
        if not settings.dik_home.is_dir():
            raise ConfigError(f"DIK_HOME {settings.dik_home} is not a folder")
        path.parent.mkdir(mode=0o700)
        return
    raise ConfigError(
        f"DATABASE_URL names {path}, but the folder {path.parent} does not exist; a new empty "
        f"database is not created there (check DATABASE_URL and DIK_HOME={settings.dik_home})"
    )


def database_line(settings: Settings) -> str:
    """`database: <url without password> (<state>)` for the CLI and the start-up log."""
    path = settings.sqlite_file
    state = ""
    if path is not None:
        state = " (exists)" if path.is_file() else " (new: it will be created)"
    return f"database: {settings.database_shown}{state}"


def where_lines(settings: Settings) -> list[str]:
    """What `run` logs at start: the anchor and every path it resolved."""
    return [
        f"DIK_HOME: {settings.dik_home}" + ("" if _home_from_env() else " (the project root)"),
        database_line(settings),
        f"PUBLISH_DIR: {settings.publish_dir}",
        f"SOP_DIR: {settings.sop_dir}",
    ]


def _home_from_env() -> bool:
    return bool(os.environ.get(HOME_ENV, "").strip())


def is_inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
    except ValueError:
        return False
    return True
