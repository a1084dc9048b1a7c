"""Names of uploaded files: made here from what the file is, never taken from the upload.

A name sent with an upload is the sender's text: it may climb folders (``../../``), hide its
real extension behind a right-to-left override (``SK\\u202efdp.exe`` shows as ``SKexe.pdf``), or
collide with another file. The bot names an uploaded file after the document kind, the OPD, the
cycle and the day it came in; the name as sent is kept in the database and shown, with its
invisible characters spelled out, in the archive index only.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

#: What each uploaded kind is called in its file name.
UPLOAD_LABELS = {
    "sk_signed": "SK_Walikota_DIK_ditandatangani",
    "usulan_upload": "Usulan_DIK",
    "analisa_upload": "Lembar_Analisa_isian",
}
_UNSAFE = re.compile(r"[^A-Za-z0-9-]+")
#: Longest original name kept (the column's size).
ORIGINAL_MAX = 255


def upload_name(
    kind: str,
    *,
    year: int,
    cycle_id: int,
    day: date,
    ext: str,
    office_code: str | None = None,
    label: str | None = None,
) -> str:
    """``Usulan_DIK_DINKES_2026_c3_20261204.xlsx``: ASCII letters, digits, ``_`` and ``-``,
    then one dot and the extension."""
    parts = [label or UPLOAD_LABELS.get(kind, kind)]
    if office_code:
        parts.append(office_code)
    parts += [str(year), f"c{cycle_id}", day.strftime("%Y%m%d")]
    clean = [_UNSAFE.sub("_", part).strip("_-") for part in parts]
    stem = "_".join(part for part in clean if part)
    return f"{stem}.{_UNSAFE.sub('', ext).lower() or 'bin'}"


def original_name(name: str | None) -> str | None:
    """The name as it was sent, for the record (None when there was none)."""
    if not name:
        return None
    return name[:ORIGINAL_MAX]


def shown_original(name: str | None) -> str:
    """The sent name for a reader: control and format characters (bidi overrides, zero-width
    marks, line breaks) written as ``<U+202E>`` so that nothing is hidden or reordered."""
    if not name:
        return ""
    return "".join(
        f"<U+{ord(c):04X}>" if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") else c
        for c in name
    )
