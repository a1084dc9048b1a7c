"""Access: every act × every role, and a stranger, along a whole cycle.

At each station of the cycle the acts that are open there (buttons of every kind in
`bot/workflow/actions.py`, the commands, file uploads) are tried by every role that may not do
them, with callback data forged to point at runs, cycles, proposals, rows, meetings and letters
that are not theirs. Each attempt must get an Indonesian refusal, leave the stored state exactly
as it was, and be in the audit log as "refused" under the person's Telegram id.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from sqlalchemy import func, select

from devtools.standin.driver import Person
from devtools.standin.models import SentMessage
from storage import cycles
from storage import models as m
from tests.forms import DINKES_ROWS, filled_form
from tests.harness import Harness
from tests.scenario import DOCX_MIME, PDF, CycleScenario

#: The roles of the issue, by the key of their person in `Harness.seed_city` (+ a stranger).
ROLES = {
    "petugas": "petugas",
    "kepala_dinas": "kadis",
    "atasan_ppid": "asda",
    "ppid_pembantu (OPD lain)": "bkpsdm",
    "tim_uk (anggota)": "anggota",
    "walikota": "walikota",
    "dprd": "dprd",
    "admin": "admin",
    "tidak terdaftar": "stranger",
}
PPID = {"dinkes", "bkpsdm", "disduk"}
STATUS = {"petugas", "kadis", "admin"}
#: Refusals that say "not yours / not now"; usage errors would not prove the access check.
ACCESS_CODES = {
    "not_registered",
    "wrong_role",
    "lead_only",
    "unknown_button",
    "already_done",
    "receipt_unknown",
    "not_a_file_we_expect",
    "not_present",
    "no_test_open",
}
INDONESIAN = re.compile(
    r"belum terdaftar|hanya untuk|tidak dikenal|sudah diproses|tidak sedang ditunggu|"
    r"bukan untuk Anda|Ketua Tim|Tidak ada yang diubah|tidak ada uji konsekuensi"
)
XLSX = filled_form("Dinas Kesehatan", DINKES_ROWS)

Do = Callable[[Person], Awaitable[list[SentMessage]]]


@dataclass
class Act:
    name: str
    do: Do
    allowed: set[str] = field(default_factory=set)  # person keys that may do it


def tap(data: str) -> Do:
    return lambda person: person.tap_data(1, data)


def say(text: str) -> Do:
    return lambda person: person.say(text)


def upload(name: str, data: bytes, mime: str) -> Do:
    return lambda person: person.upload(name, data, mime)


class Checker:
    def __init__(self, h: Harness) -> None:
        self.h = h
        self.people: dict[str, Person] = {}
        self.failures: list[str] = []
        self.attempts = 0
        self.mark = 0

    async def state(self) -> tuple[object, ...]:
        """Everything an act could change (the audit log aside), in three queries."""
        tables = [
            m.Cycle,
            m.StepRun,
            m.Proposal,
            m.ProposalRow,
            m.Decision,
            m.Document,
            m.OutboxMessage,
            m.Official,
            m.RoleAssignment,
            m.Invite,
            m.Office,
            m.Meeting,
            m.Attendance,
            m.ItemView,
            m.LembarApproval,
            m.ExtraDay,
            m.LetterCounter,
        ]
        counts = select(*(select(func.count()).select_from(t).scalar_subquery() for t in tables))
        async with self.h.workflow.db.read() as s:
            row = (await s.execute(counts)).one()
            acked = await s.scalar(
                select(func.count())
                .select_from(m.OutboxMessage)
                .where(m.OutboxMessage.acknowledged_at.is_not(None))
            )
            runs = (
                await s.execute(select(m.StepRun.id, m.StepRun.status, m.StepRun.version))
            ).all()
            props = (await s.execute(select(m.Proposal.id, m.Proposal.status))).all()
        return (tuple(row), acked, sorted(map(tuple, runs)), sorted(map(tuple, props)))

    async def audit_since(self, after: int) -> list[tuple[int, str, str, int | None, str]]:
        async with self.h.workflow.db.read() as s:
            rows = await s.execute(
                select(
                    m.AuditEntry.id,
                    m.AuditEntry.action,
                    m.AuditEntry.outcome,
                    m.AuditEntry.telegram_user_id,
                    m.AuditEntry.detail,
                )
                .where(m.AuditEntry.id > after)
                .order_by(m.AuditEntry.id)
            )
            return [tuple(r) for r in rows.all()]  # type: ignore[misc]

    async def station(self, where: str, acts: list[Act]) -> None:
        """Every act by every role that may not do it; the state stays the station's."""
        before = await self.state()
        seen = await self.audit_since(0)
        self.mark = seen[-1][0] if seen else 0
        for act in acts:
            for role, key in ROLES.items():
                if key not in act.allowed:
                    await self.attempt(f"{where} · {act.name} · {role}", act, before, key)

    async def attempt(self, label: str, act: Act, before: tuple[object, ...], key: str) -> None:
        self.attempts += 1
        person = self.people[key]
        got = await act.do(person)
        said = "\n".join(g.text or "" for g in got)
        problems = []
        if not INDONESIAN.search(said):
            problems.append(f"no clear refusal in {said!r}")
        if await self.state() != before:
            problems.append("the stored state changed")
        audit = await self.audit_since(self.mark)
        self.mark = audit[-1][0] if audit else self.mark
        refused = [a for a in audit if a[2] == "refused" and a[3] == person.user_id]
        if not refused:
            problems.append(f"not in the audit log as refused: {audit}")
        elif not all(a[4] in ACCESS_CODES for a in refused):
            problems.append(f"refused for another reason: {refused}")
        if any(a[2] != "refused" for a in audit):
            problems.append(f"an act was recorded: {audit}")
        if problems:
            self.failures.append(f"{label}: {'; '.join(problems)}")


async def open_run(h: Harness, phase: str) -> tuple[int, int, int]:
    async with h.workflow.db.read() as s:
        run = next(r for r in await cycles.open_runs(s) if r.phase == phase)
    return run.id, run.version, run.cycle_id


async def run_of(h: Harness, step_no: int, phase: str) -> tuple[int, int]:
    async with h.workflow.db.read() as s:
        run = next(
            r
            for r in reversed(await cycles.runs_of(s, 1))
            if r.step_no == step_no and r.phase == phase
        )
    return run.id, run.version


async def letter_to(h: Harness, chat_id: int) -> int:
    """The outbox id of a letter (with a Diterima button) delivered to `chat_id`."""
    async with h.workflow.db.read() as s:
        found = await s.scalar(
            select(m.OutboxMessage.id)
            .where(m.OutboxMessage.chat_id == chat_id, m.OutboxMessage.ack_required)
            .order_by(m.OutboxMessage.id.desc())
            .limit(1)
        )
    assert found is not None, chat_id
    return int(found)


async def test_every_act_by_every_role(harness: Harness) -> None:
    h = harness
    sc = CycleScenario(h)
    p = sc.p = await h.seed_city()
    c = Checker(h)
    c.people = dict(p) | {"stranger": h.chat.person(7777, "Orang Lain")}

    # No cycle yet: the commands.
    await c.station(
        "tanpa siklus",
        [
            Act("/mulai 2026", say("/mulai 2026"), {"petugas"}),
            Act("/undang", say("/undang petugas Budi Santoso | Analis Kebijakan"), {"admin"}),
            Act("/opd tambah", say("/opd tambah DINSOS Dinas Sosial"), {"admin"}),
            Act("/opd", say("/opd"), {"admin", "petugas"}),
            Act("/health", say("/health"), {"admin"}),
            Act("/admin", say("/admin"), {"admin"}),
            Act("/libur tambah", say("/libur tambah 2026-12-31 Libur daerah"), {"admin"}),
            Act("/libur kerja", say("/libur kerja 2026-12-25 Tetap masuk"), {"admin"}),
            Act("/register", say("/register"), STATUS),
            Act("/laporan", say("/laporan"), STATUS),
            Act("/status", say("/status"), STATUS),
            Act("status", say("status"), STATUS),
            Act("/dokumen", say("/dokumen"), STATUS),
            Act("/arsip", say("/arsip"), STATUS),
            Act("/pandangan", say("/pandangan 1 Cukup NIK dihitamkan"), {"anggota"}),
            Act("/tugaskan", say("/tugaskan Febri Tallo"), set()),
            *(
                Act(cmd, say(cmd), set(ROLES.values()) - {"stranger"})
                for cmd in ("/start", "/help", "/tugas", "/dik", "/libur", "/batal", "halo")
            ),
            Act("unggah berkas", upload("usulan.xlsx", XLSX, "application/octet-stream")),
        ],
    )

    # Step 1: the draft, then the review.
    await sc.say("petugas", "/mulai 2026")
    draft, v, cycle_id = await open_run(h, "draft")
    await c.station(
        "langkah 1 draf",
        [
            Act("Ajukan", tap(f"a:{draft}:sub:{v}"), {"petugas"}),
            Act("Lihat tugas", tap(f"a:{draft}:show:{v}"), {"petugas"}),
        ],
    )
    await sc.tap("petugas", "📤 Ajukan")
    review, v, _ = await open_run(h, "review")
    await c.station(
        "langkah 1 paraf",
        [
            Act("Setujui", tap(f"a:{review}:ok:{v}"), {"kadis"}),
            Act("Tolak", tap(f"a:{review}:no:{v}"), {"kadis"}),
            Act("Setujui, versi lama", tap(f"a:{review}:ok:{v + 5}")),
            Act("Tutup (bukan fase ini)", tap(f"a:{review}:cls:{v}")),
            Act("Ajukan yang sudah diajukan", tap(f"a:{draft}:sub:1")),
            Act("Run yang tidak ada", tap("a:99999:ok:1")),
            Act("Siklus yang tidak ada", tap("c:99999:status")),
        ],
    )
    await sc.tap("kadis", "✅ Setujui")
    # (the signed Nota Dinas goes back to its drafter without a tanda terima: no station)
    await sc.step_2()

    # Step 3: the collection; DINKES's letter and draft are not the other OPDs'.
    collect, v, _ = await open_run(h, "collect")
    await c.station(
        "langkah 3",
        [
            Act("Nihil", tap(f"a:{collect}:nil:{v}"), PPID),
            Act("Ketik usulan", tap(f"a:{collect}:typ:{v}"), PPID),
            Act("Unggah usulan", tap(f"a:{collect}:upl:{v}"), PPID),
            Act("Tutup pengumpulan", tap(f"a:{collect}:cls:{v}"), {"petugas"}),
            Act("Form DIK", upload("usulan.xlsx", XLSX, "application/octet-stream"), PPID),
            Act("Diterima (surat DINKES)", tap(f"r:{await letter_to(h, 2001)}"), {"dinkes"}),
        ],
    )
    await sc.upload("dinkes", "form-dinkes.xlsx", XLSX)
    async with h.workflow.db.read() as s:
        proposal = await s.scalar(select(func.max(m.Proposal.id)))
    await c.station(
        "draf DINKES",
        [
            Act("Kirim usulan DINKES", tap(f"p:{proposal}:send"), {"dinkes"}),
            Act("Batalkan usulan DINKES", tap(f"p:{proposal}:drop"), {"dinkes"}),
        ],
    )
    await sc.tap("dinkes", "✅ Kirim usulan")
    for key in ("bkpsdm", "disduk"):
        await sc.tap(key, "🚫 Nihil")
        await sc.tap(key, "✅ Kirim usulan")
    await sc.step_4()
    await sc.steps_5_6()

    # Step 7: the meeting and the consequence test.
    decide, v, _ = await open_run(h, "decide")
    invite, iv = await run_of(h, 6, "invite")
    async with h.workflow.db.read() as s:
        meeting = await s.scalar(select(func.max(m.Meeting.id)))
        row = await s.scalar(select(func.min(m.ProposalRow.id)))
    await c.station(
        "langkah 7",
        [
            Act("Hadir", tap(f"h:{meeting}:1"), {"anggota"}),
            Act("Tidak hadir", tap(f"h:{meeting}:0"), {"anggota"}),
            Act("Putuskan dikecualikan", tap(f"d:{row}:k:{decide}")),
            Act("Putuskan sebagian", tap(f"d:{row}:s:{decide}")),
            Act("Putuskan terbuka", tap(f"d:{row}:t:{decide}")),
            Act("Uji butir", tap(f"u:{row}:{decide}")),
            Act("Finalisasi", tap(f"a:{decide}:fin:{v}")),
            Act("Jadwal rapat lagi", tap(f"a:{invite}:sch:{iv}")),
            Act("/pandangan", say("/pandangan 1 Cukup NIK dihitamkan"), {"anggota"}),
            Act("/tugaskan", say("/tugaskan Febri Tallo")),
            *(
                Act(f"tombol percakapan {data}", tap(data))
                # one per conversation (typed rows, guided test, meeting)
                for data in ("n:3", "ud:k", "ag:default")
            ),
        ],
    )
    await sc.tap("anggota", "🙋 Hadir")
    await sc.tap("ketua", "🙋 Hadir")
    await sc.tap("ketua", "🔍 Mulai / lanjutkan pengujian")
    for _ in DINKES_ROWS:
        await sc.tap("ketua", "Dikecualikan")
    await sc.tap("ketua", "🖋 Finalisasi Ketetapan")
    lembar, v, _ = await open_run(h, "sign_lembar")
    await c.station("lembar", [Act("Setujui lembar", tap(f"a:{lembar}:lbr:{v}"), {"anggota"})])
    await sc.tap("anggota", "✅ Setujui lembar")
    await sc.tap("ketua", "✅ Setujui lembar")

    # Steps 8 to 10.
    review, v, _ = await open_run(h, "review")
    docx = [g for g in p["asda"].inbox if g.document and "SK_Walikota" in g.document.filename]
    await c.station(
        "langkah 8",
        [
            Act("Setujui SK", tap(f"a:{review}:ok:{v}"), {"asda"}),
            Act("Tolak SK", tap(f"a:{review}:no:{v}"), {"asda"}),
            Act("Revisi SK", upload("sk.docx", docx[-1].document.data, DOCX_MIME), {"asda"}),  # type: ignore[union-attr]
        ],
    )
    await sc.tap("asda", "✅ Setujui")
    review, v, _ = await open_run(h, "review")
    await c.station("langkah 9", [Act("Tanda tangan", tap(f"a:{review}:ok:{v}"), {"walikota"})])
    await sc.tap("walikota", "✅ Setujui")
    signed, v, _ = await open_run(h, "upload")
    await c.station(
        "unggah SK",
        [
            Act("Unggah SK", tap(f"a:{signed}:upl:{v}"), {"petugas"}),
            Act("PDF SK", upload("SK.pdf", PDF, "application/pdf"), {"petugas"}),
        ],
    )
    await sc.upload("petugas", "SK-DIK-2026.pdf", PDF, "application/pdf")
    publish, v, _ = await open_run(h, "publish")
    await c.station(
        "langkah 10",
        [
            Act("Kirim alamat publikasi", tap(f"a:{publish}:url:{v}"), {"petugas"}),
            Act("Status siklus", tap(f"c:{cycle_id}:status"), STATUS),
            Act("Dokumen siklus", tap(f"c:{cycle_id}:dokumen"), STATUS),
            Act("Arsip siklus", tap(f"c:{cycle_id}:arsip"), STATUS),
        ],
    )

    assert not c.failures, "\n".join(c.failures)
    assert c.attempts > 300
