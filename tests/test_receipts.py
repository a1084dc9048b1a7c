"""Tanda terima: every delivered letter carries Diterima; recorded once, by its recipient only,
reminded once the next working morning, and counted in /status."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.config import Settings
from bot.sop import load_sop
from bot.workflow.receipt_letters import needs_receipt
from storage import audit, receipts
from storage.dto import DocumentDTO, PersonDTO
from storage.models import OutboxMessage
from tests.harness import Harness

WITA = ZoneInfo("Asia/Makassar")
START = datetime(2026, 11, 30, 9, 0, tzinfo=WITA)


def at(y: int, m: int, d: int, hh: int = 9, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=WITA)


async def letters(h: Harness) -> list[receipts.ReceiptDTO]:
    async with h.workflow.db.read() as s:
        return await receipts.of_cycle(s, 1)


async def sweep(h: Harness) -> None:
    for _ in range(2):
        await h.workflow.nudges.sweep()
    await h.app.bot_data.sender.flush()


def reminders(h: Harness, user_id: int) -> list[str]:
    return [
        m.text for m in h.standin.sent(user_id) if "Mohon konfirmasi penerimaan" in (m.text or "")
    ]


async def test_letters_carry_diterima_recorded_once_by_their_recipient(harness: Harness) -> None:
    h = harness
    p = await h.seed_city()
    await h.play_to_collect()

    rows = await letters(h)
    by_name = sorted((r.official_name, r.filename.split("_")[0]) for r in rows)
    assert by_name == [
        ("Agustina Nope", "Surat"),
        ("Maria Bria", "Surat"),
        ("Yosef Lake", "Surat"),
    ]  # not the petugas: the drafter sends the letters out, and keeps a copy without receipt
    issued = [m for m in p["petugas"].inbox if m.document and "000.9/" in (m.text or "")]
    assert issued and all("✅ Diterima" not in m.button_texts for m in p["petugas"].inbox)
    assert all(r.letter_number for r in rows)  # final letters only: drafts are approved instead
    # In chat: the letter has the button; the Form DIK and the drafts for paraf do not.
    for key in ("dinkes", "bkpsdm", "disduk"):
        files = {m.document.filename: m.button_texts for m in p[key].inbox if m.document}
        surat = [f for f in files if f.startswith("Surat_Permintaan")]
        form = [f for f in files if f.startswith("Form_DIK")]
        assert files[surat[0]] == ["✅ Diterima"], files
        assert "✅ Diterima" not in files[form[0]]
    assert not [m for m in p["kadis"].inbox if "✅ Diterima" in m.button_texts]

    dinkes_row = next(r for r in rows if r.official_name == "Maria Bria")
    got = await p["dinkes"].tap("✅ Diterima")
    assert "Tanda terima tercatat" in got[-1].text and dinkes_row.filename in got[-1].text
    letter = next(
        m for m in p["dinkes"].inbox if m.document and "Surat_Permintaan" in m.document.filename
    )
    assert letter.button_texts == []  # only the Diterima button is taken off
    got = await p["dinkes"].tap_data(letter.message_id, f"r:{dinkes_row.outbox_id}")
    assert "sudah tercatat" in got[-1].text
    assert "Senin, 30 November 2026 pukul 09.00 WITA" in got[-1].text

    # Somebody else's receipt, a made-up one, a malformed one: refused, nothing recorded.
    h.clock.set(at(2026, 11, 30, 10))
    got = await p["bkpsdm"].tap_data(1, f"r:{dinkes_row.outbox_id}")
    assert "bukan untuk Anda" in got[-1].text
    got = await p["bkpsdm"].tap_data(1, "r:999999")
    assert "bukan untuk Anda" in got[-1].text
    got = await p["bkpsdm"].tap_data(1, "r:x1")
    assert "tidak dikenal" in got[-1].text
    after = {r.official_name: r.acknowledged_at for r in await letters(h)}
    assert after["Maria Bria"] == START.astimezone(UTC)
    assert after["Yosef Lake"] is None and after["Agustina Nope"] is None
    async with h.workflow.db.read() as s:
        log = await audit.entries(s)
    assert ("receipt", "refused", "receipt_unknown") in log
    assert ("receipt", "refused", "receipt_already") in log
    assert [e for e in log if e[:2] == ("receipt", "ok")] == [
        ("receipt", "ok", f"outbox {dinkes_row.outbox_id}: {dinkes_row.filename}")
    ]


async def test_a_letter_not_acknowledged_is_reminded_once_the_next_working_morning(
    harness: Harness,
) -> None:
    h = harness
    p = await h.seed_city()
    await h.play_to_collect()
    await p["dinkes"].tap("✅ Diterima")

    for when in (at(2026, 11, 30, 15), at(2026, 11, 30, 20), at(2026, 12, 1, 7, 29)):
        h.clock.set(when)
        await sweep(h)
    assert all(reminders(h, uid) == [] for uid in (1001, 2001, 2002, 2003))
    h.clock.set(at(2026, 12, 1, 7, 30))
    await sweep(h)
    assert reminders(h, 2001) == []  # Dinas Kesehatan already acknowledged
    for uid in (2002, 2003):
        (text,) = reminders(h, uid)
        assert "Mohon konfirmasi penerimaan surat Surat_Permintaan" in text
        assert "dikirim Senin, 30 November 2026 pukul 09.00 WITA" in text
    assert reminders(h, 1001) == []  # the petugas sent the letters: nothing to acknowledge
    for when in (at(2026, 12, 1, 12), at(2026, 12, 2, 7, 30), at(2026, 12, 3, 9)):
        h.clock.set(when)
        await sweep(h)
    assert [len(reminders(h, uid)) for uid in (1001, 2001, 2002, 2003)] == [0, 0, 1, 1]

    # Diterima on the reminder records the letter's receipt.
    got = await p["disduk"].tap("✅ Diterima")
    assert "Tanda terima tercatat" in got[-1].text
    status = await p["petugas"].say("/status")
    text = status[-1].text
    assert "Tanda terima: 2 dari 3 surat sudah dikonfirmasi penerimanya." in text
    assert (
        "Belum dikonfirmasi (1 surat, 1 orang):\n• Yosef Lake: 000.9/002/Kominfo/XI/2026" in text
    )
    assert "Lumongga" not in text.split("Tanda terima")[1]


async def test_status_counts_the_receipts_of_the_cycle(harness: Harness) -> None:
    h = harness
    p = await h.seed_city()
    await p["petugas"].say("/mulai 2026")
    status = await p["petugas"].say("status")
    assert "Tanda terima" not in status[-1].text  # no letter delivered yet
    for _ in range(2):
        await p["petugas"].tap("📤 Ajukan")
        await p["kadis"].tap("✅ Setujui")
    status = await p["kadis"].say("/status")
    text = status[-1].text
    assert "Tanda terima: 0 dari 3 surat sudah dikonfirmasi penerimanya." in text
    number = "000.9/002/Kominfo/XI/2026"  # the signed Surat Dinas (the Nota Dinas is 001)
    assert (
        f"Belum dikonfirmasi (3 surat, 3 orang):\n• Agustina Nope: {number}\n"
        f"• Maria Bria: {number}\n• Yosef Lake: {number}"
    ) in text
    for key in ("dinkes", "bkpsdm", "disduk"):
        got = await p[key].tap("✅ Diterima")
        assert "Tanda terima tercatat" in got[-1].text
    status = await p["petugas"].say("status")
    assert "Tanda terima: 3 dari 3 surat sudah dikonfirmasi penerimanya.\n" in status[-1].text
    assert "Belum dikonfirmasi" not in status[-1].text


def doc(kind: str, number: str | None = None, uploaded: bool = False) -> DocumentDTO:
    now = datetime(2026, 11, 30, tzinfo=UTC)
    return DocumentDTO(1, 1, 1, kind, None, 1, f"{kind}.docx", "x", "0", 1, number, uploaded, now)


def test_which_deliveries_need_a_receipt() -> None:
    maria = PersonDTO(7, "Maria Bria", "", "", "", 2001, None, None)
    other = PersonDTO(1, "Yohanes Lado", "", "", "", 2002, None, None)
    other_acted, she_acted, nobody_acted = other, maria, None

    shipped = load_sop(Settings.model_fields["sop_dir"].default / "usulan_dik.yaml")

    def needs(actor: PersonDTO | None, d: DocumentDTO) -> bool:
        # The document's declaration in the SOP file says whether it is a letter with a receipt.
        spec = shipped.document(d.kind)
        return needs_receipt(actor, maria, d, spec)

    assert needs(other_acted, doc("surat_permintaan", "000.9/002/Kominfo/XI/2026"))
    assert needs(other_acted, doc("surat_undangan", "000.9/009/Kominfo/XII/2026"))
    assert needs(other_acted, doc("sk_signed", uploaded=True))
    assert needs(nobody_acted, doc("sk_signed", uploaded=True))
    assert not needs(she_acted, doc("sk_signed", uploaded=True))  # her own copy
    assert not needs(other_acted, doc("nota_dinas"))  # a draft for paraf
    assert not needs(other_acted, doc("form_dik", "x"))  # not a letter
    assert not needs(other_acted, doc("usulan_upload", uploaded=True))


async def test_no_outbox_row_is_marked_without_a_document(harness: Harness) -> None:
    h = harness
    await h.seed_city()
    await h.play_to_collect()
    async with h.workflow.db.read() as s:
        marked = (
            await s.scalars(select(OutboxMessage).where(OutboxMessage.ack_required.is_(True)))
        ).all()
    assert marked and all(m.document_id for m in marked)
    assert all(m.buttons[-1] == [["✅ Diterima", f"r:{m.id}"]] for m in marked)
