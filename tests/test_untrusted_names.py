"""Untrusted names and URLs: an uploaded file is named by the bot (kind, OPD, cycle, day), never
after the name it was sent with; that name is kept for the archive index only. The publication
URL must be a clean https URL; anything that could break out of a page or a message is refused
with a clear message and nothing stored."""

from __future__ import annotations

import zipfile
from io import BytesIO

import pytest
from sqlalchemy import select

from bot import publication_url
from bot import register_files as R
from bot.upload_names import shown_original, upload_name
from storage import cycles
from storage.models import Document
from tests.harness import Harness
from tests.scenario import PDF, CycleScenario
from tests.test_registers import table

SPOOFED = "../../SK\u202efdp.exe"  # shows as "../../SKexe.pdf" in a right-to-left aware UI
FORM_SENT = "..\\..\\Usulan <DINKES>\u200b.xlsx"
URL = "https://ppid.kupangkota.go.id/dik/dik-2026.html"


class Story(CycleScenario):
    """The usual cycle, with hostile file names at the uploads."""

    async def step_3(self) -> None:
        from tests.forms import DINKES_ROWS, filled_form

        self._step = 3
        await self.upload("dinkes", FORM_SENT, filled_form("Dinas Kesehatan", DINKES_ROWS))
        await self.tap("dinkes", "✅ Kirim usulan")
        for key in ("bkpsdm", "disduk", "bappeda"):
            await self.tap(key, "🚫 Nihil")
            await self.tap(key, "✅ Kirim usulan")

    async def step_9(self) -> None:
        self._step = 9
        await self.tap("walikota", "✅ Setujui")
        await self.upload("petugas", SPOOFED, PDF, "application/pdf")


async def stored(h: Harness, kind: str) -> Document:
    async with h.workflow.db.read() as s:
        doc = await s.scalar(select(Document).where(Document.kind == kind))
    assert doc is not None
    return doc


async def test_uploads_are_named_by_the_bot_and_the_sent_name_kept_for_the_index(
    harness: Harness,
) -> None:
    h = harness
    sc = Story(h)
    await sc.setup()
    for step in (sc.step_1, sc.step_2, sc.step_3, sc.step_4, sc.steps_5_6, sc.step_7):
        await step()
    await sc.step_8()
    await sc.step_9()
    async with h.workflow.db.read() as s:
        cycle = (await cycles.all_cycles(s))[0]
    day = h.workflow.core.today().strftime("%Y%m%d")

    form = await stored(h, "usulan_upload")
    assert form.filename == f"Usulan_DIK_DINKES_2026_c{cycle.id}_{day}.xlsx"
    assert form.original_filename == FORM_SENT
    sk = await stored(h, "sk_signed")
    assert sk.filename == f"SK_Walikota_DIK_ditandatangani_2026_c{cycle.id}_{day}.pdf"
    assert sk.original_filename == SPOOFED

    await sc.step_10()
    for key in ("dinkes", "bkpsdm", "disduk", "bappeda", "dprd"):
        got = sc.p[key].last.document
        assert got is not None and got.data == PDF
        assert got.filename == sk.filename  # what every recipient receives

    archive = (await sc.p["petugas"].say("/arsip"))[-1].document
    assert archive is not None
    with zipfile.ZipFile(BytesIO(archive.data)) as zf:
        names = zf.namelist()
        index = table(zf.read(R.INDEX_NAME), R.INDEX_SHEET)
    assert not any(".." in n or "\\" in n or "\u202e" in n for n in names), names
    sent = {r["Jenis"]: r["Nama berkas saat diunggah"] for r in index if r["Diunggah"] == "ya"}
    assert sent["sk_signed"] == "../../SK<U+202E>fdp.exe"
    assert sent["usulan_upload"] == "..\\..\\Usulan <DINKES><U+200B>.xlsx"
    files = {r["Jenis"]: r["File"] for r in index}
    assert files["sk_signed"].endswith(f"_{sk.filename}")


BAD_URLS = [
    ('https://ppid.kupangkota.go.id/dik"><script>alert(1)</script>', "url_bad_characters"),
    ("https://ppid.kupangkota.go.id/dik 2026", "url_bad_characters"),
    ("https://ppid.kupangkota.go.id/dik'onmouseover='x", "url_bad_characters"),
    ("https://ppid.kupangkota.go.id/\u202edik", "url_bad_characters"),
    ("http://ppid.kupangkota.go.id/dik-2026", "url_not_https"),
    ("javascript:alert(1)", "url_not_https"),
    ("ftp://ppid.kupangkota.go.id/dik", "url_not_https"),
    ("https://", "bad_url"),
    ("https://admin:rahasia@ppid.kupangkota.go.id/dik", "bad_url"),
    ("https://ppid.kupangkota.go.id:99999/dik", "bad_url"),
    ("https://localhost/dik", "bad_url"),
    ("https://ppid..kupangkota.go.id/dik", "bad_url"),
    ("https://" + "a" * 600 + ".go.id/", "bad_url"),
]
GOOD_URLS = [
    URL,
    "https://ppid.kupangkota.go.id/dik-2026",
    "https://jdih.kupangkota.go.id/produk-hukum/sk%20walikota?id=188&t=dik#lampiran",
    "https://ppid.kupangkota.go.id:8443/dik/",
    "https://ppid-kupang.go.id/dik",
]


@pytest.mark.parametrize(("url", "code"), BAD_URLS)
def test_a_bad_publication_url_is_named_for_what_is_wrong(url: str, code: str) -> None:
    assert publication_url.refusal(url) == code


@pytest.mark.parametrize("url", GOOD_URLS)
def test_a_clean_https_url_is_accepted(url: str) -> None:
    assert publication_url.refusal(url) is None


async def test_refused_urls_store_nothing_then_a_good_one_is_published(harness: Harness) -> None:
    h = harness
    sc = CycleScenario(h)
    await sc.setup()
    for step in (
        sc.step_1,
        sc.step_2,
        sc.step_3,
        sc.step_4,
        sc.steps_5_6,
        sc.step_7,
        sc.step_8,
        sc.step_9,
    ):
        await step()
    petugas = sc.p["petugas"]
    await petugas.tap("🌐 Kirim alamat publikasi")
    before = await h.snapshot()
    expected = {
        "url_bad_characters": "tanda kutip, spasi",
        "url_not_https": "harus diawali https://",
        "bad_url": "Alamat tidak valid",
    }
    for url, code in BAD_URLS[:1] + BAD_URLS[4:5] + BAD_URLS[8:9]:
        got = await petugas.say(url)
        assert expected[code] in got[-1].text, got[-1].text
        assert "Tidak ada yang disimpan" in got[-1].text
        assert "https://ppid.kupangkota.go.id/dik/dik-2026.html" in got[-1].text  # the example
        assert "<script>" not in got[-1].text
    after = await h.snapshot()
    # the replies of a conversation go through the outbox (handlers/durable.py): three more
    assert after.pop("outbox") == before.pop("outbox") + 3
    assert after == before
    got = await petugas.say(URL)  # still waiting for the URL: no need to tap again
    assert "Siklus selesai" in got[-1].text
    async with h.workflow.db.read() as s:
        assert (await cycles.all_cycles(s))[0].published_url == URL


def test_names_are_made_of_safe_characters_only() -> None:
    from datetime import date

    name = upload_name(
        "usulan_upload",
        year=2026,
        cycle_id=3,
        day=date(2026, 12, 4),
        ext="XLSX",
        office_code="../DIN KES\u202e",
    )
    assert name == "Usulan_DIK_DIN_KES_2026_c3_20261204.xlsx"
    assert shown_original("a\u202eb\nc") == "a<U+202E>b<U+000A>c"
    assert shown_original(None) == ""
