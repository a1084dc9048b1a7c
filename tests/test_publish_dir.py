"""PUBLISH_DIR for a web server that runs as another user: the bot makes the folder and files
readable by others whatever its umask (the unit's is 0077), and the health check says when the
bot cannot write the folder (systemd's ReadWritePaths) or others cannot read it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bot.config import Settings, load_settings
from bot.ops import health
from bot.publish import write_public_dik
from bot.workflow.admin import FAIL, OK, WARN, publish_fact
from tests.publik import sample_dik

BASE = "https://ppid.kupangkota.go.id/dik"


def settings_for(folder: Path, base: str = BASE) -> Settings:
    return load_settings(_env_file=None, publish_dir=folder, public_base_url=base)


def test_the_bot_makes_a_readable_folder_under_a_strict_umask(public_dir: Path) -> None:
    folder = public_dir / "ppid" / "dik"
    old = os.umask(0o077)
    try:
        write_public_dik(folder, sample_dik())
    finally:
        os.umask(old)
    for d in (public_dir / "ppid", folder):
        assert oct(d.stat().st_mode & 0o777) == "0o755"
    assert all(oct(p.stat().st_mode & 0o777) == "0o644" for p in folder.iterdir())
    fact = publish_fact(settings_for(folder))
    assert fact.status == OK, fact
    assert health.describe(fact) == f"{folder}: writable, readable by others"


def test_a_folder_others_cannot_enter_fails_with_a_website_and_warns_without(
    public_dir: Path,
) -> None:
    private = public_dir / "data"
    private.mkdir(mode=0o700)
    os.chmod(private, 0o700)  # as `install -d -m 0700 data` in the unit's setup
    folder = private / "publik"
    fact = publish_fact(settings_for(folder))
    assert fact.status == FAIL and fact.detail["where"] == str(private)
    assert "the web server cannot read" in health.describe(fact)
    assert publish_fact(settings_for(folder, base="")).status == WARN  # no website yet


def test_a_file_others_cannot_read_fails(public_dir: Path) -> None:
    folder = public_dir / "dik"
    write_public_dik(folder, sample_dik())
    secret = folder / "dik-2026.json"
    os.chmod(secret, 0o600)
    fact = publish_fact(settings_for(folder))
    assert fact.status == FAIL and fact.detail["where"] == str(secret)


def test_a_folder_the_bot_cannot_write_fails_naming_read_write_paths() -> None:
    folder = Path("/proc/sys/dik-publik")  # read-only even for root, as outside ReadWritePaths
    if os.access("/proc/sys", os.W_OK):
        pytest.skip("/proc/sys is writable here")
    fact = publish_fact(settings_for(folder))
    assert fact.status == FAIL and fact.detail["problem"] == "not_writable"
    assert f"ReadWritePaths={folder}" in health.describe(fact)
