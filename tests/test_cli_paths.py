"""One place for the data: whatever the working directory, `python -m bot` uses the database
under DIK_HOME (or the project root), says which one, and refuses a SQLite path whose folder
does not exist instead of creating a new, empty database there."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from bot import exitcodes

ROOT = Path(__file__).resolve().parents[1]


def cli(cwd: Path, *args: str, **settings: str) -> subprocess.CompletedProcess[str]:
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "PYTHONPATH": str(ROOT)}
    env.update({k.upper(): v for k, v in settings.items()})
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_every_working_directory_sees_the_same_database(tmp_path: Path) -> None:
    home, one, two = tmp_path / "dik-bot", tmp_path / "one", tmp_path / "two"
    for d in (home, one, two):
        d.mkdir()
    database = home / "data" / "dik.sqlite3"
    added = cli(one, "office", "add", "DINKES", "Dinas", "Kesehatan", dik_home=str(home))
    assert added.returncode == 0, added.stderr
    assert added.stderr.splitlines()[0] == (
        f"database: sqlite+aiosqlite:///{database} (new: it will be created)"
    )
    listed = cli(two, "office", "list", dik_home=str(home))
    assert listed.returncode == 0, listed.stderr
    assert listed.stderr.splitlines()[0] == f"database: sqlite+aiosqlite:///{database} (exists)"
    assert "DINKES" in listed.stdout and "Dinas Kesehatan" in listed.stdout
    assert sorted(p.name for p in one.iterdir()) == [] == sorted(p.name for p in two.iterdir())


def test_a_database_folder_that_does_not_exist_is_an_error(tmp_path: Path) -> None:
    missing = tmp_path / "typo" / "dik.sqlite3"
    done = cli(
        tmp_path, "office", "list", dik_home=str(tmp_path), database_url=f"sqlite:///{missing}"
    )
    assert done.returncode == exitcodes.CONFIG, done.stderr
    assert done.stderr.splitlines() == [
        f"error: DATABASE_URL names {missing}, but the folder {missing.parent} does not exist; "
        f"a new empty database is not created there (check DATABASE_URL and "
        f"DIK_HOME={tmp_path})"
    ]
    assert not missing.parent.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_a_dik_home_that_does_not_exist_is_an_error(tmp_path: Path) -> None:
    done = cli(tmp_path, "office", "list", dik_home=str(tmp_path / "nowhere"))
    assert done.returncode == exitcodes.CONFIG, done.stderr
    assert done.stderr.splitlines() == [f"error: DIK_HOME {tmp_path / 'nowhere'} is not a folder"]
    assert not (tmp_path / "nowhere").exists()
