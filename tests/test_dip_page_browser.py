"""The public DIP page in headless Chromium on an emulated phone: filter by OPD, by jenis and
by keyword, cards that fit the screen, escaped text never runs, the DIK link, a shared link
that opens filtered (--dump-dom). Screenshots go to `test-artifacts/publik/`."""

from __future__ import annotations

import base64
import subprocess
from pathlib import Path

from bot.publish.dip_files import write_public_dip
from tests.publik import XSS
from tests.scenario import PDF
from tests.test_dip_publish import ITEMS, html_rows, sample_dip
from tests.test_public_page_browser import ARTIFACTS, FLAGS, PHONE, browser, chromium

VISIBLE = """[...document.querySelectorAll('tr.butir')]
    .filter(r => !r.hidden && r.getClientRects().length > 0)
    .map(r => r.querySelector('.f-ringkasan .v').textContent)"""


def _select(id_: str, value: str) -> str:
    return f"""(() => {{ const s = document.getElementById('{id_}');
        s.value = '{value}'; s.dispatchEvent(new Event('change', {{bubbles: true}})); }})()"""


def published(tmp_path: Path) -> Path:
    folder = tmp_path / "publik"
    write_public_dip(folder, sample_dip(keputusan_published=True), PDF)
    return folder / "dip-2026.html"


async def test_phone_reader_filters_by_opd_jenis_and_keyword(tmp_path: Path) -> None:
    page = published(tmp_path)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    async with browser(tmp_path / "profile") as cdp:
        await cdp.call("Emulation.setDeviceMetricsOverride", **PHONE)
        await cdp.navigate(page.as_uri())
        assert len(await cdp.js(VISIBLE)) == 5
        assert await cdp.js("typeof window.__xss") == "undefined"
        assert (
            await cdp.js("getComputedStyle(document.querySelector('tr.butir')).display") == "block"
        )
        assert await cdp.js("document.documentElement.scrollWidth <= window.innerWidth")

        await cdp.js(_select("jenis", "berkala"))
        assert await cdp.js(VISIBLE) == ["Laporan Keuangan Tahunan", "RKPD Tahun 2027"]
        await cdp.js(_select("opd", "BAPPEDA"))
        assert await cdp.js(VISIBLE) == ["RKPD Tahun 2027"]
        assert await cdp.js("location.hash") == "#opd=BAPPEDA&jenis=berkala"
        assert await cdp.js("document.getElementById('jumlah').textContent") == (
            "Menampilkan 1 dari 5 informasi"
        )
        shot = await cdp.call("Page.captureScreenshot", format="png", captureBeyondViewport=True)
        png = ARTIFACTS / "dip-publik-ponsel-bappeda-berkala.png"
        png.write_bytes(base64.b64decode(shot["data"]))
        assert png.stat().st_size > 10_000

        await cdp.js(_select("jenis", ""))
        await cdp.js("document.getElementById('q').focus()")
        await cdp.call("Input.insertText", text="renstra")
        assert await cdp.js(VISIBLE) == [ITEMS[2].row.ringkasan]  # the text as typed, escaped
        assert XSS in ITEMS[2].row.ringkasan
        await cdp.js("document.getElementById('q').select()")
        await cdp.call("Input.insertText", text="tidak ada")
        assert await cdp.js(VISIBLE) == []
        kosong = await cdp.js("document.getElementById('kosong').innerText")
        assert "Daftar Informasi yang Dikecualikan" in kosong
        assert (
            await cdp.js("document.getElementById('ke-dik').href")
            == (page.parent / "dik-2026.html").as_uri()
        )
        assert (
            await cdp.js("document.getElementById('keputusan-pdf').href")
            == (page.parent / "keputusan-dip-2026.pdf").as_uri()
        )

        await cdp.call("Emulation.setScriptExecutionDisabled", value=True)
        await cdp.navigate(page.as_uri())
        assert len(await cdp.js(VISIBLE)) == 5
        assert await cdp.js("document.getElementById('cari').getClientRects().length") == 0


def test_a_shared_link_opens_filtered(tmp_path: Path) -> None:
    page = published(tmp_path)
    url = page.as_uri() + "#jenis=setiap_saat&q=bantuan"
    dom = subprocess.run(
        [
            chromium(),
            *FLAGS,
            f"--user-data-dir={tmp_path / 'profile'}",
            "--virtual-time-budget=3000",
            "--dump-dom",
            url,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    rows = html_rows(dom)
    hidden = [" hidden" in part.split(">", 1)[0] for part in dom.split('<tr class="butir"')[1:]]
    visible = [r[2] for r, h in zip(rows, hidden, strict=True) if not h]
    assert visible == ["Daftar penerima bantuan sosial (rekap)"]
    assert "Menampilkan 1 dari 5 informasi" in dom
