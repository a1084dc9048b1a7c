"""Settings: defaults, one clear line per bad setting, the token kept secret, and the CLI's
refusal to run without a token."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.engine import make_url

from bot.config import ConfigError, Settings, load_settings

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "123456789:AAHs3cr3t-T0ken_value"


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """No setting leaks in from the environment of whoever runs the tests."""
    fields = {name.upper() for name in Settings.model_fields}
    for key in list(os.environ):
        if key.upper() in fields:
            monkeypatch.delenv(key)


def test_defaults() -> None:
    s = load_settings(_env_file=None)
    url = make_url(s.database_url)
    assert url.drivername == "sqlite+aiosqlite"
    assert url.database is not None
    assert Path(url.database) == ROOT / "data" / "dik.sqlite3"  # under the project root
    assert s.dik_home == ROOT and s.publish_dir == ROOT / "data" / "publik"
    assert s.timezone == "Asia/Makassar"
    assert s.tz == ZoneInfo("Asia/Makassar")
    assert s.timezone_label == "WITA"
    assert s.workdays == frozenset({0, 1, 2, 3, 4})
    assert s.office_start < s.office_end
    assert s.telegram_bot_token.get_secret_value() == ""
    assert s.api_base_url is None and s.api_base_file_url is None
    assert (s.sop_dir / "usulan_dik.yaml").is_file() and s.sop_default == "usulan_dik"


BAD = [
    ("timezone", "Mars/Olympus"),
    ("timezone", "Asia/Kupang"),
    ("timezone", ""),
    ("office_workdays", "0,1,2,3,9"),
    ("office_workdays", "senin,selasa"),
    ("office_workdays", ""),
    ("office_workdays", "-1,2"),
    ("database_url", "mysql://dik@localhost/dik"),
    ("database_url", "data/dik.sqlite3"),
    ("database_url", ""),
]


@pytest.mark.parametrize(("name", "value"), BAD)
def test_a_bad_setting_is_one_line_naming_it(name: str, value: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_settings(_env_file=None, **{name: value})
    message = str(caught.value)
    assert name.upper() in message
    assert "\n" not in message


@pytest.mark.parametrize(("name", "value"), BAD)
def test_a_bad_setting_from_the_environment_is_one_line_naming_it(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    monkeypatch.setenv(name.upper(), value)
    with pytest.raises(ConfigError) as caught:
        load_settings(_env_file=None)
    message = str(caught.value)
    assert name.upper() in message
    assert "\n" not in message


def test_a_bad_setting_from_the_env_file_is_named(tmp_path: Path) -> None:
    env = tmp_path / ".env"
    env.write_text(f"TELEGRAM_BOT_TOKEN={TOKEN}\nOFFICE_WORKDAYS=1,2,3,4,5,6,7\n")
    with pytest.raises(ConfigError, match="OFFICE_WORKDAYS") as caught:
        load_settings(_env_file=env)
    assert TOKEN not in str(caught.value)


def test_plain_database_urls_get_the_async_driver() -> None:
    pg = load_settings(_env_file=None, database_url="postgresql://dik:pw@db:5432/dik")
    assert pg.database_url == "postgresql+asyncpg://dik:pw@db:5432/dik"
    pg2 = load_settings(_env_file=None, database_url="postgres://dik@db/dik")
    assert pg2.database_url == "postgresql+asyncpg://dik@db/dik"
    lite = load_settings(_env_file=None, database_url="sqlite:////var/dik.sqlite3")
    assert lite.database_url == "sqlite+aiosqlite:////var/dik.sqlite3"


def test_workdays_are_configurable() -> None:
    s = load_settings(_env_file=None, office_workdays="0, 1, 2, 3, 4, 5")
    assert s.workdays == frozenset(range(6))


@pytest.mark.parametrize("token", ["", "   "])
def test_require_token_without_a_token_says_how_to_get_one(token: str) -> None:
    s = load_settings(_env_file=None, telegram_bot_token=token)
    with pytest.raises(ConfigError) as caught:
        s.require_token()
    message = str(caught.value)
    assert "TELEGRAM_BOT_TOKEN" in message
    assert "@BotFather" in message and ".env" in message
    assert "\n" not in message


def test_require_token_refuses_a_malformed_token() -> None:
    s = load_settings(_env_file=None, telegram_bot_token="not-a-token")
    with pytest.raises(ConfigError, match="TELEGRAM_BOT_TOKEN"):
        s.require_token()


def test_require_token_returns_the_token() -> None:
    s = load_settings(_env_file=None, telegram_bot_token=f"  {TOKEN} ")
    assert s.require_token() == TOKEN


@pytest.mark.parametrize("base", ["http://h:1/", "http://h:1"])
def test_a_self_hosted_bot_api_server(base: str) -> None:
    s = load_settings(_env_file=None, telegram_api_base_url=base)
    assert s.api_base_url == "http://h:1/bot"
    assert s.api_base_file_url == "http://h:1/file/bot"


def test_the_token_never_shows(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    s = load_settings(_env_file=None)
    assert s.require_token() == TOKEN
    secret = TOKEN.split(":", 1)[1]
    for shown in (repr(s), str(s), f"{s}", s.model_dump_json(), repr(s.model_dump())):
        assert TOKEN not in shown
        assert secret not in shown


def test_a_bad_setting_does_not_echo_the_token() -> None:
    with pytest.raises(ConfigError) as caught:
        load_settings(_env_file=None, telegram_bot_token=TOKEN, timezone="Nowhere/Land")
    assert TOKEN not in str(caught.value)


def test_run_without_a_token_exits_78_with_one_line(tmp_path: Path) -> None:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONPATH": str(ROOT),
        "DIK_HOME": str(tmp_path),
    }
    done = subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    lines = done.stderr.splitlines()
    assert done.returncode == 78, done.stderr  # configuration: systemd does not restart
    assert "Traceback" not in done.stderr
    assert len(lines) == 1, done.stderr
    assert "TELEGRAM_BOT_TOKEN" in lines[0]
    assert done.stdout == ""


# --- one place for the data: DIK_HOME (or the project root) ----------------------------------


def test_dik_home_anchors_env_file_and_relative_paths(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home, elsewhere = tmp_path / "dik", tmp_path / "elsewhere"
    home.mkdir()
    elsewhere.mkdir()
    (home / ".env").write_text(
        "TELEGRAM_BOT_USERNAME=ppid_kupang_bot\nPUBLISH_DIR=web/dik\n"
        "DATABASE_URL=sqlite:///db/dik.sqlite3\nSOP_DIR=sop\n"
    )
    (elsewhere / ".env").write_text("TELEGRAM_BOT_USERNAME=not_this_one\n")
    monkeypatch.chdir(elsewhere)  # the working directory plays no part
    monkeypatch.setenv("DIK_HOME", str(home))
    s = load_settings()
    assert s.dik_home == home
    assert s.telegram_bot_username == "ppid_kupang_bot"
    assert s.publish_dir == home / "web" / "dik"
    assert s.sop_dir == home / "sop"
    assert s.database_url == f"sqlite+aiosqlite:///{home}/db/dik.sqlite3"
    assert s.sqlite_file == home / "db" / "dik.sqlite3"
    absolute = load_settings(database_url=f"sqlite:///{elsewhere}/x.sqlite3", publish_dir="/srv/p")
    assert absolute.sqlite_file == elsewhere / "x.sqlite3"
    assert absolute.publish_dir == Path("/srv/p")


def test_without_dik_home_the_project_root_anchors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    s = load_settings(_env_file=None)
    assert s.dik_home == ROOT
    assert s.sqlite_file == ROOT / "data" / "dik.sqlite3"


def test_the_password_is_not_shown_with_the_database() -> None:
    s = load_settings(_env_file=None, database_url="postgresql://dik:Sup3r-Secret@db:5432/dik")
    assert "Sup3r-Secret" not in s.database_shown and "db:5432/dik" in s.database_shown
    assert s.sqlite_file is None
