"""A whole cycle of the SOP, played step by step by simulated officials, with a hook after
every action (e.g. deliver the outbox until it is empty, as the sweeper would).

The same story as tests/test_e2e_cycle.py (which keeps its own assertions on every reply): four
OPDs (an upload, typed rows, nihil, and a late one), a rejection at step 1, the meeting, the
guided and quick consequence test, the lembar approvals, a revised SK draft, the signed SK and
its publication. Nothing here reads a reply: the next button is found in the person's chat, so
the play also works when replies arrive late (through the outbox) under Telegram faults.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta
from io import BytesIO

from devtools.standin.driver import Person
from devtools.standin.models import SentMessage
from storage import cycles
from tests.forms import DINKES_ROWS, filled_form
from tests.harness import Harness

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
URL = "https://ppid.kupangkota.go.id/dik-2026"
OPEN_REASON = "Evaluasi pengadaan sudah selesai; dokumennya wajib tersedia setiap saat (Pasal 11)"

Hook = Callable[[], Awaitable[None]]


async def _nothing() -> None:
    return None


def revise_docx(docx: bytes, note: str) -> bytes:
    from docx import Document

    doc = Document(BytesIO(docx))
    doc.add_paragraph(note)
    out = BytesIO()
    doc.save(out)
    return out.getvalue()


class CycleScenario:
    """Plays the cycle; `after` runs after every action (a person's message or tap)."""

    def __init__(self, h: Harness, after: Hook = _nothing) -> None:
        self.h = h
        self.after = after
        self.p: dict[str, Person] = {}
        #: (step, label) of every action played, in order.
        self.played: list[tuple[int, str]] = []
        self._step = 0

    # -- actions -------------------------------------------------------------------------
    async def _done(self, label: str, got: list[SentMessage]) -> list[SentMessage]:
        self.played.append((self._step, label))
        await self.after()
        return got

    async def say(self, key: str, text: str) -> list[SentMessage]:
        return await self._done(f"{key}: {text[:30]}", await self.p[key].say(text))

    async def tap(self, key: str, label: str) -> list[SentMessage]:
        return await self._done(f"{key} taps {label}", await self.p[key].tap(label))

    async def tap_data(self, key: str, data: str) -> list[SentMessage]:
        """Tap the button with this callback data on the newest message that has it."""
        person = self.p[key]
        for message in reversed(person.inbox):
            if any(b.callback_data == data for row in message.buttons for b in row):
                got = await person.tap_data(message.message_id, data)
                return await self._done(f"{key} taps {data}", got)
        raise AssertionError(f"no button {data!r} in the chat of {key}")

    async def upload(
        self, key: str, filename: str, data: bytes, mime: str | None = None
    ) -> list[SentMessage]:
        person = self.p[key]
        got = await (
            person.upload(filename, data, mime) if mime else person.upload(filename, data)
        )
        return await self._done(f"{key} uploads {filename}", got)

    # -- the story -------------------------------------------------------------------------
    async def play(self) -> None:
        await self.setup()
        for step in (
            self.step_1,
            self.step_2,
            self.step_3,
            self.step_4,
            self.steps_5_6,
            self.step_7,
            self.step_8,
            self.step_9,
            self.step_10,
        ):
            await step()

    async def setup(self) -> None:
        h = self.h
        self.p = await h.seed_city()
        await h.workflow.onboarding.add_office("BAPPEDA", "Badan Perencanaan Pembangunan Daerah")
        await h.official("bappeda", 2004, "Simon Lenggu", "ppid_pembantu", office="BAPPEDA")
        await self.after()

    async def step_1(self) -> None:
        self._step = 1
        await self.say("petugas", "/mulai 2026")
        await self.tap("petugas", "📤 Ajukan")
        await self.tap("kadis", "❌ Tolak")
        await self.say("kadis", "Mohon cantumkan batas waktu dengan jelas.")
        await self.tap("petugas", "📤 Ajukan")
        await self.tap("kadis", "✅ Setujui")

    async def step_2(self) -> None:
        self._step = 2
        await self.tap("petugas", "📤 Ajukan")
        await self.tap("kadis", "✅ Setujui")

    async def step_3(self) -> None:
        self._step = 3
        await self.upload(
            "dinkes", "form-dinkes.xlsx", filled_form("Dinas Kesehatan", DINKES_ROWS)
        )
        await self.tap("dinkes", "✅ Kirim usulan")
        await self.tap("bkpsdm", "⌨️ Ketik usulan")
        await self.say("bkpsdm", "Berkas penilaian kinerja pegawai")
        await self.say("bkpsdm", "Pasal 17 (g), (h) angka 4 UU 14/2008")
        await self.say("bkpsdm", "Mengungkap evaluasi kemampuan seseorang")
        await self.say("bkpsdm", "Melindungi hak pribadi pegawai")
        await self.say("bkpsdm", "5 tahun")
        await self.tap("bkpsdm", "➕ Tambah lagi")
        await self.say("bkpsdm", "Data rekening gaji pegawai")
        await self.say("bkpsdm", "Peraturan BKN tentang kerahasiaan data")
        await self.tap("bkpsdm", "h. Mengungkap rahasia pribadi")
        await self.tap_data("bkpsdm", "n:3")
        await self.say("bkpsdm", "Rekening dapat disalahgunakan")
        await self.say("bkpsdm", "Melindungi keuangan pribadi")
        await self.say("bkpsdm", "Tidak terbatas")
        await self.tap("bkpsdm", "✅ Selesai")
        await self.tap("bkpsdm", "✅ Kirim usulan")
        await self.tap("disduk", "🚫 Nihil")
        await self.tap("disduk", "✅ Kirim usulan")
        # BAPPEDA never answers: after the limit the petugas closes the collection.
        async with self.h.workflow.db.read() as s:
            run = next(r for r in await cycles.open_runs(s) if r.step_key == "usulan_opd")
        self.h.clock.set(run.due_at + timedelta(hours=1))
        await self.say("petugas", "/tugas")
        await self.tap("petugas", f"Buka: DIK 2026 · langkah {run.step_no}")
        await self.tap("petugas", "🔒 Tutup pengumpulan")

    async def step_4(self) -> None:
        self._step = 4
        await self.tap("petugas", "📤 Ajukan")
        await self.tap("kadis", "✅ Setujui")

    async def steps_5_6(self) -> None:
        self._step = 5
        await self.tap("petugas", "📨 Sudah disampaikan")
        self._step = 6
        await self.tap("asda", "✅ Setujui")
        await self.tap("petugas", "📅 Isi jadwal rapat")
        await self.say("petugas", "9 Desember 2026")
        await self.say("petugas", "09.00")
        await self.say("petugas", "Ruang Rapat Asisten I, Kantor Walikota Kupang")
        await self.tap("petugas", "Pakai acara baku")

    async def step_7(self) -> None:
        self._step = 7
        await self.tap("anggota", "🙋 Hadir")
        await self.tap("ketua", "🙋 Hadir")
        await self.say("anggota", "/pandangan 2 Cukup nomor rekening yang dihitamkan")
        await self.tap("ketua", "🔍 Mulai / lanjutkan pengujian")
        await self.tap("ketua", "⚖️ Uji butir ini (lengkap)")
        await self.tap("ketua", "✅ Pakai dasar usulan")
        await self.say("ketua", "Penilaian kinerja yang dibuka dapat disalahgunakan")
        await self.tap("ketua", "✅ Pakai teks usulan")
        await self.tap("ketua", "Dikecualikan")
        await self.say("ketua", "5 tahun sejak penilaian")
        for label in ("Sebagian", "Dikecualikan", "Dikecualikan", "Terbuka"):
            await self.tap("ketua", label)
            if label == "Sebagian":
                await self.say("ketua", "Nomor rekening dan nama bank dihitamkan")
            if label == "Terbuka":
                await self.say("ketua", OPEN_REASON)
        await self.tap("ketua", "🖋 Finalisasi Ketetapan")
        await self.tap("anggota", "✅ Setujui lembar")
        await self.tap("ketua", "✅ Setujui lembar")

    async def step_8(self) -> None:
        self._step = 8
        drafts = [
            m
            for m in self.p["asda"].inbox
            if m.document and "SK_Walikota" in (m.document.filename or "")
        ]
        revised = revise_docx(drafts[-1].document.data, "Catatan revisi Bagian Hukum")  # type: ignore[union-attr]
        await self.upload("asda", "SK DIK revisi.docx", revised, DOCX_MIME)
        await self.tap("asda", "✅ Setujui")

    async def step_9(self) -> None:
        self._step = 9
        await self.tap("walikota", "✅ Setujui")
        await self.upload("petugas", "SK-DIK-2026.pdf", PDF, "application/pdf")

    async def step_10(self) -> None:
        self._step = 10
        await self.tap("petugas", "🌐 Kirim alamat publikasi")
        await self.say("petugas", URL)
