"""Writing the public DIP into the folder the PPID website serves, beside the DIK: the signed
Keputusan's PDF first (when the page links it), then `dip-<year>.html`, `.json` and `.xlsx`,
each written whole and renamed into place (see :func:`bot.publish.files.atomic_write`)."""

from __future__ import annotations

import json
from pathlib import Path

from bot.publish.dip_model import PublicDip
from bot.publish.dip_page import render_dip_page
from bot.publish.dip_sheet import build_dip_sheet
from bot.publish.files import HTML, JSON, XLSX, PublicFile, atomic_write, make_public_folder


def build_dip_files(dip: PublicDip) -> list[PublicFile]:
    data = json.dumps(dip.as_json(), ensure_ascii=False, indent=2) + "\n"
    return [
        PublicFile(f"{dip.basename}.html", HTML, render_dip_page(dip).encode()),
        PublicFile(f"{dip.basename}.json", JSON, data.encode()),
        PublicFile(f"{dip.basename}.xlsx", XLSX, build_dip_sheet(dip)),
    ]


def write_public_dip(
    folder: Path, dip: PublicDip, keputusan_pdf: bytes | None = None
) -> list[Path]:
    """Write the year's DIP files into ``folder``; the page never links a file not there yet."""
    make_public_folder(folder)
    written = []
    if dip.keputusan_filename is not None:
        if keputusan_pdf is None:
            raise ValueError(
                "the page links the signed Keputusan: its PDF must be written with it"
            )
        path = folder / dip.keputusan_filename
        atomic_write(path, keputusan_pdf)
        written.append(path)
    for f in build_dip_files(dip):
        path = folder / f.name
        atomic_write(path, f.content)
        written.append(path)
    return written
