"""The public DIK page in a real browser: headless Chromium (Debian's `chromium`).

One test drives the page over the Chrome DevTools Protocol (a websocket, with aiohttp) on an
emulated phone: picks an OPD, types a keyword, checks the rows a reader sees, and saves a
screenshot into `test-artifacts/publik/`. Another opens a deep link (`#opd=...`) with
`--dump-dom` and `--screenshot`, as a reader following a link would.

CI installs Chromium (`.ci/run`); without it these tests fail (they are never skipped).
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import os
import subprocess
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from bot.publish import write_public_dik
from tests.publik import html_rows, sample_dik
from tests.scenario import PDF

CHROMIUM = Path(os.environ.get("DIK_CHROMIUM", "/usr/bin/chromium"))
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
)
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts" / "publik"
TIMEOUT = 30
PHONE = {"width": 390, "height": 844, "deviceScaleFactor": 2, "mobile": True}
DINKES = [
    "Data rekam medis pasien Puskesmas",
    'Catatan <script>window.__xss = 1</script><img src=x onerror="window.__xss = 2"> '
    "\"kutip\" 'tunggal'",
]


def chromium() -> str:
    if not CHROMIUM.exists():
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: install Debian's package "
            "(apt-get install -y chromium; .ci/run does this in CI) or set DIK_CHROMIUM."
        )
    return str(CHROMIUM)


PERMOHONAN = "https://ppid.kupangkota.go.id/permohonan-informasi"


def published(tmp_path: Path) -> Path:
    folder = tmp_path / "publik"
    dik = sample_dik(sk_published=True, permohonan_url=PERMOHONAN)
    write_public_dik(folder, dik, sk_pdf=PDF)
    return folder / "dik-2026.html"


class Cdp:
    """A minimal DevTools Protocol client over one page's websocket."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        self.ws = ws
        self.last_id = 0
        self.events: list[dict[str, Any]] = []

    async def _receive(self) -> dict[str, Any]:
        msg = await asyncio.wait_for(self.ws.receive(), TIMEOUT)
        if msg.type is not aiohttp.WSMsgType.TEXT:
            raise AssertionError(f"DevTools connection ended: {msg.type!r}")
        data: dict[str, Any] = json.loads(msg.data)
        return data

    async def call(self, method: str, **params: Any) -> dict[str, Any]:
        self.last_id += 1
        await self.ws.send_json({"id": self.last_id, "method": method, "params": params})
        while True:
            msg = await self._receive()
            if msg.get("id") == self.last_id:
                if "error" in msg:
                    raise AssertionError(f"{method}: {msg['error']}")
                result: dict[str, Any] = msg.get("result", {})
                return result
            self.events.append(msg)

    async def wait_event(self, method: str) -> dict[str, Any]:
        while True:
            for i, event in enumerate(self.events):
                if event.get("method") == method:
                    return self.events.pop(i)
            self.events.append(await self._receive())

    async def navigate(self, url: str) -> None:
        self.events.clear()
        await self.call("Page.navigate", url=url)
        await self.wait_event("Page.loadEventFired")

    async def js(self, expression: str) -> Any:
        result = await self.call(
            "Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True
        )
        if "exceptionDetails" in result:
            raise AssertionError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")


@contextlib.asynccontextmanager
async def browser(profile: Path) -> AsyncIterator[Cdp]:
    """Headless Chromium with DevTools on a free port; yields its first page."""
    _fresh_dir(profile)
    proc = await asyncio.create_subprocess_exec(
        chromium(),
        *FLAGS,
        f"--user-data-dir={profile}",
        "--remote-debugging-address=127.0.0.1",
        "--remote-debugging-port=0",
        "about:blank",
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    try:
        for _ in range(TIMEOUT * 10):
            port = _devtools_port(profile)
            if port is not None:
                break
            if proc.returncode is not None:
                raise AssertionError(f"Chromium exited with {proc.returncode}")
            await asyncio.sleep(0.1)
        else:
            raise AssertionError("Chromium did not open its DevTools port")
        async with aiohttp.ClientSession() as http:
            async with http.get(f"http://127.0.0.1:{port}/json/list") as resp:
                targets = await resp.json()
            page = next(t for t in targets if t["type"] == "page")
            async with http.ws_connect(page["webSocketDebuggerUrl"], max_msg_size=0) as ws:
                cdp = Cdp(ws)
                await cdp.call("Page.enable")
                yield cdp
    finally:
        if proc.returncode is None:
            proc.terminate()
            try:
                await asyncio.wait_for(proc.wait(), 10)
            except TimeoutError:
                proc.kill()
                await proc.wait()


def _fresh_dir(path: Path) -> None:
    path.mkdir(parents=True)


def _devtools_port(profile: Path) -> int | None:
    """Chromium writes the port it chose into the profile once DevTools listens."""
    port_file = profile / "DevToolsActivePort"
    text = port_file.read_text() if port_file.exists() else ""
    return int(text.split()[0]) if text.strip() else None


VISIBLE_ROWS = """[...document.querySelectorAll('tr.butir')]
    .filter(r => !r.hidden && r.getClientRects().length > 0)
    .map(r => r.querySelector('.f-informasi .v').textContent)"""


async def test_phone_reader_searches_by_opd_and_keyword(tmp_path: Path) -> None:
    page = published(tmp_path)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    async with browser(tmp_path / "profile") as cdp:
        await cdp.call("Emulation.setDeviceMetricsOverride", **PHONE)
        await cdp.navigate(page.as_uri())

        assert len(await cdp.js(VISIBLE_ROWS)) == 5
        assert await cdp.js("document.getElementById('cari').hidden") is False
        assert await cdp.js("typeof window.__xss") == "undefined"  # escaped text never ran
        # Readable on a phone: rows are cards, nothing is wider than the screen.
        assert await cdp.js("getComputedStyle(document.querySelector('tr.butir')).display") == (
            "block"
        )
        assert await cdp.js("document.documentElement.scrollWidth <= window.innerWidth")
        assert await cdp.js("getComputedStyle(document.getElementById('q')).fontSize") == "16px"

        # The reader picks an OPD from the select.
        await cdp.js(
            """(() => { const s = document.getElementById('opd');
                 s.value = 'DINKES'; s.dispatchEvent(new Event('change', {bubbles: true})); })()"""
        )
        assert await cdp.js(VISIBLE_ROWS) == DINKES
        assert await cdp.js("document.getElementById('jumlah').textContent") == (
            "Menampilkan 2 dari 5 informasi"
        )
        assert await cdp.js("location.hash") == "#opd=DINKES"  # the filter can be shared
        shot = await cdp.call("Page.captureScreenshot", format="png", captureBeyondViewport=True)
        png = ARTIFACTS / "dik-publik-ponsel-opd-dinkes.png"
        png.write_bytes(base64.b64decode(shot["data"]))
        assert png.read_bytes().startswith(b"\x89PNG") and png.stat().st_size > 10_000

        # Then types a keyword into the search box.
        await cdp.js("document.getElementById('q').focus()")
        await cdp.call("Input.insertText", text="rekam")
        assert await cdp.js(VISIBLE_ROWS) == [DINKES[0]]
        await cdp.js(
            """(() => { const s = document.getElementById('opd');
                 s.value = ''; s.dispatchEvent(new Event('change', {bubbles: true})); })()"""
        )
        await cdp.js("document.getElementById('q').select()")
        await cdp.call("Input.insertText", text="tidak ada yang cocok")
        assert await cdp.js(VISIBLE_ROWS) == []
        assert await cdp.js("document.getElementById('kosong').hidden") is False
        # ... and reads that what is not listed is probably open, with where to request it.
        kosong = await cdp.js("document.getElementById('kosong').innerText")
        assert "kemungkinan besar merupakan informasi terbuka" in kosong
        assert await cdp.js("document.getElementById('permohonan').href") == PERMOHONAN
        assert await cdp.js("document.getElementById('permohonan').getClientRects().length > 0")
        shot = await cdp.call("Page.captureScreenshot", format="png")
        (ARTIFACTS / "dik-publik-ponsel-tidak-ditemukan.png").write_bytes(
            base64.b64decode(shot["data"])
        )

        # The glosses explain the grounds but are not searched: "rahasia pribadi" is the label
        # of huruf h, which four rows carry, yet no row's own text says it.
        await cdp.js("document.getElementById('q').select()")
        await cdp.call("Input.insertText", text="rahasia pribadi")
        assert await cdp.js(VISIBLE_ROWS) == []
        await cdp.js("document.getElementById('q').select()")
        await cdp.call("Input.insertText", text="akta otentik")  # only in the gloss of huruf g
        assert await cdp.js(VISIBLE_ROWS) == []
        await cdp.js(
            """(() => { const q = document.getElementById('q');
                 q.value = ''; q.dispatchEvent(new Event('input', {bubbles: true})); })()"""
        )
        assert len(await cdp.js(VISIBLE_ROWS)) == 5
        gloss = await cdp.js(
            "document.querySelector('#butir-4 .f-dasar_hukum small.arti a').textContent"
        )
        assert gloss == "Huruf g: Akta otentik pribadi dan wasiat"
        await cdp.js("document.querySelector('#butir-4 .f-dasar_hukum small.arti a').click()")
        assert await cdp.js("location.hash") == "#pasal17-g"
        assert await cdp.js(
            "document.getElementById('pasal17-g').getBoundingClientRect().top < innerHeight"
        )
        shot = await cdp.call("Page.captureScreenshot", format="png")
        (ARTIFACTS / "dik-publik-ponsel-arti-pasal17.png").write_bytes(
            base64.b64decode(shot["data"])
        )
        # The signed SK is a link to the PDF beside the page.
        href = await cdp.js("document.getElementById('sk-pdf').href")
        assert href == (page.parent / "sk-dik-2026.pdf").as_uri()
        assert (page.parent / "sk-dik-2026.pdf").read_bytes() == PDF

        # Without JavaScript every row is shown and the dead search box is not.
        await cdp.call("Emulation.setScriptExecutionDisabled", value=True)
        await cdp.navigate(page.as_uri())
        assert len(await cdp.js(VISIBLE_ROWS)) == 5
        assert await cdp.js("document.getElementById('cari').getClientRects().length") == 0


def test_a_shared_link_opens_filtered(tmp_path: Path) -> None:
    page = published(tmp_path)
    url = page.as_uri() + "#opd=disduk&q=nik"
    base = [chromium(), *FLAGS, f"--user-data-dir={tmp_path / 'profile'}"]
    dom = subprocess.run(
        [*base, "--virtual-time-budget=3000", "--dump-dom", url],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    visible = [row for row, hidden in _rows_with_hidden(dom) if not hidden]
    assert [r[2] for r in visible] == ["Data kependudukan (NIK, KK)"]
    assert 'value="disduk"' not in dom  # the code in the link is matched case-insensitively
    assert "Menampilkan 1 dari 5 informasi" in dom
    assert [r[2] for r in html_rows(dom)] == [r[2] for r in html_rows(page.read_text())]

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    png = ARTIFACTS / "dik-publik-desktop-tautan-disduk.png"
    png.unlink(missing_ok=True)
    subprocess.run(
        [
            *base,
            "--window-size=1280,900",
            "--virtual-time-budget=3000",
            f"--screenshot={png}",
            url,
        ],
        capture_output=True,
        timeout=120,
        check=True,
    )
    assert png.read_bytes().startswith(b"\x89PNG")


def _rows_with_hidden(dom: str) -> list[tuple[tuple[str, ...], bool]]:
    """Each row of the dumped DOM, and whether the page's script hid it."""
    rows = html_rows(dom)
    flags = [
        " hidden" in tag
        for tag in (part.split(">", 1)[0] for part in dom.split('<tr class="butir"')[1:])
    ]
    assert len(rows) == len(flags)
    return list(zip(rows, flags, strict=True))
