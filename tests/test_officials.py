"""An official's lifecycle: the admin deactivates someone who left (in chat or from the CLI);
their open tasks stay with the other holders of the role, who are told, or are flagged to the
admins and in /admin when nobody else holds them; every act of theirs is refused at once;
what the outbox still owed them is not sent; all of it in the audit log. Reactivation gives
the roles back."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from storage import outbox, people
from storage.models import AuditEntry, Official
from tests.cli import run_cli
from tests.forms import DINKES_ROWS, filled_form
from tests.harness import Harness

ROOT = Path(__file__).resolve().parents[1]


async def official_id(h: Harness, name: str) -> int:
    async with h.workflow.db.read() as s:
        found = await s.scalar(select(Official.id).where(Official.name == name))
    assert found is not None
    return found


async def audit(h: Harness, action: str) -> list[str]:
    async with h.workflow.db.read() as s:
        rows = await s.scalars(
            select(AuditEntry.detail).where(AuditEntry.action == action).order_by(AuditEntry.id)
        )
        return list(rows)


async def test_deactivation_in_chat_hands_tasks_on_flags_orphans_and_refuses_at_once(
    harness: Harness,
) -> None:
    h = harness
    p = await h.seed_city()
    second = await h.official("dinkes2", 2011, "Yuliana Tefa", "ppid_pembantu", office="DINKES")
    await h.play_to_collect()  # step 3: every OPD has the request
    maria, yosef = await official_id(h, "Maria Bria"), await official_id(h, "Yosef Lake")
    admin = p["admin"]

    listing = (await admin.say("/admin pejabat"))[-1].text
    assert f"{maria}. Maria Bria (DINKES) · aktif · ppid_pembantu" in listing

    got = (await admin.say(f"/admin nonaktifkan {maria}"))[-1].text
    assert "Maria Bria dinonaktifkan" in got
    assert "Langkah 3 (PPID Pembantu Dinas Kesehatan): kini dipegang Yuliana Tefa" in got
    assert "Maria Bria dinonaktifkan" in second.last.text  # the other holder is told
    assert "Akses Anda ke bot DIK telah dinonaktifkan" in p["dinkes"].last.text

    before = await h.snapshot()
    got = await p["dinkes"].tap("🚫 Nihil")  # a button she still has: refused at once
    assert "dinonaktifkan oleh admin" in got[-1].text
    got = await p["dinkes"].upload("form.xlsx", filled_form("Dinas Kesehatan", DINKES_ROWS))
    assert "dinonaktifkan oleh admin" in got[-1].text
    assert await h.snapshot() == before
    await second.tap("🚫 Nihil")  # DINKES still answers, through its other PPID
    got = await second.tap("✅ Kirim usulan")
    assert any("terkirim" in m.text.lower() or "diterima" in m.text.lower() for m in got)

    said = [m.text for m in await admin.say(f"/admin nonaktifkan {yosef}")]
    reply = next(t for t in said if "Yosef Lake dinonaktifkan:" in t)
    assert "Badan Kepegawaian dan Pengembangan SDM): TIDAK ADA pemegang lain" in reply
    alert = next(t for t in said if t.startswith("⚠️ Tugas tanpa pemegang"))  # to every admin
    assert "kini tidak dipegang siapa pun" in alert
    panel = (await admin.say("/admin"))[-1].text
    assert "Tugas tanpa pemegang: 1" in panel
    assert "Badan Kepegawaian dan Pengembangan SDM: tidak ada pejabat aktif" in panel

    details = await audit(h, "official_deactivate")
    assert details[0].startswith(f"Maria Bria (id {maria}); tugas: DIK 2026 langkah 3 Dinas")
    assert "-> Yuliana Tefa" in details[0]
    assert "Badan Kepegawaian dan Pengembangan SDM -> TANPA PEMEGANG" in details[1]

    got = (await admin.say(f"/admin aktifkan {yosef}"))[-1].text
    assert "Yosef Lake diaktifkan kembali" in got
    assert "Akses Anda ke bot DIK telah diaktifkan kembali" in p["bkpsdm"].last.text
    panel = (await admin.say("/admin"))[-1].text
    assert "Tugas tanpa pemegang: 0" in panel
    await p["bkpsdm"].tap("🚫 Nihil")  # his buttons work again
    assert await audit(h, "official_reactivate") == [f"Yosef Lake (id {yosef})"]


async def test_only_an_admin_and_never_themselves(harness: Harness) -> None:
    h = harness
    p = await h.seed_city()
    admin_id = await official_id(h, "Admin PPID")
    before = await h.snapshot()
    got = (await p["petugas"].say("/admin nonaktifkan 1"))[-1].text
    assert "hanya untuk" in got
    got = (await p["admin"].say(f"/admin nonaktifkan {admin_id}"))[-1].text
    assert "tidak dapat menonaktifkan akun Anda sendiri" in got
    got = (await p["admin"].say("/admin nonaktifkan 99999"))[-1].text
    assert "Tidak ada pejabat dengan ID 99999" in got
    got = (await p["admin"].say("/admin nonaktifkan Maria"))[-1].text
    assert "Cara pakai: /admin nonaktifkan ID" in got
    assert await h.snapshot() == before


async def test_what_the_outbox_owed_them_is_not_sent(harness: Harness) -> None:
    h = harness
    p = await h.seed_city()
    maria = await official_id(h, "Maria Bria")
    async with h.workflow.db.transaction() as s:  # owed, not yet delivered
        await outbox.enqueue(
            s, official_id=maria, chat_id=2001, text="Surat untuk Maria", now=h.clock.now()
        )
    change = await h.workflow.officials.set_official_active(maria, False)
    assert change is not None and change.not_sent == 1
    await h.app.bot_data.sender.flush()
    assert not any("Surat untuk Maria" in (m.text or "") for m in p["dinkes"].inbox)


async def test_the_cli_deactivates_and_the_running_bot_refuses_at_once(
    harness: Harness, db_url: str, tmp_path: Path
) -> None:
    h = harness
    p = await h.seed_city()
    await h.play_to_collect()
    yosef = await official_id(h, "Yosef Lake")
    code, out, err = await run_cli(tmp_path, db_url, "official", "list")
    assert code == 0, err
    assert any(line.split()[:2] == [str(yosef), "active"] for line in out.splitlines()), out
    code, out, err = await run_cli(tmp_path, db_url, "official", "deactivate", str(yosef))
    assert code == 0, err
    assert (
        out.splitlines()[0]
        == "deactivated: Yosef Lake; every act of theirs is refused from now on"
    )
    assert "FLAGGED DIK 2026 step 3 (PPID Pembantu Badan Kepegawaian" in out
    got = await p["bkpsdm"].tap("🚫 Nihil")  # the bot in this process reads it afresh
    assert "dinonaktifkan oleh admin" in got[-1].text
    async with h.workflow.db.read() as s:
        assert await people.is_deactivated(s, 2002)
    code, out, err = await run_cli(tmp_path, db_url, "official", "deactivate", str(yosef))
    assert code == 0 and "already inactive" in out
    code, out, err = await run_cli(tmp_path, db_url, "official", "reactivate", "99999")
    assert code == 1 and "no official with id 99999" in out
    code, out, err = await run_cli(tmp_path, db_url, "official", "reactivate", str(yosef))
    assert code == 0 and out.startswith("reactivated: Yosef Lake (roles: ppid_pembantu)")
