"""Settings from the environment and `.env` (pydantic-settings).

Every setting is listed, with a comment, in `.env.example`. One folder anchors the data: the
project root (the checkout holding `bot/`), or `DIK_HOME` when it is set in the environment.
Its `.env` is read whatever the working directory, and every relative path in a setting
(the SQLite file of `DATABASE_URL`, `PUBLISH_DIR`, `SOP_DIR`) is resolved against it.
"""

from __future__ import annotations

import os
import re
from datetime import time
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import make_url

from bot.documents.legal import UU_PEMBENTUKAN_KUPANG

#: The environment variable naming the folder that holds `.env` and `data/`.
HOME_ENV = "DIK_HOME"


class ConfigError(Exception):
    """A setting is missing or malformed; the message names it in one line."""


def project_home() -> Path:
    """`DIK_HOME` if set, else the project root (the folder that holds the `bot` package)."""
    value = os.environ.get(HOME_ENV, "").strip()
    if value:
        return Path(value).expanduser().resolve()
    return Path(__file__).resolve().parents[1]


class Settings(BaseSettings):
    """Everything the bot reads from its environment."""

    model_config = SettingsConfigDict(
        env_file=None, env_file_encoding="utf-8", extra="ignore", case_sensitive=False
    )

    #: The folder that anchors `.env`, `data/` and relative paths (see `project_home`).
    dik_home: Path = Field(default_factory=project_home)

    telegram_bot_token: SecretStr = SecretStr("")
    telegram_bot_username: str = ""
    telegram_api_base_url: str = ""
    database_url: str = "sqlite+aiosqlite:///data/dik.sqlite3"
    timezone: str = "Asia/Makassar"
    timezone_label: str = "WITA"
    office_workdays: str = "0,1,2,3,4"
    office_start: time = time(7, 30)
    office_end: time = time(16, 0)
    report_time: time = time(15, 0)  # Laporan Bulanan: last working day of the month
    # A folder of SOP files (one YAML per SOP); the default SOP is what /mulai starts.
    sop_dir: Path = Path(__file__).parent / "sop"
    sop_default: str = "usulan_dik"
    # A yearly reminder to the operator that a SOP's cycle is due: "KEY=MONTH" pairs split by
    # "," (e.g. "dip=1": every January, the DIP update); sent once a year, on the first
    # working day of that month on which the bot runs, unless a cycle of that year exists.
    sop_yearly_reminders: str = ""
    invite_valid_hours: int = Field(default=72, ge=1)
    upload_max_bytes: int = Field(default=5_000_000, ge=10_000)
    concurrent_updates: bool = False
    sweep_interval_seconds: int = Field(default=60, ge=0)
    outbox_chat_gap_seconds: float = Field(default=1.0, ge=0, le=60)
    #: Worker processes that render documents after the acts; 0 renders in a thread.
    render_processes: int = Field(default=1, ge=0, le=8)
    telegram_timeout: float = Field(default=20.0, gt=0, le=300)
    log_level: str = "INFO"
    log_format: Literal["text", "json"] = "text"
    webhook_url: str = ""
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = Field(default=8443, ge=1, le=65535)
    webhook_secret: SecretStr = SecretStr("")

    org_name: str = "Pemerintah Kota Kupang"
    org_city: str = "Kupang"
    org_unit: str = "Dinas Komunikasi dan Informatika Kota Kupang"
    org_address: str = (
        "Jalan Veteran Nomor 2, Kelurahan Pasir Panjang, Kecamatan Kota Lama, Kupang"
    )
    org_kop_lines: str = "PEMERINTAH KOTA KUPANG|DINAS KOMUNIKASI DAN INFORMATIKA"
    # The rest of the kop's address line; each is left out of the kop while empty.
    org_phone: str = ""
    org_fax: str = ""
    org_website: str = ""
    org_email: str = ""
    org_postcode: str = ""
    # The lambang daerah printed in the kop (PNG/JPEG); empty or unreadable: the placeholder.
    org_lambang: str = ""
    ppid_pembantu_label: str = "PPID Pembantu"
    title_kepala_dinas: str = "Kepala Dinas Komunikasi dan Informatika Kota Kupang"
    title_kepala_bidang: str = "Kepala Bidang Pengelolaan Layanan Informasi Publik"
    # The Kepala Bidang who checks and sends the Nota Dinas (step 1); empty: the petugas.
    kepala_bidang_name: str = ""
    kepala_bidang_nip: str = ""
    kepala_bidang_pangkat: str = ""
    title_atasan_ppid: str = "Asisten Pemerintahan Setda Kota Kupang"
    title_kabag_hukum: str = "Kepala Bagian Hukum Setda Kota Kupang"
    title_walikota: str = "Walikota Kupang"
    title_dprd: str = "Ketua Dewan Perwakilan Rakyat Daerah Kota Kupang"
    # Tembusan of each letter kind, separated by | (empty: no tembusan).
    tembusan_nota_dinas: str = ""
    tembusan_surat_permintaan: str = (
        "Walikota Kupang (sebagai laporan)|Sekretaris Daerah Kota Kupang"
    )
    tembusan_surat_pengantar: str = ""
    tembusan_surat_usulan_uji: str = ""
    tembusan_surat_undangan: str = ""
    # The Surat Undangan also invites the PPID Pembantu whose items are tested.
    undangan_ppid_pembantu: bool = True
    # Who signs "Menyetujui" on the Ketetapan (Perki 1/2017 Pasal 4(3)); empty: nobody.
    ketetapan_menyetujui_role: Literal["walikota", "atasan_ppid", ""] = "walikota"
    # The Keputusan Walikota's Mengingat: the law forming the city, and gazette numbers.
    sk_uu_pembentukan: str = UU_PEMBENTUKAN_KUPANG
    sk_berita_negara_perki_2017: str = ""
    sk_berita_negara_perki_2021: str = ""
    sk_berita_negara_permendagri_3_2017: str = ""
    sk_berita_daerah_perwali: str = ""
    sk_perwali_pasal_dik: str = ""
    letter_number_pattern: str = "000.9/{seq:03d}/Kominfo/{roman_month}/{year}"
    publish_dir: Path = Path("data/publik")
    backup_keep_days: int = Field(default=30, ge=0)
    public_base_url: str = ""
    permohonan_url: str = ""
    signature_trust_roots: str = ""

    @field_validator("letter_number_pattern")
    @classmethod
    def _numbered(cls, value: str) -> str:
        if "{seq" not in value:
            raise ValueError("must contain {seq} (the running number), e.g. 000.9/{seq:03d}/...")
        try:
            value.format(seq=1, year=2026, month=1, roman_month="I")
        except (KeyError, IndexError, ValueError) as exc:
            raise ValueError(f"cannot be filled in: {exc}") from None
        return value

    @field_validator("sop_yearly_reminders")
    @classmethod
    def _reminders(cls, value: str) -> str:
        for pair in filter(None, (p.strip() for p in value.split(","))):
            key, _, month = pair.partition("=")
            if not key.strip() or not month.strip().isdigit() or not 1 <= int(month) <= 12:
                raise ValueError(f"SOP_YEARLY_REMINDERS: {pair!r} is not KEY=MONTH (1-12)")
        return value

    def yearly_reminders(self) -> dict[str, int]:
        """SOP key → month of its yearly reminder."""
        out = {}
        for pair in filter(None, (p.strip() for p in self.sop_yearly_reminders.split(","))):
            key, _, month = pair.partition("=")
            out[key.strip()] = int(month)
        return out

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value

    @field_validator("office_workdays")
    @classmethod
    def _workdays(cls, value: str) -> str:
        days = [p.strip() for p in value.split(",") if p.strip()]
        if not days or any(not d.isdigit() or int(d) > 6 for d in days):
            raise ValueError("expected weekday numbers 0 (Monday) to 6, comma separated")
        return value

    @field_validator("log_level")
    @classmethod
    def _log_level(cls, value: str) -> str:
        if value.strip().upper() not in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"):
            raise ValueError("expected DEBUG, INFO, WARNING, ERROR or CRITICAL")
        return value.strip().upper()

    @field_validator("webhook_url")
    @classmethod
    def _webhook_url(cls, value: str) -> str:
        value = value.strip()
        if value and not value.startswith("https://"):
            raise ValueError("Telegram delivers webhooks only to https:// URLs (empty: polling)")
        return value

    @field_validator("webhook_secret")
    @classmethod
    def _webhook_secret(cls, value: SecretStr) -> SecretStr:
        secret = value.get_secret_value()
        if secret and not re.fullmatch(r"[A-Za-z0-9_-]{16,256}", secret):
            raise ValueError("use 16 to 256 characters from A-Z, a-z, 0-9, _ and -")
        return value

    @field_validator("public_base_url")
    @classmethod
    def _public_url(cls, value: str) -> str:
        value = value.strip().rstrip("/")
        if value and not value.startswith(("https://", "http://")):
            raise ValueError("expected the URL the website serves PUBLISH_DIR under, https://...")
        return value

    @field_validator("permohonan_url")
    @classmethod
    def _permohonan_url(cls, value: str) -> str:
        value = value.strip()
        if value and not re.fullmatch(r"https?://[^\s\"'<>]+", value):
            raise ValueError("expected the web address of the permohonan page, https://...")
        return value

    @field_validator("database_url")
    @classmethod
    def _async_driver(cls, value: str) -> str:
        if value.startswith("postgresql://") or value.startswith("postgres://"):
            return "postgresql+asyncpg://" + value.split("://", 1)[1]
        if value.startswith("sqlite:///"):
            return "sqlite+aiosqlite:///" + value.split(":///", 1)[1]
        if not value.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
            raise ValueError("use sqlite+aiosqlite:///path or postgresql+asyncpg://...")
        return value

    @model_validator(mode="after")
    def _anchor_relative_paths(self) -> Settings:
        """Relative paths mean: under DIK_HOME (never the working directory)."""
        home = self.dik_home.expanduser()
        if not home.is_absolute():
            raise ValueError(f"DIK_HOME must be an absolute path, not {str(home)!r}")
        self.dik_home = home
        self.publish_dir = home / self.publish_dir.expanduser()  # an absolute one stays
        self.sop_dir = home / self.sop_dir.expanduser()
        url = make_url(self.database_url)
        if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
            path = Path(url.database).expanduser()
            if not path.is_absolute():
                path = home / path
            self.database_url = url.set(database=str(path)).render_as_string(hide_password=False)
        return self

    @property
    def data_dir(self) -> Path:
        """`<DIK_HOME>/data`: the default place of the SQLite file, backups, PUBLISH_DIR."""
        return self.dik_home / "data"

    @property
    def database_shown(self) -> str:
        """DATABASE_URL without its password, for what the CLI and the log print."""
        return make_url(self.database_url).render_as_string(hide_password=True)

    @property
    def sqlite_file(self) -> Path | None:
        """The SQLite database file, or None on PostgreSQL (or an in-memory SQLite)."""
        url = make_url(self.database_url)
        if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
            return None
        return Path(url.database)

    def database_password(self) -> str:
        return make_url(self.database_url).password or ""

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def trust_roots_path(self) -> Path | None:
        """SIGNATURE_TRUST_ROOTS as a path (a file or a folder), or None when not configured."""
        value = self.signature_trust_roots.strip()
        return Path(value) if value else None

    @property
    def workdays(self) -> frozenset[int]:
        return frozenset(int(p) for p in self.office_workdays.split(",") if p.strip())

    @property
    def kop_lines(self) -> list[str]:
        return [line.strip() for line in self.org_kop_lines.split("|") if line.strip()]

    def role_title(self, role: str) -> str:
        """The official title of the office a role holds (a signature block, an addressee),
        as configured here; a role without one is named by its SOP label by the caller."""
        titles = {
            "kepala_dinas": self.title_kepala_dinas,
            "atasan_ppid": self.title_atasan_ppid,
            "walikota": self.title_walikota,
        }
        return titles.get(role, "")

    def tembusan(self, kind: str) -> list[str]:
        """The tembusan of a letter kind (``TEMBUSAN_<KIND>``), in order."""
        raw = str(getattr(self, f"tembusan_{kind}", "") or "")
        return [line.strip() for line in raw.split("|") if line.strip()]

    @property
    def api_base_url(self) -> str | None:
        """PTB's `base_url` for a self-hosted Bot API server, or None for Telegram's."""
        root = self.telegram_api_base_url.rstrip("/")
        return f"{root}/bot" if root else None

    @property
    def api_base_file_url(self) -> str | None:
        root = self.telegram_api_base_url.rstrip("/")
        return f"{root}/file/bot" if root else None

    def require_token(self) -> str:
        token = self.telegram_bot_token.get_secret_value().strip()
        if not token:
            raise ConfigError(
                "TELEGRAM_BOT_TOKEN is not set: create a bot with @BotFather, then put "
                "TELEGRAM_BOT_TOKEN=<token> in .env (see README, 'First day')."
            )
        if ":" not in token:
            raise ConfigError("TELEGRAM_BOT_TOKEN is malformed: expected '<digits>:<secret>'.")
        return token


def load_settings(**overrides: object) -> Settings:
    """Read the settings (the environment, then `<DIK_HOME>/.env`); a bad one raises
    ConfigError naming it, without a traceback. `_env_file=None` reads no file."""
    home = Path(str(overrides.get("dik_home") or project_home()))
    overrides.setdefault("dik_home", home)
    overrides.setdefault("_env_file", home / ".env")
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        first = exc.errors()[0]
        name = ".".join(str(p) for p in first["loc"]).upper() or "settings"
        raise ConfigError(f"setting {name} is invalid: {first['msg']}") from None
