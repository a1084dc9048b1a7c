"""Steps 9–10 and the DIK across cycles, through the real Application.

A cycle is seeded up to the Walikota's signature (steps 1–8 are played elsewhere); the petugas
uploads the signed SK with its number as the caption, the public files appear, the URL is
confirmed; then `/dik` answers from that list, and the daily check flags an item whose period
ends within 90 days exactly once.
"""

from __future__ import annotations

import json
from datetime import date, timedelta

from bot.pasal17 import Basis
from bot.sop import StepKind
from bot.sop.kinds import PHASES
from bot.workflow.collect import encode_bases
from storage import cycles, people, proposals
from storage.dto import CycleDTO
from tests.conftest import START
from tests.harness import Harness
from tests.publik import json_rows, read_all

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
URL = "https://ppid.kupangkota.go.id/dik/dik-2026.html"
# office code → rows (informasi, jangka waktu, decision, blacked out)
ROWS = {
    "DINKES": [
        ("Data rekam medis pasien Puskesmas", "Tidak terbatas", "dikecualikan", None),
        (
            "Hasil pemeriksaan kesehatan calon pegawai",
            "6 bulan sejak SK ditetapkan",
            "sebagian",
            "Nama pasien",
        ),
        ("Dokumen pengadaan obat", "Sampai penetapan pemenang", "terbuka", None),
    ],
    "BKPSDM": [
        ("Berkas penilaian kinerja pegawai", "5 tahun", "dikecualikan", None),
        ("Data rekening gaji pegawai", "<b>Tidak</b> terbatas", "dikecualikan", None),
    ],
}


async def seed_signed_cycle(
    h: Harness,
    rows: dict = ROWS,
    title: str = "DIK 2026",
    analyses: dict[str, proposals.Analysis] | None = None,
) -> CycleDTO:
    """A cycle whose items are decided and whose SK the Walikota has just signed (step 9).

    `analyses`: the Tim's own reading of some items (by informasi), as the guided test records
    it; the others are decided on the proposal as it stands."""
    wf = h.workflow
    sign = next(s for s in wf.core.sop.steps if s.kind is StepKind.SIGN)
    now = h.clock.now()
    async with wf.db.transaction() as s:
        petugas = await people.person_by_telegram(s, 1001, wf.core.today())
        ketua = await people.person_by_telegram(s, 3001, wf.core.today())
        walikota = await people.person_by_telegram(s, 4001, wf.core.today())
        assert petugas and ketua and walikota
        cycle = await cycles.add_cycle(
            s, sop_key=wf.core.sop.key, year=2026, title=title, now=now, started_by_id=petugas.id
        )
        for code, office_rows in rows.items():
            office = await people.office_by_code(s, code)
            assert office is not None
            pid = await proposals.new_draft(
                s,
                cycle_id=cycle.id,
                office_id=office.id,
                source="typed",
                now=now,
                created_by_id=petugas.id,
                rows=[
                    proposals.NewRow(
                        informasi=informasi,
                        dasar_hukum="Pasal 17 huruf h UU 14/2008",
                        bases=encode_bases([Basis("h", 2)]),
                        other_law=None,
                        konsekuensi_dibuka="Mengungkap rahasia pribadi",
                        konsekuensi_ditutup="Melindungi hak pribadi",
                        jangka_waktu=jangka,
                    )
                    for informasi, jangka, _d, _b in office_rows
                ],
            )
            await proposals.submit(s, pid, cycle.id, office.id, now)
        decided = {info: (d, b) for r in rows.values() for info, _j, d, b in r}
        for proposal in await proposals.submitted(s, cycle.id):
            for row in proposal.rows:
                decision, blacked = decided[row.informasi]
                await proposals.record_decision(
                    s,
                    cycle_id=cycle.id,
                    row_id=row.id,
                    decision=decision,
                    blacked_out=blacked,
                    official_id=ketua.id,
                    now=now,
                    analysis=(analyses or {}).get(row.informasi),
                )
        review = await cycles.add_run(
            s,
            cycle_id=cycle.id,
            step_key=sign.key,
            step_no=sign.id,
            phase="review",
            holder_role=sign.actor,
            attempt=1,
            now=now,
            due_at=now + timedelta(days=1),
        )
        assert await cycles.close_run(s, review, outcome="approve", actor_id=walikota.id, now=now)
        await cycles.set_cycle_step(s, cycle.id, sign.key, sign.id)
        await wf.core.begin_phase(s, cycle, sign, PHASES["upload"], 1, actor=None)
    await h.app.bot_data.sender.flush()
    return cycle


async def publish(h: Harness, caption: str | None = "Nomor: 188.45/321/HK/2026") -> None:
    p = h.people
    await p["petugas"].upload("SK DIK 2026.pdf", PDF, "application/pdf", caption)
    await p["petugas"].tap("🌐 Kirim alamat publikasi")
    got = await p["petugas"].say(URL)
    assert "Siklus selesai" in got[-1].text, got[-1].text


async def test_signed_sk_writes_the_public_dik_and_asks_for_its_url(harness: Harness) -> None:
    h = harness
    p = await h.seed_city()
    got = await p["dprd"].say("/dik")
    assert "Belum ada Daftar Informasi yang Dikecualikan" in got[-1].text
    cycle = await seed_signed_cycle(h)
    assert "nomor SK sebagai keterangan (caption)" in p["petugas"].last.text

    got = await p["petugas"].upload(
        "SK DIK 2026.pdf", PDF, "application/pdf", "Nomor: 188.45/321/HK/2026"
    )
    assert "SK Walikota yang ditandatangani diterima" in got[0].text
    ready = next(m for m in p["petugas"].inbox if "DIK publik sudah ditulis" in m.text)
    assert "4 informasi dikecualikan dari 2 OPD" in ready.text
    assert URL in ready.text and "<code>" in (ready.raw_text or "")
    assert "Nomor 188.45/321/HK/2026 tanggal 30 November 2026" in ready.text
    assert "🌐 Kirim alamat publikasi" in p["petugas"].last.button_texts
    files = {m.document.filename for m in p["petugas"].inbox if m.document}
    assert {"dik-2026.html", "dik-2026.json", "dik-2026.xlsx"} <= files

    folder = h.workflow.settings.publish_dir
    assert (folder / "index.html").exists()
    html, data, xlsx = read_all(folder, 2026)
    assert html == data == xlsx
    assert [r[2] for r in data] == [
        "Berkas penilaian kinerja pegawai",
        "Data rekening gaji pegawai",
        "Data rekam medis pasien Puskesmas",
        "Hasil pemeriksaan kesehatan calon pegawai",
    ]  # grouped by OPD name; "terbuka" is not in the list
    assert data[3][7:] == ("Dikecualikan sebagian", "Nama pasien")
    assert data[0][3] == "Pasal 17 huruf h angka 2 Undang-Undang Nomor 14 Tahun 2008"
    body = json.loads((folder / "dik-2026.json").read_text(encoding="utf-8"))
    assert body["sk"]["nomor"] == "188.45/321/HK/2026"
    assert body["sk"]["tanggal"] == "2026-11-30"
    assert body["items"][3]["berakhir"] == "2027-05-30"  # "6 bulan sejak SK ditetapkan"
    assert body["items"][0]["berakhir"] is None  # "5 tahun": from when? no end date made up
    archived = [m.document.data for m in p["petugas"].inbox if m.document]
    assert json_rows(json.loads(next(d for d in archived if d.startswith(b"{")))) == data
    # The signed SK is published beside the page, under a name of the bot's, and linked.
    assert (folder / "sk-dik-2026.pdf").read_bytes() == PDF
    assert body["sk"]["berkas"] == "sk-dik-2026.pdf"
    page = (folder / "dik-2026.html").read_text(encoding="utf-8")
    assert '<a id="sk-pdf" href="sk-dik-2026.pdf"' in page
    assert "Huruf h: Rahasia pribadi" in page and '<dt id="pasal17-h">' in page
    assert "sebagai sk-dik-2026.pdf dan ditautkan dari halamannya" in ready.text

    await p["petugas"].tap("🌐 Kirim alamat publikasi")
    got = await p["petugas"].say(URL)
    assert "Siklus selesai" in got[-1].text
    for key in ("dinkes", "bkpsdm", "disduk", "dprd"):
        assert p[key].last.document is not None and p[key].last.document.data == PDF
        assert URL in p[key].last.text
    async with h.workflow.db.read() as s:
        done = await cycles.get_cycle(s, cycle.id)
    assert done is not None and done.status == "finished" and done.published_url == URL


async def test_without_a_number_or_base_url_the_petugas_is_told_what_to_do(
    harness: Harness,
) -> None:
    h = harness
    p = await h.seed_city()
    h.workflow.settings.public_base_url = ""
    await seed_signed_cycle(h)
    await p["petugas"].upload("scan.pdf", PDF, "application/pdf")
    ready = next(m for m in p["petugas"].inbox if "DIK publik sudah ditulis" in m.text)
    assert "Nomor SK tidak dicantumkan" in ready.text
    assert "PUBLIC_BASE_URL" in ready.text and "dik-2026.html" in ready.text
    page = (h.workflow.settings.publish_dir / "dik-2026.html").read_text(encoding="utf-8")
    assert "Keputusan Walikota Kupang tanggal 30 November 2026" in page


async def test_a_folder_that_cannot_be_written_keeps_the_upload(harness: Harness) -> None:
    h = harness
    p = await h.seed_city()
    blocker = h.workflow.settings.publish_dir
    blocker.write_text("not a folder")  # mkdir fails: a file is in the way
    await seed_signed_cycle(h)
    got = await p["petugas"].upload("scan.pdf", PDF, "application/pdf", "Nomor 1/2026")
    assert "SK Walikota yang ditandatangani diterima" in got[0].text
    failed = next(m for m in p["petugas"].inbox if "gagal ditulis" in m.text)
    assert "unggah secara manual" in failed.text
    assert {"dik-2026.html", "dik-2026.json"} <= {
        m.document.filename for m in p["petugas"].inbox if m.document
    }
    assert "🌐 Kirim alamat publikasi" in p["petugas"].last.button_texts


async def test_dik_by_opd_and_keyword(harness: Harness) -> None:
    h = harness
    p = await h.seed_city()
    await seed_signed_cycle(h)
    await publish(h)

    got = await p["dinkes"].say("/dik")
    text = got[-1].text
    assert "4 informasi dikecualikan dari 2 OPD" in text
    assert "Badan Kepegawaian dan Pengembangan SDM: 2" in text and "Dinas Kesehatan: 2" in text
    assert "Nomor 188.45/321/HK/2026" in text and URL in text

    got = await p["dprd"].say("/dik dinkes")
    text = got[-1].text
    assert "“dinkes”: 2 dari 4 informasi" in text
    assert "Data rekam medis pasien Puskesmas" in text
    assert "Hasil pemeriksaan kesehatan calon pegawai" in text
    assert "Dikecualikan sebagian: yang dihitamkan Nama pasien" in text
    assert "(berakhir 30 Mei 2027)" in text
    assert "Berkas penilaian kinerja" not in text and "pengadaan obat" not in text

    got = await p["bkpsdm"].say("/dik Dinas Kesehatan")
    assert "2 dari 4 informasi" in got[-1].text

    got = await p["ketua"].say("/dik rekening gaji")
    text = got[-1].text
    assert "1 dari 4 informasi" in text and "Data rekening gaji pegawai" in text
    assert "<b>Tidak</b> terbatas" in text  # typed markup shown as text, not bold

    got = await p["walikota"].say("/dik pasal 17 huruf h")
    assert "4 dari 4 informasi" in got[-1].text

    got = await p["admin"].say("/dik pengadaan obat")
    assert "Tidak ada informasi yang dikecualikan yang cocok dengan “pengadaan obat”" in (
        got[-1].text
    )

    stranger = h.chat.person(7777, "Orang Lain")
    got = await stranger.say("/dik")
    assert "belum terdaftar" in got[-1].text


async def test_dik_answers_from_the_newest_finished_cycle(harness: Harness) -> None:
    h = harness
    await h.seed_city()
    await seed_signed_cycle(h)
    await publish(h)
    h.clock.advance(days=30)
    newer = {"DISDUK": [("Data kependudukan warga", "Tidak terbatas", "dikecualikan", None)]}
    await seed_signed_cycle(h, newer, title="DIK 2026 (tambahan 1)")
    got = await h.people["dprd"].say("/dik")
    assert "4 informasi" in got[-1].text  # the supplementary cycle is not finished yet
    await publish(h)
    got = await h.people["dprd"].say("/dik")
    assert "1 informasi dikecualikan dari 1 OPD" in got[-1].text
    assert "DIK 2026 (tambahan 1)" in got[-1].text


async def test_a_long_answer_fits_one_message(harness: Harness) -> None:
    h = harness
    p = await h.seed_city()
    long = "Dokumen arsip kepegawaian yang sangat panjang sekali " * 5
    many = {
        "BKPSDM": [
            (f"{long} nomor {i}", "Tidak terbatas", "dikecualikan", None) for i in range(40)
        ]
    }
    await seed_signed_cycle(h, many)
    await publish(h)
    got = await p["petugas"].say("/dik arsip kepegawaian")
    assert len(got[-1].raw_text or "") <= 4096
    text = got[-1].text
    assert "40 dari 40 informasi" in text
    shown = text.count("🏢 ")
    assert 0 < shown < 40
    assert f"… dan {40 - shown} informasi lainnya tidak muat di sini" in text
    assert URL in text


async def test_expiring_items_are_flagged_to_the_petugas_once(harness: Harness) -> None:
    h = harness
    p = await h.seed_city()
    await seed_signed_cycle(h)
    await publish(h)
    wf = h.workflow
    # "<b>Tidak</b> terbatas" is not the words "Tidak terbatas": a period to check, at once.
    due = await wf.publication.expiring_items()
    assert [(e.item.informasi, e.ends, e.to_check) for e in due] == [
        ("Data rekening gaji pegawai", None, True)
    ]
    before = len(p["petugas"].inbox)
    assert await wf.publication.flag_expiring() == 1
    await h.app.bot_data.sender.flush()
    check = p["petugas"].inbox[before:]
    assert len(check) == 1 and "Jangka waktu pengecualian perlu diperiksa" in check[0].text
    assert "Data rekening gaji pegawai" in check[0].text and "berakhir 3" not in check[0].text

    # "6 bulan sejak SK ditetapkan" from 30 November 2026 ends 30 May 2027; 76 days before it:
    h.clock.set(START + timedelta(days=105))
    due = [e for e in await wf.publication.expiring_items() if not e.to_check]
    assert [(e.item.informasi, e.ends.isoformat(), e.days_left) for e in due] == [  # type: ignore[union-attr]
        ("Hasil pemeriksaan kesehatan calon pegawai", "2027-05-30", 76)
    ]
    before = len(p["petugas"].inbox)
    job = h.app.job_queue.get_jobs_by_name("expiry:dik")
    assert len(job) == 1
    await job[0].run(h.app)  # the daily job, as the scheduler runs it
    flagged = [
        m for m in p["petugas"].inbox[before:] if "Masa pengecualian segera berakhir" in m.text
    ]
    assert len(flagged) == 1
    assert "Hasil pemeriksaan kesehatan calon pegawai (Dinas Kesehatan)" in flagged[0].text
    assert "berakhir 30 Mei 2027 (dalam 76 hari)" in flagged[0].text
    assert "diuji konsekuensi ulang" in flagged[0].text
    assert not any("Masa pengecualian segera berakhir" in m.text for m in p["dprd"].inbox)

    h.clock.advance(days=1)
    await job[0].run(h.app)  # the next day: nothing new
    assert await wf.publication.flag_expiring() == 0
    assert (
        len([m for m in p["petugas"].inbox if "Masa pengecualian segera berakhir" in m.text]) == 1
    )

    got = await p["petugas"].say("/dik dinkes")
    assert "perlu uji konsekuensi ulang" in got[-1].text
    got = await p["petugas"].say("/dik")
    assert "1 informasi masa pengecualiannya berakhir dalam 90 hari" in got[-1].text

    # A plain "5 tahun" has no end date: it is shown as written, and when five years have
    # nearly passed since the SK the petugas is asked to check it, not told it ends.
    got = await p["petugas"].say("/dik penilaian kinerja")
    assert "⏱ 5 tahun\n" in got[-1].text and "(berakhir" not in got[-1].text
    h.clock.set(START + timedelta(days=5 * 365 - 30))
    assert await wf.publication.flag_expiring() == 1
    await h.app.bot_data.sender.flush()
    last = p["petugas"].last.text
    assert "Berkas penilaian kinerja pegawai" in last
    assert "Jangka waktu pengecualian perlu diperiksa" in last and "“5 tahun”" in last
    assert "Bila dihitung sejak tanggal SK, jangka waktu itu genap pada 30 November 2031" in last
    assert "berakhir 30 November 2031" not in last


async def test_the_dik_in_force_is_what_the_tim_decided(harness: Harness) -> None:
    """Issue 11: the public files, /dik and the reminders read the Tim's decision, not the
    OPD's proposal (grounds, other law, konsekuensi, jangka waktu, the part blacked out)."""
    h = harness
    p = await h.seed_city()
    tim = proposals.Analysis(
        bases=encode_bases([Basis("h", 4), Basis("j", None)]),
        other_law="Pasal 17 huruf e Undang-Undang Nomor 20 Tahun 2023 tentang ASN",
        konsekuensi_dibuka="Penilaian dapat dipakai menekan pegawai",
        konsekuensi_ditutup="Hak pribadi pegawai terlindungi",
        jangka_waktu="3 tahun sejak SK ditetapkan",
    )
    await seed_signed_cycle(h, analyses={"Berkas penilaian kinerja pegawai": tim})
    await publish(h)
    folder = h.workflow.settings.publish_dir
    body = json.loads((folder / "dik-2026.json").read_text(encoding="utf-8"))
    first = body["items"][0]
    assert first["informasi"] == "Berkas penilaian kinerja pegawai"
    assert first["dasar_hukum"] == (
        "Pasal 17 huruf h angka 4 dan huruf j Undang-Undang Nomor 14 Tahun 2008 juncto "
        "Pasal 17 huruf e Undang-Undang Nomor 20 Tahun 2023 tentang ASN"
    )
    assert first["konsekuensi"] == {
        "apabila_dibuka": "Penilaian dapat dipakai menekan pegawai",
        "apabila_ditutup": "Hak pribadi pegawai terlindungi",
    }
    assert first["jangka_waktu"] == "3 tahun sejak SK ditetapkan"
    assert first["berakhir"] == "2029-11-30"
    html, data, xlsx = read_all(folder, 2026)
    assert html == data == xlsx and data[0][4] == "Penilaian dapat dipakai menekan pegawai"

    got = await p["dprd"].say("/dik penilaian kinerja")
    text = got[-1].text
    assert "3 tahun sejak SK ditetapkan (berakhir 30 November 2029)" in text
    assert "juncto Pasal 17 huruf e Undang-Undang Nomor 20 Tahun 2023" in text

    h.clock.set(START + timedelta(days=3 * 365 - 30))
    due = [e for e in await h.workflow.publication.expiring_items() if not e.to_check]
    assert ("Berkas penilaian kinerja pegawai", date(2029, 11, 30)) in [
        (e.item.informasi, e.ends) for e in due
    ]
