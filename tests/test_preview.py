"""Issue 11, item 3: the OPD sees everything it sends before "Kirim usulan".

Every column of every row (both konsekuensi) over pages that fit Telegram's 4,096 characters;
what UU 14/2008 Pasal 19 asks for and a row lacks is marked, and can be completed in chat, or
the draft sent as it is."""

from __future__ import annotations

from storage import proposals
from tests.forms import filled_form
from tests.harness import Harness

LONG = "Membuka data ini dapat merugikan pemiliknya karena " + "sangat rinci " * 40


def _rows() -> list[tuple[str, str, str, str, str]]:
    rows = [
        (f"Informasi nomor {n}", "Pasal 17 huruf h angka 2 UU 14/2008", f"{LONG} ({n})",
         f"Ditutup melindungi pasien {n}", f"{n} tahun")
        for n in range(1, 13)
    ]  # fmt: skip
    rows[2] = (*rows[2][:3], "", rows[2][4])  # no "apabila ditutup"
    rows[4] = (rows[4][0], rows[4][1], "", *rows[4][3:])  # no "apabila dibuka"
    return rows


async def _rows_stored(h: Harness) -> list[tuple[str, str]]:
    from sqlalchemy import select

    from storage.models import ProposalRow

    async with h.workflow.db.read() as s:
        rows = await s.execute(
            select(ProposalRow.konsekuensi_dibuka, ProposalRow.konsekuensi_ditutup)
        )
        return [tuple(r) for r in rows.all()]  # type: ignore[misc]


def _seen(messages: list) -> str:  # type: ignore[type-arg]
    return "\n".join(m.text or "" for m in messages)


async def test_preview_shows_every_column_over_pages_and_marks_what_is_missing(
    harness: Harness,
) -> None:
    h = harness
    p = await h.seed_city()
    await h.play_to_collect()
    rows = _rows()
    got = await p["dinkes"].upload("DINKES.xlsx", filled_form("Dinas Kesehatan", rows))
    first = _seen(got)
    assert "halaman 1 dari" in first
    assert "Belum lengkap: butir 3, 5" in first and "Pasal 19" in first
    start = len(p["dinkes"].inbox) - len(got)
    pages = 1
    while nxt := [b.text for r in p["dinkes"].last.buttons for b in r if b.text.endswith("➡️")]:
        await p["dinkes"].tap(nxt[0])
        pages += 1
    assert pages == 4
    seen = _seen(p["dinkes"].inbox[start:])  # each message once, as it reads now
    for informasi, _dasar, dibuka, ditutup, jangka in rows:
        assert informasi in seen
        for text in (dibuka, ditutup, jangka):
            assert " ".join(text.split()) in " ".join(seen.split()), text[:40]
    assert seen.count("⚠️ belum diisi") == 2
    for message in p["dinkes"].inbox:
        assert len(message.raw_text or "") <= 4096

    # Complete it in chat: butir 3's ditutup is typed, butir 5's dibuka is skipped.
    got = await p["dinkes"].tap("✏️ Lengkapi konsekuensi (2 butir)")
    assert "Butir 3" in got[-1].text and "apabila informasi ditutup" in got[-1].text
    before = await _rows_stored(h)
    got = await p["dinkes"].say("x" * 4001)  # too long: refused, nothing stored, asked again
    assert "terlalu panjang" in _seen(got)
    assert await _rows_stored(h) == before
    got = await p["dinkes"].say("Menutupnya melindungi rahasia pasien")
    assert "Butir 5" in got[-1].text and "apabila informasi dibuka" in got[-1].text
    got = await p["dinkes"].tap("⏭ Lewati")
    assert "Belum lengkap: butir 5" in _seen(got)
    got = await p["dinkes"].tap("✅ Kirim usulan")
    assert "terkirim" in got[-1].text
    async with h.workflow.db.read() as s:
        (sent,) = await proposals.submitted(s, 1)
    assert sent.rows[2].konsekuensi_ditutup == "Menutupnya melindungi rahasia pasien"
    assert sent.rows[4].konsekuensi_dibuka == ""  # sent as it is


async def test_a_sent_draft_cannot_be_completed(harness: Harness) -> None:
    h = harness
    p = await h.seed_city()
    await h.play_to_collect()
    await p["dinkes"].upload("DINKES.xlsx", filled_form("Dinas Kesehatan", _rows()[:5]))
    message = p["dinkes"].last
    fill = next(b.callback_data for row in message.buttons for b in row if "Lengkapi" in b.text)
    await p["dinkes"].tap("✅ Kirim usulan")
    before = await h.snapshot()
    got = await p["dinkes"].tap_data(message.message_id, fill)
    assert "terkirim" in _seen(got) or "sudah" in _seen(got).lower()
    assert await h.snapshot() == before


async def test_typed_rows_keep_the_other_law_and_ask_what_is_ambiguous(harness: Harness) -> None:
    h = harness
    p = await h.seed_city()
    await h.play_to_collect()
    bk = p["bkpsdm"]
    await bk.tap("⌨️ Ketik usulan")
    await bk.say("Data rekening gaji pegawai")
    got = await bk.say("Pasal 17 huruf h 2 Permenkes 24/2022")  # "2": angka, or a list number?
    assert 'apakah "h 2" berarti huruf h angka 2' in got[-1].text
    assert any("h. " in b.text for row in got[-1].buttons for b in row)  # asked, not guessed
    await bk.say("Peraturan BKN Nomor 5 Tahun 2019 tentang kerahasiaan data Pasal 4")
    await bk.tap("h. Mengungkap rahasia pribadi")
    got = await bk.tap_data(bk.last.message_id, "n:3")
    assert "Peraturan BKN Nomor 5 Tahun 2019 tentang kerahasiaan data Pasal 4" in _seen(got)
    await bk.say("Rekening dapat disalahgunakan")
    await bk.say("Melindungi keuangan pribadi")
    await bk.say("Tidak terbatas")
    got = await bk.tap("✅ Selesai")
    preview = got[-1].text
    assert (
        "Dasar hukum: Pasal 17 huruf h angka 3 Undang-Undang Nomor 14 Tahun 2008; Peraturan BKN "
        "Nomor 5 Tahun 2019 tentang kerahasiaan data Pasal 4"
    ) in preview
    assert "Konsekuensi apabila ditutup: Melindungi keuangan pribadi" in preview
