"""Writing the public DIK into the folder the PPID website serves.

Each file is written whole to a temporary file beside it and renamed over the old one, so a
reader (or the web server) sees either the old file or the new one, never half of one. The
year's files are written first (the signed SK's PDF before the page that links it) and
`index.html` last, so nothing points at a file that is not there yet.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from bot.publish.model import PublicDik
from bot.publish.page import PageLink, render_index, render_page
from bot.publish.sheet import build_sheet

HTML = "text/html; charset=utf-8"
JSON = "application/json"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PUBLIC_MODE = 0o644  # the web server runs as another user
PUBLIC_FOLDER_MODE = 0o755
_PAGE = re.compile(r"^dik-(\d{4})\.html$")


@dataclass(frozen=True, slots=True)
class PublicFile:
    name: str
    mime_type: str
    content: bytes


def build_files(dik: PublicDik) -> list[PublicFile]:
    """The page, the data and the spreadsheet of one DIK, in memory."""
    data = json.dumps(dik.as_json(), ensure_ascii=False, indent=2) + "\n"
    return [
        PublicFile(f"{dik.basename}.html", HTML, render_page(dik).encode()),
        PublicFile(f"{dik.basename}.json", JSON, data.encode()),
        PublicFile(f"{dik.basename}.xlsx", XLSX, build_sheet(dik)),
    ]


def make_public_folder(folder: Path) -> None:
    """Create `folder` (and missing parents) open to the web server (0755), whatever the umask
    (the systemd unit's is 0077); an existing folder's mode is the admin's choice."""
    missing = [d for d in [folder, *folder.parents] if not d.exists()]
    folder.mkdir(parents=True, exist_ok=True)
    for d in missing:
        os.chmod(d, PUBLIC_FOLDER_MODE)


def atomic_write(path: Path, content: bytes) -> None:
    """Replace `path` with `content` in one rename; on any failure the old file stays."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(content)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, PUBLIC_MODE)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    _sync_dir(path.parent)


def _sync_dir(folder: Path) -> None:
    """Make the rename itself durable (not possible on every platform; best effort)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def index_links(folder: Path) -> list[PageLink]:
    """Every year's page in the folder, newest first."""
    years = sorted(
        (int(m[1]) for p in folder.iterdir() if (m := _PAGE.match(p.name))), reverse=True
    )
    return [
        PageLink(f"dik-{y}.html", f"Daftar Informasi yang Dikecualikan Tahun {y}") for y in years
    ]


def write_public_dik(
    folder: Path,
    dik: PublicDik,
    files: list[PublicFile] | None = None,
    sk_pdf: bytes | None = None,
) -> list[Path]:
    """Write the signed SK's PDF (when the page links it), then the year's HTML, JSON and XLSX
    into `folder`, then refresh `index.html`: the page never links a file not there yet."""
    make_public_folder(folder)
    written = []
    if dik.sk_filename is not None:
        if sk_pdf is None:
            raise ValueError("the page links the signed SK: its PDF must be written with it")
        path = folder / dik.sk_filename
        atomic_write(path, sk_pdf)
        written.append(path)
    for f in files if files is not None else build_files(dik):
        path = folder / f.name
        atomic_write(path, f.content)
        written.append(path)
    index = folder / "index.html"
    atomic_write(index, render_index(dik.badan_publik, index_links(folder)).encode())
    written.append(index)
    return written
