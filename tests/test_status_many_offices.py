"""A city has more OPDs than fit in one Telegram message: /status stays readable and sendable."""

from __future__ import annotations

from bot.texts import split_text
from tests.harness import Harness


async def test_status_with_sixty_offices_fits_telegram(harness: Harness) -> None:
    h = harness
    p = await h.seed_city()
    for i in range(60):
        code = f"KEL{i:02d}"
        await h.workflow.onboarding.add_office(
            code, f"Kelurahan Contoh Nomor {i:02d} Kecamatan Kota Lama"
        )
        await h.official(
            f"kel{i}", 6000 + i, f"Petugas PPID Kelurahan {i:02d}", "ppid_pembantu", office=code
        )
    await h.play_to_collect()
    got = await p["petugas"].say("status")
    text = got[-1].text
    assert "dari 63 menjawab" in text and "belum menjawab (63)" in text
    assert "dan 33 lainnya" in text
    assert len(got[-1].raw_text) <= 4096


def test_split_text_keeps_every_line() -> None:
    text = "\n".join(f"<b>{i}</b> " + "x" * 70 for i in range(300))
    parts = split_text(text)
    assert len(parts) > 1 and all(len(part) <= 4000 for part in parts)
    assert "\n".join(parts) == text
    assert split_text("pendek") == ["pendek"]
