"""`make demo`: a whole SOP cycle, played by simulated officials, with no Telegram token.

The real PTB Application and handlers run against the Bot API stand-in on 127.0.0.1 and a
fresh SQLite file; the conversation is printed as it goes, and every file the bot sent lands
in `demo-output/`.
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import sys
from datetime import UTC, datetime
from pathlib import Path

os.environ.setdefault("PTB_TIMEDELTA", "true")


from bot.app import build_application
from bot.clock import ManualClock
from bot.config import load_settings
from bot.formdik.samples import SAMPLE_ROWS, filled_form
from devtools.demo_dip import play_dip
from devtools.standin import BotApiStandin
from devtools.standin.driver import ChatDriver, Person, running
from devtools.standin.models import SentMessage
from storage import migrate, people

OUT = Path("demo-output")
START = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)  # Monday 09.00 WITA


# key, Telegram id, name, role, office, ketua, jabatan, NIP (each civil servant their own; the
# Walikota signs with name only, and the DPRD secretariat is an office, not a person)
CAST: list[tuple[str, int, str, str, str | None, bool, str, str]] = [
    ("petugas", 1001, "Lumongga Simanjuntak", "petugas", None, False, "Analis Kebijakan",
     "19790215 201001 2 009"),
    ("kadis", 1002, "Wildrian Otta", "kepala_dinas", None, False,
     "Kepala Dinas Komunikasi dan Informatika Kota Kupang", "19860429 200412 1 001"),
    ("asda", 1003, "Admiral Manafe", "atasan_ppid", None, False,
     "Asisten Pemerintahan Setda Kota Kupang", "19720611 199803 1 004"),
    ("dinkes", 2001, "Maria Bria", "ppid_pembantu", "DINKES", False, "",
     "19830907 200903 2 012"),
    ("bkpsdm", 2002, "Yosef Lake", "ppid_pembantu", "BKPSDM", False, "",
     "19810322 200604 1 007"),
    ("disduk", 2003, "Agustina Nope", "ppid_pembantu", "DISDUK", False, "",
     "19880114 201101 2 003"),
    ("bappeda", 2004, "Simon Lenggu", "ppid_pembantu", "BAPPEDA", False, "",
     "19770630 200212 1 005"),
    ("ketua", 3001, "Adrianus Ndun", "tim_uk", None, True, "Kepala Bagian Hukum",
     "19750118 200003 1 002"),
    ("anggota", 3002, "Febri Tallo", "tim_uk", None, False, "", "19900525 201503 2 006"),
    ("walikota", 4001, "George Melkianus", "walikota", None, False, "Walikota Kupang", ""),
    ("dprd", 5001, "Sekretariat DPRD", "dprd", None, False, "", ""),
]  # fmt: skip
# BKPSDM types one row: a performance appraisal is an evaluation of a person's ability,
# Pasal 17 huruf h angka 4 (huruf g is the contents of authentic deeds and last wills).
TYPED_BKPSDM: list[tuple[str, str]] = [
    ("tap", "⌨️ Ketik usulan"),
    ("say", "Berkas penilaian kinerja pegawai"),
    ("say", "Pasal 17 huruf h angka 4 UU 14/2008"),
    ("say", "Mengungkap evaluasi kemampuan seseorang"),
    ("say", "Melindungi hak pribadi pegawai"),
    ("say", "5 tahun"),
    ("tap", "✅ Selesai"),
    ("tap", "✅ Kirim usulan"),
]


class Narrator:
    """Prints who did what, and what the bot sent to whom; saves every file sent."""

    def __init__(self, standin: BotApiStandin, names: dict[int, str]) -> None:
        self.standin = standin
        self.names = names
        self.mark = standin.mark()
        self.files = 0

    def act(self, person: Person, what: str) -> None:
        print(f"\n👤 {person.name}: {what}")

    def show(self) -> None:
        for chat_id, name in self.names.items():
            for m in self.standin.changes_since(self.mark, chat_id):
                self._print(name, m)
        self.mark = self.standin.mark()

    def _print(self, name: str, m: SentMessage) -> None:
        text = re.sub(r"\s*\n\s*", " ⏎ ", (m.text or "").strip())
        if len(text) > 240:
            text = text[:237] + "…"
        edited = " (diubah)" if m.edits else ""
        print(f"   🤖 → {name}{edited}: {text}")
        if m.document is not None and not m.edits:
            self.files += 1
            target = OUT / f"{self.files:02d}_{m.document.filename}"
            target.write_bytes(m.document.data)
            print(f"      📎 {m.document.filename} ({len(m.document.data):,} bytes) → {target}")
        if m.photo is not None and not m.edits:
            self.files += 1
            target = OUT / f"{self.files:02d}_{m.photo.filename or 'gambar.png'}"
            target.write_bytes(m.photo.data)
            print(f"      🖼 {target.name} ({len(m.photo.data):,} bytes) → {target}")
        if m.buttons and not m.edits:
            print("      [" + "] [".join(m.button_texts) + "]")


def fresh_output() -> None:
    if OUT.exists():
        shutil.rmtree(OUT)
    OUT.mkdir()


def _scan_pdf(text: str) -> bytes:
    """A one-page PDF as a scanner makes it (a picture of the page, no electronic signature)."""
    from io import BytesIO

    from PIL import Image, ImageDraw

    page = Image.new("L", (620, 877), 255)
    ImageDraw.Draw(page).text((40, 60), text, fill=0)
    out = BytesIO()
    page.save(out, format="PDF", resolution=75.0)
    return out.getvalue()


async def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    which = args[0] if args else ""
    if which not in DEMOS:
        print(f"SOP tidak dikenal: {which!r} (pilih: dik, dip)", file=sys.stderr)
        return 2
    fresh_output()
    db_file = OUT / "demo.sqlite3"
    clock = ManualClock(START)
    async with BotApiStandin(token="100001:DEMO", bot_username="dik_kupang_bot") as standin:
        settings = load_settings(
            _env_file=None,
            telegram_bot_token="100001:DEMO",
            telegram_bot_username="dik_kupang_bot",
            telegram_api_base_url=standin.base_url,
            database_url=f"sqlite+aiosqlite:///{db_file}",
            publish_dir=OUT / "publik",
            public_base_url="https://ppid.kupangkota.go.id/dik",
            # the stand-in does not enforce Telegram's limits here: no pause per chat
            outbox_chat_gap_seconds=0,
        )
        await migrate.upgrade(settings.database_url)
        app = build_application(settings, clock=clock, migrate_on_start=False)
        async with running(app, standin) as chat:
            await play(chat, app, standin, clock, DEMOS[which])
    print(f"\nSelesai. Berkas yang dikirim bot ada di {OUT}/ (basis data demo: {db_file}).")
    return 0


async def _seed(chat: ChatDriver, app, clock: ManualClock) -> dict[str, Person]:
    wf = app.bot_data.workflow
    offices = [
        ("DINKES", "Dinas Kesehatan"),
        ("BKPSDM", "Badan Kepegawaian dan Pengembangan SDM"),
        ("DISDUK", "Dinas Kependudukan dan Pencatatan Sipil"),
        ("BAPPEDA", "Badan Perencanaan Pembangunan Daerah"),
    ]
    for code, name in offices:
        await wf.onboarding.add_office(code, name)
    cast = CAST
    cast_people: dict[str, Person] = {}
    for key, uid, name, role, office, lead, jabatan, nip in cast:
        async with wf.db.transaction() as s:
            found = await people.office_by_code(s, office) if office else None
            office_id = found.id if found else None
            oid = await people.add_official(
                s,
                name=name,
                now=clock.now(),
                telegram_user_id=uid,
                office_id=office_id,
                nip=nip,
                pangkat="Pembina (IV/a)" if nip else "",
                jabatan=jabatan,
            )
            await people.add_role(s, oid, role, clock.now(), office_id=office_id, is_lead=lead)
        person = chat.person(uid, name)
        await person.say("/start")
        cast_people[key] = person
    return cast_people


async def play(
    chat: ChatDriver, app, standin: BotApiStandin, clock: ManualClock, sops: tuple[str, ...]
) -> None:
    p = await _seed(chat, app, clock)
    n = Narrator(standin, {q.user_id: q.name for q in p.values()})

    async def do(who: str, what: str, coro) -> list[SentMessage]:
        n.act(p[who], what)
        got = await coro
        n.show()
        clock.advance(minutes=20)
        return got

    if "usulan_dik" in sops:
        await play_dik(p, do, clock)
    if "dip" in sops:
        print("\n\n######## SOP Penetapan dan Pemutakhiran DIP ########")
        await play_dip(p, do, clock, _scan_pdf)


async def play_dik(p: dict[str, Person], do, clock: ManualClock) -> None:
    """The DIK SOP (bot/sop/usulan_dik.yaml), all ten steps."""
    print("=== Langkah 1–2: Nota Dinas dan Surat Dinas ===")
    await do("petugas", "/mulai 2026", p["petugas"].say("/mulai 2026"))
    await do("petugas", "[📤 Ajukan]", p["petugas"].tap("📤 Ajukan"))
    await do("kadis", "[❌ Tolak]", p["kadis"].tap("❌ Tolak"))
    await do(
        "kadis",
        "Mohon cantumkan batas waktu dengan jelas.",
        p["kadis"].say("Mohon cantumkan batas waktu dengan jelas."),
    )
    await do("petugas", "[📤 Ajukan]", p["petugas"].tap("📤 Ajukan"))
    await do("kadis", "[✅ Setujui]", p["kadis"].tap("✅ Setujui"))
    await do("petugas", "[📤 Ajukan]", p["petugas"].tap("📤 Ajukan"))
    await do("kadis", "[✅ Setujui]", p["kadis"].tap("✅ Setujui"))

    print("\n=== Langkah 3: usulan dari setiap OPD ===")
    # Row 1 cites, as published tables do, Pasal 17 and the other law in a numbered list:
    # both go into every document and the public DIK (issue 11).
    informasi, _basis, dibuka, ditutup, jangka = SAMPLE_ROWS[0]
    cited = (
        "1. Pasal 17 huruf h angka 2 Undang-Undang Nomor 14 Tahun 2008\n"
        "2. Peraturan Menteri Kesehatan Nomor 24 Tahun 2022 tentang Rekam Medis"
    )
    first = (informasi, cited, dibuka, ditutup, jangka)
    form = filled_form("Dinas Kesehatan", [first, *SAMPLE_ROWS[1:]])
    (OUT / "contoh_Form_DIK_terisi_DINKES.xlsx").write_bytes(form)
    await do(
        "dinkes", "(mengunggah Form DIK terisi)", p["dinkes"].upload("Form DIK Dinkes.xlsx", form)
    )
    await do("dinkes", "[✅ Kirim usulan]", p["dinkes"].tap("✅ Kirim usulan"))
    for kind, value in TYPED_BKPSDM:
        person = p["bkpsdm"]
        coro = person.tap(value) if kind == "tap" else person.say(value)
        await do("bkpsdm", f"[{value}]" if kind == "tap" else value, coro)
    await do("disduk", "[🚫 Nihil]", p["disduk"].tap("🚫 Nihil"))
    await do("disduk", "[✅ Kirim usulan]", p["disduk"].tap("✅ Kirim usulan"))
    await do("petugas", "status", p["petugas"].say("status"))
    clock.advance(days=7)
    print("\n(… satu minggu kemudian: BAPPEDA tidak menjawab sampai batas waktu …)")
    await do("petugas", "/tugas", p["petugas"].say("/tugas"))
    await do(
        "petugas", "[Buka: DIK 2026 · langkah 3]", p["petugas"].tap("Buka: DIK 2026 · langkah 3")
    )
    await do("petugas", "[🔒 Tutup pengumpulan]", p["petugas"].tap("🔒 Tutup pengumpulan"))

    print("\n=== Langkah 4–6: Surat Pengantar, penyampaian, disposisi ===")
    await do("petugas", "[📤 Ajukan]", p["petugas"].tap("📤 Ajukan"))
    await do("kadis", "[✅ Setujui]", p["kadis"].tap("✅ Setujui"))
    await do("petugas", "[📨 Sudah disampaikan]", p["petugas"].tap("📨 Sudah disampaikan"))
    await do("asda", "[✅ Setujui]", p["asda"].tap("✅ Setujui"))
    await do("petugas", "[📅 Isi jadwal rapat]", p["petugas"].tap("📅 Isi jadwal rapat"))
    for answer in (
        "Kamis, 10 Desember 2026",
        "09.00",
        "Ruang Rapat Asisten I, Kantor Walikota Kupang",
    ):
        await do("petugas", answer, p["petugas"].say(answer))
    await do("petugas", "[Pakai acara baku]", p["petugas"].tap("Pakai acara baku"))

    print("\n=== Langkah 7: uji konsekuensi ===")
    await do("anggota", "[🙋 Hadir]", p["anggota"].tap("🙋 Hadir"))
    await do("ketua", "[🙋 Hadir]", p["ketua"].tap("🙋 Hadir"))
    clock.set(datetime(2026, 12, 10, 1, 30, tzinfo=UTC))  # the meeting: 10 Dec, 09.30 WITA
    print("\n(… rapat Tim Uji Konsekuensi, Kamis 10 Desember 2026 …)")
    view = "/pandangan 3 Cukup NIK dan nama calon pegawai yang dihitamkan"
    await do("anggota", view, p["anggota"].say(view))
    await do(
        "ketua",
        "[🔍 Mulai / lanjutkan pengujian]",
        p["ketua"].tap("🔍 Mulai / lanjutkan pengujian"),
    )
    guided = [
        ("tap", "⚖️ Uji butir ini (lengkap)"),
        ("tap", "✅ Pakai dasar usulan"),
        ("say", "Penilaian kinerja yang dibuka dapat dipakai untuk menekan pegawai"),
        ("tap", "✅ Pakai teks usulan"),
        ("tap", "Dikecualikan"),
        ("say", "5 tahun sejak penilaian"),
    ]
    for kind, value in guided:
        coro = p["ketua"].tap(value) if kind == "tap" else p["ketua"].say(value)
        await do("ketua", f"[{value}]" if kind == "tap" else value, coro)
    for label in ("Dikecualikan", "Sebagian", "Terbuka"):
        await do("ketua", f"[{label}]", p["ketua"].tap(label))
        if label == "Sebagian":
            await do(
                "ketua",
                "NIK dan nama calon pegawai dihitamkan",
                p["ketua"].say("NIK dan nama calon pegawai dihitamkan"),
            )
        if label == "Terbuka":  # the reason the item is open is asked, and required
            reason = (
                "Tim menilai membukanya tidak membahayakan kepentingan yang dilindungi Pasal 17"
            )
            await do("ketua", reason, p["ketua"].say(reason))
    await do("ketua", "[🖋 Finalisasi Ketetapan]", p["ketua"].tap("🖋 Finalisasi Ketetapan"))
    await do("anggota", "[✅ Setujui lembar]", p["anggota"].tap("✅ Setujui lembar"))
    await do("ketua", "[✅ Setujui lembar]", p["ketua"].tap("✅ Setujui lembar"))

    print("\n=== Langkah 8–10: SK Walikota, tanda tangan, publikasi ===")
    await do("asda", "[✅ Setujui]", p["asda"].tap("✅ Setujui"))
    await do("walikota", "[✅ Setujui]", p["walikota"].tap("✅ Setujui"))
    scan = _scan_pdf("KEPUTUSAN WALIKOTA KUPANG NOMOR 188.45/123/HK/2026 (pindaian demo)")
    await do(
        "petugas",
        "(mengunggah SK bertanda tangan, PDF, keterangan: Nomor 188.45/123/HK/2026)",
        p["petugas"].upload(
            "SK Walikota DIK 2026.pdf", scan, "application/pdf", "Nomor 188.45/123/HK/2026"
        ),
    )
    await do(
        "petugas", "[🌐 Kirim alamat publikasi]", p["petugas"].tap("🌐 Kirim alamat publikasi")
    )
    await do(
        "petugas",
        "https://ppid.kupangkota.go.id/dik/dik-2026.html",
        p["petugas"].say("https://ppid.kupangkota.go.id/dik/dik-2026.html"),
    )
    await do("dprd", "/dik rekam medis", p["dprd"].say("/dik rekam medis"))
    await do("petugas", "status", p["petugas"].say("status"))


#: `make demo SOP=...`: which SOPs the demo plays (both by default, the DIK first, so the
#: DIP's rows are compared with a DIK in force).
DEMOS = {
    "": ("usulan_dik", "dip"),
    "usulan_dik": ("usulan_dik",),
    "dik": ("usulan_dik",),
    "dip": ("dip",),
}


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
