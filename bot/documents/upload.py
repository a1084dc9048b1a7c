"""Checking an uploaded DOCX (a revised draft) before anything reads it for real."""

from __future__ import annotations

import io
import zipfile

from docx import Document

MAX_UNCOMPRESSED = 50_000_000
MAX_RATIO = 100


def valid_docx(data: bytes) -> bool:
    """A Word document without macros that is not a zip bomb and that python-docx can open."""
    if not data.startswith(b"PK"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            names = {i.filename for i in infos}
            if "word/document.xml" not in names or "[Content_Types].xml" not in names:
                return False
            if any(n.lower().endswith("vbaproject.bin") for n in names):
                return False
            total = sum(i.file_size for i in infos)
            packed = max(1, sum(i.compress_size for i in infos))
            if total > MAX_UNCOMPRESSED or total / packed > MAX_RATIO:
                return False
            if any(i.flag_bits & 0x1 for i in infos):  # encrypted entries
                return False
        Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        return False
    except Exception:
        return False
    return True
