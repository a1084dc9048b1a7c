"""Conversations survive a restart; invitations register officials once."""

from __future__ import annotations

from sqlalchemy import func, select

from bot.clock import ManualClock
from bot.config import Settings
from devtools.standin import BotApiStandin
from storage import models as m
from storage import proposals
from tests.harness import Harness


async def test_typing_resumes_after_restart(
    settings: Settings, standin: BotApiStandin, clock: ManualClock
) -> None:
    async with Harness.running(settings, standin, clock) as h:
        p = await h.seed_city()
        await h.play_to_collect()
        await p["dinkes"].tap("⌨️ Ketik usulan")
        await p["dinkes"].say("Data rekam medis pasien")
        # and a rejection reason half-way, for another person
    async with Harness.running(settings, standin, clock) as h2:
        dinkes = h2.chat.person(2001, "Maria Bria")
        got = await dinkes.say("Pasal 17 huruf h angka 2 UU 14/2008")
        assert "Dasar hukum: Pasal 17 huruf h angka 2" in got[0].text, [m.text for m in got]
        await dinkes.say("Mengungkap riwayat kesehatan")
        await dinkes.say("Melindungi pasien")
        got = await dinkes.say("Tidak terbatas")
        assert "Butir ke-1 tersimpan" in got[-1].text
        await dinkes.tap("✅ Selesai")
        await dinkes.tap("✅ Kirim usulan")
        async with h2.workflow.db.read() as s:
            sent = await proposals.submitted(s, 1)
        assert [r.informasi for r in sent[0].rows] == ["Data rekam medis pasien"]


async def test_reject_reason_resumes_after_restart(
    settings: Settings, standin: BotApiStandin, clock: ManualClock
) -> None:
    async with Harness.running(settings, standin, clock) as h:
        p = await h.seed_city()
        await p["petugas"].say("/mulai 2026")
        await p["petugas"].tap("📤 Ajukan")
        await p["kadis"].tap("❌ Tolak")
    async with Harness.running(settings, standin, clock) as h2:
        kadis = h2.chat.person(1002, "Wildrian Otta")
        got = await kadis.say("Nomor surat belum sesuai")
        assert "Ditolak" in got[-1].text
        petugas = h2.chat.received(1001)
        assert "Nomor surat belum sesuai" in petugas[-1].text


async def test_invite_is_single_use_and_expires(harness: Harness) -> None:
    h = harness
    wf = h.workflow
    await wf.onboarding.add_office("DINKES", "Dinas Kesehatan")
    invite = await wf.onboarding.invite(
        role="ppid_pembantu", name="Maria Bria", office_code="DINKES"
    )
    link = wf.onboarding.invite_link(invite, "dik_test_bot")
    assert link == f"https://t.me/dik_test_bot?start={invite.token}"
    maria = h.chat.person(2001, "Maria")
    got = await maria.say(f"/start {invite.token}")
    assert "Selamat datang, Maria Bria" in got[0].text and "Dinas Kesehatan" in got[0].text
    assert ("chat:2001", "") in {k for k in h.standin.commands}
    other = h.chat.person(2002, "Yosef")
    got = await other.say(f"/start {invite.token}")
    assert "sudah dipakai" in got[0].text
    late = await wf.onboarding.invite(role="walikota", name="George")
    h.clock.advance(hours=73)
    got = await other.say(f"/start {late.token}")
    assert "kedaluwarsa" in got[0].text
    got = await other.say("/start bukan-token-yang-benar")
    assert "tidak dikenal" in got[0].text
    got = await other.say("/tugas")
    assert "belum terdaftar" in got[0].text


async def test_admin_invites_and_adds_offices_in_chat(harness: Harness) -> None:
    h = harness
    admin = await h.official("admin", 9001, "Admin PPID", "admin")
    got = await admin.say("/opd tambah DINSOS Dinas Sosial")
    assert "Dinas Sosial (kode DINSOS)" in got[-1].text
    got = await admin.say("/undang ppid_pembantu DINSOS Petrus Kase")
    assert "https://t.me/dik_test_bot?start=" in got[-1].text
    token = got[-1].text.split("start=")[1].split()[0]
    petrus = h.chat.person(2100, "Petrus")
    got = await petrus.say(f"/start {token}")
    assert "PPID Pembantu untuk Dinas Sosial" in got[0].text
    got = await admin.say("/undang ppid_pembantu TIDAKADA Budi")
    assert "tidak ditemukan" in got[-1].text


async def test_several_open_cycles_ask_which(harness: Harness) -> None:
    h = harness
    p = await h.seed_city()
    await p["petugas"].say("/mulai 2026")
    h.clock.advance(minutes=5)
    got = await p["petugas"].say("/mulai 2026 DIK Tambahan")
    assert "DIK Tambahan" in got[0].text
    got = await p["petugas"].say("status")
    assert "Pilih siklus" in got[-1].text
    assert got[-1].button_texts == ["DIK 2026", "DIK Tambahan"]
    got = await p["petugas"].tap("DIK Tambahan")
    assert "<b>DIK Tambahan</b>" in got[-1].raw_text
    assert "Langkah 1 dari 10" in got[-1].text


async def test_the_ketua_is_told_at_registration_that_they_are_the_ketua(
    harness: Harness,
) -> None:
    wf = harness.workflow
    lead = await wf.onboarding.invite(
        role="tim_uk", name="Adrianus Ndun", is_lead=True, jabatan="Kepala Bagian Hukum"
    )
    member = await wf.onboarding.invite(role="tim_uk", name="Febri Tallo", jabatan="Analis Hukum")
    got = await harness.chat.person(3001, "Adrianus").say(f"/start {lead.token}")
    assert "terdaftar sebagai Ketua Tim Uji Konsekuensi" in got[0].text
    assert "Sebagai ketua Tim Uji Konsekuensi" in got[0].text and "/tugaskan" in got[0].text
    got = await harness.chat.person(3002, "Febri").say(f"/start {member.token}")
    assert "terdaftar sebagai Tim Uji Konsekuensi." in got[0].text
    assert "ketua" not in got[0].text.casefold()


async def test_a_signer_is_invited_only_with_a_jabatan(harness: Harness) -> None:
    """A role that signs (the SOP says `signs: true`) prints its jabatan under the signature:
    /undang without one is refused and creates nothing; with one, the official has it."""
    h = harness
    admin = await h.official("admin", 9001, "Admin PPID", "admin")
    async with h.workflow.db.read() as s:
        before = await s.scalar(select(func.count()).select_from(m.Invite))
    got = await admin.say("/undang tim_uk Febri Tallo")
    assert "jabatannya wajib diisi" in got[-1].text
    got = await admin.say("/undang ketua_tim_uk Adrianus Ndun |  ")
    assert "jabatannya wajib diisi" in got[-1].text
    async with h.workflow.db.read() as s:
        assert await s.scalar(select(func.count()).select_from(m.Invite)) == before
    got = await admin.say("/undang ketua_tim_uk Adrianus Ndun | Kepala Bagian Hukum Setda")
    token = got[-1].text.split("start=")[1].split()[0]
    await h.chat.person(3100, "Adrianus").say(f"/start {token}")
    async with h.workflow.db.read() as s:
        official = await s.scalar(select(m.Official).where(m.Official.telegram_user_id == 3100))
        assert official is not None
        assert (official.name, official.jabatan) == ("Adrianus Ndun", "Kepala Bagian Hukum Setda")
    # A role that signs nothing (the PPID Pembantu) needs no jabatan.
    await admin.say("/opd tambah DINSOS Dinas Sosial")
    got = await admin.say("/undang ppid_pembantu DINSOS Petrus Kase")
    assert "https://t.me/dik_test_bot?start=" in got[-1].text
