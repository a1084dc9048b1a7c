"""The signed SK uploaded in chat: its electronic signature verified, recorded and reported.

Through the real Application: the petugas uploads (step 9) a PDF signed under a CA made for the
test (its root in SIGNATURE_TRUST_ROOTS), the same file changed after signing, one signed under
another root, and a plain scan. Each is accepted (step 10 opens); the petugas reads one line on
the signature; the result is stored with the file's SHA-256, and `/status` and the archive index
show it.
"""

from __future__ import annotations

import asyncio
import hashlib
import threading
import zipfile
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from io import BytesIO
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

import bot.workflow.signed as signed_module
from bot import tanggal
from bot.config import Settings
from bot.register_files import INDEX_NAME, INDEX_SHEET
from bot.signatures import SignatureCheck, TrustRoots
from storage.models import Document
from storage.models import SignatureCheck as CheckRow
from tests.harness import Harness
from tests.pades import SIGNER_NAME, Pki, change_after_signing, make_pki, scan_pdf, sign_pdf
from tests.test_dik_command import seed_signed_cycle

CAPTION = "Nomor: 188.45/321/HK/2026"
TSA_TIME = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=2)


@pytest.fixture(scope="module")
def pki() -> Pki:
    return make_pki()


@pytest.fixture
def settings(settings: Settings, pki: Pki, tmp_path: Path) -> Settings:
    """The suite's settings with the test CA's root as the office's trust root (a folder)."""
    folder = tmp_path / "akar-tepercaya"
    pki.write_root(folder)
    return settings.model_copy(update={"signature_trust_roots": str(folder)})


def valid(pki: Pki) -> bytes:
    return sign_pdf(scan_pdf(), pki)


def valid_with_tsa(pki: Pki) -> bytes:
    return sign_pdf(scan_pdf(), pki, tsa_time=TSA_TIME)


def changed(pki: Pki) -> bytes:
    return change_after_signing(sign_pdf(scan_pdf(), pki))


def other_root(pki: Pki) -> bytes:
    return sign_pdf(scan_pdf(), make_pki("Root CA Tidak Dikenal"))


def plain_scan(pki: Pki) -> bytes:
    return scan_pdf()


CASES: list[tuple[Callable[[Pki], bytes], str, str]] = [
    (valid, "valid", f"Tanda tangan elektronik sah: {SIGNER_NAME}, "),
    (valid_with_tsa, "valid", f"Tanda tangan elektronik sah: {SIGNER_NAME}, "),
    (changed, "modified", "berkas diubah setelah ditandatangani"),
    (other_root, "untrusted", "tidak berantai ke akar tepercaya yang diatur kantor"),
    (plain_scan, "none", "Tanpa tanda tangan elektronik: dicatat sebagai pindaian."),
]


@pytest.mark.parametrize(("make", "status", "line"), CASES, ids=[c[0].__name__ for c in CASES])
async def test_signed_sk_is_verified_recorded_and_shown(
    harness: Harness,
    pki: Pki,
    make: Callable[[Pki], bytes],
    status: str,
    line: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    h = harness
    p = await h.seed_city()
    cycle = await seed_signed_cycle(h)
    pdf = await asyncio.to_thread(make, pki)  # pyHanko signs with asyncio.run of its own

    # The check runs in a worker thread, never on the event loop.
    threads: list[bool] = []
    real = signed_module.verify_pdf

    def watched(data: bytes, roots: TrustRoots) -> SignatureCheck:
        try:
            asyncio.get_running_loop()
            threads.append(False)
        except RuntimeError:
            threads.append(threading.current_thread() is not threading.main_thread())
        return real(data, roots)

    monkeypatch.setattr(signed_module, "verify_pdf", watched)
    got = await p["petugas"].upload("SK DIK 2026.pdf", pdf, "application/pdf", CAPTION)
    assert threads == [True]
    reply = got[0].text
    assert (
        "SK Walikota yang ditandatangani diterima" in reply
    )  # never refused, whatever the signature
    assert line in reply, reply
    assert any("DIK publik sudah ditulis" in m.text for m in p["petugas"].inbox)

    sha = hashlib.sha256(pdf).hexdigest()
    async with h.workflow.db.read() as s:
        doc = (await s.scalars(select(Document).where(Document.kind == "sk_signed"))).one()
        row = (await s.scalars(select(CheckRow))).one()
    assert doc.sha256 == sha and row.document_id == doc.id
    assert row.sha256 == sha and row.status == status
    if status == "none":
        assert row.signer is None and row.signatures == 0
    else:
        assert row.signer == SIGNER_NAME and row.signatures == 1 and row.signed_at is not None
    if status == "valid":
        assert row.signed_at is not None
        waktu = tanggal.format_waktu(row.signed_at, "WITA", h.workflow.settings.tz)
        source = "cap waktu TSA" if make is valid_with_tsa else "menurut jam penanda tangan"
        assert f"{SIGNER_NAME}, {waktu} ({source})." in reply
        if make is valid_with_tsa:
            assert row.signed_at == TSA_TIME and row.time_source == "timestamp"

    # /status shows it while step 10 is open.
    got = await p["petugas"].say("/status")
    (shown,) = [t for t in got[-1].text.splitlines() if t.startswith("🔏") and "(versi 1): " in t]
    assert line in shown, got[-1].text

    # The archive index carries the same line for the uploaded file, nothing for the others.
    got = await p["petugas"].say("/arsip")
    archive = got[-1].document
    assert archive is not None
    with zipfile.ZipFile(BytesIO(archive.data)) as zf:
        ws = load_workbook(BytesIO(zf.read(INDEX_NAME)), read_only=True)[INDEX_SHEET]
        rows = [r for r in ws.iter_rows(values_only=True) if r and isinstance(r[0], int)]
        header = next(r for r in ws.iter_rows(values_only=True) if r and r[0] == "No")
    column = header.index("Tanda tangan elektronik")
    by_kind = {r[2]: r[column] for r in rows}
    assert line in by_kind["sk_signed"]
    assert all(not v for k, v in by_kind.items() if k != "sk_signed")
    assert cycle.id


async def test_a_pdf_the_checker_cannot_read_is_still_accepted_as_a_scan(
    harness: Harness,
) -> None:
    h = harness
    p = await h.seed_city()
    await seed_signed_cycle(h)
    got = await p["petugas"].upload(
        "SK.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", "application/pdf", CAPTION
    )
    assert "SK Walikota yang ditandatangani diterima" in got[0].text
    assert "tidak dapat diperiksa" in got[0].text and "dicatat sebagai pindaian" in got[0].text
    async with h.workflow.db.read() as s:
        row = (await s.scalars(select(CheckRow))).one()
    assert row.status == "unreadable" and row.detail
